package sample

import "time"

// The visitor mix. Each list is paired with integer weights; the indexes
// are what sessions store.
var (
	countries      = [...]string{"DE", "FR", "NL", "AT", "IT", "ES", "BE", "GB", "CH", "SE", "PL", "DK"}
	countryWeights = newWeights(280, 130, 100, 80, 70, 70, 60, 60, 50, 40, 30, 30)

	devices       = [...]string{"desktop", "mobile", "tablet"}
	deviceWeights = newWeights(45, 46, 9)

	referrers = [...]string{"direct", "google", "newsletter", "instagram", "partner"}
	// The Summit Sale is announced by newsletter and on Instagram.
	referrerWeights      = newWeights(34, 36, 11, 12, 7)
	promoReferrerWeights = newWeights(25, 27, 24, 18, 6)

	payments       = [...]string{"card", "paypal", "klarna"}
	paymentWeights = newWeights(52, 33, 15)
)

const (
	deviceMobile       = 1
	referrerDirect     = 0
	referrerNewsletter = 2
	referrerInstagram  = 3
)

// Relative traffic per UTC hour. Weekdays peak in the evening; weekends
// start later and stay busy through the afternoon.
var (
	weekdayHours = [24]uint64{12, 7, 4, 3, 3, 5, 12, 22, 32, 38, 42, 45, 52, 50, 44, 42, 45, 52, 62, 78, 88, 80, 55, 30}
	weekendHours = [24]uint64{18, 10, 6, 4, 3, 4, 7, 12, 22, 35, 50, 58, 60, 58, 55, 54, 55, 58, 64, 75, 82, 74, 52, 32}
)

// dayWeight is the relative traffic of a weekday, before the promotion.
var dayWeight = [7]uint64{
	time.Sunday: 125, time.Monday: 100, time.Tuesday: 98, time.Wednesday: 100,
	time.Thursday: 102, time.Friday: 95, time.Saturday: 115,
}

// slotWeights returns the traffic weight of every hour of the window:
// entry d*24+h is hour h of day d. The promotion day counts 2.5 times.
func slotWeights(p *plan) weights {
	w := make([]uint64, 0, p.days*24)
	for d := range p.days {
		wd := p.at(int64(d) * msPerDay).Weekday()
		hours := &weekdayHours
		if wd == time.Saturday || wd == time.Sunday {
			hours = &weekendHours
		}
		day := dayWeight[wd] * 2
		if d == p.promo {
			day = day * 5 / 2
		}
		for _, h := range hours {
			w = append(w, day*h)
		}
	}
	return newWeights(w...)
}

// population is the shop's user base. Users are numbered 0..n-1 (their
// IDs are u-00001 onwards); each has a home country and a usual device.
type population struct {
	ids     idTable
	country []uint8
	device  []uint8
	// byRank maps a popularity rank to a user, and rankWeights is the
	// chance of each rank starting a session: a zipf-like head (power
	// users) over a uniform floor. The permutation keeps the power users
	// from being simply u-00001, u-00002, ...
	byRank      []int32
	rankWeights weights
}

// newPopulation draws about one user per 20 rows.
func newPopulation(r rng, p *plan) *population {
	n := max(1, p.rows/20)
	pop := &population{
		ids:     decimalIDs("u-", 1, n, digitsFor(n, 5)),
		country: make([]uint8, n),
		device:  make([]uint8, n),
		byRank:  make([]int32, n),
	}
	for i := range n {
		pop.country[i] = uint8(r.pick(countryWeights))
		pop.device[i] = uint8(r.pick(deviceWeights))
		pop.byRank[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- { // Fisher-Yates
		j := r.intn(i + 1)
		pop.byRank[i], pop.byRank[j] = pop.byRank[j], pop.byRank[i]
	}
	// Head: 2^40/(rank+shift), about 30% of all sessions, with a shift that
	// grows with n so the busiest user stays at a few sessions a day.
	// Floor: the other 70%, spread evenly.
	w := make([]uint64, n)
	shift := 10 + n/100
	var head uint64
	for i := range w {
		w[i] = (1 << 40) / uint64(i+shift)
		head += w[i]
	}
	floor := head * 7 / 3 / uint64(n)
	for i := range w {
		w[i] += floor
	}
	pop.rankWeights = newWeights(w...)
	return pop
}

// draw picks the user who starts the next session.
func (pop *population) draw(r rng) int32 { return pop.byRank[r.pick(pop.rankWeights)] }
