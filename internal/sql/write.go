package sql

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

type written struct {
	keys  []string // lake keys written
	rows  int64
	read  []string
	parts []PartitionDef
	// intent is the write's registration (intent.go); finish applies it.
	intent *writeIntent
}

// writeMode says what registers a write's files in the catalog.
type writeMode int

const (
	writeFiles  writeMode = iota // nothing: the files are the result (UNLOAD)
	writeCreate                  // CTAS: create t with the partitions written
	writeInsert                  // INSERT INTO: add the partitions written to t
)

// write is writeAs for files no catalog entry registers (UNLOAD).
func (x *exec) write(ctx context.Context, duck string, names []string, target []Column, partitionBy []string, t *TableDef, ext, compression string) (*written, error) {
	return x.writeAs(ctx, duck, names, target, partitionBy, t, ext, compression, writeFiles)
}

// writeAs COPYs the translated query to files in the scratch directory
// (Hive-style key=value/ folders for partition keys) and commits them
// under t.Location in the lake. For writeCreate and writeInsert it first
// records the write's intent (intent.go), which the caller applies with
// finish once the files are committed. names are the query's columns by
// position; with target (INSERT) they are cast to the target columns'
// types. On error nothing was committed, unless the Lake is not a
// BatchLake (then some files may be).
func (x *exec) writeAs(ctx context.Context, duck string, names []string, target []Column, partitionBy []string, t *TableDef, ext, compression string, mode writeMode) (*written, error) {
	types := map[string]string{}
	for _, c := range target {
		d, err := duckType(c.Type)
		if err != nil {
			return nil, err
		}
		types[strings.ToLower(c.Name)] = d
	}
	aliases := make([]string, len(names))
	proj := make([]string, 0, len(names))
	order := append([]string{}, names...)
	if target != nil { // the table's column order, partition keys last
		order = order[:0]
		for _, c := range target {
			order = append(order, strings.ToLower(c.Name))
		}
	}
	for i, n := range names {
		aliases[i] = engine.QuoteIdent(n)
	}
	for _, n := range order {
		if typ, ok := types[n]; ok {
			found := false
			for _, m := range names {
				found = found || m == n
			}
			if !found {
				proj = append(proj, "CAST(NULL AS "+typ+") AS "+engine.QuoteIdent(n))
				continue
			}
			proj = append(proj, "CAST("+engine.QuoteIdent(n)+" AS "+typ+") AS "+engine.QuoteIdent(n))
		} else {
			proj = append(proj, engine.QuoteIdent(n))
		}
	}
	sel := "SELECT " + strings.Join(proj, ", ") + " FROM (" + duck + ") AS _src(" + strings.Join(aliases, ", ") + ")"
	dir := filepath.Join(x.s.eng.ScratchDir(), "write-"+x.r.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := []string{}
	switch ext {
	case "parquet":
		c := "snappy"
		if compression != "" {
			c = compression
		}
		opts = append(opts, "FORMAT parquet", "COMPRESSION "+engine.Quote(c))
	case "csv":
		d := t.Delimiter
		if d == "" {
			d = "\x01"
		}
		opts = append(opts, "FORMAT csv", "HEADER false", "DELIMITER "+engine.Quote(d))
	case "json":
		opts = append(opts, "FORMAT json")
	}
	target2 := filepath.Join(dir, x.r.ID+"_0."+ext)
	if len(partitionBy) > 0 {
		quoted := make([]string, len(partitionBy))
		for i, k := range partitionBy {
			quoted[i] = engine.QuoteIdent(k)
		}
		opts = append(opts, "PARTITION_BY ("+strings.Join(quoted, ", ")+")", "FILENAME_PATTERN "+engine.Quote(x.r.ID+"_{i}"), "OVERWRITE_OR_IGNORE true")
		target2 = dir
	}
	st, err := x.s.eng.Exec(ctx, "COPY ("+sel+") TO "+engine.Quote(target2)+" ("+strings.Join(opts, ", ")+")")
	if err != nil {
		return nil, err
	}
	w := &written{rows: st.Rows, read: st.FilesRead}
	bucket, prefix, err := parseS3(t.Location)
	if err != nil {
		return nil, err
	}
	prefix = dirPrefix(prefix)
	// Collect the files first: a write that would make more partitions
	// than Athena allows fails before anything reaches the lake.
	var rels []string
	parts := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		rels = append(rels, rel)
		if len(partitionBy) > 0 {
			parts[path.Dir(rel)] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(parts) > maxWritePartitions {
		return nil, &queryError{Code: "HIVE_TOO_MANY_OPEN_PARTITIONS", Pos: -1,
			Msg: fmt.Sprintf("Exceeded limit of %d open writers for partitions/buckets", maxWritePartitions)}
	}
	sort.Strings(rels)
	seen := map[string]bool{}
	ct := map[string]string{"parquet": "application/octet-stream", "csv": "text/plain", "json": "application/json"}[ext]
	files := make([]LocalFile, 0, len(rels))
	for _, rel := range rels {
		local := filepath.Join(dir, filepath.FromSlash(rel))
		info, err := os.Stat(local)
		if err != nil {
			return nil, err
		}
		files = append(files, LocalFile{Key: prefix + rel, Path: local, Size: info.Size(), ContentType: ct})
		w.keys = append(w.keys, prefix+rel)
		if len(partitionBy) == 0 {
			continue
		}
		dirs := strings.Split(rel, "/")
		if len(dirs) <= len(partitionBy) {
			continue
		}
		vals := make([]string, len(partitionBy))
		for i := range partitionBy {
			_, v, _ := strings.Cut(dirs[i], "=")
			vals[i] = hiveUnescape(v)
		}
		if id := strings.Join(vals, "\x00"); !seen[id] {
			seen[id] = true
			w.parts = append(w.parts, PartitionDef{Values: vals, Location: "s3://" + bucket + "/" + prefix + strings.Join(dirs[:len(partitionBy)], "/") + "/"})
		}
	}
	if len(files) == 0 {
		return w, nil
	}
	if mode == writeFiles {
		return w, x.commitFiles(ctx, bucket, files)
	}
	// The intent is durable before the first file commits.
	w.intent = &writeIntent{ID: x.r.ID, Region: x.region, Database: t.Database, Table: t.Name, Bucket: bucket, Keys: w.keys}
	if mode == writeCreate {
		def := *t
		def.Partitions = w.parts
		w.intent.Create = &def
	} else {
		w.intent.Parts = w.parts
	}
	if err := x.s.recordIntent(w.intent); err != nil {
		return nil, err
	}
	if err := x.commitFiles(ctx, bucket, files); err != nil {
		x.s.dropIntent(w.intent) // nothing committed (without BatchLake: nothing that will be registered)
		return nil, err
	}
	x.s.log.Debug("sql: write committed", "query", x.r.ID, "table", t.Database+"."+t.Name, "files", len(files))
	return w, nil
}

// commitFiles puts files into bucket: in one atomic step when the Lake is
// a BatchLake, else one by one.
func (x *exec) commitFiles(ctx context.Context, bucket string, files []LocalFile) error {
	if bl, ok := x.s.lake.(BatchLake); ok {
		return bl.PutAll(ctx, bucket, files)
	}
	for _, f := range files {
		if err := x.putFile(ctx, f.Path, bucket, f.Key, f.ContentType); err != nil {
			return err
		}
	}
	return nil
}

// finish registers a write's files in the catalog (step 3 of the intent
// contract) and settles its intent; a write without files (w.intent nil)
// has nothing to register. It runs without ctx's cancellation: once the
// files are committed a canceled query still registers them.
func (x *exec) finish(ctx context.Context, w *written) error {
	if w.intent == nil {
		return nil
	}
	return x.s.settle(context.WithoutCancel(ctx), w.intent, false)
}

// maxWritePartitions is Athena's limit of partitions one CTAS or INSERT
// INTO may write.
const maxWritePartitions = 100

func (x *exec) putFile(ctx context.Context, local, bucket, key, ct string) error {
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	return x.s.lake.Put(ctx, bucket, key, f, info.Size(), ct)
}
