package cbor

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"testing"
	"time"
)

type inner struct {
	X int `json:"x"`
	Y int `json:"y,omitempty"`
}

type Embedded struct {
	E string `json:"e"`
	X int    `json:"x"` // hidden by outer.X at a shallower depth
}

type outer struct {
	Embedded
	*inner            // unexported embedded pointer: its fields are promoted
	X       int       `json:"x"`
	Skip    string    `json:"-"`
	Dash    string    `json:"-,"`
	Plain   bool      // untagged: Go name
	Empty   []int     `json:"empty,omitempty"`
	Zero    time.Time `json:"zero,omitzero"`
	private int
}

type hexMarshaler string

func (h hexMarshaler) MarshalCBOR() ([]byte, error) { return hex.DecodeString(string(h)) }

type ptrMarshaler struct{ n int }

func (p *ptrMarshaler) MarshalCBOR() ([]byte, error) { return []byte{byte(p.n)}, nil }

type withPtrMarshaler struct {
	M ptrMarshaler `json:"m"`
}

type errMarshaler struct{}

var errBoom = errors.New("boom")

func (errMarshaler) MarshalCBOR() ([]byte, error) { return nil, errBoom }

func TestMarshal(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, "f6"},
		{"int8 min", int8(-128), "387f"},
		{"uint16 max", uint16(65535), "19ffff"},
		{"int64 min", int64(math.MinInt64), "3b7fffffffffffffff"},
		{"uint64 max", uint64(math.MaxUint64), "1bffffffffffffffff"},
		{"float32 half", float32(1.5), "f93e00"},
		{"float32 single", float32(100000), "fa47c35000"},
		{"float32 0.1", float32(0.1), "fa3dcccccd"},
		{"float64 0.1", 0.1, "fb3fb999999999999a"},
		{"float64 half subnormal", 5.960464477539063e-8, "f90001"},
		{"float64 half subnormal 3", math.Ldexp(3, -24), "f90003"},
		{"float64 single subnormal", float64(math.SmallestNonzeroFloat32), "fa00000001"},
		{"float64 below half", 2.9802322387695312e-8, "fa33000000"},
		{"float64 max", math.MaxFloat64, "fb7fefffffffffffff"},
		{"NaN payload", math.Float64frombits(0x7ff8000000000001), "f97e00"},
		{"string", "IETF", "6449455446"},
		{"invalid UTF-8", "a\xffb", "6561efbfbd62"},
		{"nil bytes", []byte(nil), "f6"},
		{"empty bytes", []byte{}, "40"},
		{"byte array", [3]byte{1, 2, 3}, "43010203"},
		{"nil slice", []int(nil), "f6"},
		{"empty slice", []int{}, "80"},
		{"int array", [2]int{1, -1}, "820120"},
		{"map sorted", map[string]int{"b": 1, "a": 2}, "a2616102616201"},
		{"nil map", map[string]int(nil), "f6"},
		{"nil pointer", (*int)(nil), "f6"},
		{"pointer", ptr(7), "07"},
		{"interface", []any{1, "a", nil}, "83016161f6"},
		{"struct", outer{Embedded: Embedded{E: "e", X: 9}, X: 1, Skip: "s", Dash: "d", Plain: true},
			"a4 6165 6165 6178 01 612d 6164 65506c61696e f5"},
		{"struct with embedded pointer", outer{inner: &inner{Y: 2}, X: 1},
			"a5 6165 60 6179 02 6178 01 612d 60 65506c61696e f4"},
		{"omitzero time", struct {
			T time.Time `json:"t,omitzero"`
		}{}, "a0"},
		{"time", time.UnixMilli(1363896240500), "c1fb41d452d9ec200000"},
		{"time zero", time.Time{}, "c1fbc22cef23ee000000"},
		{"marshaler", hexMarshaler("83010203"), "83010203"},
		{"nil pointer marshaler", (*ptrMarshaler)(nil), "f6"},
		{"addressable pointer marshaler", &withPtrMarshaler{M: ptrMarshaler{5}}, "a1616d05"},
		{"raw message", struct{ R, N RawMessage }{R: RawMessage{0x83, 1, 2, 3}}, "a2 6152 83010203 614e f6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if want := hex.EncodeToString(unhex(t, c.want)); hex.EncodeToString(got) != want {
				t.Errorf("Marshal(%#v) = %x, want %s", c.v, got, want)
			}
		})
	}
}

type cyclic struct {
	Next *cyclic
}

