package catalog

import (
	"fmt"
	"net/url"
	"strings"
)

// tableAt is the table of folder n over the folders ls (all at one
// depth below n): the levels between are its partition keys.
func tableAt(bucket string, n *dirNode, ls []*dirNode, merged *nodeSchema) *discovered {
	d := &discovered{name: sanitizeName(n.name), bucket: bucket, node: n, schema: merged}
	levels := ls[0].depth - n.depth
	segsOf := func(l *dirNode) []string {
		rel := strings.TrimSuffix(strings.TrimPrefix(l.path, n.path), "/")
		if rel == "" {
			return nil
		}
		return strings.Split(rel, "/")
	}
	for i := range levels {
		key := ""
		for j, l := range ls {
			k, _, ok := strings.Cut(segsOf(l)[i], "=")
			if !ok || (j > 0 && !strings.EqualFold(k, key)) || k == "" {
				key = ""
				break
			}
			key = strings.ToLower(k)
		}
		if key == "" {
			key = fmt.Sprintf("partition_%d", i)
		}
		d.keys = append(d.keys, Column{Name: sanitizeName(key), Type: "string"})
	}
	if levels > 0 {
		for _, l := range ls {
			segs := segsOf(l)
			vals := make([]string, levels)
			for i, seg := range segs {
				if _, v, ok := strings.Cut(seg, "="); ok && d.keys[i].Name != fmt.Sprintf("partition_%d", i) {
					seg = v
				}
				if u, err := url.PathUnescape(seg); err == nil {
					seg = u
				}
				vals[i] = seg
			}
			d.partition = append(d.partition, discoveredPart{values: vals, node: l})
		}
	}
	return d
}

// sanitizeName derives a Glue table or column name: lowercase, and every
// character other than a-z, 0-9 and _ becomes _.
func sanitizeName(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}
