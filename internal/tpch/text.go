package tpch

import "strings"

// defaultPoolSize is the size of the text pool comments are cut from. The
// specification asks for 300 MB of pseudo-text; a smaller pool generated
// by the same grammar keeps generation fast and keeps the same word
// frequencies, so LIKE predicates (Q9, Q13, Q16) select similar fractions.
const defaultPoolSize = 4 << 20

// textPool is pseudo-text built from the specification's grammar
// (§4.2.2.14): sentences of noun, verb and prepositional phrases, each
// closed by a terminator, separated by single spaces. It is read-only
// after newTextPool, so parts may share it.
type textPool struct{ text string }

func newTextPool(seed uint64, size int) *textPool {
	r := newRNG(seed, streamText, 0)
	var b strings.Builder
	b.Grow(size + 256)
	for b.Len() < size {
		sentence(r, &b)
		b.WriteByte(' ')
	}
	return &textPool{text: b.String()[:size]}
}

// comment is the specification's text[lo, hi]: a substring of the pool of
// a random length in [lo, hi] starting at a random offset. Leading and
// trailing spaces are kept: the length is exactly in [lo, hi].
func (p *textPool) comment(r *rng, lo, hi int) string {
	n := int(r.between(int64(lo), int64(hi)))
	off := r.intn(len(p.text) - n)
	return p.text[off : off+n]
}

func sentence(r *rng, b *strings.Builder) {
	form := sentences.pick(r)
	first := true
	for _, sym := range strings.Fields(form) {
		if sym != "T" && !first {
			b.WriteByte(' ')
		}
		first = false
		switch sym {
		case "N":
			nounPhrase(r, b)
		case "V":
			verbPhrase(r, b)
		case "P":
			b.WriteString(prepositions.pick(r))
			b.WriteString(" the ")
			nounPhrase(r, b)
		case "T":
			b.WriteString(terminators.pick(r))
		}
	}
}

func nounPhrase(r *rng, b *strings.Builder) {
	switch nounPhrases.pick(r) {
	case "N":
		b.WriteString(nouns.pick(r))
	case "J N":
		b.WriteString(adjectives.pick(r))
		b.WriteByte(' ')
		b.WriteString(nouns.pick(r))
	case "J, J N":
		b.WriteString(adjectives.pick(r))
		b.WriteString(", ")
		b.WriteString(adjectives.pick(r))
		b.WriteByte(' ')
		b.WriteString(nouns.pick(r))
	default: // D J N
		b.WriteString(adverbs.pick(r))
		b.WriteByte(' ')
		b.WriteString(adjectives.pick(r))
		b.WriteByte(' ')
		b.WriteString(nouns.pick(r))
	}
}

func verbPhrase(r *rng, b *strings.Builder) {
	switch verbPhrases.pick(r) {
	case "V":
		b.WriteString(verbs.pick(r))
	case "X V":
		b.WriteString(auxiliaries.pick(r))
		b.WriteByte(' ')
		b.WriteString(verbs.pick(r))
	case "V D":
		b.WriteString(verbs.pick(r))
		b.WriteByte(' ')
		b.WriteString(adverbs.pick(r))
	default: // X V D
		b.WriteString(auxiliaries.pick(r))
		b.WriteByte(' ')
		b.WriteString(verbs.pick(r))
		b.WriteByte(' ')
		b.WriteString(adverbs.pick(r))
	}
}
