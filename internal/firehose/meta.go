package firehose

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Delivery stream types and statuses as AWS reports them.
const (
	typeDirectPut     = "DirectPut"
	typeKinesisSource = "KinesisStreamAsSource"
	statusCreating    = "CREATING"
	statusActive      = "ACTIVE"
)

// Keys in the Meta space:
//
//	ds/<region>/<name>            JSON streamMeta
//	buf/<epoch:16x>/<seq:16x>     a buffered DirectPut record: 8-byte arrival (Unix ns) + data
//	kpos/<epoch:16x>/<shard id>   last delivered Kinesis sequence number of a shard
//
// The epoch (creation time in µs) names a delivery stream's buffer, so a
// re-created stream never sees the old one's records.
const (
	dsPrefix   = "ds/"
	bufPrefix  = "buf/"
	kposPrefix = "kpos/"
)

// streamMeta is a delivery stream's durable description.
type streamMeta struct {
	Name    string    `json:"name"`
	Region  string    `json:"region"`
	Epoch   int64     `json:"epoch"`
	Type    string    `json:"type"`
	Status  string    `json:"status"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated,omitzero"`
	// Source is set for KinesisStreamAsSource; reading starts at
	// DeliveryStart (the creation time: AWS starts at LATEST).
	Source        *kinesisSourceConfig `json:"source,omitempty"`
	DeliveryStart time.Time            `json:"delivery_start,omitzero"`
	Dest          s3Config             `json:"dest"`
	Tags          []tag                `json:"tags,omitempty"`
}

func metaKey(region, name string) []byte { return []byte(dsPrefix + region + "/" + name) }

func epochHex(epoch int64) string { return fmt.Sprintf("%016x", uint64(epoch)) }

func bufKey(epoch int64, seq uint64) []byte {
	return []byte(bufPrefix + epochHex(epoch) + "/" + fmt.Sprintf("%016x", seq))
}

func bufStreamPrefix(epoch int64) []byte { return []byte(bufPrefix + epochHex(epoch) + "/") }

func kposKey(epoch int64, shard string) []byte {
	return []byte(kposPrefix + epochHex(epoch) + "/" + shard)
}

func kposStreamPrefix(epoch int64) []byte { return []byte(kposPrefix + epochHex(epoch) + "/") }

func encodeBuffered(at time.Time, data []byte) []byte {
	b := make([]byte, 8, 8+len(data))
	binary.BigEndian.PutUint64(b, uint64(at.UnixNano()))
	return append(b, data...)
}

func decodeBuffered(v []byte) (time.Time, []byte, error) {
	if len(v) < 8 {
		return time.Time{}, nil, fmt.Errorf("firehose: corrupt buffered record")
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(), v[8:], nil
}

func (m *streamMeta) arn() string {
	return fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", m.Region, accountID, m.Name)
}

func (m *streamMeta) versionID() string { return strconv.Itoa(m.Version) }

func (s *Service) saveMeta(m *streamMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.meta.Set(metaKey(m.Region, m.Name), b)
}

// scan calls fn for every key and value under prefix, with copies fn may
// keep.
func scan(sp kv.Space, prefix []byte, fn func(k, v []byte) error) error {
	it, err := sp.Iter(prefix, kv.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err == nil {
			err = fn(bytes.Clone(it.Key()), bytes.Clone(v))
		}
		if err != nil {
			it.Close()
			return err
		}
	}
	return it.Close()
}

// load reads every delivery stream, its buffered records and its source
// positions, drops buffers no stream owns (left by a crash during a
// delete), and starts delivery.
func (s *Service) load(ctx context.Context) error {
	var metas []streamMeta
	err := scan(s.meta, []byte(dsPrefix), func(k, v []byte) error {
		var m streamMeta
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("firehose: %s: %w", k, err)
		}
		metas = append(metas, m)
		return nil
	})
	if err != nil {
		return err
	}
	owned := map[string]bool{}
	for i := range metas {
		m := &metas[i]
		owned[epochHex(m.Epoch)] = true
		if m.Status == statusCreating {
			m.Status = statusActive
			if err := s.saveMeta(m); err != nil {
				return err
			}
		}
		d, err := s.newDeliveryStream(*m)
		if err != nil {
			return fmt.Errorf("firehose: load %s: %w", m.Name, err)
		}
		if err := d.recover(); err != nil {
			return fmt.Errorf("firehose: recover %s: %w", m.Name, err)
		}
		s.streams[m.Region+"/"+m.Name] = d
		s.lastEpoch = max(s.lastEpoch, m.Epoch)
	}
	if err := s.dropOrphans(owned); err != nil {
		return err
	}
	for _, d := range s.streams {
		d.start()
	}
	return nil
}

// dropOrphans deletes buffer and position keys of epochs no stream owns.
func (s *Service) dropOrphans(owned map[string]bool) error {
	b := s.db.NewBatch()
	defer b.Close()
	for _, p := range []string{bufPrefix, kposPrefix} {
		err := scan(s.meta, []byte(p), func(k, _ []byte) error {
			epoch, _, _ := strings.Cut(strings.TrimPrefix(string(k), p), "/")
			if !owned[epoch] {
				b.Delete(s.meta, k)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if b.Empty() {
		return nil
	}
	return b.Commit()
}

var streamNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

func validName(name string) error {
	if len(name) < 1 || len(name) > 64 {
		return errValidation("deliveryStreamName", name, "Member must have length between 1 and 64")
	}
	if !streamNamePattern.MatchString(name) {
		return errValidation("deliveryStreamName", name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	return nil
}

// lookup returns the delivery stream a request names.
func (s *Service) lookup(ctx context.Context, name string) (*deliveryStream, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	s.mu.RLock()
	d := s.streams[s.regionOf(ctx)+"/"+name]
	s.mu.RUnlock()
	if d == nil {
		return nil, errStreamNotFound(name)
	}
	return d, nil
}
