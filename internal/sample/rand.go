package sample

import (
	"math/bits"
	"math/rand/v2"
)

// pcgStream is the second PCG seed word. It is fixed so that Options.Seed
// alone selects the stream; changing it changes every dataset.
const pcgStream = 0x7461726e5f736d70 // "tarn_smp"

// rng draws integers from a PCG stream. It deliberately avoids the
// rand.Rand helpers and floating point: the reductions below are written
// out here so the generated data cannot drift with a Go release or with
// the architecture's float code generation. Not safe for concurrent use.
type rng struct {
	src *rand.PCG
}

func newRNG(seed uint64) rng {
	return rng{src: rand.NewPCG(seed, pcgStream)}
}

// below returns a uniform value in [0, n); n must be > 0. It is Lemire's
// multiply-shift reduction with rejection, so it is exactly uniform.
func (r rng) below(n uint64) uint64 {
	hi, lo := bits.Mul64(r.src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), n)
		}
	}
	return hi
}

// intn returns a uniform int in [0, n); n must be > 0.
func (r rng) intn(n int) int { return int(r.below(uint64(n))) }

// between returns a uniform int64 in [lo, hi]; hi must be >= lo.
func (r rng) between(lo, hi int64) int64 {
	return lo + int64(r.below(uint64(hi-lo+1)))
}

// permille reports true with probability p/1000.
func (r rng) permille(p int) bool { return r.intn(1000) < p }

// weights is a cumulative weight table: entry i is the sum of the weights
// of items 0..i. Build it with newWeights; it is read-only afterwards.
type weights []uint64

// newWeights turns w into its cumulative table in place and returns it;
// the caller hands w over. At least one weight must be positive.
func newWeights(w ...uint64) weights {
	var sum uint64
	for i, x := range w {
		sum += x
		w[i] = sum
	}
	if sum == 0 {
		panic("sample: weight table with zero total")
	}
	return weights(w)
}

// pick returns item i with probability w[i]/total, by binary search.
func (r rng) pick(c weights) int {
	x := r.below(c[len(c)-1])
	lo, hi := 0, len(c)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
