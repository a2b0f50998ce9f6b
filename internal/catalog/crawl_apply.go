package catalog

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
)

// crawlResult counts what a crawl changed.
type crawlResult struct {
	created, updated, deleted int
}

// crawl runs one crawl of rec: discovery reads the lake without holding
// any lock, then the changes are applied table by table under
// SchemaChangePolicy.
func (s *Service) crawl(ctx context.Context, rec *crawlerRecord) (crawlResult, error) {
	c := rec.Crawler
	var res crawlResult
	if c.DatabaseName == "" {
		return res, errors.New("Crawler has no DatabaseName: tarn crawlers write to a catalog database.")
	}
	db := strings.ToLower(c.DatabaseName)
	cfg, err := parseCrawlerConfig(c.Configuration)
	if err != nil {
		return res, err
	}
	g := grouping{tableLevel: cfg.Grouping.TableLevelConfiguration, combine: cfg.Grouping.TableGroupingPolicy == "CombineCompatibleSchemas"}
	var found []*discovered
	var prefixes []string
	if c.Targets != nil {
		for _, t := range c.Targets.S3Targets {
			ds, err := s.discover(ctx, t, g)
			if err != nil {
				return res, err
			}
			found = append(found, ds...)
			if b, p, err := parseS3Path(t.Path); err == nil {
				prefixes = append(prefixes, "s3://"+b+"/"+p)
			}
		}
	}
	region := rec.Region
	if err := s.requireDatabase(region, db); errors.Is(err, ErrNotFound) {
		if err := s.CreateDatabase(ctx, region, Database{Name: db}); err != nil && !errors.Is(err, ErrAlreadyExists) {
			return res, err
		}
	} else if err != nil {
		return res, err
	}
	policy := *c.SchemaChangePolicy
	seen := map[string]bool{}
	for _, d := range found {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := s.applyTable(ctx, rec, region, db, d, policy, seen, &res); err != nil {
			return res, err
		}
	}
	return res, s.applyDeletes(ctx, rec, region, db, prefixes, seen, policy, &res)
}

func (s *Service) applyTable(ctx context.Context, rec *crawlerRecord, region, db string, d *discovered, policy SchemaChangePolicy, seen map[string]bool, res *crawlResult) error {
	crawler := rec.Crawler.Name
	name := sanitizeName(rec.Crawler.TablePrefix + d.name)
	loc := "s3://" + d.bucket + "/" + d.node.path
	cur, err := s.GetTable(ctx, region, db, name)
	if err == nil && (seen[name] || tableLocation(cur) != loc) { // another folder's table: Glue adds a hash
		h := fnv.New32a()
		h.Write([]byte(loc))
		name = fmt.Sprintf("%s_%08x", name, h.Sum32())
		cur, err = s.GetTable(ctx, region, db, name)
	}
	seen[name] = true
	t, parts := tableFor(d, name, crawler)
	cfg, _ := parseCrawlerConfig(rec.Crawler.Configuration) // validated when set
	if cfg.CrawlerOutput.Partitions.AddOrUpdateBehavior == "InheritFromTable" {
		for i := range parts {
			parts[i].StorageDescriptor.Columns = t.StorageDescriptor.Columns
		}
	}
	if errors.Is(err, ErrNotFound) {
		if err := s.CreateTable(ctx, region, db, t); err != nil {
			return err
		}
		res.created++
		if len(parts) > 0 {
			return s.AddPartitions(ctx, region, db, name, parts)
		}
		return nil
	}
	if err != nil {
		return err
	}
	merged := mergeTable(cur, t, cfg.CrawlerOutput.Tables.AddOrUpdateBehavior == "MergeNewColumns")
	changed := schemaChanged(cur, &merged)
	existing, err := s.GetPartitions(ctx, region, db, name)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, p := range existing {
		have[strings.Join(p.Values, "\x00")] = true
	}
	var newParts []Partition
	for _, p := range parts {
		if !have[strings.Join(p.Values, "\x00")] {
			newParts = append(newParts, p)
		}
	}
	if policy.UpdateBehavior == behaviorLog {
		if changed || len(newParts) > 0 {
			s.log.Info("crawler: table changed; SchemaChangePolicy LOG leaves it", "crawler", crawler, "table", name,
				"schemaChanged", changed, "newPartitions", len(newParts))
		}
		if rec.Crawler.RecrawlPolicy != nil && rec.Crawler.RecrawlPolicy.RecrawlBehavior == crawlNewFolders && len(newParts) > 0 {
			res.updated++
			return s.AddPartitions(ctx, region, db, name, newParts)
		}
		return nil
	}
	if changed {
		if err := s.UpdateTable(ctx, region, db, merged); err != nil {
			return err
		}
	}
	if len(newParts) > 0 {
		if err := s.AddPartitions(ctx, region, db, name, newParts); err != nil {
			return err
		}
	}
	if policy.DeleteBehavior == deleteFromDB && len(cur.PartitionKeys) == len(t.PartitionKeys) {
		found := map[string]bool{}
		for _, p := range parts {
			found[strings.Join(p.Values, "\x00")] = true
		}
		var gone [][]string
		for _, p := range existing {
			if !found[strings.Join(p.Values, "\x00")] {
				gone = append(gone, p.Values)
			}
		}
		if len(gone) > 0 {
			if _, err := s.deletePartitions(region, db, name, gone); err != nil {
				return err
			}
			changed = true
		}
	}
	if changed || len(newParts) > 0 {
		res.updated++
	}
	return nil
}

