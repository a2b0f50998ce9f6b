package sql

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// msck lists the table's location for key=value/ folders in partition-key
// order and adds the partitions the catalog lacks.
func (x *exec) msck(ctx context.Context, c *cursor) (*outcome, error) {
	db, name, _, err := c.name()
	if err != nil {
		return nil, err
	}
	t, err := x.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	if len(t.PartitionKeys) == 0 {
		return nil, ddlError("FAILED: SemanticException table is not partitioned but partition spec exists")
	}
	bucket, prefix, err := parseS3(t.Location)
	if err != nil {
		return nil, ddlError("FAILED: SemanticException Invalid location %s", t.Location)
	}
	prefix = dirPrefix(prefix)
	files, err := x.s.lake.Files(ctx, bucket, prefix)
	if err != nil && !errors.Is(err, ErrNoSuchBucket) {
		return nil, err
	}
	have := map[string]bool{}
	for _, p := range t.Partitions {
		have[strings.Join(p.Values, "\x00")] = true
	}
	found := map[string]PartitionDef{}
	var specs []string
	for _, f := range files {
		dirs := strings.Split(strings.TrimPrefix(f.Key, prefix), "/")
		if len(dirs) <= len(t.PartitionKeys) {
			continue
		}
		vals := make([]string, len(t.PartitionKeys))
		ok := true
		for i, k := range t.PartitionKeys {
			kk, v, cut := strings.Cut(dirs[i], "=")
			if !cut || !strings.EqualFold(kk, k.Name) {
				ok = false
				break
			}
			vals[i] = hiveUnescape(v)
		}
		id := strings.Join(vals, "\x00")
		if !ok || have[id] {
			continue
		}
		if _, dup := found[id]; !dup {
			found[id] = PartitionDef{Values: vals, Location: "s3://" + bucket + "/" + prefix + strings.Join(dirs[:len(t.PartitionKeys)], "/") + "/"}
			specs = append(specs, strings.Join(dirs[:len(t.PartitionKeys)], "/"))
		}
	}
	sort.Strings(specs)
	var parts []PartitionDef
	for _, p := range found {
		parts = append(parts, p)
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].Location < parts[j].Location })
	if len(parts) > 0 {
		if err := x.s.catalog.AddPartitions(ctx, x.region, t.Database, t.Name, parts); err != nil {
			return nil, err
		}
	}
	var rows [][]string
	if len(specs) > 0 {
		line := "Partitions not in metastore:"
		for _, s := range specs {
			line += "\t" + t.Name + ":" + s
		}
		rows = append(rows, []string{line})
		for _, s := range specs {
			rows = append(rows, []string{"Repair: Added partition to metastore " + t.Name + ":" + s})
		}
	}
	return x.textResult(ctx, []colInfo{{Name: "result", Type: "varchar"}}, rows)
}

// hiveUnescape undoes %XX escapes in a partition folder value.
func hiveUnescape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && i+2 < len(v) {
			if n, err := strconv.ParseUint(v[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// alterTable implements ALTER TABLE t ADD [IF NOT EXISTS] PARTITION
// (k = 'v', ...) [LOCATION 's3://...'] ...
func (x *exec) alterTable(ctx context.Context, c *cursor) (*outcome, error) {
	db, name, _, err := c.name()
	if err != nil {
		return nil, err
	}
	t, err := x.table(ctx, db, name)
	if err != nil {
		return nil, err
	}
	if !c.accept("ADD") {
		return nil, &queryError{Code: "NOT_SUPPORTED", Pos: c.peek().Pos, Msg: "tarn implements ALTER TABLE ... ADD PARTITION only"}
	}
	c.accept("IF", "NOT", "EXISTS")
	have := map[string]bool{}
	for _, p := range t.Partitions {
		have[strings.Join(p.Values, "\x00")] = true
	}
	var parts []PartitionDef
	for c.accept("PARTITION") {
		if err := c.expect("("); err != nil {
			return nil, err
		}
		spec := map[string]string{}
		for {
			k, err := c.ident()
			if err != nil {
				return nil, err
			}
			if err := c.expect("="); err != nil {
				return nil, err
			}
			v := c.next()
			if v.Kind != engine.String && v.Kind != engine.Number {
				return nil, c.errAt("<value>")
			}
			spec[k] = v.Value()
			if !c.accept(",") {
				break
			}
		}
		if err := c.expect(")"); err != nil {
			return nil, err
		}
		vals := make([]string, len(t.PartitionKeys))
		for i, k := range t.PartitionKeys {
			v, ok := spec[strings.ToLower(k.Name)]
			if !ok {
				return nil, ddlError("FAILED: SemanticException [Error 10006]: Partition not found: missing value for %s", k.Name)
			}
			vals[i] = v
		}
		if len(spec) != len(t.PartitionKeys) {
			return nil, ddlError("FAILED: SemanticException [Error 10098]: Non-Partition column appears in the partition specification")
		}
		p := PartitionDef{Values: vals, Location: partitionLocation(t, vals)}
		if c.accept("LOCATION") {
			if p.Location, err = c.str(); err != nil {
				return nil, err
			}
		}
		if !have[strings.Join(vals, "\x00")] {
			parts = append(parts, p)
		}
	}
	if !c.done() {
		return nil, c.errAt("'PARTITION'")
	}
	if len(parts) > 0 {
		if err := x.s.catalog.AddPartitions(ctx, x.region, t.Database, t.Name, parts); err != nil {
			return nil, err
		}
	}
	return x.textResult(ctx, nil, nil)
}
