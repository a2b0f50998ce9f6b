package dynamo

import (
	"encoding/json"
	"strconv"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// codec is AWS JSON 1.0 with a fast path for the answers that carry many
// items (Query, Scan, GetItem): they render themselves, copying stored
// items' JSON as is when nothing filters or projects them, instead of
// decoding and re-encoding each through encoding/json.
type codec struct{}

var _ awsjson.Codec = codec{}

// selfRendering answers append their own JSON.
type selfRendering interface{ appendJSON(dst []byte) []byte }

func (codec) ContentType() string { return awsjson.ContentType10 }

func (codec) Marshal(v any) ([]byte, error) {
	if r, ok := v.(selfRendering); ok {
		return r.appendJSON(make([]byte, 0, 512)), nil
	}
	return json.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error { return awsjson.JSON10.Unmarshal(data, v) }

// storedJSON is the item JSON inside a stored value (after its size).
func storedJSON(v []byte) []byte {
	for i, c := range v {
		if c < 0x80 {
			return v[i+1:]
		}
	}
	return nil
}

func appendMember(dst []byte, name string, first bool) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

func appendCapacity(dst []byte, cc *ConsumedCapacity) []byte {
	if cc == nil {
		return dst
	}
	j, _ := json.Marshal(cc)
	return append(appendMember(dst, "ConsumedCapacity", false), j...)
}

func (o *queryOut) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendMember(dst, "Count", true)
	dst = strconv.AppendInt(dst, int64(o.Count), 10)
	dst = appendMember(dst, "ScannedCount", false)
	dst = strconv.AppendInt(dst, int64(o.ScannedCount), 10)
	if o.Items != nil || o.raw != nil {
		dst = appendMember(dst, "Items", false)
		dst = append(dst, '[')
		for i, it := range o.Items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = attr.AppendItemJSON(dst, it)
		}
		for i, r := range o.raw {
			if i > 0 || len(o.Items) > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, r...)
		}
		dst = append(dst, ']')
	}
	if o.LastEvaluatedKey != nil {
		dst = appendMember(dst, "LastEvaluatedKey", false)
		dst = attr.AppendItemJSON(dst, o.LastEvaluatedKey)
	}
	dst = appendCapacity(dst, o.ConsumedCapacity)
	return append(dst, '}')
}

// decoded is the answer's items as values (PartiQL works on those).
func (o *queryOut) decoded() ([]attr.Item, error) {
	if o.raw == nil {
		return o.Items, nil
	}
	out := append([]attr.Item(nil), o.Items...)
	for _, r := range o.raw {
		it, err := attr.DecodeItem(r)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (o *getItemOut) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	first := true
	if o.Item != nil {
		dst = appendMember(dst, "Item", true)
		dst = attr.AppendItemJSON(dst, o.Item)
		first = false
	} else if o.raw != nil {
		dst = appendMember(dst, "Item", true)
		dst = append(dst, o.raw...)
		first = false
	}
	if o.ConsumedCapacity != nil {
		j, _ := json.Marshal(o.ConsumedCapacity)
		dst = append(appendMember(dst, "ConsumedCapacity", first), j...)
	}
	return append(dst, '}')
}

func (o *getItemOut) decoded() (attr.Item, error) {
	if o.raw == nil {
		return o.Item, nil
	}
	return attr.DecodeItem(o.raw)
}
