package cbor

import (
	"reflect"
)

// DefaultMaxDepth is the nesting limit of Unmarshal when Codec.MaxDepth is
// zero: arrays, maps and tags may nest this deep, one level more is a
// *SyntaxError. Smithy and Kinesis shapes need far less.
const DefaultMaxDepth = 64

// MaxEncodeDepth bounds the nesting (containers and pointers) Marshal
// follows before it gives up with an *UnsupportedValueError; it is what
// stops a cyclic value.
const MaxEncodeDepth = 1000

// TimeFormat selects how a Codec writes time.Time and reads tag 1.
type TimeFormat int

const (
	// EpochSeconds is RFC 8949 and Smithy RPC v2 CBOR: tag 1 holding a
	// float64 (always the 8-byte form) of seconds since the Unix epoch,
	// truncated to milliseconds. Tag 1 content, integer or float, is read as
	// seconds.
	EpochSeconds TimeFormat = iota
	// EpochMillis is AWS's application/x-amz-cbor-1.1 (what the AWS SDK for
	// Java v1 and v2 and the KCL send and expect): tag 1 holding an integer
	// of milliseconds since the Unix epoch, against RFC 8949. Tag 1 content,
	// integer or float, is read as milliseconds. The Java SDK fails to parse
	// a float there, and takes seconds for milliseconds.
	EpochMillis
)

// Codec is a CBOR configuration. The zero value is RFC 8949 with
// EpochSeconds and DefaultMaxDepth; a Codec is a plain value, safe to copy
// and to use concurrently.
type Codec struct {
	Time     TimeFormat // how time.Time is written and tag 1 is read
	MaxDepth int        // Unmarshal nesting limit; 0 means DefaultMaxDepth
}

// Marshaler is a type that encodes itself. MarshalCBOR must return exactly
// one well-formed CBOR item; Marshal checks it.
type Marshaler interface {
	MarshalCBOR() ([]byte, error)
}

// Unmarshaler is a type that decodes itself. UnmarshalCBOR receives one
// well-formed CBOR item (null included, unless the Unmarshaler is reached
// through a pointer, which null sets to nil). It must copy data to keep it.
type Unmarshaler interface {
	UnmarshalCBOR(data []byte) error
}

// RawMessage is an encoded CBOR item kept as is: Marshal writes it
// unchanged (nil writes null), Unmarshal stores a copy of the item. It
// lets a caller decode an envelope now and its payload later.
type RawMessage []byte

// MarshalCBOR returns m, or null when m is nil.
func (m RawMessage) MarshalCBOR() ([]byte, error) {
	if m == nil {
		return []byte{0xf6}, nil
	}
	return m, nil
}

// UnmarshalCBOR stores a copy of data in *m.
func (m *RawMessage) UnmarshalCBOR(data []byte) error {
	*m = append((*m)[:0], data...)
	return nil
}

var (
	_ Marshaler   = RawMessage(nil)
	_ Unmarshaler = (*RawMessage)(nil)
)

// Marshal encodes v with the zero Codec (RFC 8949, EpochSeconds).
func Marshal(v any) ([]byte, error) { return Codec{}.Marshal(v) }

// Unmarshal decodes data into v, a non-nil pointer, with the zero Codec.
func Unmarshal(data []byte, v any) error { return Codec{}.Unmarshal(data, v) }

// Marshal encodes v as CBOR. The errors are *UnsupportedTypeError,
// *UnsupportedValueError and *MarshalerError.
func (c Codec) Marshal(v any) ([]byte, error) {
	e := encoder{time: c.Time}
	if err := e.value(reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return e.bytes(), nil
}

// Unmarshal decodes data, which must be exactly one CBOR item, into v, a
// non-nil pointer. The errors are *SyntaxError (nothing was stored),
// *UnmarshalTypeError, *UnsupportedTypeError, *InvalidUnmarshalError and
// whatever an Unmarshaler returns, wrapped.
func (c Codec) Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &InvalidUnmarshalError{Type: reflect.TypeOf(v)}
	}
	if err := wellFormed(data, c.maxDepth()); err != nil {
		return err
	}
	d := decoder{data: data, time: c.Time}
	return d.value(rv.Elem())
}

func (c Codec) maxDepth() int {
	if c.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return c.MaxDepth
}
