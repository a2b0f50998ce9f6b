package tpch

import (
	"math/rand/v2"
	"strings"
)

// rng is one deterministic random stream. Every table part draws from
// its own stream, seeded from (seed, table, part), so parts can be
// generated in any order or in parallel and still give the same bytes.
type rng struct{ r *rand.Rand }

func newRNG(seed uint64, stream, part uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, stream<<32|part))}
}

// intn is uniform in [0, n).
func (r *rng) intn(n int) int { return r.r.IntN(n) }

// between is uniform in [lo, hi], the specification's random[lo, hi].
func (r *rng) between(lo, hi int64) int64 { return lo + r.r.Int64N(hi-lo+1) }

// vchars is the alphabet of v-strings (§4.2.2.7: at least 64 symbols).
const vchars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, "

// vstring is the specification's v-string[lo, hi]: random symbols of a
// random length in [lo, hi]. It never starts or ends with a space.
func (r *rng) vstring(lo, hi int) string {
	n := int(r.between(int64(lo), int64(hi)))
	b := make([]byte, n)
	for i := range b {
		c := vchars[r.intn(len(vchars))]
		if c == ' ' && (i == 0 || i == n-1) {
			c = '.'
		}
		b[i] = c
	}
	return string(b)
}

// phone is the specification's phone number for a nation key:
// country code (nationkey+10) and three random local parts.
func (r *rng) phone(nation int64) string {
	var b strings.Builder
	b.Grow(15)
	writeInt(&b, nation+10, 2)
	b.WriteByte('-')
	writeInt(&b, r.between(100, 999), 3)
	b.WriteByte('-')
	writeInt(&b, r.between(100, 999), 3)
	b.WriteByte('-')
	writeInt(&b, r.between(1000, 9999), 4)
	return b.String()
}

// writeInt writes v in decimal, zero-padded to width digits.
func writeInt(b *strings.Builder, v int64, width int) {
	var buf [20]byte
	i := len(buf)
	for v > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	for len(buf)-i < width {
		i--
		buf[i] = '0'
	}
	b.Write(buf[i:])
}

// padded is prefix followed by v zero-padded to 9 digits
// ("Customer#000000001").
func padded(prefix string, v int64) string {
	var b strings.Builder
	b.Grow(len(prefix) + 9)
	b.WriteString(prefix)
	writeInt(&b, v, 9)
	return b.String()
}
