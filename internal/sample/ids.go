package sample

import "strconv"

// idTable holds n identifiers of equal width in one backing string, so a
// whole table costs one allocation and handing out an ID costs none. An ID
// taken from the table keeps the whole table alive.
type idTable struct {
	s string
	w int
}

func (t idTable) at(i int) string { return t.s[i*t.w : (i+1)*t.w] }

// digitsFor is the zero-padded width that fits every number up to n, and
// at least atLeast.
func digitsFor(n, atLeast int) int {
	return max(atLeast, len(strconv.Itoa(n)))
}

// decimalIDs returns prefix+number for number = first .. first+n-1, each
// zero-padded to digits (first must be >= 0, and the last number must fit).
func decimalIDs(prefix string, first, n, digits int) idTable {
	w := len(prefix) + digits
	b := make([]byte, n*w)
	if n == 0 {
		return idTable{w: w}
	}
	// Write the first ID, then make each next one by incrementing the
	// previous in place, which is much cheaper than formatting.
	copy(b, prefix)
	num := strconv.Itoa(first)
	for i := len(prefix); i < w; i++ {
		b[i] = '0'
	}
	copy(b[w-len(num):w], num)
	for i := 1; i < n; i++ {
		id := b[i*w : (i+1)*w]
		copy(id, b[(i-1)*w:i*w])
		for j := w - 1; j >= len(prefix); j-- {
			if id[j] != '9' {
				id[j]++
				break
			}
			id[j] = '0'
		}
	}
	return idTable{s: string(b), w: w}
}

// hexIDs returns prefix followed by 16 lower-case hex digits of key(i) for
// i = 0 .. n-1. The IDs are unique when key is injective.
func hexIDs(prefix string, n int, key func(i int) uint64) idTable {
	const hexDigits = "0123456789abcdef"
	w := len(prefix) + 16
	b := make([]byte, 0, n*w)
	for i := range n {
		b = append(b, prefix...)
		k := key(i)
		for shift := 60; shift >= 0; shift -= 4 {
			b = append(b, hexDigits[(k>>uint(shift))&0xf])
		}
	}
	return idTable{s: string(b), w: w}
}

// mix64 is the splitmix64 finaliser: a bijection on uint64 that makes
// sequential numbers look random.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
