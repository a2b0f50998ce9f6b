package sql

import "github.com/tarnhq/tarn/internal/engine"

func firstSig(toks []engine.Token, from int) int {
	for i := from; i < len(toks); i++ {
		if toks[i].Kind != engine.Space && toks[i].Kind != engine.Comment {
			return i
		}
	}
	return -1
}

func joinRange(toks []engine.Token, from, to int) string { return engine.Join(toks[from:to]) }

// matchParen returns the index of the ')' closing the '(' at toks[i], or -1.
func matchParen(toks []engine.Token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		if toks[j].Kind != engine.Punct {
			continue
		}
		switch toks[j].Text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
			if depth == 0 {
				if toks[j].Text != ")" {
					return -1
				}
				return j
			}
		}
	}
	return -1
}

// splitArgs cuts a call's inner tokens at depth-0 commas.
func splitArgs(inner []engine.Token) [][]engine.Token {
	if firstSig(inner, 0) < 0 {
		return nil
	}
	var args [][]engine.Token
	depth, start := 0, 0
	for j, tk := range inner {
		if tk.Kind != engine.Punct {
			continue
		}
		switch tk.Text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ",":
			if depth == 0 {
				args = append(args, inner[start:j])
				start = j + 1
			}
		}
	}
	return append(args, inner[start:])
}
