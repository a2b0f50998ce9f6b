package sample

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

func TestGenerateDeterministic(t *testing.T) {
	nov1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a, b Options
		same bool
	}{
		{"same seed", Options{Seed: 7, Rows: 5000}, Options{Seed: 7, Rows: 5000}, true},
		{"zero is the default", Options{}, Options{Seed: DefaultSeed, Rows: DefaultRows, Start: DefaultStart(), Days: DefaultDays}, true},
		{"start truncated to its UTC day", Options{Rows: 3000, Start: nov1}, Options{Rows: 3000, Start: nov1.Add(13*time.Hour + 7*time.Second)}, true},
		{"start in another zone", Options{Rows: 3000, Start: nov1}, Options{Rows: 3000, Start: nov1.Add(5 * time.Hour).In(time.FixedZone("X", 3*3600))}, true},
		{"different seed", Options{Seed: 1, Rows: 5000}, Options{Seed: 2, Rows: 5000}, false},
		{"different start", Options{Rows: 3000, Start: nov1}, Options{Rows: 3000, Start: nov1.AddDate(0, 0, 1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ea, oa := Generate(tt.a)
			eb, ob := Generate(tt.b)
			gotSame := bytes.Equal(JSONLines(ea), JSONLines(eb)) && bytes.Equal(JSONLines(oa), JSONLines(ob))
			if gotSame != tt.same {
				t.Errorf("identical output = %v, want %v", gotSame, tt.same)
			}
		})
	}
}

func TestGenerateConcurrent(t *testing.T) {
	want := JSONLines(first(Generate(Options{Rows: 2000})))
	results := make(chan []byte, 4)
	for range cap(results) {
		go func() { results <- JSONLines(first(Generate(Options{Rows: 2000}))) }()
	}
	for range cap(results) {
		if got := <-results; !bytes.Equal(got, want) {
			t.Error("concurrent Generate calls disagree")
		}
	}
}

func first(events []Event, _ []Order) []Event { return events }

