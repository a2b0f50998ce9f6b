package expr

import (
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Params holds a request's ExpressionAttributeNames and
// ExpressionAttributeValues and records which ones its expressions use.
// One Params serves all expressions of one request; it is not safe for
// concurrent Parse calls.
type Params struct {
	names      map[string]string
	values     map[string]attr.Value
	usedNames  map[string]struct{}
	usedValues map[string]struct{}
}

// NewParams makes the Params of one request; either map may be nil.
// The maps are read, never modified.
func NewParams(names map[string]string, values map[string]attr.Value) *Params {
	return &Params{names: names, values: values}
}

func (p *Params) name(n string) (string, bool) {
	if p == nil {
		return "", false
	}
	v, ok := p.names[n]
	if ok {
		if p.usedNames == nil {
			p.usedNames = map[string]struct{}{}
		}
		p.usedNames[n] = struct{}{}
	}
	return v, ok
}

func (p *Params) value(n string) (attr.Value, bool) {
	if p == nil {
		return attr.Value{}, false
	}
	v, ok := p.values[n]
	if ok {
		if p.usedValues == nil {
			p.usedValues = map[string]struct{}{}
		}
		p.usedValues[n] = struct{}{}
	}
	return v, ok
}

// CheckUnused returns DynamoDB's error for names, then values, that no
// parsed expression used (keys sorted), or nil.
func (p *Params) CheckUnused() error {
	if p == nil {
		return nil
	}
	var unused []string
	for _, k := range sortedKeys(p.names) {
		if _, ok := p.usedNames[k]; !ok {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		return &Error{Message: MsgUnusedNames + strings.Join(unused, ", ") + "}"}
	}
	for _, k := range sortedKeys(p.values) {
		if _, ok := p.usedValues[k]; !ok {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		return &Error{Message: MsgUnusedValues + strings.Join(unused, ", ") + "}"}
	}
	return nil
}
