package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Stream statuses as AWS reports them.
const (
	statusCreating = "CREATING"
	statusActive   = "ACTIVE"
	statusDeleting = "DELETING"
)

// Metadata keys in the Meta space:
//
//	stream/<region>/<name>  JSON streamMeta
//	tokenkey                32 random bytes signing opaque tokens
const streamPrefix = "stream/"

// streamMeta is a stream's durable description.
type streamMeta struct {
	Name           string            `json:"name"`
	Region         string            `json:"region"`
	Epoch          int64             `json:"epoch"` // creation time in µs; names the JetStream stream
	Status         string            `json:"status"`
	Mode           string            `json:"mode"` // PROVISIONED | ON_DEMAND
	RetentionHours int               `json:"retention_hours"`
	Created        time.Time         `json:"created"`
	Shards         []shardMeta       `json:"shards"`
	Tags           map[string]string `json:"tags,omitempty"`
}

// shardMeta is one shard: its hash-key range and the JetStream sequence
// the stream was at when the shard opened.
type shardMeta struct {
	Start string `json:"start"` // decimal hash keys
	End   string `json:"end"`
}

// streamState is a loaded stream: its metadata, parsed shard starts for
// routing, and its batcher. Immutable once published in Service.streams.
type streamState struct {
	meta   streamMeta
	starts []u128
	batch  *batcher
}

func metaKey(region, name string) []byte { return []byte(streamPrefix + region + "/" + name) }

func (m *streamMeta) arn() string {
	return fmt.Sprintf("arn:aws:kinesis:%s:%s:stream/%s", m.Region, accountID, m.Name)
}

// jsName is the JetStream stream holding the records.
func (m *streamMeta) jsName() string { return fmt.Sprintf("KINESIS_%d", m.Epoch) }

// subject is the JetStream subject of shard i.
func (m *streamMeta) subject(i int) string { return fmt.Sprintf("kinesis.%d.%d", m.Epoch, i) }

func (m *streamMeta) streamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:               m.jsName(),
		Subjects:           []string{fmt.Sprintf("kinesis.%d.*", m.Epoch)},
		Storage:            jetstream.FileStorage,
		Retention:          jetstream.LimitsPolicy,
		MaxAge:             time.Duration(m.RetentionHours) * time.Hour,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		Description:        "tarn Kinesis stream " + m.Region + "/" + m.Name,
	}
}

func newState(m streamMeta, b *batcher) (*streamState, error) {
	st := &streamState{meta: m, batch: b}
	for i, sh := range m.Shards {
		k, ok := parseHashKey(sh.Start)
		if !ok {
			return nil, fmt.Errorf("stream %s shard %d: bad start %q", m.Name, i, sh.Start)
		}
		st.starts = append(st.starts, k)
	}
	return st, nil
}

func (s *Service) saveMeta(m *streamMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.meta.Set(metaKey(m.Region, m.Name), b)
}

// load reads every stream, finishing interrupted creations (the
// JetStream stream is created if missing) and deletions.
func (s *Service) load(ctx context.Context) error {
	it, err := s.meta.Iter([]byte(streamPrefix), []byte(streamPrefix+"\xff"))
	if err != nil {
		return err
	}
	var metas []streamMeta
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		var m streamMeta
		if err := json.Unmarshal(v, &m); err != nil {
			it.Close()
			return fmt.Errorf("%s: %w", it.Key(), err)
		}
		metas = append(metas, m)
	}
	if err := it.Close(); err != nil {
		return err
	}
	for _, m := range metas {
		if m.Status == statusDeleting {
			if err := s.dropStream(ctx, &m); err != nil {
				return err
			}
			continue
		}
		if _, err := s.js.CreateOrUpdateStream(ctx, m.streamConfig()); err != nil {
			return fmt.Errorf("jetstream stream for %s: %w", m.Name, err)
		}
		if m.Status == statusCreating {
			m.Status = statusActive
			if err := s.saveMeta(&m); err != nil {
				return err
			}
		}
		st, err := newState(m, newBatcher(s.nc, s.log))
		if err != nil {
			return err
		}
		s.streams[m.Region+"/"+m.Name] = st
		s.lastEpoch = max(s.lastEpoch, m.Epoch)
	}
	return nil
}

// dropStream deletes m's JetStream stream and then its metadata.
func (s *Service) dropStream(ctx context.Context, m *streamMeta) error {
	if err := s.js.DeleteStream(ctx, m.jsName()); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("delete jetstream stream %s: %w", m.jsName(), err)
	}
	return s.meta.Delete(metaKey(m.Region, m.Name))
}

var streamNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

func validStreamName(field, name string) error {
	if len(name) < 1 || len(name) > 128 {
		return errValidation(field, name, "Member must have length between 1 and 128")
	}
	if !streamNamePattern.MatchString(name) {
		return errValidation(field, name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	return nil
}

// resolve names the stream a request refers to by StreamName or StreamARN.
func (s *Service) resolve(ctx context.Context, ref streamRef) (region, name string, err error) {
	region = s.regionOf(ctx)
	switch {
	case ref.StreamARN != "":
		parts := strings.SplitN(ref.StreamARN, ":", 6)
		if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kinesis" || !strings.HasPrefix(parts[5], "stream/") {
			return "", "", errInvalid("Invalid StreamARN %s.", ref.StreamARN)
		}
		region, name = parts[3], strings.TrimPrefix(parts[5], "stream/")
		if ref.StreamName != "" && ref.StreamName != name {
			return "", "", errInvalid("StreamARN %s and StreamName %s do not name the same stream.", ref.StreamARN, ref.StreamName)
		}
	case ref.StreamName != "":
		name = ref.StreamName
	default:
		return "", "", errInvalid("Either StreamName or StreamARN should be provided.")
	}
	return region, name, validStreamName("streamName", name)
}

// lookup returns the loaded stream a request refers to.
func (s *Service) lookup(ctx context.Context, ref streamRef) (*streamState, error) {
	region, name, err := s.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	st := s.streams[region+"/"+name]
	s.mu.RUnlock()
	if st == nil {
		return nil, errStreamNotFound(name)
	}
	return st, nil
}
