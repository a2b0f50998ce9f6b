package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// validate is a small JSON Schema checker for the keywords Schema emits
// (type, properties, additionalProperties, required, items, enum,
// minimum, maximum, minLength, minItems); it returns the first violation.
func validate(schema map[string]any, v any, path string) error {
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want object, got %T", path, v)
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := m[r]; !ok {
				return fmt.Errorf("%s: missing required %s", path, r)
			}
		}
		for k, val := range m {
			if p, ok := props[k].(map[string]any); ok {
				if err := validate(p, val, path+"."+k); err != nil {
					return err
				}
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: unknown property %s", path, k)
				}
			case map[string]any:
				if err := validate(ap, val, path+"."+k); err != nil {
					return err
				}
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want array, got %T", path, v)
		}
		if n, ok := schema["minItems"].(float64); ok && float64(len(a)) < n {
			return fmt.Errorf("%s: fewer than %v items", path, n)
		}
		for i, item := range a {
			if err := validate(schema["items"].(map[string]any), item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want string, got %T", path, v)
		}
		if e := asStrings(schema["enum"]); e != nil && !slices.Contains(e, s) {
			return fmt.Errorf("%s: %q not in enum", path, s)
		}
		if n, ok := schema["minLength"].(float64); ok && float64(len(s)) < n {
			return fmt.Errorf("%s: shorter than %v", path, n)
		}
	case "integer":
		n, ok := v.(int)
		if !ok {
			return fmt.Errorf("%s: want integer, got %T", path, v)
		}
		if lo, ok := schema["minimum"].(float64); ok && float64(n) < lo {
			return fmt.Errorf("%s: below minimum", path)
		}
		if hi, ok := schema["maximum"].(float64); ok && float64(n) > hi {
			return fmt.Errorf("%s: above maximum", path)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want boolean, got %T", path, v)
		}
	default:
		return fmt.Errorf("%s: schema without a known type: %v", path, schema)
	}
	return nil
}

func asStrings(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		out = append(out, x.(string))
	}
	return out
}

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	var schema map[string]any
	if err := json.Unmarshal(Schema(testSettings...), &schema); err != nil {
		t.Fatal(err)
	}
	if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Fatalf("$schema = %v", schema["$schema"])
	}
	return schema
}

// TestSchemaAcceptsSample: the sample stack parses, and validates against
// the schema generated from the same types.
func TestSchemaAcceptsSample(t *testing.T) {
	schema := loadSchema(t)
	raw, err := os.ReadFile("testdata/sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("testdata/sample.yaml", raw, testSettings...)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.resources()) != 15 {
		t.Errorf("%d resources, want 15", len(s.resources()))
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if err := validate(schema, doc, "$"); err != nil {
		t.Fatal(err)
	}
}

// TestSchemaAgreesWithParse: files Parse rejects for a field's shape or
// constraint, the schema rejects too.
func TestSchemaAgreesWithParse(t *testing.T) {
	schema := loadSchema(t)
	for _, src := range []string{
		"streams:\n  - name: a\n    shards: 0\n",
		"streams:\n  - name: a\n    shard: 2\n",
		"streams:\n  - shards: 2\n",
		"bucket:\n  - name: x\n",
		"log_level: loud\n",
		"functions:\n  - {name: f, runtime: provided.al2023, code: {path: x}, memory_size: 64}\n",
		"tables:\n  - {name: t, attribute_definitions: [{attribute_name: a, attribute_type: X}], key_schema: [{attribute_name: a, key_type: HASH}]}\n",
		"dashboards:\n  - {name: d, tiles: []}\n",
		"glue_tables:\n  - {database_name: shop, name: t, format: orc}\n",
		"glue_tables:\n  - {name: t}\n",
		"databases:\n  - {name: shop, location: s3://x/}\n",
		"delivery_streams:\n  - {name: d, extended_s3_destination_configuration: {bucket: b, buffering_hints: {interval_in_seconds: -1}}}\n",
		"delivery_streams:\n  - {name: d, extended_s3_destination_configuration: {bucket: b, dynamic_partitioning_configuration: {retry_options: {duration_in_seconds: 7201}}}}\n",
		"delivery_streams:\n  - {name: d, extended_s3_destination_configuration: {bucket: b, processing_configuration: {processors: [{type: Lambda, parameters: [{parameter_name: Arn, parameter_value: x}]}]}}}\n",
	} {
		var doc any
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		if validate(schema, doc, "$") == nil {
			t.Errorf("schema accepts %q", src)
		}
		if _, err := Parse("tarn.yaml", []byte(src), testSettings...); err == nil && !strings.HasPrefix(src, "log_level") {
			t.Errorf("Parse accepts %q", src)
		}
	}
}

// TestSchemaDocumentsEveryField: every property has a type, settings are
// in, and the short forms say so.
func TestSchemaDocumentsEveryField(t *testing.T) {
	schema := loadSchema(t)
	props := schema["properties"].(map[string]any)
	for _, key := range append(Sections(), "addr", "log_level") {
		if _, ok := props[key]; !ok {
			t.Errorf("schema lacks %s", key)
		}
	}
	shards := props["streams"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["shards"].(map[string]any)
	if !strings.Contains(shards["description"].(string), "short form") || shards["minimum"] != float64(1) {
		t.Errorf("streams.shards schema: %v", shards)
	}
	format := props["glue_tables"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["format"].(map[string]any)
	if !strings.Contains(format["description"].(string), "Short form") || !slices.Equal(asStrings(format["enum"]), []string{"parquet", "json", "csv"}) {
		t.Errorf("glue_tables.format schema: %v", format)
	}
	dst := props["delivery_streams"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["extended_s3_destination_configuration"].(map[string]any)["properties"].(map[string]any)
	interval := dst["buffering_hints"].(map[string]any)["properties"].(map[string]any)["interval_in_seconds"].(map[string]any)
	if interval["minimum"] != float64(0) || interval["type"] != "integer" {
		t.Errorf("buffering_hints.interval_in_seconds schema: %v", interval)
	}
	for _, k := range []string{"dynamic_partitioning_configuration", "processing_configuration"} {
		if _, ok := dst[k]; !ok {
			t.Errorf("extended_s3_destination_configuration lacks %s", k)
		}
	}
}
