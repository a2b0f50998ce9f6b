package stack

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Schema returns the JSON Schema (draft 2020-12) of the stack file,
// generated from the same types and tags Parse uses, with tarn's settings
// as string properties. Cross-field rules (exactly one of code.path, zip
// or s3_*, key schema order) are checked by Parse only.
func Schema(settings ...Setting) []byte {
	root := schemaOf(reflect.TypeFor[Stack]())
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["title"] = "tarn.yaml"
	root["description"] = "tarn's settings and the resources tarn apply (and tarn serve at start) creates or updates."
	props := root["properties"].(map[string]any)
	for _, st := range settings {
		p := map[string]any{"type": "string", "description": st.Doc}
		if len(st.Enum) > 0 {
			p["enum"] = st.Enum
		}
		props[st.Key] = p
	}
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(err) // only maps, slices and strings: cannot fail
	}
	return append(b, '\n')
}

func schemaOf(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Int:
		return map[string]any{"type": "integer"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
	case reflect.Struct:
		props := map[string]any{}
		var req []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := yamlName(f)
			if name == "" {
				continue
			}
			p := schemaOf(f.Type)
			if d := f.Tag.Get("doc"); d != "" {
				p["description"] = d
			}
			if e, ok := f.Tag.Lookup("enum"); ok {
				p["enum"] = strings.Split(e, ",")
			}
			for tag, key := range map[string]string{"min": "minimum", "max": "maximum"} {
				if v, ok := f.Tag.Lookup(tag); ok {
					n, _ := strconv.Atoi(v)
					p[key] = n
				}
			}
			if _, ok := f.Tag.Lookup("req"); ok {
				req = append(req, name)
				if p["type"] == "string" {
					p["minLength"] = 1
				}
				if p["type"] == "array" {
					p["minItems"] = 1
				}
			}
			props[name] = p
		}
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(req) > 0 {
			s["required"] = req
		}
		return s
	}
	panic("stack: no schema for " + t.String())
}
