package sample

import (
	"encoding/json"
	"fmt"
)

// AppendJSONLine appends the JSON encoding of v and a '\n' to dst and
// returns the extended slice. The encoding is encoding/json's with HTML
// escaping off (so Event and Order use their MarshalJSON); Event and Order
// values and pointers take a direct path that writes the same bytes
// without reflection.
//
// It panics if encoding/json cannot encode v (a channel, a NaN, a cycle):
// that is a programming error, and no value this package produces does it.
func AppendJSONLine(dst []byte, v any) []byte {
	switch x := v.(type) {
	case Event:
		if finite(x.Price) {
			return append(appendEvent(dst, &x), '\n')
		}
	case *Event:
		if x != nil && finite(x.Price) {
			return append(appendEvent(dst, x), '\n')
		}
	case Order:
		if x.finite() {
			return append(appendOrder(dst, &x), '\n')
		}
	case *Order:
		if x != nil && x.finite() {
			return append(appendOrder(dst, x), '\n')
		}
	}
	w := appendWriter{b: dst}
	enc := json.NewEncoder(&w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("sample: AppendJSONLine(%T): %v", v, err))
	}
	return w.b
}

// JSONLines encodes rows as JSON Lines: one AppendJSONLine per row, in
// order. No rows give an empty (nil) result. It panics as AppendJSONLine
// does.
func JSONLines[T any](rows []T) []byte {
	var b []byte
	switch rs := any(rows).(type) {
	case []Event:
		b = make([]byte, 0, len(rs)*300)
		for i := range rs {
			b = AppendJSONLine(b, &rs[i])
		}
	case []Order:
		b = make([]byte, 0, len(rs)*220)
		for i := range rs {
			b = AppendJSONLine(b, &rs[i])
		}
	default:
		for i := range rows {
			b = AppendJSONLine(b, rows[i])
		}
	}
	return b
}

// appendWriter is an io.Writer that appends to b.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