func tableLocation(t *Table) string {
	if t.StorageDescriptor == nil {
		return ""
	}
	return t.StorageDescriptor.Location
}

// mergeTable is cur updated by a crawl's inferred t: columns keep cur's
// order (with the new types), new columns follow, columns no file has any
// more are dropped; format and crawler parameters come from t, the rest
// of cur stays. With keepExisting (MergeNewColumns) cur's columns stay as
// they are and only new ones are added.
func mergeTable(cur *Table, t Table, keepExisting bool) Table {
	out := *cur
	sd := *t.StorageDescriptor
	inferred := map[string]Column{}
	for _, c := range sd.Columns {
		inferred[strings.ToLower(c.Name)] = c
	}
	var cols []Column
	used := map[string]bool{}
	if cur.StorageDescriptor != nil {
		for _, c := range cur.StorageDescriptor.Columns {
			n, ok := inferred[strings.ToLower(c.Name)]
			if ok || keepExisting {
				if ok && !keepExisting {
					c.Type = n.Type
				}
				cols = append(cols, c)
				used[strings.ToLower(c.Name)] = true
			}
		}
	}
	for _, c := range sd.Columns {
		if !used[strings.ToLower(c.Name)] {
			cols = append(cols, c)
		}
	}
	sd.Columns = cols
	out.StorageDescriptor = &sd
	if len(cur.PartitionKeys) != len(t.PartitionKeys) {
		out.PartitionKeys = t.PartitionKeys
	}
	params := map[string]string{}
	for k, v := range cur.Parameters {
		params[k] = v
	}
	for k, v := range t.Parameters {
		params[k] = v
	}
	delete(params, paramDeprecated)
	out.Parameters = params
	return out
}

// schemaChanged compares what a crawl may change: columns, partition
// keys, format and SerDe.
func schemaChanged(a, b *Table) bool {
	cols := func(t *Table) string {
		var sb strings.Builder
		if sd := t.StorageDescriptor; sd != nil {
			for _, c := range sd.Columns {
				sb.WriteString(c.Name + ":" + c.Type + ",")
			}
			sb.WriteString("|" + sd.InputFormat + "|" + sd.Location)
			if sd.SerdeInfo != nil {
				sb.WriteString("|" + sd.SerdeInfo.SerializationLibrary)
			}
		}
		for _, c := range t.PartitionKeys {
			sb.WriteString("|" + c.Name + ":" + c.Type)
		}
		return sb.String() + "|" + t.Parameters["classification"] + "|" + t.Parameters[paramDeprecated]
	}
	return cols(a) != cols(b)
}

// applyDeletes handles tables this crawler made under its targets that the
// crawl no longer found, by DeleteBehavior.
func (s *Service) applyDeletes(ctx context.Context, rec *crawlerRecord, region, db string, prefixes []string, seen map[string]bool, policy SchemaChangePolicy, res *crawlResult) error {
	tables, err := s.ListTables(ctx, region, db)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if seen[t.Name] || t.Parameters[paramUpdatedByCrawler] != rec.Crawler.Name {
			continue
		}
		loc, under := tableLocation(&t), false
		for _, p := range prefixes {
			under = under || strings.HasPrefix(loc, p)
		}
		if !under {
			continue
		}
		switch policy.DeleteBehavior {
		case deleteFromDB:
			if err := s.DeleteTable(ctx, region, db, t.Name); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			res.deleted++
		case deprecateInDB:
			if t.Parameters[paramDeprecated] != "" {
				continue
			}
			t.Parameters[paramDeprecated] = "true"
			if err := s.UpdateTable(ctx, region, db, t); err != nil {
				return err
			}
			res.updated++
		default:
			s.log.Info("crawler: table no longer found; DeleteBehavior LOG leaves it", "crawler", rec.Crawler.Name, "table", t.Name)
		}
	}
	return nil
}