func TestGenerateInvariants(t *testing.T) {
	tests := []Options{
		{},
		{Rows: 1},
		{Rows: 17, Days: 1},
		{Seed: 3, Rows: 4000, Days: 1},
		{Seed: 9, Rows: 30000, Days: 30, Start: time.Date(2027, 2, 27, 0, 0, 0, 0, time.UTC)},
		{Seed: 11, Rows: 2000, Days: 2, Start: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, opts := range tests {
		t.Run(fmt.Sprintf("seed=%d,rows=%d,days=%d", opts.Seed, opts.Rows, opts.Days), func(t *testing.T) {
			events, orders := Generate(opts)
			checkDataset(t, opts, events, orders)
		})
	}
}

// checkDataset checks everything Generate promises about its output.
func checkDataset(t *testing.T, opts Options, events []Event, orders []Order) {
	t.Helper()
	p := opts.plan()
	if len(events) != p.rows {
		t.Fatalf("len(events) = %d, want %d", len(events), p.rows)
	}
	start, end := time.UnixMilli(p.startMs).UTC(), time.UnixMilli(p.startMs+p.spanMs).UTC()
	products := map[string]Product{}
	for _, pr := range Catalog() {
		products[pr.ID] = pr
	}
	type sessionInfo struct{ user, device, country, referrer string }
	sessions := map[string]sessionInfo{}
	carts := map[string][]OrderItem{}
	byID := map[string]*Order{}
	for i := range orders {
		byID[orders[i].OrderID] = &orders[i]
	}
	purchases := 0
	for i, e := range events {
		if want := fmt.Sprintf("evt-%09d", i+1); e.EventID != want {
			t.Fatalf("event %d: id %q, want %q", i, e.EventID, want)
		}
		if e.TS.Before(start) || !e.TS.Before(end) || e.TS.Location() != time.UTC || e.TS.Nanosecond()%1e6 != 0 {
			t.Fatalf("%s: ts %v outside [%v, %v) or not UTC milliseconds", e.EventID, e.TS, start, end)
		}
		if i > 0 && e.TS.Before(events[i-1].TS) {
			t.Fatalf("%s: ts %v before the previous event's %v", e.EventID, e.TS, events[i-1].TS)
		}
		info := sessionInfo{e.UserID, e.Device, e.Country, e.Referrer}
		if got, ok := sessions[e.SessionID]; ok && got != info {
			t.Fatalf("%s: session %s attributes %v, earlier %v", e.EventID, e.SessionID, info, got)
		}
		sessions[e.SessionID] = info
		if !slices.Contains(devices[:], e.Device) || !slices.Contains(countries[:], e.Country) || !slices.Contains(referrers[:], e.Referrer) {
			t.Fatalf("%s: unknown device, country or referrer in %+v", e.EventID, e)
		}
		if e.ProductID != "" {
			pr, ok := products[e.ProductID]
			if !ok || e.Page != "/p/"+e.ProductID && e.Type != "remove_from_cart" || e.Category != pr.Category {
				t.Fatalf("%s: product fields inconsistent: %+v", e.EventID, e)
			}
			if e.Price != pr.Price && e.Price != centsToEUR(promoCents(cents(pr.Price))) {
				t.Fatalf("%s: price %v, list price %v", e.EventID, e.Price, pr.Price)
			}
		}
		cart := carts[e.SessionID]
		switch e.Type {
		case "page_view", "search", "product_view", "checkout":
		case "add_to_cart":
			if e.Quantity < 1 {
				t.Fatalf("%s: add_to_cart quantity %d", e.EventID, e.Quantity)
			}
			j := slices.IndexFunc(cart, func(it OrderItem) bool { return it.ProductID == e.ProductID })
			if j < 0 {
				cart = append(cart, OrderItem{ProductID: e.ProductID, UnitPrice: e.Price})
				j = len(cart) - 1
			}
			cart[j].Quantity += e.Quantity
		case "remove_from_cart":
			j := slices.IndexFunc(cart, func(it OrderItem) bool { return it.ProductID == e.ProductID })
			if j < 0 || cart[j].Quantity != e.Quantity || e.Page != "/cart" {
				t.Fatalf("%s: removes %s x%d, cart %v", e.EventID, e.ProductID, e.Quantity, cart)
			}
			cart = slices.Delete(cart, j, j+1)
		case "purchase":
			purchases++
			o := byID[e.OrderID]
			if o == nil {
				t.Fatalf("%s: purchase %q has no order", e.EventID, e.OrderID)
			}
			if o.UserID != e.UserID || !o.TS.Equal(e.TS) || o.Country != e.Country {
				t.Errorf("%s: order %+v does not match purchase %+v", e.EventID, *o, e)
			}
			if !slices.Equal(o.Items, cart) {
				t.Errorf("%s: order items %v, cart replayed from events %v", e.EventID, o.Items, cart)
			}
			if len(o.Items) == 0 || e.Price != o.Total {
				t.Errorf("%s: purchase price %v, order total %v, %d items", e.EventID, e.Price, o.Total, len(o.Items))
			}
		default:
			t.Fatalf("%s: unknown type %q", e.EventID, e.Type)
		}
		carts[e.SessionID] = cart
	}
	if len(orders) != purchases {
		t.Errorf("%d orders for %d purchase events", len(orders), purchases)
	}
	for i, o := range orders {
		if want := fmt.Sprintf("ord-%06d", i+1); o.OrderID != want {
			t.Errorf("order %d: id %q, want %q", i, o.OrderID, want)
		}
		if i > 0 && o.TS.Before(orders[i-1].TS) {
			t.Errorf("%s: orders out of time order", o.OrderID)
		}
		var sum int64
		for _, it := range o.Items {
			sum += int64(it.Quantity) * cents(it.UnitPrice)
		}
		if sum != cents(o.Total) || o.Currency != "EUR" || !slices.Contains(payments[:], o.Payment) || !slices.Contains(statuses[:], o.Status) {
			t.Errorf("%s: items sum to %d cents, total %v; %+v", o.OrderID, sum, o.Total, o)
		}
	}
}

// cents converts an amount in EUR to whole cents, failing on fractions of
// a cent.
func cents(eur float64) int64 {
	c := math.Round(eur * 100)
	if math.Abs(c-eur*100) > 1e-6 {
		panic(fmt.Sprintf("%v is not whole cents", eur))
	}
	return int64(c)
}
