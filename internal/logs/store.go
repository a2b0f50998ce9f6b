package logs

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/kv"
)

// Key layout, in Options.Meta (names never contain NUL, so "\x00" ends a
// name and sorts before every character a name may hold):
//
//	g/REGION\x00GROUP                         → groupRecord (JSON)
//	s/REGION\x00GROUP\x00STREAM               → streamRecord (JSON)
//	e/REGION\x00GROUP\x00STREAM\x00<ts><seq>  → <ingestion ms 8 bytes><message>
//	tokenkey                                  → token signing key (internal/token)
//
// ts is the event's timestamp in epoch milliseconds as 8 bytes big-endian
// with the sign bit flipped (so negative times sort first); seq is the
// stream's 8-byte big-endian event counter, so events of one stream with
// the same timestamp keep their order of arrival. GetLogEvents is one range
// scan of a stream's e/ keys; FilterLogEvents merges the scans of the
// group's streams by (timestamp, stream, seq). Events and the stream
// record they change are written in one batch.
const (
	pfxGroup  = "g/"
	pfxStream = "s/"
	pfxEvent  = "e/"
)

// groupRecord is a log group's stored state.
type groupRecord struct {
	Name         string            `json:"name"`
	CreationTime int64             `json:"creationTime"`
	Retention    int32             `json:"retentionInDays,omitempty"`
	Class        string            `json:"logGroupClass,omitempty"`
	KmsKeyID     string            `json:"kmsKeyId,omitempty"`
	Deletion     bool              `json:"deletionProtection,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
}

// streamRecord is a log stream's stored state. First/Last are event
// timestamps (valid when Events > 0); Seq is the next event counter.
type streamRecord struct {
	Name          string `json:"name"`
	CreationTime  int64  `json:"creationTime"`
	First         int64  `json:"first,omitempty"`
	Last          int64  `json:"last,omitempty"`
	LastIngestion int64  `json:"lastIngestion,omitempty"`
	StoredBytes   int64  `json:"storedBytes,omitempty"`
	Events        int64  `json:"events,omitempty"`
	Seq           uint64 `json:"seq,omitempty"`
}

func groupKey(region, group string) []byte {
	return []byte(pfxGroup + region + "\x00" + group)
}

// groupsPrefix is the prefix of every group key of region.
func groupsPrefix(region string) []byte { return []byte(pfxGroup + region + "\x00") }

func streamKey(region, group, stream string) []byte {
	return []byte(pfxStream + region + "\x00" + group + "\x00" + stream)
}

// streamsPrefix is the prefix of every stream key of a group.
func streamsPrefix(region, group string) []byte {
	return []byte(pfxStream + region + "\x00" + group + "\x00")
}

// eventsPrefix is the prefix of every event key of a stream.
func eventsPrefix(region, group, stream string) []byte {
	return []byte(pfxEvent + region + "\x00" + group + "\x00" + stream + "\x00")
}

// groupEventsPrefix is the prefix of every event key of a group.
func groupEventsPrefix(region, group string) []byte {
	return []byte(pfxEvent + region + "\x00" + group + "\x00")
}

// pos is an event's place in its stream: timestamp, then arrival.
type pos struct {
	TS  int64
	Seq uint64
}

func (p pos) less(q pos) bool { return p.TS < q.TS || p.TS == q.TS && p.Seq < q.Seq }

// appendPos appends the 16-byte sortable encoding of p.
func appendPos(b []byte, p pos) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(p.TS)^(1<<63))
	return binary.BigEndian.AppendUint64(b, p.Seq)
}

func eventKey(prefix []byte, p pos) []byte {
	return appendPos(append(make([]byte, 0, len(prefix)+16), prefix...), p)
}

// decodePos reads the position at the end of an event key.
func decodePos(key []byte) (pos, bool) {
	if len(key) < 16 {
		return pos{}, false
	}
	t := key[len(key)-16:]
	return pos{TS: int64(binary.BigEndian.Uint64(t) ^ (1 << 63)), Seq: binary.BigEndian.Uint64(t[8:])}, true
}

// encodeEvent is an event's value: ingestion time and message.
func encodeEvent(ingestion int64, msg string) []byte {
	v := make([]byte, 8, 8+len(msg))
	binary.BigEndian.PutUint64(v, uint64(ingestion))
	return append(v, msg...)
}

func decodeEvent(v []byte) (ingestion int64, msg string, err error) {
	if len(v) < 8 {
		return 0, "", errors.New("logs: corrupt event value")
	}
	return int64(binary.BigEndian.Uint64(v)), string(v[8:]), nil
}

// getJSON reads the JSON record under key into v; found is false when the
// key is absent.
func getJSON(sp kv.Space, key []byte, v any) (found bool, err error) {
	b, err := sp.Get(key)
	if errors.Is(err, kv.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("logs: decode %q: %w", key, err)
	}
	return true, nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil { // records are plain structs of strings and numbers
		panic(err)
	}
	return b
}

// getGroup returns a copy of a group's record (ResourceNotFoundException
// when it does not exist), from the cache or Pebble. The caller holds mu
// (read or write): see recordCache.
func (s *Service) getGroup(region, group string) (*groupRecord, error) {
	key := groupKey(region, group)
	if g, ok := s.cache.group(string(key)); ok {
		return &g, nil
	}
	var g groupRecord
	ok, err := getJSON(s.meta, key, &g)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errGroupNotFound()
	}
	s.cache.fillGroup(string(key), g)
	return &g, nil
}

// getStream returns a copy of a stream's record, from the cache or Pebble.
// The caller holds mu (read or write).
func (s *Service) getStream(region, group, stream string) (*streamRecord, error) {
	return s.loadStream(region, group, stream, false)
}

// loadStream is getStream; with fill it caches what it read from Pebble,
// which only a holder of the stream's stripe (or of mu for writing) may
// do: every other writer of the record is excluded then, so the record
// read is current. (A reader holding only mu.RLock could otherwise cache
// a record an append has just replaced.)
func (s *Service) loadStream(region, group, stream string, fill bool) (*streamRecord, error) {
	key := streamKey(region, group, stream)
	if st, ok := s.cache.stream(string(key)); ok {
		return &st, nil
	}
	var st streamRecord
	ok, err := getJSON(s.meta, key, &st)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errStreamNotFound()
	}
	if fill {
		s.cache.fillStream(string(key), st)
	}
	return &st, nil
}

// listStreams returns the stream records of a group whose names start
// with prefix, in name order.
func (s *Service) listStreams(region, group, prefix string) ([]streamRecord, error) {
	base := streamsPrefix(region, group)
	lo := append(append([]byte(nil), base...), prefix...)
	it, err := s.meta.Iter(lo, kv.PrefixEnd(lo))
	if err != nil {
		return nil, err
	}
	var out []streamRecord
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return nil, err
		}
		var st streamRecord
		if err := json.Unmarshal(v, &st); err != nil {
			it.Close()
			return nil, fmt.Errorf("logs: decode stream: %w", err)
		}
		out = append(out, st)
	}
	return out, it.Close()
}

// scanStreams returns up to n stream records of a group whose names start
// with prefix and sort after the name after (before it when desc; nil
// means from the start), in name order (descending with desc).
func (s *Service) scanStreams(region, group, prefix string, after []byte, desc bool, n int) ([]streamRecord, error) {
	base := streamsPrefix(region, group)
	lo := append(append([]byte(nil), base...), prefix...)
	hi := kv.PrefixEnd(lo)
	if after != nil {
		k := append(append([]byte(nil), base...), after...)
		if desc {
			hi = k
		} else {
			lo = append(k, 0)
		}
	}
	it, err := s.meta.Iter(lo, hi)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []streamRecord
	ok := it.First()
	if desc {
		ok = it.Last()
	}
	for ; ok && len(out) < n; ok = advance(it, !desc) {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var st streamRecord
		if err := json.Unmarshal(v, &st); err != nil {
			return nil, fmt.Errorf("logs: decode stream: %w", err)
		}
		out = append(out, st)
	}
	return out, nil
}
