// Package cbor encodes and decodes CBOR (RFC 8949), the wire format of
// AWS's application/x-amz-cbor-1.1 protocol (Kinesis with the Java SDK and
// the Kinesis Client Library) and of Smithy's RPC v2 CBOR.
//
// The API mirrors encoding/json. Marshal and Unmarshal use the zero Codec;
// a Codec value selects the timestamp convention and the nesting limit.
//
// # Mapping
//
// Structs are CBOR maps keyed by the field's json tag name, with
// encoding/json's rules: `json:"name,omitempty"`, `json:",omitzero"`,
// "-" skips, untagged exported fields use the Go name, embedded structs are
// flattened (shallower fields win; at equal depth a tagged field wins, else
// the name is dropped). The ",string" option is ignored. Go values map as:
//
//	bool                   simple value 20/21
//	intN, uintN            major type 0 (n >= 0) or 1 (n < 0)
//	float32, float64       the shortest of half, single, double that holds the
//	                       value exactly; NaN is always f9 7e00
//	string                 text string (invalid UTF-8 becomes U+FFFD)
//	[]byte, [N]byte        byte string
//	slice, array           array
//	map[string-kind]T      map, keys in sorted order
//	struct                 map
//	time.Time              tag 1, see TimeFormat
//	nil pointer, nil slice,
//	nil map, nil interface null (simple value 22)
//	Marshaler              whatever MarshalCBOR returns (checked to be one item)
//
// Unmarshal is the mirror. Map keys match field names exactly first, then
// case-insensitively; unknown keys, and keys that are not text strings,
// are skipped. A text string holding
// base64 (standard alphabet, padded or not) is accepted for a []byte.
// Numbers go into any numeric kind when they fit (an integral float fits an
// integer kind); a value that does not fit is an *UnmarshalTypeError, never
// silently truncated. Null sets pointers, slices, maps and interfaces to nil
// and leaves other kinds unchanged. Tag 0 (RFC 3339 text) and tag 1 (epoch
// number) decode into time.Time, as do an untagged text string or number;
// every other tag decodes as its content. Into an empty interface a CBOR item
// becomes int64 (uint64 above MaxInt64), float64, bool, nil, string, []byte,
// []any, map[string]any or time.Time; a negative integer below MinInt64, a
// map key that is not a text string, and unassigned simple values are
// *UnmarshalTypeErrors there. Decoded []byte and strings never alias the
// input. Indefinite-length strings, arrays and maps are accepted everywhere;
// Marshal always writes definite lengths.
//
// # Untrusted input
//
// Unmarshal first checks that data is exactly one well-formed CBOR item
// within the limits, without allocating, and only then decodes, so that a
// malformed input changes nothing and costs no memory. It rejects, with a
// *SyntaxError: truncated items, lengths larger than the remaining input,
// reserved additional information (28-30), indefinite lengths on integers,
// tags and simple values, misplaced break codes, string chunks of the wrong
// type, invalid UTF-8 in text strings, two-byte simple values below 32,
// nesting deeper than Codec.MaxDepth (default 64), and bytes after the top
// item. Because every declared element is then known to be present, the
// decoder allocates at most as many elements as data has bytes. Type errors
// stop decoding at the first mismatch; v may then be partly filled.
//
// # Concurrency
//
// Marshal, Unmarshal and Codec methods are safe for concurrent use. Per-type
// field and encoder information is computed once and kept in package-level
// caches (sync.Map) that hold only immutable values derived from types, as
// encoding/json does; they carry no configuration and no per-call state.
package cbor
