package catalog

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Discovery: how a crawl turns the objects under a target path into
// tables, as Glue's crawler does.
//
//   - Objects are grouped by folder. Folder markers, objects in or named
//     like hidden folders and files (a path segment starting with _ or .,
//     e.g. _SUCCESS, _temporary/, .hive-staging), *_$folder$ and .crc
//     files, and keys matching an Exclusion are skipped.
//   - Each folder holding files gets a schema: the files (the first
//     SampleLimits.FilesPerFolder of them) are classified and inferred
//     and their schemas merged.
//   - A folder is a table when every folder below it (and itself) that
//     holds files is at the same depth, of the same format and has a
//     similar schema to the first such folder (≥ 70% of the smaller
//     one's columns in common); the levels in between
//     become partition keys: key=value segments give the key's name,
//     other segments partition_0, partition_1, ... Otherwise its own files
//     (if any) form a table and each subfolder is tried in turn. So the
//     target folder itself is the table when its files sit in it or its
//     subfolders are partitions, and unlike subfolders are tables of
//     their own.
//   - The table is named after its folder (the bucket for a bucket's
//     root): lowercased, every character other than a-z, 0-9 and _
//     replaced by _, after the crawler's TablePrefix.

type dirNode struct {
	name     string // folder name ("" for the root: see rootName)
	path     string // key prefix, "" or ending in "/"
	depth    int
	files    []Object
	children map[string]*dirNode
	schema   *nodeSchema // set when the folder holds classified files
}

// nodeSchema is the merged schema of one folder's files (or a table's).
type nodeSchema struct {
	format      string
	compression string
	csv         csvInfo
	cols        []hfield
	jsonPaths   []string
	files       int
	bytes       int64
	records     int64 // sampled records
	sampled     int64 // bytes those records took; 0 when unknown
	exact       bool  // records is the exact total
}

func (n *dirNode) child(name string) *dirNode {
	if n.children == nil {
		n.children = map[string]*dirNode{}
	}
	c := n.children[name]
	if c == nil {
		c = &dirNode{name: name, path: n.path + name + "/", depth: n.depth + 1}
		n.children[name] = c
	}
	return c
}

