package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Stream statuses as AWS reports them.
const (
	statusCreating = "CREATING"
	statusActive   = "ACTIVE"
	statusUpdating = "UPDATING"
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
	Shards         []shardMeta       `json:"shards"` // index i is shardId-i; closed shards stay
	Tags           map[string]string `json:"tags,omitempty"`
	Scalings       []time.Time       `json:"scalings,omitempty"` // UpdateShardCount calls, last 24 h
	// Pending is the reshard an UPDATING stream is applying
	// (reshard_task.go); nil otherwise.
	Pending *reshardIntent `json:"pending,omitempty"`
}

// shardMeta is one shard: its hash-key range, lineage, and the JetStream
// sequences and times at which it opened and closed. A shard holds only
// records with JetStream sequences in [OpenSeq, CloseSeq].
type shardMeta struct {
	Start    string    `json:"start"` // decimal hash keys
	End      string    `json:"end"`
	Parent   string    `json:"parent,omitempty"`    // ParentShardId
	Adjacent string    `json:"adjacent,omitempty"`  // AdjacentParentShardId
	OpenSeq  uint64    `json:"open_seq,omitempty"`  // 0 for the stream's first shards
	CloseSeq uint64    `json:"close_seq,omitempty"` // the stream's last sequence when it closed
	Opened   time.Time `json:"opened,omitzero"`     // zero: the stream's creation
	Closed   time.Time `json:"closed,omitzero"`     // zero while open
}

func (sh *shardMeta) isOpen() bool { return sh.Closed.IsZero() }

// control is what every published state of one stream shares: the
// batcher and the locks that serialize changes to the stream.
//
// Lock order: admin, then gate, then Service.mu.
type control struct {
	batch *batcher // nil while the stream is being created
	// admin serializes metadata changes (reshards, retention, tags,
	// deletion): each reads the current state and publishes a new one.
	admin sync.Mutex
	// gate: writers hold it shared from routing a record until it is
	// stored; a reshard holds it exclusively while it closes shards, so
	// no record lands in a shard after its CloseSeq.
	gate sync.RWMutex
	// gone is closed once the stream has left Service.streams (deleted,
	// or its creation failed); a CreateStream of the same name waits on it.
	gone chan struct{}
	// created is closed once a CREATING stream is published ACTIVE (nil
	// for streams loaded at Start).
	created chan struct{}
}

// streamState is a loaded stream: its metadata and the open shards in
// hash-key order for routing. Immutable once published in
// Service.streams; a change publishes a new state with the same control.
type streamState struct {
	meta   streamMeta
	open   []int  // indexes of the open shards, by starting hash key
	starts []u128 // their starting hash keys
	// updated, for a state published UPDATING by a reshard call, is
	// closed once the reshard task has finished (or given up); nil
	// otherwise.
	updated chan struct{}
	*control
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
		MaxAge:             m.retention(),
		AllowDirect:        true,
		AllowAtomicPublish: true,
		Description:        "tarn Kinesis stream " + m.Region + "/" + m.Name,
	}
}

func newState(m streamMeta, ctl *control) (*streamState, error) {
	if ctl == nil {
		ctl = &control{}
	}
	st := &streamState{meta: m, control: ctl}
	for i, sh := range m.Shards {
		if !sh.isOpen() {
			continue
		}
		k, ok := parseHashKey(sh.Start)
		if !ok {
			return nil, fmt.Errorf("stream %s shard %d: bad start %q", m.Name, i, sh.Start)
		}
		st.open = append(st.open, i)
		st.starts = append(st.starts, k)
	}
	sort.Sort(byStart{st})
	return st, nil
}

type byStart struct{ st *streamState }

func (b byStart) Len() int           { return len(b.st.open) }
func (b byStart) Less(i, j int) bool { return b.st.starts[i].cmp(b.st.starts[j]) < 0 }
func (b byStart) Swap(i, j int) {
	b.st.open[i], b.st.open[j] = b.st.open[j], b.st.open[i]
	b.st.starts[i], b.st.starts[j] = b.st.starts[j], b.st.starts[i]
}

// clone is a deep copy of m that a change may modify.
func (m *streamMeta) clone() streamMeta {
	c := *m
	c.Shards = append([]shardMeta(nil), m.Shards...)
	c.Scalings = append([]time.Time(nil), m.Scalings...)
	if m.Tags != nil {
		c.Tags = make(map[string]string, len(m.Tags))
		for k, v := range m.Tags {
			c.Tags[k] = v
		}
	}
	return c
}

func (s *Service) saveMeta(m *streamMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.meta.Set(metaKey(m.Region, m.Name), b)
}

// load reads every stream, finishing interrupted creations (the
// JetStream stream is created if missing), deletions and reshards (an
// UPDATING stream's stored intent is applied).
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
		if m.Status == statusUpdating {
			done, err := s.settleReshard(ctx, m)
			if err != nil {
				return err
			}
			if err := s.saveMeta(&done); err != nil {
				return err
			}
			m = done
		}
		st, err := newState(m, &control{batch: newBatcher(s.nc, s.log), gone: make(chan struct{})})
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

// current is the published state of the stream key (region/name), nil if
// there is none.
func (s *Service) current(key string) *streamState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.streams[key]
}

// publish replaces the published state of m's stream by one with the same
// control; the caller holds ctl.admin.
func (s *Service) publish(m streamMeta, ctl *control) (*streamState, error) {
	st, err := newState(m, ctl)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.streams[m.Region+"/"+m.Name] = st
	s.mu.Unlock()
	return st, nil
}

func (st *streamState) key() string { return st.meta.Region + "/" + st.meta.Name }

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