func TestMarshalErrors(t *testing.T) {
	loop := &cyclic{}
	loop.Next = loop
	for _, c := range []struct {
		name  string
		v     any
		check func(error) bool
	}{
		{"chan", make(chan int), isErr[*UnsupportedTypeError]},
		{"func field", struct{ F func() }{}, isErr[*UnsupportedTypeError]},
		{"complex", complex(1, 2), isErr[*UnsupportedTypeError]},
		{"int-keyed map", map[int]string{1: "a"}, isErr[*UnsupportedTypeError]},
		{"cycle", loop, isErr[*UnsupportedValueError]},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), isErr[*UnsupportedValueError]},
		{"marshaler error", errMarshaler{}, func(err error) bool { return isErr[*MarshalerError](err) && errors.Is(err, errBoom) }},
		{"marshaler invalid output", hexMarshaler("8301"), func(err error) bool { return isErr[*MarshalerError](err) && errors.Is(err, ErrSyntax) }},
		{"marshaler two items", hexMarshaler("0101"), func(err error) bool { return errors.Is(err, ErrSyntax) }},
		{"marshaler empty", hexMarshaler(""), func(err error) bool { return errors.Is(err, ErrSyntax) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Marshal(c.v)
			if err == nil || !c.check(err) {
				t.Errorf("Marshal = %x, %v (%T)", b, err, err)
			}
		})
	}
}

// isErr reports whether err is or wraps an E.
func isErr[E error](err error) bool {
	var e E
	return errors.As(err, &e)
}

// TestConcurrentUse builds the per-type caches from many goroutines at
// once, on a recursive type (run with -race).
func TestConcurrentUse(t *testing.T) {
	type node struct {
		Name string  `json:"name"`
		Kids []*node `json:"kids,omitempty"`
		Meta map[string]*node
	}
	v := &node{Name: "a", Kids: []*node{{Name: "b", Kids: []*node{{Name: "c"}}}}, Meta: map[string]*node{"x": {Name: "d"}}}
	want, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 100 {
				var back node
				b, err := Marshal(v)
				if err == nil {
					err = Unmarshal(b, &back)
				}
				if err == nil && !bytes.Equal(b, want) {
					err = errors.New("different output")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

type valZero struct{ n int }

func (v valZero) IsZero() bool { return v.n < 0 } // zero means "negative" here

type ptrZero struct{ n int }

func (p *ptrZero) IsZero() bool { return p.n == 42 }

type (
	left  struct{ A, B int }
	right struct {
		A int
		B int `json:"B"`
	}
	deeper    struct{ left }
	ambiguous struct {
		left
		right
	}
	shallowWins struct {
		deeper
		A string
	}
)

func TestMarshalFieldRules(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		// A is untagged in both: ambiguous, dropped; B is tagged in right only: it wins.
		{"ambiguous embedding", ambiguous{left{1, 2}, right{3, 4}}, "a1 6142 04"},
		{"shallower field wins", shallowWins{deeper{left{1, 2}}, "x"}, "a2 6142 02 6141 6178"},
		{"omitzero with value IsZero", struct {
			V valZero `json:"v,omitzero"`
		}{valZero{-1}}, "a0"},
		{"omitzero keeps non-zero by IsZero", struct {
			V valZero `json:"v,omitzero"`
		}{valZero{0}}, "a1 6176 a0"},
		{"omitzero with pointer IsZero", &struct {
			P ptrZero `json:"p,omitzero"`
		}{ptrZero{42}}, "a0"},
		{"omitzero with pointer IsZero, not addressable", struct {
			P ptrZero `json:"p,omitzero"`
		}{ptrZero{42}}, "a0"},
		{"omitzero nil pointer with IsZero", struct {
			P *ptrZero `json:"p,omitzero"`
		}{}, "a0"},
		{"omitempty", struct {
			S string         `json:"s,omitempty"`
			M map[string]int `json:"m,omitempty"`
			P *int           `json:"p,omitempty"`
			F float64        `json:"f,omitempty"`
			A any            `json:"a,omitempty"`
			T struct{}       `json:"t,omitempty"` // structs are never empty
		}{M: map[string]int{}}, "a1 6174 a0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if want := hex.EncodeToString(unhex(t, c.want)); hex.EncodeToString(got) != want {
				t.Errorf("Marshal(%#v) = %x, want %s", c.v, got, want)
			}
		})
	}
}

// scratch is a Marshaler that reuses one buffer for every call.
type scratch struct {
	buf *[]byte
	n   byte
}

func (s scratch) MarshalCBOR() ([]byte, error) {
	b := append((*s.buf)[:0], 0x59, 0x01, 0x00) // byte string of 256 bytes
	for range 256 {
		b = append(b, s.n)
	}
	*s.buf = b
	return b, nil
}

func TestMarshalerBufferReuse(t *testing.T) {
	var shared []byte
	got, err := Marshal([]scratch{{&shared, 1}, {&shared, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1+2*259 || got[4] != 1 || got[len(got)-1] != 2 {
		t.Errorf("a Marshaler's reused buffer leaked into the output: % x...", got[:8])
	}
}
