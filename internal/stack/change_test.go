package stack

import (
	"os"
	"slices"
	"testing"
)

func TestChangeString(t *testing.T) {
	for _, tc := range []struct {
		c    Change
		want string
	}{
		{Change{Action: Create, Kind: "stream", Name: "clicks"}, "+ create stream clicks"},
		{Change{Action: Unchanged, Kind: "stream", Name: "clicks"}, "= stream clicks (unchanged)"},
		{Change{Action: Update, Kind: "function", Name: "enrich", Fields: []FieldChange{{"memory_size", "128", "256"}, {"description", "", "x"}}},
			"~ update function enrich (memory_size 128 → 256, description none → x)"},
		{Change{Action: Replace, Kind: "table", Name: "orders", Fields: []FieldChange{{"key_schema", "id HASH", "pk HASH"}}},
			"! table orders needs replace (key_schema); left as is"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestDiffAndEnvKeys(t *testing.T) {
	var d diff
	d.str("a", "x", "x")
	d.num("b", 1, 1)
	if len(d) != 0 {
		t.Fatalf("equal values recorded: %v", d)
	}
	d.num("shards", 2, 3)
	if st := updateOrSame(d, nil); st.change.Action != Update || st.change.Fields[0] != (FieldChange{"shards", "2", "3"}) {
		t.Errorf("got %+v", st.change)
	}
	if st := updateOrSame(nil, nil); st.change.Action != Unchanged {
		t.Errorf("empty diff: %+v", st.change)
	}
	have, want := map[string]string{"A": "1", "TOKEN": "old"}, map[string]string{"A": "1", "TOKEN": "new", "B": "2"}
	if got := envKeys(have, want) + " " + envKeys(want, have); got != "{A, TOKEN*} {A, B, TOKEN*}" {
		t.Errorf("envKeys: %s", got)
	}
}

func TestSectionsAndKinds(t *testing.T) {
	secs := Sections()
	want := []string{"buckets", "streams", "tables", "functions", "databases", "glue_tables", "delivery_streams",
		"event_source_mappings", "bucket_notifications", "crawlers", "jobs", "triggers", "dashboards"}
	if !slices.Equal(secs, want) {
		t.Errorf("Sections() = %v, want %v", secs, want)
	}
	for _, sec := range secs {
		if k := kindOf(sec); k == sec || k == "" {
			t.Errorf("kindOf(%s) = %s", sec, k)
		}
	}
}

// TestResourcesCoverEverySection: resources() lists every section, in
// Sections order, so no kind is parsed but never applied.
func TestResourcesCoverEverySection(t *testing.T) {
	s, err := Parse("testdata/sample.yaml", mustRead(t, "testdata/sample.yaml"), testSettings...)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.resources() {
		if len(got) == 0 || got[len(got)-1] != r.kind {
			got = append(got, r.kind)
		}
	}
	var want []string
	for _, sec := range Sections() {
		want = append(want, kindOf(sec))
	}
	if !slices.Equal(got, want) {
		t.Errorf("resources() kinds %v, want %v", got, want)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
