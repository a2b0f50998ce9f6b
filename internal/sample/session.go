package sample

// rawEvent is the compact working form of an event (40 bytes): indexes
// into the catalog and the session table instead of strings. Generate
// sorts these and only then expands them into Events.
type rawEvent struct {
	ms      int64 // offset into the window; within a session, strictly increasing
	cents   int64 // unit price; for checkout and purchase the cart total
	session int32 // index into the session table
	order   int32 // purchase: index into the order table; otherwise -1
	product int16 // article index or -1
	query   int16 // category<<4 | index into searchQueries[category], or -1
	qty     int16 // cart quantity; for checkout and purchase the units in the cart
	kind    uint8
	page    uint8
	cat     int8 // category, or -1
}

// session is what every event of a session shares.
type session struct {
	user     int32
	device   uint8
	country  uint8
	referrer uint8
}

// cartLine is one product in a session's cart.
type cartLine struct {
	product int16
	qty     int16
	cents   int64 // unit price when added
}

// How far a session gets down the funnel.
const (
	intentBrowse = iota // home, category and search pages only
	intentLook          // also views products
	intentCart          // also adds to the cart, then leaves
	intentBuy           // goes through checkout and purchases
)

// Pause before an event of each kind, in milliseconds: [min, max].
var gaps = [...][2]int64{
	kindPageView:       {4_000, 45_000},
	kindSearch:         {3_000, 20_000},
	kindProductView:    {6_000, 60_000},
	kindAddToCart:      {10_000, 120_000},
	kindRemoveFromCart: {3_000, 30_000},
	kindCheckout:       {8_000, 60_000},
	kindPurchase:       {40_000, 240_000},
}

// sessionGen simulates one session at a time into buf. It owns buf and
// cart and reuses them; the caller copies what it keeps before the next
// run. Not safe for concurrent use.
type sessionGen struct {
	r     rng
	p     *plan
	pop   *population
	slots weights
	buf   []rawEvent
	cart  []cartLine
	id    int32 // index of the session being generated
	clock int64 // time of the last event, relative to the session start
	promo bool  // the session falls on the promotion day
}

// run simulates session id and leaves its events, in time order and
// placed inside the window, in g.buf. A session that bought ends with
// its purchase event; g.cart then holds the order lines.
func (g *sessionGen) run(id int32) session {
	r := g.r
	g.buf, g.cart, g.id, g.clock = g.buf[:0], g.cart[:0], id, 0
	slot := r.pick(g.slots)
	start := int64(slot)*msPerHour + int64(r.below(uint64(msPerHour)))
	g.promo = slot/24 == g.p.promo

	u := g.pop.draw(r)
	s := session{user: u, device: g.pop.device[u], country: g.pop.country[u]}
	if r.permille(200) {
		s.device = uint8(r.pick(deviceWeights))
	}
	if g.promo {
		s.referrer = uint8(r.pick(promoReferrerWeights))
	} else {
		s.referrer = uint8(r.pick(referrerWeights))
	}

	focus := g.focus(s)
	if in := g.intent(s); in == intentBrowse {
		g.browse(s, focus)
	} else {
		g.shop(s, focus, in)
	}

	// Sessions last minutes and the window at least a day, so moving a
	// late session back keeps it whole and inside.
	if start+g.clock >= g.p.spanMs {
		start = g.p.spanMs - 1 - g.clock
	}
	for i := range g.buf {
		g.buf[i].ms += start
	}
	return s
}

// intent draws how deep the session goes: the promotion and newsletter
// readers convert better, mobile visitors worse.
func (g *sessionGen) intent(s session) int {
	buy, cart, look := 27, 70, 200
	if g.promo {
		buy, cart = buy+22, cart+15
	}
	if s.referrer == referrerNewsletter {
		buy += 12
	}
	if s.referrer == referrerInstagram {
		look += 60
	}
	if s.device == deviceMobile {
		buy -= 8
	}
	switch x := g.r.intn(1000); {
	case x < buy:
		return intentBuy
	case x < buy+cart:
		return intentCart
	case x < buy+cart+look:
		return intentLook
	}
	return intentBrowse
}

// focus draws the category the session is about.
func (g *sessionGen) focus(s session) int {
	if g.promo {
		p := 250
		if s.referrer == referrerNewsletter {
			p = 600
		}
		if g.r.permille(p) {
			return catJackets
		}
	}
	return g.r.pick(categoryWeights)
}

// emit appends an event of the given kind after the pause its kind takes
// (now and then a longer one) and returns it for the caller to fill in.
// The pointer is valid until the next emit.
func (g *sessionGen) emit(kind, page uint8) *rawEvent {
	if len(g.buf) > 0 {
		g.clock += g.r.between(gaps[kind][0], gaps[kind][1])
		if g.r.permille(60) {
			g.clock += g.r.between(60_000, 600_000)
		}
	}
	g.buf = append(g.buf, rawEvent{
		ms: g.clock, session: g.id, order: -1, product: -1, query: -1, cat: -1,
		kind: kind, page: page,
	})
	return &g.buf[len(g.buf)-1]
}
