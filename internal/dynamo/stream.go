package dynamo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// streamDesc is a stream's persisted definition (meta "s/<id>"). A table
// has at most one enabled stream; disabling it closes the stream (its
// records stay readable for the retention) and enabling again creates a
// new stream with a new ARN and label, as DynamoDB does.
type streamDesc struct {
	ID       uint64             `json:"id"`
	TableID  uint64             `json:"tableId"`
	Region   string             `json:"region"`
	Table    string             `json:"table"`
	Label    string             `json:"label"`
	ViewType string             `json:"viewType"`
	Created  time.Time          `json:"created"`
	Keys     []KeySchemaElement `json:"keys"`
	StartSeq uint64             `json:"startSeq"`
	Disabled *time.Time         `json:"disabled,omitempty"`
	EndSeq   uint64             `json:"endSeq,omitempty"` // last sequence when disabled (0: none written)
}

func (d *streamDesc) arn() string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s/stream/%s", d.Region, accountID, d.Table, d.Label)
}

// shardID is the stream's single shard (tarn keeps one shard per stream;
// DynamoDB rolls shards over every few hours and splits under load, which
// consumers that follow the shard lineage handle the same way).
func (d *streamDesc) shardID() string {
	return fmt.Sprintf("shardId-%020d-%08x", d.Created.UnixMilli(), uint32(d.ID*2654435761))
}

func streamLabel(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000") }

// streamState is a live stream: sequence allocation and visibility.
//
// Sequence numbers are reserved before a batch commits and released after
// (done); visible is the highest sequence below which every reserved
// number has committed or failed, so readers never skip a record that
// commits late. They increase across restarts: a new number is at least
// the current time in microseconds times 1000.
type streamState struct {
	desc atomic.Pointer[streamDesc]
	now  func() time.Time

	mu       sync.Mutex
	last     uint64   // last reserved
	inflight []uint64 // reserved, not done; ascending
	visible  uint64
	wake     chan struct{} // closed when visible advances
}

func (st *streamState) reserve() uint64 {
	st.mu.Lock()
	defer st.mu.Unlock()
	seq := st.last + 1
	if t := uint64(st.now().UnixMicro()) * 1000; t > seq {
		seq = t
	}
	st.last = seq
	st.inflight = append(st.inflight, seq)
	return seq
}

func (st *streamState) done(seq uint64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, v := range st.inflight {
		if v == seq {
			st.inflight = append(st.inflight[:i], st.inflight[i+1:]...)
			break
		}
	}
	vis := st.last
	if len(st.inflight) > 0 {
		vis = st.inflight[0] - 1
	}
	if vis > st.visible {
		st.visible = vis
		close(st.wake)
		st.wake = make(chan struct{})
	}
}

// watermark returns the visible sequence and a channel closed when it
// advances.
func (st *streamState) watermark() (uint64, <-chan struct{}) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.visible, st.wake
}

// openStream builds the live state of a stored stream.
func (s *Service) openStream(d *streamDesc) (*streamState, error) {
	st := &streamState{now: s.now, wake: make(chan struct{})}
	st.desc.Store(d)
	last := d.StartSeq
	it, err := s.recSp.Iter(tablePrefix(d.ID), tablePrefix(d.ID+1))
	if err != nil {
		return nil, err
	}
	if it.Last() {
		if k := it.Key(); len(k) == 16 {
			last = binary.BigEndian.Uint64(k[8:])
		}
	}
	if err := it.Close(); err != nil {
		return nil, err
	}
	st.last, st.visible = last, last
	return st, nil
}

