package e2e_test

import (
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/stack"
	"github.com/tarnhq/tarn/internal/tarntest"
)

// TestApplyTableAndDeliveryUpdates: an index, a stream and a TTL added to
// a table, and a delivery stream's prefix and buffering changed, are
// updated in place; a third apply finds nothing to do.
func TestApplyTableAndDeliveryUpdates(t *testing.T) {
	env := tarntest.Start(t)
	c := stack.NewClients(env.AWSConfig())
	v1 := `buckets: [{name: lake}]
tables:
  - name: orders
    attribute_definitions: [{attribute_name: id, attribute_type: S}, {attribute_name: day, attribute_type: S}]
    key_schema: [{attribute_name: id, key_type: HASH}]
delivery_streams:
  - name: to-lake
    extended_s3_destination_configuration: {bucket: lake, prefix: raw/}
`
	v2 := strings.Replace(v1, "    key_schema: [{attribute_name: id, key_type: HASH}]\n", `    key_schema: [{attribute_name: id, key_type: HASH}]
    global_secondary_indexes: [{index_name: by-day, key_schema: [{attribute_name: day, key_type: HASH}]}]
    stream_specification: {stream_enabled: true, stream_view_type: NEW_IMAGE}
    ttl: {attribute_name: expires}
`, 1)
	v2 = strings.Replace(v2, "prefix: raw/}", "prefix: events/, buffering_hints: {interval_in_seconds: 60}}", 1)
	for i, tc := range []struct {
		src  string
		want []string
	}{
		{v1, []string{"+ create bucket lake", "+ create table orders", "+ create delivery_stream to-lake"}},
		{v2, []string{"= bucket lake (unchanged)",
			"~ update table orders (global_secondary_indexes none → +by-day, stream_specification disabled → NEW_IMAGE, ttl disabled → expires)",
			"~ update delivery_stream to-lake (extended_s3_destination_configuration.prefix raw/ → events/, extended_s3_destination_configuration.buffering_hints.interval_in_seconds 300 → 60)"}},
		{v2, []string{"= bucket lake (unchanged)", "= table orders (unchanged)", "= delivery_stream to-lake (unchanged)"}},
	} {
		s, err := stack.Parse("tarn.yaml", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		changes, err := stack.Apply(t.Context(), s, c, nil)
		if err != nil {
			t.Fatalf("apply %d: %v", i, err)
		}
		wantLines(t, "apply", changes, tc.want...)
	}
}
