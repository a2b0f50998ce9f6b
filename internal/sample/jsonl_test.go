package sample

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJSONFieldNames(t *testing.T) {
	always := []string{"event_id", "ts", "session_id", "user_id", "event_type", "page", "device", "country", "referrer"}
	tests := []struct {
		typ   string
		extra []string
	}{
		{"page_view", nil}, // the home page; category pages add "category"
		{"search", []string{"search_query"}},
		{"product_view", []string{"product_id", "category", "price"}},
		{"add_to_cart", []string{"product_id", "category", "price", "quantity"}},
		{"remove_from_cart", []string{"product_id", "category", "price", "quantity"}},
		{"checkout", []string{"price", "quantity"}},
		{"purchase", []string{"price", "quantity", "order_id"}},
	}
	events, orders := Generate(Options{})
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			i := slices.IndexFunc(events, func(e Event) bool { return e.Type == tt.typ && e.Page != "/c/"+e.Category })
			if i < 0 {
				t.Fatalf("no %s event", tt.typ)
			}
			want := append(slices.Clone(always), tt.extra...)
			if got := lineKeys(t, AppendJSONLine(nil, events[i])); !slices.Equal(got, sorted(want)) {
				t.Errorf("keys %v, want %v", got, sorted(want))
			}
		})
	}
	t.Run("order", func(t *testing.T) {
		want := []string{"order_id", "user_id", "ts", "items", "total", "currency", "country", "payment_method", "status"}
		line := AppendJSONLine(nil, orders[0])
		if got := lineKeys(t, line); !slices.Equal(got, sorted(want)) {
			t.Errorf("keys %v, want %v", got, sorted(want))
		}
		var o struct{ Items []map[string]any }
		if err := json.Unmarshal(line, &o); err != nil {
			t.Fatal(err)
		}
		if got := slices.Sorted(maps.Keys(o.Items[0])); !slices.Equal(got, []string{"product_id", "quantity", "unit_price"}) {
			t.Errorf("item keys %v", got)
		}
	})
}

