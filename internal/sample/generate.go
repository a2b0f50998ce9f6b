package sample

import (
	"cmp"
	"slices"
)

// Generate produces the dataset selected by opts: exactly opts.Rows events
// (after defaults) in time order, every TS in [Start, Start+Days) at
// millisecond precision and non-decreasing, and one Order per purchase
// event, in the same order as those events. Event IDs count up in time
// order (evt-000000001, ...), as do order IDs (ord-000001, ...).
//
// The result is a pure function of opts; see the package documentation
// for what that guarantees. The returned slices are new and the caller
// owns them. Generate is safe to call concurrently.
func Generate(opts Options) (events []Event, orders []Order) {
	p := opts.plan()
	r := newRNG(p.seed)
	pop := newPopulation(r, &p)
	g := sessionGen{r: r, p: &p, pop: pop, slots: slotWeights(&p)}

	// Simulate sessions until the rows are used up; the last session is cut
	// short, and only a session that kept its purchase event gets an order.
	raw := make([]rawEvent, 0, p.rows)
	sessions := make([]session, 0, p.rows/3+1)
	var placed []Order
	for len(raw) < p.rows {
		s := g.run(int32(len(sessions)))
		sessions = append(sessions, s)
		n := min(len(g.buf), p.rows-len(raw))
		if last := &g.buf[n-1]; n == len(g.buf) && last.kind == kindPurchase {
			last.order = int32(len(placed))
			placed = append(placed, g.order(s, last.ms))
		}
		raw = append(raw, g.buf[:n]...)
	}

	return expand(&p, pop, sessions, sortByTime(raw, p.spanMs), placed)
}

// sortByTime returns raw ordered by (ms, session). Within a session times
// strictly increase, so that key is unique and the order total: any
// correct sort gives the same result. raw is bucketed by time into a new
// slice (a counting sort into buckets of about 8 events), then each
// bucket is sorted.
func sortByTime(raw []rawEvent, spanMs int64) []rawEvent {
	n := max(1, len(raw)/8)
	width := (spanMs + int64(n) - 1) / int64(n)
	start := make([]int, n+1)
	for i := range raw {
		start[raw[i].ms/width+1]++
	}
	for b := range n {
		start[b+1] += start[b]
	}
	next := slices.Clone(start[:n])
	out := make([]rawEvent, len(raw))
	for i := range raw {
		b := raw[i].ms / width
		out[next[b]] = raw[i]
		next[b]++
	}
	byKey := func(a, b rawEvent) int {
		if c := cmp.Compare(a.ms, b.ms); c != 0 {
			return c
		}
		return cmp.Compare(a.session, b.session)
	}
	for b := range n {
		slices.SortFunc(out[start[b]:start[b+1]], byKey)
	}
	return out
}

// order builds the Order of the purchase just simulated, at offset ms,
// from g.cart. OrderID is filled in later, in time order.
func (g *sessionGen) order(s session, ms int64) Order {
	items := make([]OrderItem, len(g.cart))
	var cents int64
	for i, l := range g.cart {
		items[i] = OrderItem{ProductID: articles[l.product].id, Quantity: int(l.qty), UnitPrice: centsToEUR(l.cents)}
		cents += int64(l.qty) * l.cents
	}
	// Where the order stands when the window closes depends on its age.
	status := statusFresh
	switch age := g.p.spanMs - ms; {
	case age >= 3*msPerDay:
		status = statusOld
	case age >= msPerDay:
		status = statusRecent
	}
	return Order{
		UserID:   g.pop.ids.at(int(s.user)),
		TS:       g.p.at(ms),
		Items:    items,
		Total:    centsToEUR(cents),
		Currency: "EUR",
		Country:  countries[s.country],
		Payment:  payments[g.r.pick(paymentWeights)],
		Status:   statuses[g.r.pick(status)],
	}
}

// Order statuses, and their odds for an order placed less than a day,
// one to three days, and more than three days before the window closes.
var (
	statuses     = [...]string{"placed", "shipped", "delivered", "returned", "cancelled"}
	statusFresh  = newWeights(84, 10, 0, 0, 6)
	statusRecent = newWeights(12, 70, 12, 0, 6)
	statusOld    = newWeights(0, 12, 72, 10, 6)
)

// expand turns the sorted working records into Events, and assigns event
// and order IDs in time order.
func expand(p *plan, pop *population, sessions []session, raw []rawEvent, placed []Order) ([]Event, []Order) {
	eventIDs := decimalIDs("evt-", 1, len(raw), digitsFor(len(raw), 9))
	sessionIDs := hexIDs("s-", len(sessions), func(i int) uint64 {
		return mix64(uint64(i) + p.seed*0x9e3779b97f4a7c15)
	})
	orderIDs := decimalIDs("ord-", 1, len(placed), digitsFor(len(placed), 6))

	events := make([]Event, len(raw))
	orders := make([]Order, 0, len(placed))
	for i := range raw {
		re, e := &raw[i], &events[i]
		s := &sessions[re.session]
		e.EventID = eventIDs.at(i)
		e.TS = p.at(re.ms)
		e.SessionID = sessionIDs.at(int(re.session))
		e.UserID = pop.ids.at(int(s.user))
		e.Type = kindNames[re.kind]
		e.Device = devices[s.device]
		e.Country = countries[s.country]
		e.Referrer = referrers[s.referrer]
		switch re.page {
		case pageHome:
			e.Page = "/"
		case pageCategory:
			e.Page = catPages[re.cat]
		case pageProduct:
			e.Page = productPages[re.product]
		case pageSearch:
			e.Page = "/search"
		case pageCart:
			e.Page = "/cart"
		case pageCheckout:
			e.Page = "/checkout"
		}
		if re.product >= 0 {
			e.ProductID = articles[re.product].id
		}
		if re.cat >= 0 {
			e.Category = categories[re.cat]
		}
		if re.query >= 0 {
			e.Query = searchQueries[re.query>>4][re.query&0xf]
		}
		e.Price = centsToEUR(re.cents)
		e.Quantity = int(re.qty)
		if re.order >= 0 {
			o := placed[re.order]
			o.OrderID = orderIDs.at(len(orders))
			e.OrderID = o.OrderID
			orders = append(orders, o)
		}
	}
	return events, orders
}
