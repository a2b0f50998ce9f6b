package sample

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// The funnel, as the share of sessions with at least one event of a type.
func TestFunnel(t *testing.T) {
	bounds := []struct {
		typ    string
		lo, hi float64
	}{
		{"page_view", 0.80, 1},
		{"product_view", 0.22, 0.40},
		{"add_to_cart", 0.07, 0.15},
		{"checkout", 0.03, 0.09},
		{"purchase", 0.018, 0.05},
	}
	for _, seed := range []uint64{1, 42, 1234} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			events, _ := Generate(Options{Seed: seed})
			reached := map[string]map[string]bool{}
			for _, e := range events {
				if reached[e.SessionID] == nil {
					reached[e.SessionID] = map[string]bool{}
				}
				reached[e.SessionID][e.Type] = true
			}
			for _, b := range bounds {
				n := 0
				for _, types := range reached {
					if types[b.typ] {
						n++
					}
				}
				if share := float64(n) / float64(len(reached)); share < b.lo || share > b.hi {
					t.Errorf("%s in %.3f of %d sessions, want [%.3f, %.3f]", b.typ, share, len(reached), b.lo, b.hi)
				}
			}
		})
	}
}

func TestUsers(t *testing.T) {
	events, _ := Generate(Options{})
	sessions := map[string]map[string]bool{} // user -> sessions
	for _, e := range events {
		if sessions[e.UserID] == nil {
			sessions[e.UserID] = map[string]bool{}
		}
		sessions[e.UserID][e.SessionID] = true
	}
	if n := len(sessions); n < DefaultRows/40 || n > DefaultRows/20 {
		t.Errorf("%d users, want about %d", n, DefaultRows/20)
	}
	var counts []int
	total := 0
	for _, s := range sessions {
		counts = append(counts, len(s))
		total += len(s)
	}
	slices.Sort(counts)
	mean := float64(total) / float64(len(counts))
	if top := float64(counts[len(counts)-1]); top < 3*mean || top > 30*mean {
		t.Errorf("busiest user has %v sessions, mean %.1f: want power users, not bots", top, mean)
	}
}

func TestSeasonality(t *testing.T) {
	events, _ := Generate(Options{Rows: 100_000})
	perDay := map[string]int{}
	var perHour [24]int
	for _, e := range events {
		perDay[e.TS.Format(time.DateOnly)]++
		perHour[e.TS.Hour()]++
	}
	day := func(d int) int { return perDay[DefaultStart().AddDate(0, 0, d).Format(time.DateOnly)] }
	// 2026-11-01 is a Sunday; the promotion is on day 3 (Wednesday).
	promo, sun, sat := day(3), day(0), day(6)
	weekdays := (day(1) + day(2) + day(4) + day(5)) / 4
	if promo < 2*weekdays {
		t.Errorf("promotion day %d events, ordinary weekday %d: want at least double", promo, weekdays)
	}
	if sun < weekdays*11/10 || sat < weekdays*11/10 {
		t.Errorf("weekend days %d and %d, weekday %d: want a weekend bump", sun, sat, weekdays)
	}
	evening := perHour[19] + perHour[20] + perHour[21]
	night := perHour[2] + perHour[3] + perHour[4]
	if evening < 10*night {
		t.Errorf("19-22h %d events, 2-5h %d: want an evening peak", evening, night)
	}
	noon := perHour[12] + perHour[13] + perHour[14]
	if evening <= noon {
		t.Errorf("19-22h %d events, 12-15h %d: want the evening busiest", evening, noon)
	}
}

func TestPromotionPrices(t *testing.T) {
	events, _ := Generate(Options{})
	promoDay := DefaultStart().AddDate(0, 0, DefaultDays/2).Format(time.DateOnly)
	list := map[string]float64{}
	for _, p := range Catalog() {
		list[p.ID] = p.Price
	}
	discounted := 0
	for _, e := range events {
		if e.Type != "product_view" {
			continue
		}
		onSale := e.Category == "jackets" && e.TS.Format(time.DateOnly) == promoDay
		want := list[e.ProductID]
		if onSale {
			want = centsToEUR(promoCents(cents(want)))
			discounted++
		}
		if e.Price != want {
			t.Fatalf("%s: %s on %s costs %v, want %v", e.EventID, e.ProductID, e.TS.Format(time.DateOnly), e.Price, want)
		}
	}
	if discounted == 0 {
		t.Error("no discounted jacket views on the promotion day")
	}
}

func TestCatalog(t *testing.T) {
	c := Catalog()
	if len(c) < 50 || len(c) > 70 {
		t.Errorf("%d products, want about 60", len(c))
	}
	ids, cats := map[string]bool{}, map[string]int{}
	for _, p := range c {
		if ids[p.ID] || p.Name == "" || p.Price <= 0 {
			t.Errorf("bad or duplicate product %+v", p)
		}
		ids[p.ID] = true
		cats[p.Category]++
		_ = cents(p.Price) // panics unless whole cents
	}
	for _, cat := range categories {
		if cats[cat] < 5 {
			t.Errorf("category %s has %d products", cat, cats[cat])
		}
	}
	if len(cats) != 8 {
		t.Errorf("%d categories, want 8", len(cats))
	}
	c[0].Name = "changed"
	if Catalog()[0].Name == "changed" {
		t.Error("Catalog returned shared storage")
	}
}
