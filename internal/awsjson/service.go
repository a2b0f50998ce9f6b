package awsjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/request"
)

// MaxBodyBytes bounds a request body (Kinesis PutRecords carries up to
// 5 MiB of data, base64-inflated by 4/3, plus keys).
const MaxBodyBytes = 16 << 20

// Handler serves one operation: decode fills the operation's input (it
// returns a *Error with SerializationException when the body does not
// parse), and the result is the output shape to encode, or an error.
type Handler func(ctx context.Context, decode func(v any) error) (any, error)

// Op adapts a typed operation function to a Handler. A nil *Out encodes
// as {}.
func Op[In, Out any](fn func(ctx context.Context, in *In) (*Out, error)) Handler {
	return func(ctx context.Context, decode func(any) error) (any, error) {
		in := new(In)
		if err := decode(in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// Service dispatches X-Amz-Target requests of one target prefix to
// registered operations. Register every operation before serving; after
// that a Service is safe for concurrent use.
type Service struct {
	name   string // for messages, e.g. "Kinesis"
	prefix string // e.g. "Kinesis_20131202"
	log    *slog.Logger
	ops    map[string]Handler
	codecs map[string]Codec // media type → codec; JSON always present
}

// NewService returns a dispatcher for target prefix, naming the service
// name in messages. A nil logger discards logs.
func NewService(name, prefix string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{name: name, prefix: prefix, log: log, ops: map[string]Handler{},
		codecs: map[string]Codec{ContentType: JSON, "application/x-amz-json-1.0": JSON, "application/json": JSON}}
}

// Handle registers h for operation op (e.g. "PutRecord").
func (s *Service) Handle(op string, h Handler) { s.ops[op] = h }

// Unimplemented registers operations that answer UnknownOperationException
// naming themselves: listed here so the API surface reads in one place.
func (s *Service) Unimplemented(ops ...string) {
	for _, op := range ops {
		s.ops[op] = func(context.Context, func(any) error) (any, error) {
			return nil, UnknownOperation(s.name, op)
		}
	}
}

// RegisterCodec makes requests with c's Content-Type decode and answer in
// c (for example CBOR).
func (s *Service) RegisterCodec(c Codec) { s.codecs[c.ContentType()] = c }

// ServeHTTP implements the protocol; see the package documentation.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	codec := JSON
	if c, ok := s.codecs[mediaType(r.Header.Get("Content-Type"))]; ok {
		codec = c
	}
	if id := request.ID(ctx); id != "" {
		w.Header().Set("x-amzn-RequestId", id)
	}
	target := r.Header.Get("X-Amz-Target")
	prefix, op, _ := strings.Cut(target, ".")
	request.SetOperation(ctx, op)
	h, ok := s.ops[op]
	if r.Method != http.MethodPost || prefix != s.prefix || !ok {
		if op == "" {
			op = target
		}
		writeError(w, codec, UnknownOperation(s.name, op))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			writeError(w, codec, &Error{Code: CodeSerialization, Status: http.StatusRequestEntityTooLarge, Message: "request body too large"})
			return
		}
		writeError(w, codec, Errorf(CodeSerialization, "reading request body: %v", err))
		return
	}
	decode := func(v any) error {
		if err := codec.Unmarshal(body, v); err != nil {
			return Errorf(CodeSerialization, "%s", serializationMessage(err))
		}
		return nil
	}
	out, err := h(ctx, decode)
	if err != nil {
		s.writeErr(w, codec, op, err)
		return
	}
	resp, err := codec.Marshal(out)
	if err != nil {
		s.writeErr(w, codec, op, err)
		return
	}
	h2 := w.Header()
	h2.Set("Content-Type", codec.ContentType())
	h2.Set("Content-Length", strconv.Itoa(len(resp)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(resp)
}

func (s *Service) writeErr(w http.ResponseWriter, codec Codec, op string, err error) {
	if writeDetailed(w, codec, err) {
		return
	}
	var ae *Error
	if !errors.As(err, &ae) {
		s.log.Error("operation failed", "op", op, "err", err)
		ae = Internal()
	}
	writeError(w, codec, ae)
}

// serializationMessage keeps the decoder's message but not Go type names:
// a value of the wrong JSON type names the member and the JSON types.
func serializationMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the request"
		}
		return fmt.Sprintf("malformed request: %s must be %s, not %s", field, jsonKind(te.Type), te.Value)
	}
	return "malformed request: " + strings.TrimPrefix(err.Error(), "json: ")
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array"
	}
	return "an object"
}
