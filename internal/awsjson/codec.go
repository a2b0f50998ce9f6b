package awsjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"strconv"
	"time"
)

// Codec encodes and decodes operation shapes in one media type. The
// shapes are Go structs with json tags; a codec must honour those tags,
// treat []byte as binary and Timestamp as a point in time. Codecs are
// safe for concurrent use.
type Codec interface {
	ContentType() string
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// JSON is the AWS JSON 1.1 codec (encoding/json: []byte as base64).
var JSON Codec = jsonCodec{}

type jsonCodec struct{}

func (jsonCodec) ContentType() string           { return ContentType }
func (jsonCodec) Marshal(v any) ([]byte, error) { return json.Marshal(v) }
func (jsonCodec) Unmarshal(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // AWS treats an empty body as {}
	}
	return json.Unmarshal(data, v)
}

// mediaType returns the bare media type of a Content-Type header value.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	return mt
}

// Timestamp is an AWS timestamp: epoch seconds (with a millisecond
// fraction) as a JSON number. The zero Timestamp is the Unix epoch only
// when set explicitly; use *Timestamp with omitempty for optional fields.
type Timestamp time.Time

// Time returns t as a time.Time.
func (t Timestamp) Time() time.Time { return time.Time(t) }

// MarshalJSON renders epoch seconds, e.g. 1700000000.123.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON accepts epoch seconds as a number (what the SDKs send).
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("awsjson: timestamp %s is not a number of epoch seconds", b)
	}
	// Microsecond precision: a float64 holds today's epoch microseconds exactly.
	*t = Timestamp(time.UnixMicro(int64(math.Round(f * 1e6))).UTC())
	return nil
}
