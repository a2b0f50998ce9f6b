package sql

import "testing"

// TestCTASAfterLeadingWhitespace: a statement may start with blank lines
// (as SQL from files and heredocs does); its CTAS properties still parse.
func TestCTASAfterLeadingWhitespace(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	h.run(t, "shop", "\n  CREATE TABLE s_nl WITH (format = 'PARQUET', external_location = 's3://lake/c/s_nl/', partitioned_by = ARRAY['region']) AS\nSELECT id, region FROM sales")
}
