package cbor

import (
	"errors"
	"fmt"
	"reflect"
)

// ErrSyntax is what every *SyntaxError unwraps to: the input is not one
// well-formed CBOR item within the decoder's limits. Check with
// errors.Is(err, ErrSyntax) or errors.As(err, new(*SyntaxError)).
var ErrSyntax = errors.New("cbor: syntax error")

// SyntaxError reports malformed or over-limit input and where it was found.
type SyntaxError struct {
	Offset int64  // byte offset in the input of the item or byte at fault
	msg    string // what is wrong, e.g. "unexpected end of input"
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("cbor: syntax error at offset %d: %s", e.Offset, e.msg)
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

func syntaxErr(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: int64(off), msg: fmt.Sprintf(format, args...)}
}

// UnmarshalTypeError reports a well-formed CBOR item that cannot be stored
// in the Go value it was meant for: a wrong type, or a number that does not
// fit (overflow), or a timestamp out of the supported range.
type UnmarshalTypeError struct {
	Value  string       // the CBOR item, e.g. "text string", "integer 300"
	Type   reflect.Type // the Go type it could not be stored in; nil for `any` limits
	Offset int64        // byte offset of the item
	Field  string       // dotted path of struct fields leading to the value, if any
}

func (e *UnmarshalTypeError) Error() string {
	into := "Go value"
	if e.Type != nil {
		into = "Go value of type " + e.Type.String()
	}
	s := fmt.Sprintf("cbor: cannot unmarshal %s into %s at offset %d", e.Value, into, e.Offset)
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	return s
}

// InvalidUnmarshalError reports an argument to Unmarshal that is not a
// non-nil pointer.
type InvalidUnmarshalError struct {
	Type reflect.Type
}

func (e *InvalidUnmarshalError) Error() string {
	if e.Type == nil {
		return "cbor: Unmarshal(nil)"
	}
	if e.Type.Kind() != reflect.Pointer {
		return "cbor: Unmarshal(non-pointer " + e.Type.String() + ")"
	}
	return "cbor: Unmarshal(nil " + e.Type.String() + ")"
}

// UnsupportedTypeError reports a Go type Marshal cannot encode (channels,
// functions, complex numbers, maps whose keys are not strings) or Unmarshal
// cannot decode into.
type UnsupportedTypeError struct {
	Type reflect.Type
}

func (e *UnsupportedTypeError) Error() string {
	return "cbor: unsupported type: " + e.Type.String()
}

// UnsupportedValueError reports a value Marshal refuses: nesting deeper
// than MaxEncodeDepth (a cyclic value, usually) or a time.Time outside
// years 0-9999.
type UnsupportedValueError struct {
	Type reflect.Type
	Str  string
}

func (e *UnsupportedValueError) Error() string {
	return "cbor: unsupported value of type " + e.Type.String() + ": " + e.Str
}

// MarshalerError wraps the failure of a Marshaler: the error its
// MarshalCBOR returned, or a *SyntaxError when what it returned is not
// exactly one well-formed CBOR item.
type MarshalerError struct {
	Type reflect.Type
	Err  error
}

func (e *MarshalerError) Error() string {
	return "cbor: error calling MarshalCBOR for type " + e.Type.String() + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *MarshalerError) Unwrap() error { return e.Err }