// liveStream is the table's enabled stream, or nil.
func (s *Service) liveStream(d *tableDesc) *streamState {
	if !d.StreamOn || d.StreamID == 0 {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.streams[d.StreamID]
}

func recordKey(stream, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(tablePrefix(stream), seq)
}

// storedRecord is a stream record as stored: 8 bytes of creation time
// (Unix milliseconds) followed by this JSON.
type storedRecord struct {
	Event   string    `json:"e"`
	Keys    attr.Item `json:"k"`
	New     attr.Item `json:"n,omitempty"`
	Old     attr.Item `json:"o,omitempty"`
	Size    int       `json:"z"`
	Service bool      `json:"s,omitempty"`
}

func encodeRecord(c *change, view string, now time.Time) []byte {
	r := storedRecord{Service: c.service}
	src := c.new
	switch {
	case c.old == nil:
		r.Event = "INSERT"
	case c.new == nil:
		r.Event, src = "REMOVE", c.old
	default:
		r.Event = "MODIFY"
	}
	r.Keys = c.d.keyItem(src)
	r.Size = attr.ItemSize(r.Keys)
	if (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES") && c.new != nil {
		r.New, r.Size = c.new, r.Size+attr.ItemSize(c.new)
	}
	if (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES") && c.old != nil {
		r.Old, r.Size = c.old, r.Size+attr.ItemSize(c.old)
	}
	b := binary.BigEndian.AppendUint64(nil, uint64(now.UnixMilli()))
	j, _ := json.Marshal(&r) // attr items always marshal
	return append(b, j...)
}

// Record is a stream record in the exact shape of DynamoDB Streams'
// GetRecords (and of a Lambda DynamoDB event record, which adds
// eventSourceARN).
type Record struct {
	EventID        string        `json:"eventID"`
	EventName      string        `json:"eventName"`
	EventVersion   string        `json:"eventVersion"`
	EventSource    string        `json:"eventSource"`
	AwsRegion      string        `json:"awsRegion"`
	Dynamodb       StreamRecord  `json:"dynamodb"`
	UserIdentity   *UserIdentity `json:"userIdentity,omitempty"`
	EventSourceARN string        `json:"eventSourceARN,omitempty"`
}

// StreamRecord is the "dynamodb" member of a Record.
type StreamRecord struct {
	ApproximateCreationDateTime awsjson.Timestamp `json:"ApproximateCreationDateTime"`
	Keys                        attr.Item         `json:"Keys"`
	NewImage                    attr.Item         `json:"NewImage,omitempty"`
	OldImage                    attr.Item         `json:"OldImage,omitempty"`
	SequenceNumber              string            `json:"SequenceNumber"`
	SizeBytes                   int64             `json:"SizeBytes"`
	StreamViewType              string            `json:"StreamViewType"`
}

// UserIdentity marks records of deletions by the service (TTL). The
// DynamoDB Streams API capitalizes its members (PrincipalId, Type); a
// Lambda event spells them principalId and type.
type UserIdentity struct {
	PrincipalID string `json:"PrincipalId"`
	Type        string `json:"Type"`
}

func formatSeq(seq uint64) string { return fmt.Sprintf("%021d", seq) }

// decodeRecord renders a stored record of stream d at seq.
func decodeRecord(d *streamDesc, seq uint64, v []byte) (Record, error) {
	if len(v) < 8 {
		return Record{}, fmt.Errorf("dynamo: corrupt stream record %d", seq)
	}
	ms := int64(binary.BigEndian.Uint64(v))
	var r storedRecord
	if err := json.Unmarshal(v[8:], &r); err != nil {
		return Record{}, fmt.Errorf("dynamo: stream record %d: %w", seq, err)
	}
	h := sha256.Sum256(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, d.ID), seq))
	out := Record{EventID: hex.EncodeToString(h[:16]), EventName: r.Event, EventVersion: "1.1",
		EventSource: "aws:dynamodb", AwsRegion: d.Region,
		Dynamodb: StreamRecord{ApproximateCreationDateTime: awsjson.Timestamp(time.Unix(ms/1000, 0).UTC()),
			Keys: r.Keys, NewImage: r.New, OldImage: r.Old, SequenceNumber: formatSeq(seq),
			SizeBytes: int64(r.Size), StreamViewType: d.ViewType}}
	if r.Service {
		out.UserIdentity = &UserIdentity{PrincipalID: "dynamodb.amazonaws.com", Type: "Service"}
	}
	return out, nil
}

func recordTime(v []byte) time.Time {
	if len(v) < 8 {
		return time.Time{}
	}
	return time.UnixMilli(int64(binary.BigEndian.Uint64(v)))
}