func lineKeys(t *testing.T, line []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(line, []byte("\n")) || bytes.Count(line, []byte("\n")) != 1 {
		t.Fatalf("not one line: %q", line)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(maps.Keys(m))
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// plainEvent and plainOrder have the fields and tags but not the
// MarshalJSON methods, so encoding/json encodes them by reflection.
type (
	plainEvent Event
	plainOrder Order
)

// The hand-written encoders must agree with encoding/json and the struct
// tags on everything but the ts layout.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	events, orders := Generate(Options{Rows: 3000})
	odd := Event{
		EventID: "e<1>&\"\\", TS: time.Date(2026, 11, 1, 10, 0, 0, 0, time.FixedZone("X", 7200)),
		Type: "x\u2028y\u2029", Page: "\x00\x1f\t\n\r\b\f", ProductID: "bad\xffutf8", Price: -0.5e-7,
		Quantity: -3, Query: "ünïcødé 🏔", Device: "", OrderID: "o",
	}
	events = append(events, odd, Event{}, Event{Price: 1e21}, Event{Price: 123456789.125})
	orders = append(orders, Order{}, Order{Items: []OrderItem{}, Total: 0.1})
	for _, e := range events {
		compareJSON(t, AppendJSONLine(nil, e), plainEvent(e))
	}
	for _, o := range orders {
		compareJSON(t, AppendJSONLine(nil, &o), plainOrder(o))
	}
}

// compareJSON checks that got decodes to the same value as encoding/json's
// encoding of plain, with timestamps compared as instants at millisecond
// precision.
func compareJSON(t *testing.T, got []byte, plain any) {
	t.Helper()
	wantJSON, err := json.Marshal(plain)
	if err != nil {
		t.Fatal(err)
	}
	var g, w map[string]any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if err := json.Unmarshal(wantJSON, &w); err != nil {
		t.Fatal(err)
	}
	gts, _ := time.Parse(time.RFC3339, g["ts"].(string))
	wts, _ := time.Parse(time.RFC3339, w["ts"].(string))
	if !gts.Equal(wts.Truncate(time.Millisecond)) || !strings.HasSuffix(g["ts"].(string), "Z") {
		t.Errorf("ts %v, want %v", g["ts"], w["ts"])
	}
	delete(g, "ts")
	delete(w, "ts")
	if !reflect.DeepEqual(g, w) {
		t.Errorf("encoded %s\nencoding/json %s", got, wantJSON)
	}
}

var tricky = []string{"", "plain", `"quoted" \back\`, "<a href='x'>&amp;</a>", "\x00\x01\x1f\x7f", "\t\n\r\b\f",
	"bad \xff\xfe utf8 \xe2\x80", "line\u2028para\u2029", "ünïcødé 🏔 €", "\ufffd"}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range tricky {
		checkAppendString(t, s)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(checkAppendString)
}

func checkAppendString(t *testing.T, s string) {
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	if got := string(appendString(nil, s)) + "\n"; got != want.String() {
		t.Errorf("appendString(%q) = %s, encoding/json %s", s, got, want.String())
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 0.01, 54.9, 159, 1234.5, 1e-6, 9.9e-7, 1e-9, 1e20, 1e21, 1.5e300, -2.75, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f); string(got) != string(want) {
			t.Errorf("appendFloat(%v) = %s, encoding/json %s", f, got, want)
		}
	}
}

func TestTSLayout(t *testing.T) {
	tests := []struct {
		ts   time.Time
		want string
	}{
		{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), `"2026-11-01T00:00:00.000Z"`},
		{time.Date(2026, 11, 1, 9, 5, 7, 120_000_000, time.UTC), `"2026-11-01T09:05:07.120Z"`},
		{time.Date(2026, 11, 1, 9, 5, 7, 999_999_999, time.UTC), `"2026-11-01T09:05:07.999Z"`},
		{time.Date(2026, 11, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)), `"2026-11-01T00:00:00.000Z"`},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), `"0001-01-01T00:00:00.000Z"`},
		{time.Date(12026, 12, 31, 23, 59, 59, 5e6, time.UTC), `"12026-12-31T23:59:59.005Z"`},
	}
	for _, tt := range tests {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(AppendJSONLine(nil, Event{TS: tt.ts}), &m); err != nil {
			t.Fatal(err)
		}
		if got := string(m["ts"]); got != tt.want {
			t.Errorf("ts %v encodes as %s, want %s", tt.ts, got, tt.want)
		}
	}
}

func TestAppendJSONLine(t *testing.T) {
	e := Event{EventID: "evt-1", Page: "/c/<tents>&"}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"event value", e, `{"event_id":"evt-1","ts":"0001-01-01T00:00:00.000Z","session_id":"","user_id":"","event_type":"","page":"/c/<tents>&","device":"","country":"","referrer":""}`},
		{"event pointer", &e, `{"event_id":"evt-1","ts":"0001-01-01T00:00:00.000Z","session_id":"","user_id":"","event_type":"","page":"/c/<tents>&","device":"","country":"","referrer":""}`},
		{"nested event", []Event{e}, `[{"event_id":"evt-1","ts":"0001-01-01T00:00:00.000Z","session_id":"","user_id":"","event_type":"","page":"/c/<tents>&","device":"","country":"","referrer":""}]`},
		{"nil event pointer", (*Event)(nil), `null`},
		{"other type", map[string]any{"b": "<&>", "a": 1.5}, `{"a":1.5,"b":"<&>"}`},
		{"product", Catalog()[0], `{"ID":"TEN-001","Name":"Ridgeline 1P Ultralight Tent","Category":"tents","Price":349}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendJSONLine([]byte("prefix "), tt.v)
			if want := "prefix " + tt.want + "\n"; string(got) != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestAppendJSONLinePanicsOnUnencodable(t *testing.T) {
	for name, v := range map[string]any{"channel": make(chan int), "NaN price": Event{Price: math.NaN()}, "infinite total": &Order{Total: math.Inf(1)}} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			AppendJSONLine(nil, v)
		})
	}
}

func TestJSONLinesRoundTrip(t *testing.T) {
	events, orders := Generate(Options{Rows: 2000})
	lines := bytes.Split(bytes.TrimSuffix(JSONLines(events), []byte("\n")), []byte("\n"))
	if len(lines) != len(events) {
		t.Fatalf("%d lines for %d events", len(lines), len(events))
	}
	for i, line := range lines {
		var e Event
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		if e != events[i] {
			t.Fatalf("line %d decodes to %+v, want %+v", i, e, events[i])
		}
	}
	var got []Order
	for line := range bytes.Lines(JSONLines(orders)) {
		var o Order
		if err := json.Unmarshal(line, &o); err != nil {
			t.Fatal(err)
		}
		got = append(got, o)
	}
	if !reflect.DeepEqual(got, orders) {
		t.Error("orders do not survive JSONLines and json.Unmarshal")
	}
	if got := JSONLines([]Event(nil)); len(got) != 0 {
		t.Errorf("JSONLines(nil) = %q", got)
	}
	if got, want := string(JSONLines([]int{1, 2})), "1\n2\n"; got != want {
		t.Errorf("JSONLines([]int) = %q, want %q", got, want)
	}
}
