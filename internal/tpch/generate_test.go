package tpch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSizesFor(t *testing.T) {
	for _, tc := range []struct {
		sf   float64
		want Sizes
	}{
		{0.01, Sizes{Supplier: 100, Part: 2000, PartSupp: 8000, Customer: 1500, Orders: 15000}},
		{1, Sizes{Supplier: 10_000, Part: 200_000, PartSupp: 800_000, Customer: 150_000, Orders: 1_500_000}},
		{10, Sizes{Supplier: 100_000, Part: 2_000_000, PartSupp: 8_000_000, Customer: 1_500_000, Orders: 15_000_000}},
	} {
		if got := SizesFor(tc.sf); got != tc.want {
			t.Errorf("SizesFor(%g) = %+v, want %+v", tc.sf, got, tc.want)
		}
	}
}

func TestCardinalities(t *testing.T) {
	_, m := sharedData(t)
	sz := SizesFor(testSF)
	want := map[string]int64{"region": 5, "nation": 25, "supplier": sz.Supplier, "part": sz.Part,
		"partsupp": sz.PartSupp, "customer": sz.Customer, "orders": sz.Orders}
	for tbl, n := range want {
		if m.Rows[tbl] != n {
			t.Errorf("%s: %d rows, want %d", tbl, m.Rows[tbl], n)
		}
	}
	// 1..7 lines per order, 4 on average.
	if l, o := m.Rows["lineitem"], m.Rows["orders"]; l < 39*o/10 || l > 41*o/10 {
		t.Errorf("lineitem: %d rows for %d orders", l, o)
	}
}

func TestOrderKeysSparse(t *testing.T) {
	var got []int64
	for i := int64(0); i < 18; i++ {
		got = append(got, orderKey(i))
	}
	want := []int64{1, 2, 3, 4, 5, 6, 7, 8, 33, 34, 35, 36, 37, 38, 39, 40, 65, 66}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order keys %v, want %v", got, want)
		}
	}
}

func TestRetailPrice(t *testing.T) {
	// (90000 + ((k/10) mod 20001) + 100 * (k mod 1000)) / 100
	for k, want := range map[int64]int64{1: 90100, 10: 91001, 1000: 90100, 199999: 209899} {
		if got := retailPrice(k); got != want {
			t.Errorf("retailPrice(%d) = %d, want %d", k, got, want)
		}
	}
}

func TestPressComment(t *testing.T) {
	r := newRNG(1, 99, 0)
	for range 100 {
		base := strings.Repeat("x", int(r.between(25, 100)))
		c := pressComment(r, base, "Complaints")
		i := strings.Index(c, "Customer ")
		j := strings.Index(c, "Complaints")
		if len(c) != len(base) || i < 0 || j < i+len("Customer ") {
			t.Fatalf("pressComment = %q", c)
		}
	}
}

func TestTextPoolGrammar(t *testing.T) {
	p := newTextPool(7, 64<<10)
	if len(p.text) != 64<<10 {
		t.Fatalf("pool is %d bytes", len(p.text))
	}
	words := map[string]bool{}
	for _, d := range []*dist{&nouns, &verbs, &adjectives, &adverbs, &prepositions, &auxiliaries} {
		for _, w := range d.words {
			for _, f := range strings.Fields(w) {
				words[f] = true
			}
		}
	}
	words["the"] = true
	fields := strings.Fields(p.text)
	for _, f := range fields[:len(fields)-1] { // the last may be cut
		w := strings.TrimRight(f, ".;:?!-,")
		if !words[w] {
			t.Fatalf("pool has %q (from %q), not a grammar word", w, f)
		}
	}
	if !strings.Contains(p.text, "special") || !strings.Contains(p.text, "requests") {
		t.Error("pool lacks Q13's words")
	}
}

// TestDeterministic: the same options give the same bytes whatever the
// parallelism, and another seed gives other data.
func TestDeterministic(t *testing.T) {
	gen := func(seed uint64, workers int) string {
		dir := t.TempDir()
		if _, err := Generate(t.Context(), dir, Options{SF: 0.002, Seed: seed, Format: Parquet | CSV, Workers: workers, PoolSize: 1 << 20}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	a, b, c := gen(1, 1), gen(1, 3), gen(2, 2)
	files, _ := filepath.Glob(filepath.Join(a, "*", "*"))
	if len(files) != 16 {
		t.Fatalf("%d files, want 16 (8 tables, 2 formats): %v", len(files), files)
	}
	differ := 0
	for _, f := range files {
		rel, _ := filepath.Rel(a, f)
		fa, _ := os.ReadFile(f)
		fb, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(fa, fb) {
			t.Errorf("%s differs between runs with the same seed", rel)
		}
		fc, _ := os.ReadFile(filepath.Join(c, rel))
		if !bytes.Equal(fa, fc) {
			differ++
		}
	}
	if differ < 12 { // region's and nation's names are fixed, their comments are not
		t.Errorf("only %d files differ with another seed", differ)
	}
}

func TestGenerateRejectsBadScale(t *testing.T) {
	if _, err := Generate(t.Context(), t.TempDir(), Options{SF: -1}); err != ErrBadScale {
		t.Errorf("SF -1: %v", err)
	}
}

func TestRegenerateRemovesOldParts(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "lineitem", "lineitem-007.parquet")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("old"), 0o644)
	m, err := Generate(t.Context(), dir, Options{SF: 0.001, PoolSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale part survived: %v", err)
	}
	if _, err := os.Stat(partPath(dir, "lineitem", 0, "tbl")); !os.IsNotExist(err) {
		t.Errorf("Parquet-only run left a .tbl file: %v", err)
	}
	got, err := ReadManifest(dir)
	if err != nil || got.Rows["orders"] != m.Rows["orders"] || got.SF != 0.001 {
		t.Errorf("ReadManifest = %+v, %v", got, err)
	}
}
