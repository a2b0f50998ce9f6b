package tpch

import (
	"database/sql/driver"
	"math"
	"strconv"
	"time"
)

// Random stream ids, one per generation job kind.
const (
	streamText uint64 = iota + 1
	streamNation
	streamSupplier
	streamCustomer
	streamPart
	streamOrders
)

// Dates of §4.2.3, as days since 1970-01-01.
var (
	startDate   = days(1992, 1, 1)
	currentDate = days(1995, 6, 17)
	endDate     = days(1998, 12, 31)
)

func days(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Sizes are the row counts of one scale factor (§4.2.5): nation 25 and
// region 5 at every SF, lineitem about 4 per order.
type Sizes struct {
	Supplier, Part, PartSupp, Customer, Orders int64
}

// SizesFor returns the cardinalities at scale factor sf (each at least 1).
func SizesFor(sf float64) Sizes {
	n := func(base float64) int64 { return max(1, int64(math.Round(sf*base))) }
	return Sizes{Supplier: n(10_000), Part: n(200_000), PartSupp: 4 * n(200_000),
		Customer: n(150_000), Orders: n(1_500_000)}
}

// orderKey is the key of the i-th order (from 0): the specification's
// sparse keys use the first 8 of every 32 values.
func orderKey(i int64) int64 { return (i/8)*32 + i%8 + 1 }

// retailPrice is p_retailprice in cents (§4.2.3).
func retailPrice(partkey int64) int64 {
	return 90000 + (partkey/10)%20001 + 100*(partkey%1000)
}

// partSupplier is the supplier key of the i-th (0..3) supplier of a part.
func partSupplier(partkey, i, s int64) int64 {
	return (partkey+i*(s/4+(partkey-1)/s))%s + 1
}

// gen holds what every job shares: read-only after construction.
type gen struct {
	seed  uint64
	sf    float64
	sizes Sizes
	pool  *textPool
}

// emitter receives the rows of one table; vals is reused after return.
type emitter func(vals []driver.Value) error

func (g *gen) nationRegion(r *rng, region, nation emitter) error {
	v := make([]driver.Value, 4)
	for i, name := range regions {
		v[0], v[1], v[2] = int64(i), name, g.pool.comment(r, 31, 115)
		if err := region(v[:3]); err != nil {
			return err
		}
	}
	for i, n := range nations {
		v[0], v[1], v[2], v[3] = int64(i), n.name, int64(n.region), g.pool.comment(r, 31, 114)
		if err := nation(v); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) suppliers(r *rng, lo, hi int64, emit emitter) error {
	v := make([]driver.Value, 7)
	for k := lo + 1; k <= hi; k++ {
		nation := r.between(0, 24)
		comment := g.pool.comment(r, 25, 100)
		// SF*5 suppliers carry "Customer ... Complaints" and SF*5
		// "Customer ... Recommends" (§4.2.3, Q16): 10 in 10,000.
		if press := r.between(1, 10_000); press <= 10 {
			word := "Complaints"
			if press > 5 {
				word = "Recommends"
			}
			comment = pressComment(r, comment, word)
		}
		v[0], v[1], v[2], v[3] = k, padded("Supplier#", k), r.vstring(10, 40), nation
		v[4], v[5], v[6] = r.phone(nation), r.between(-99_999, 999_999), comment
		if err := emit(v); err != nil {
			return err
		}
	}
	return nil
}

// pressComment overwrites part of c with "Customer " followed, after a
// random gap, by word.
func pressComment(r *rng, c, word string) string {
	b := []byte(c)
	const cust = "Customer "
	free := len(b) - len(cust) - len(word)
	gap := int(r.between(0, int64(free)))
	off := int(r.between(0, int64(free-gap)))
	copy(b[off:], cust)
	copy(b[off+len(cust)+gap:], word)
	return string(b)
}

func (g *gen) customers(r *rng, lo, hi int64, emit emitter) error {
	v := make([]driver.Value, 8)
	for k := lo + 1; k <= hi; k++ {
		nation := r.between(0, 24)
		v[0], v[1], v[2], v[3] = k, padded("Customer#", k), r.vstring(10, 40), nation
		v[4], v[5] = r.phone(nation), r.between(-99_999, 999_999)
		v[6], v[7] = segments[r.intn(len(segments))], g.pool.comment(r, 29, 116)
		if err := emit(v); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) parts(r *rng, lo, hi int64, part, partsupp emitter) error {
	v := make([]driver.Value, 9)
	w := make([]driver.Value, 5)
	s := g.sizes.Supplier
	var picked [5]int
	name := make([]byte, 0, 64)
	for k := lo + 1; k <= hi; k++ {
		// p_name: 5 distinct color words.
		name = name[:0]
		for i := range picked {
		again:
			c := r.intn(len(colors))
			for _, p := range picked[:i] {
				if p == c {
					goto again
				}
			}
			picked[i] = c
			if i > 0 {
				name = append(name, ' ')
			}
			name = append(name, colors[c]...)
		}
		m := r.between(1, 5)
		brand := "Brand#" + strconv.FormatInt(m, 10) + strconv.FormatInt(r.between(1, 5), 10)
		typ := typeS1[r.intn(6)] + " " + typeS2[r.intn(5)] + " " + typeS3[r.intn(5)]
		v[0], v[1], v[2], v[3] = k, string(name), "Manufacturer#"+strconv.FormatInt(m, 10), brand
		v[4], v[5] = typ, r.between(1, 50)
		v[6] = containerS1[r.intn(5)] + " " + containerS2[r.intn(8)]
		v[7], v[8] = retailPrice(k), g.pool.comment(r, 5, 22)
		if err := part(v); err != nil {
			return err
		}
		for i := int64(0); i < 4; i++ {
			w[0], w[1], w[2] = k, partSupplier(k, i, s), r.between(1, 9999)
			w[3], w[4] = r.between(100, 100_000), g.pool.comment(r, 49, 198)
			if err := partsupp(w); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *gen) orders(r *rng, lo, hi int64, orders, lineitem emitter) error {
	v := make([]driver.Value, 9)
	lines := make([][]driver.Value, 7)
	for i := range lines {
		lines[i] = make([]driver.Value, 16)
	}
	sz := g.sizes
	clerks := max(1, int64(math.Round(g.sf*1000)))
	for i := lo; i < hi; i++ {
		key := orderKey(i)
		cust := r.between(1, sz.Customer)
		for cust%3 == 0 && sz.Customer > 2 { // a third of customers never order
			cust = r.between(1, sz.Customer)
		}
		od := startDate + r.between(0, endDate-151-startDate)
		n := int(r.between(1, 7))
		var total int64 // sum of cents*(100+tax)*(100-discount), scaled by 10^4
		allF, allO := true, true
		for j := 0; j < n; j++ {
			l := lines[j]
			pk := r.between(1, sz.Part)
			sk := partSupplier(pk, r.between(0, 3), sz.Supplier)
			qty := r.between(1, 50)
			ext := qty * retailPrice(pk)
			disc, tax := r.between(0, 10), r.between(0, 8)
			ship := od + r.between(1, 121)
			commit := od + r.between(30, 90)
			receipt := ship + r.between(1, 30)
			flag := "N"
			if receipt <= currentDate {
				flag = [2]string{"R", "A"}[r.intn(2)]
			}
			status := "F"
			if ship > currentDate {
				status = "O"
				allF = false
			} else {
				allO = false
			}
			total += ext * (100 + tax) * (100 - disc)
			l[0], l[1], l[2], l[3] = key, pk, sk, int64(j+1)
			l[4], l[5], l[6], l[7] = qty*100, ext, disc, tax
			l[8], l[9], l[10], l[11], l[12] = flag, status, ship, commit, receipt
			l[13], l[14] = instructions[r.intn(4)], modes[r.intn(7)]
			l[15] = g.pool.comment(r, 10, 43)
		}
		status := "P"
		if allF {
			status = "F"
		} else if allO {
			status = "O"
		}
		v[0], v[1], v[2], v[3], v[4] = key, cust, status, (total+5000)/10000, od
		v[5], v[6] = priorities[r.intn(5)], padded("Clerk#", r.between(1, clerks))
		v[7], v[8] = int64(0), g.pool.comment(r, 19, 78)
		if err := orders(v); err != nil {
			return err
		}
		for _, l := range lines[:n] {
			if err := lineitem(l); err != nil {
				return err
			}
		}
	}
	return nil
}
