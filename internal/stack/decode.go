package stack

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder fills Go values from YAML nodes, recording the line of every
// field it sets under its path, and rejecting unknown fields.
type decoder struct {
	file   string
	lines  map[string]int
	budget int // nodes left to visit: aliases cannot blow up the walk
}

// maxNodes bounds the nodes one Parse visits, aliases expanded.
const maxNodes = 1 << 17

// fieldError is an error about one field at one line.
func (d *decoder) errorf(line int, path, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	return &Error{File: d.file, Line: line, Msg: msg}
}

// yamlName is a struct field's key in the file ("" for none).
func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) error {
	if d.budget--; d.budget < 0 {
		return d.errorf(n.Line, path, "too many values (aliases expand to more than %d)", maxNodes)
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.lines[path] = n.Line
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // an empty value leaves the zero value
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.decode(n, v.Elem(), path)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return d.errorf(n.Line, path, "must be a mapping")
		}
		t := v.Type()
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				return d.errorf(k.Line, join(path, k.Value), "duplicate field")
			}
			seen[k.Value] = true
			idx := -1
			for j := 0; j < t.NumField(); j++ {
				if yamlName(t.Field(j)) == k.Value {
					idx = j
					break
				}
			}
			if idx < 0 {
				what := "unknown field"
				if path == "" {
					what = "unknown setting or resource section"
				}
				return d.errorf(k.Line, join(path, k.Value), "%s%s", what, suggest(k.Value, t))
			}
			if err := d.decode(val, v.Field(idx), join(path, k.Value)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return d.errorf(n.Line, path, "must be a list")
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return d.errorf(n.Line, path, "must be a mapping of names to strings")
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if val.Kind != yaml.ScalarNode {
				return d.errorf(val.Line, join(path, k.Value), "must be a string")
			}
			m.SetMapIndex(reflect.ValueOf(k.Value), reflect.ValueOf(val.Value))
			d.lines[join(path, k.Value)] = val.Line
		}
		v.Set(m)
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return d.errorf(n.Line, path, "must be a %s", kindWord(v.Kind()))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
	case reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if err != nil || n.Tag != "!!int" {
			return d.errorf(n.Line, path, "must be an integer")
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		var b bool
		if n.Tag != "!!bool" || n.Decode(&b) != nil {
			return d.errorf(n.Line, path, "must be true or false")
		}
		v.SetBool(b)
	default:
		panic("stack: unsupported field type " + v.Type().String())
	}
	return nil
}

func kindWord(k reflect.Kind) string {
	switch k {
	case reflect.Int:
		return "integer"
	case reflect.Bool:
		return "boolean"
	}
	return "string"
}

// suggest names the known fields of t, for an unknown-field message.
func suggest(key string, t reflect.Type) string {
	var names []string
	for j := 0; j < t.NumField(); j++ {
		if n := yamlName(t.Field(j)); n != "" {
			names = append(names, n)
		}
	}
	for _, n := range names {
		if strings.EqualFold(strings.ReplaceAll(n, "_", ""), strings.ReplaceAll(key, "_", "")) ||
			strings.TrimSuffix(n, "s") == strings.TrimSuffix(key, "s") {
			return fmt.Sprintf(" (did you mean %s?)", n)
		}
	}
	if len(names) > 12 {
		return ""
	}
	return " (known: " + strings.Join(names, ", ") + ")"
}
