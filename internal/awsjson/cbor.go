package awsjson

import (
	"time"

	"github.com/tarnhq/tarn/internal/cbor"
)

// CBORContentType is AWS's CBOR protocol media type, which the AWS SDK for
// Java and the KCL use with Kinesis by default.
const CBORContentType = "application/x-amz-cbor-1.1"

// CBOR is the AWS CBOR 1.1 codec: the same shapes as JSON, blobs as byte
// strings, timestamps as tag 1 holding integer epoch milliseconds (what
// the Java SDK writes and parses, unlike RFC 8949's seconds).
var CBOR Codec = cborCodec{}

// awsCBOR is the cbor configuration of AWS's protocol.
var awsCBOR = cbor.Codec{Time: cbor.EpochMillis}

type cborCodec struct{}

func (cborCodec) ContentType() string           { return CBORContentType }
func (cborCodec) Marshal(v any) ([]byte, error) { return awsCBOR.Marshal(v) }
func (cborCodec) Unmarshal(data []byte, v any) error {
	if len(data) == 0 {
		return nil // an empty body is an empty input, as in JSON
	}
	return awsCBOR.Unmarshal(data, v)
}

// MarshalCBOR writes t as AWS CBOR does: tag 1, epoch milliseconds.
func (t Timestamp) MarshalCBOR() ([]byte, error) { return awsCBOR.Marshal(time.Time(t)) }

// UnmarshalCBOR reads tag 1 (or a bare number) as epoch milliseconds.
func (t *Timestamp) UnmarshalCBOR(data []byte) error {
	var tm time.Time
	if err := awsCBOR.Unmarshal(data, &tm); err != nil {
		return err
	}
	*t = Timestamp(tm.UTC())
	return nil
}