func (n *dirNode) sortedChildren() []*dirNode {
	out := make([]*dirNode, 0, len(n.children))
	for _, c := range n.children {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// parseS3Path splits s3://bucket/prefix; the prefix is "" or ends in "/".
func parseS3Path(p string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(p, "s3://")
	if !ok {
		rest, ok = strings.CutPrefix(p, "s3a://")
	}
	if !ok || rest == "" || strings.HasPrefix(rest, "/") {
		return "", "", errInvalid("Invalid S3 target path %q: expected s3://bucket/prefix.", p)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return bucket, prefix, nil
}

func hiddenSegment(seg string) bool {
	return strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") || strings.HasSuffix(seg, "_$folder$") || strings.HasSuffix(seg, ".crc")
}

// discovered is one table a crawl found.
type discovered struct {
	name      string // without TablePrefix
	bucket    string
	node      *dirNode
	schema    *nodeSchema
	keys      []Column
	partition []discoveredPart
}

type discoveredPart struct {
	values []string
	node   *dirNode
}

// discover lists and infers one target and returns its tables.
func (s *Service) discover(ctx context.Context, t S3Target, g grouping) ([]*discovered, error) {
	bucket, prefix, err := parseS3Path(t.Path)
	if err != nil {
		return nil, err
	}
	var excl []*regexp.Regexp
	for _, e := range t.Exclusions {
		re, err := compileGlob(e)
		if err != nil {
			return nil, fmt.Errorf("exclusion %q: %w", e, err)
		}
		excl = append(excl, re)
	}
	objs, err := s.lake.List(ctx, bucket, prefix)
	if err != nil {
		return nil, fmt.Errorf("list s3://%s/%s: %w", bucket, prefix, err)
	}
	if file := strings.TrimSuffix(prefix, "/"); len(objs) == 0 && file != "" && !strings.HasSuffix(t.Path, "/") {
		// The include path may name one file: it is the table of its folder.
		all, err := s.lake.List(ctx, bucket, file)
		if err != nil {
			return nil, fmt.Errorf("list s3://%s/%s: %w", bucket, file, err)
		}
		for _, o := range all {
			if o.Key == file {
				objs, prefix = []Object{o}, file[:strings.LastIndexByte(file, '/')+1]
				break
			}
		}
	}
	rootName := bucket
	if prefix != "" {
		rootName = path.Base(strings.TrimSuffix(prefix, "/"))
	}
	root := &dirNode{name: rootName, path: prefix}
objects:
	for _, o := range objs {
		rel, ok := strings.CutPrefix(o.Key, prefix)
		if !ok || rel == "" || strings.HasSuffix(rel, "/") {
			continue
		}
		for _, re := range excl {
			if re.MatchString(rel) {
				continue objects
			}
		}
		segs := strings.Split(rel, "/")
		n := root
		for _, seg := range segs {
			if hiddenSegment(seg) || seg == "" {
				continue objects
			}
		}
		for _, seg := range segs[:len(segs)-1] {
			n = n.child(seg)
		}
		n.files = append(n.files, o)
	}
	perFolder := s.sample.FilesPerFolder
	if t.SampleSize != nil && *t.SampleSize > 0 { // S3Target.SampleSize: files per leaf folder
		perFolder = min(perFolder, *t.SampleSize)
	}
	if err := s.inferTree(ctx, bucket, root, perFolder); err != nil {
		return nil, err
	}
	var out []*discovered
	switch {
	case g.tableLevel > 0:
		placeAtLevel(bucket, root, g.tableLevel, &out)
	case g.combine:
		if ls := leaves(root, nil); len(ls) > 0 {
			if merged, ok := sameLayout(ls); ok {
				out = append(out, tableAt(bucket, root, ls, merged))
				break
			}
		}
		place(bucket, root, &out)
	default:
		place(bucket, root, &out)
	}
	return out, nil
}

// grouping is the crawler Configuration's Grouping: TableLevelConfiguration
// (the absolute folder level of tables, the bucket being level 1) and
// TableGroupingPolicy CombineCompatibleSchemas (one table for the whole
// target when its folders share a format and depth, however different
// their columns).
type grouping struct {
	tableLevel int
	combine    bool
}

// placeAtLevel makes a table of every folder at the absolute level (the
// bucket is level 1); folders above it get no table.
func placeAtLevel(bucket string, n *dirNode, level int, out *[]*discovered) {
	abs := 1 + strings.Count(n.path, "/")
	switch {
	case abs == level:
		if ls := leaves(n, nil); len(ls) > 0 {
			if merged, ok := sameLayout(ls); ok {
				*out = append(*out, tableAt(bucket, n, ls, merged))
				return
			}
			place(bucket, n, out)
		}
	case abs < level:
		for _, c := range n.sortedChildren() {
			placeAtLevel(bucket, c, level, out)
		}
	default: // the target is below the table level: it is the table
		place(bucket, n, out)
	}
}

// inferTree sets the schema of every folder that holds files.
func (s *Service) inferTree(ctx context.Context, bucket string, n *dirNode, perFolder int) error {
	if len(n.files) > 0 {
		var ns *nodeSchema
		for i, o := range n.files {
			if i >= perFolder {
				break
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			fs, err := inferFile(ctx, s.lake, bucket, o.Key, s.sample)
			if err != nil {
				s.log.Info("crawler: file skipped", "key", o.Key, "err", err)
				continue
			}
			ns = mergeNode(ns, fs)
		}
		if ns != nil {
			ns.files, ns.bytes = len(n.files), 0
			for _, o := range n.files {
				ns.bytes += o.Size
			}
			ns.exact = ns.exact && len(n.files) <= perFolder
		}
		n.schema = ns
	}
	for _, c := range n.sortedChildren() {
		if err := s.inferTree(ctx, bucket, c, perFolder); err != nil {
			return err
		}
	}
	return nil
}

// mergeNode adds a file's schema to a folder's; a file of another format
// than the folder's first is left out.
func mergeNode(ns *nodeSchema, fs *fileSchema) *nodeSchema {
	if ns == nil {
		return &nodeSchema{format: fs.format, compression: fs.compression, csv: fs.csv, cols: fs.cols,
			jsonPaths: fs.jsonPaths, records: fs.records, sampled: fs.sampled, exact: fs.exact}
	}
	if fs.format != ns.format || (fs.format == "csv" && fs.csv.delim != ns.csv.delim) {
		return ns
	}
	ns.cols = mergeFields(ns.cols, fs.cols)
	ns.jsonPaths = mergePaths(ns.jsonPaths, fs.jsonPaths)
	ns.csv.quoted = ns.csv.quoted || fs.csv.quoted
	ns.records += fs.records
	ns.sampled += fs.sampled
	ns.exact = ns.exact && fs.exact
	return ns
}

func mergeNodes(a, b *nodeSchema) *nodeSchema {
	if a == nil {
		c := *b
		return &c
	}
	out := *a
	out.cols = mergeFields(a.cols, b.cols)
	out.jsonPaths = mergePaths(a.jsonPaths, b.jsonPaths)
	out.csv.quoted = a.csv.quoted || b.csv.quoted
	out.files += b.files
	out.bytes += b.bytes
	out.records += b.records
	out.sampled += b.sampled
	out.exact = a.exact && b.exact
	return &out
}

func mergePaths(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range append(append([]string(nil), a...), b...) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// leaves returns the folders under n (n included) that have a schema.
func leaves(n *dirNode, out []*dirNode) []*dirNode {
	if n.schema != nil {
		out = append(out, n)
	}
	for _, c := range n.sortedChildren() {
		out = leaves(c, out)
	}
	return out
}

// place decides the tables under n (see the rules above).
func place(bucket string, n *dirNode, out *[]*discovered) {
	ls := leaves(n, nil)
	if len(ls) == 0 {
		return
	}
	if merged, ok := compatible(ls); ok {
		*out = append(*out, tableAt(bucket, n, ls, merged))
		return
	}
	if n.schema != nil {
		*out = append(*out, tableAt(bucket, n, []*dirNode{n}, n.schema))
	}
	for _, c := range n.sortedChildren() {
		place(bucket, c, out)
	}
}

// compatible reports whether folders ls form one table, with its schema.
func compatible(ls []*dirNode) (*nodeSchema, bool) {
	merged, ok := sameLayout(ls)
	if !ok {
		return nil, false
	}
	for _, l := range ls[1:] {
		if !similar(l.schema.cols, ls[0].schema.cols) {
			return nil, false
		}
	}
	return merged, true
}

// sameLayout reports whether folders ls are at one depth with one format
// (and CSV dialect), with their merged schema.
func sameLayout(ls []*dirNode) (*nodeSchema, bool) {
	var merged *nodeSchema
	for _, l := range ls {
		if l.depth != ls[0].depth || l.schema.format != ls[0].schema.format ||
			(l.schema.format == "csv" && (l.schema.csv.delim != ls[0].schema.csv.delim || l.schema.csv.header != ls[0].schema.csv.header)) {
			return nil, false
		}
		merged = mergeNodes(merged, l.schema)
	}
	return merged, true
}
