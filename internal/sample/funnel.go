package sample

import "slices"

// browse: land, then bounce or look around a few pages.
func (g *sessionGen) browse(s session, focus int) {
	g.land(s, focus)
	if g.r.permille(420) {
		return
	}
	for range 1 + g.r.intn(4) {
		g.wander(focus)
	}
}

// shop: land (often straight on a product), view products, and for the
// cart and buy intents fill the cart and head for the checkout.
func (g *sessionGen) shop(s session, focus, in int) {
	r := g.r
	onProduct := s.referrer != referrerDirect && r.permille(450)
	if !onProduct {
		g.land(s, focus)
		for range r.intn(3) {
			g.wander(focus)
		}
	}
	views, adds := 1+r.pick(lookViews), 0
	switch in {
	case intentCart:
		views, adds = 2+r.intn(6), 1+r.pick(cartAdds)
	case intentBuy:
		views, adds = 2+r.intn(6), 1+r.pick(buyAdds)
	}
	for v := range views {
		if v > 0 && r.permille(180) {
			g.wander(focus)
		}
		p := g.product(focus)
		g.view(p)
		if adds > 0 && (r.permille(450) || views-v <= adds) {
			g.add(p)
			adds--
		}
	}
	switch in {
	case intentBuy:
		g.emit(kindPageView, pageCart)
		if len(g.cart) >= 2 && r.permille(120) {
			g.remove(r.intn(len(g.cart)))
		}
		g.total(kindCheckout)
		g.total(kindPurchase)
	case intentCart:
		if r.permille(250) {
			g.emit(kindPageView, pageCart)
			g.remove(r.intn(len(g.cart)))
		}
		switch x := r.intn(100); {
		case x < 35 && len(g.cart) > 0:
			g.emit(kindPageView, pageCart)
			g.total(kindCheckout) // and abandons
		case x < 75:
			g.emit(kindPageView, pageCart)
		}
	}
}

// Product views per looking session (1..5), cart lines added by
// abandoning (1..2) and by buying sessions (1..3).
var (
	lookViews = newWeights(40, 28, 16, 10, 6)
	cartAdds  = newWeights(75, 25)
	buyAdds   = newWeights(60, 28, 12)
)

// land emits the first page: the home page for direct visitors and
// often others, else the focus category.
func (g *sessionGen) land(s session, focus int) {
	if s.referrer == referrerDirect || g.r.permille(400) {
		g.emit(kindPageView, pageHome)
		return
	}
	g.categoryPage(focus)
}

// wander emits one non-product step: a category page, a search or home.
func (g *sessionGen) wander(focus int) {
	r := g.r
	cat := focus
	if r.permille(300) {
		cat = r.pick(categoryWeights)
	}
	switch x := r.intn(100); {
	case x < 55:
		g.categoryPage(cat)
	case x < 80:
		e := g.emit(kindSearch, pageSearch)
		e.query = int16(cat<<4 | r.intn(len(searchQueries[cat])))
	default:
		g.emit(kindPageView, pageHome)
	}
}

func (g *sessionGen) categoryPage(cat int) {
	g.emit(kindPageView, pageCategory).cat = int8(cat)
}

func (g *sessionGen) view(p int) {
	e := g.emit(kindProductView, pageProduct)
	e.product, e.cat, e.cents = int16(p), int8(articles[p].cat), g.price(p)
}

// add puts product p into the cart, merging with an existing line.
func (g *sessionGen) add(p int) {
	cents := g.price(p)
	qty := 1 + g.r.pick(expensiveQty)
	switch {
	case cents < 3000:
		qty = 1 + g.r.pick(cheapQty)
	case cents < 10000:
		qty = 1 + g.r.pick(midQty)
	}
	e := g.emit(kindAddToCart, pageProduct)
	e.product, e.cat, e.cents, e.qty = int16(p), int8(articles[p].cat), cents, int16(qty)
	for i := range g.cart {
		if g.cart[i].product == int16(p) {
			g.cart[i].qty += int16(qty)
			return
		}
	}
	g.cart = append(g.cart, cartLine{product: int16(p), qty: int16(qty), cents: cents})
}

// Units per add_to_cart, by unit price: under 30 EUR, under 100, more.
var (
	cheapQty     = newWeights(60, 28, 12)
	midQty       = newWeights(78, 22)
	expensiveQty = newWeights(97, 3)
)

// remove takes cart line i out entirely, from the cart page.
func (g *sessionGen) remove(i int) {
	l := g.cart[i]
	e := g.emit(kindRemoveFromCart, pageCart)
	e.product, e.cat, e.cents, e.qty = l.product, int8(articles[l.product].cat), l.cents, l.qty
	g.cart = slices.Delete(g.cart, i, i+1)
}

// total emits a checkout or purchase event carrying the cart total.
func (g *sessionGen) total(kind uint8) {
	var cents int64
	var units int16
	for _, l := range g.cart {
		cents += int64(l.qty) * l.cents
		units += l.qty
	}
	e := g.emit(kind, pageCheckout)
	e.cents, e.qty = cents, units
}

// price is what product p costs in this session.
func (g *sessionGen) price(p int) int64 {
	if g.promo && articles[p].cat == catJackets {
		return promoCents(articles[p].cents)
	}
	return articles[p].cents
}

// product draws a product: mostly from the focus category, by popularity.
func (g *sessionGen) product(focus int) int {
	if g.r.permille(800) {
		c := &byCategory[focus]
		return int(c.articles[g.r.pick(c.weights)])
	}
	return g.r.pick(popularity)
}
