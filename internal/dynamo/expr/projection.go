package expr

import (
	"slices"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Projection is a parsed ProjectionExpression (or AttributesToGet).
type Projection struct {
	paths []Path
	root  *projNode
}

// projNode is a trie of projected paths.
type projNode struct {
	leaf    bool // the whole value here is projected
	names   map[string]*projNode
	indexes []projIndex // sorted by index
}

type projIndex struct {
	index int
	node  *projNode
}

// ParseProjection parses a ProjectionExpression: document paths
// separated by commas.
func ParseProjection(src string, p *Params) (*Projection, error) {
	if src == "" {
		return nil, errorf("Invalid ", KindProjection, ": ", msgEmpty)
	}
	if e := checkSize(KindProjection, src); e != nil {
		return nil, e
	}
	ps := newParser(KindProjection, src, nil)
	var nodes []*node
	for {
		n, ok := ps.path()
		if !ok {
			return nil, ps.syntaxErr()
		}
		nodes = append(nodes, n)
		if ps.peekPunct(",") {
			ps.pos++
			continue
		}
		if !ps.atEOF() {
			return nil, ps.syntaxErr()
		}
		break
	}
	c := &checker{kind: KindProjection, p: p}
	paths := make([]Path, len(nodes))
	for i, n := range nodes {
		c.astPath(n.path)
		paths[i] = n.path
	}
	// each path: depth and names, then overlap with the paths before it
	for i := range paths {
		c.valPath(paths[i])
		if c.err == nil {
			c.err = checkPaths(KindProjection, paths[:i+1])
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	return newProjection(paths), nil
}

// LegacyProjection is the projection of AttributesToGet: top-level
// attributes named literally (no parsing, no reserved words).
func LegacyProjection(attributesToGet []string) *Projection {
	paths := make([]Path, 0, len(attributesToGet))
	for _, a := range attributesToGet {
		paths = append(paths, NamePath(a))
	}
	return newProjection(paths)
}

// ProjectPaths is the projection of the given paths (for example an
// update's paths, or an index's projected attributes).
func ProjectPaths(paths []Path) *Projection { return newProjection(paths) }

func newProjection(paths []Path) *Projection {
	root := &projNode{}
	for _, p := range paths {
		n := root
		for _, e := range p {
			if e.IsIndex {
				i, found := slices.BinarySearchFunc(n.indexes, e.Index, func(x projIndex, t int) int { return x.index - t })
				if !found {
					n.indexes = slices.Insert(n.indexes, i, projIndex{index: e.Index, node: &projNode{}})
				}
				n = n.indexes[i].node
			} else {
				if n.names == nil {
					n.names = map[string]*projNode{}
				}
				c := n.names[e.Name]
				if c == nil {
					c = &projNode{}
					n.names[e.Name] = c
				}
				n = c
			}
		}
		n.leaf = true
	}
	return &Projection{paths: paths, root: root}
}

// Paths are the projected document paths in source order.
func (pr *Projection) Paths() []Path { return pr.paths }

// Attributes are the distinct top-level attribute names the projection
// reads, in source order.
func (pr *Projection) Attributes() []string {
	var out []string
	for _, p := range pr.paths {
		if !slices.Contains(out, p.Attribute()) {
			out = append(out, p.Attribute())
		}
	}
	return out
}

// Apply returns the projected part of item as DynamoDB returns it: the
// nesting of maps is kept, list elements picked by index are compacted
// in index order, and paths that do not resolve are left out. The
// result shares unprojected-into values with item. A nil item gives nil.
func (pr *Projection) Apply(item attr.Item) attr.Item {
	if item == nil {
		return nil
	}
	out := attr.Item{}
	for name, c := range pr.root.names {
		v, ok := item[name]
		if !ok {
			continue
		}
		if pv, ok := c.apply(v); ok {
			out[name] = pv
		}
	}
	return out
}

func (n *projNode) apply(v attr.Value) (attr.Value, bool) {
	if n.leaf {
		return v, true
	}
	switch {
	case len(n.names) > 0 && v.Kind == attr.M:
		m := map[string]attr.Value{}
		for name, c := range n.names {
			if e, ok := v.M[name]; ok {
				if pe, ok := c.apply(e); ok {
					m[name] = pe
				}
			}
		}
		if len(m) == 0 {
			return attr.Value{}, false
		}
		return attr.Map(m), true
	case len(n.indexes) > 0 && v.Kind == attr.L:
		var l []attr.Value
		for _, ix := range n.indexes {
			if ix.index < len(v.L) {
				if pe, ok := ix.node.apply(v.L[ix.index]); ok {
					l = append(l, pe)
				}
			}
		}
		if len(l) == 0 {
			return attr.Value{}, false
		}
		return attr.List(l...), true
	}
	return attr.Value{}, false
}

// String renders the projection with the source's placeholders.
func (pr *Projection) String() string {
	parts := make([]string, len(pr.paths))
	for i, p := range pr.paths {
		parts[i] = p.Expr()
	}
	return strings.Join(parts, ", ")
}
