package stream

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

// Record bodies in JetStream: uvarint(len(PartitionKey)), PartitionKey,
// Data. No headers, so a record costs its bytes plus a few.
func encodeRecord(pk string, data []byte) []byte {
	b := make([]byte, 0, binary.MaxVarintLen32+len(pk)+len(data))
	b = binary.AppendUvarint(b, uint64(len(pk)))
	return append(append(b, pk...), data...)
}

func decodeRecord(b []byte) (pk string, data []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return "", nil, errors.New("stream: corrupt record body")
	}
	return string(b[w : w+int(n)]), b[w+int(n):], nil
}

// stored is one record read back from JetStream.
type stored struct {
	seq  uint64
	ts   time.Time
	pk   string
	data []byte
}

const fetchTimeout = 30 * time.Second

// directGet is JetStream's direct get request (batched form).
type directGet struct {
	Seq       uint64     `json:"seq,omitempty"`
	NextFor   string     `json:"next_by_subj"`
	Batch     int        `json:"batch"`
	MaxBytes  int        `json:"max_bytes,omitempty"`
	StartTime *time.Time `json:"start_time,omitempty"`
}

// fetch reads up to limit records of subject in stream js from sequence
// from (or, when at is set, from the first record stored at or after at),
// stopping after about maxBytes. pending is how many records of the
// subject remain after the last one returned. It is one batched direct get:
// stateless, so any number of readers may read the same shard at once.
func fetch(ctx context.Context, nc *nats.Conn, js, subject string, from uint64, at time.Time, limit, maxBytes int) (recs []stored, pending uint64, err error) {
	req := directGet{Seq: max(from, 1), NextFor: subject, Batch: limit, MaxBytes: maxBytes}
	if !at.IsZero() {
		req.StartTime, req.Seq = &at, 0
	}
	body, _ := json.Marshal(req)
	inbox := nc.NewRespInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return nil, 0, fmt.Errorf("direct get: %w", err)
	}
	defer sub.Unsubscribe()
	if err := nc.PublishRequest("$JS.API.DIRECT.GET."+js, inbox, body); err != nil {
		return nil, 0, fmt.Errorf("direct get: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	for {
		msg, err := sub.NextMsgWithContext(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("direct get: %w", err)
		}
		switch msg.Header.Get("Status") {
		case "":
		case "404": // nothing at or after from
			return nil, 0, nil
		case "204": // end of batch
			pending, _ = strconv.ParseUint(msg.Header.Get("Nats-Num-Pending"), 10, 64)
			return recs, pending, nil
		default:
			return nil, 0, fmt.Errorf("direct get: status %s %s", msg.Header.Get("Status"), msg.Header.Get("Description"))
		}
		seq, err := strconv.ParseUint(msg.Header.Get("Nats-Sequence"), 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("direct get: sequence: %w", err)
		}
		ts, err := time.Parse(time.RFC3339Nano, msg.Header.Get("Nats-Time-Stamp"))
		if err != nil {
			return nil, 0, fmt.Errorf("direct get: timestamp: %w", err)
		}
		pk, data, err := decodeRecord(msg.Data)
		if err != nil {
			return nil, 0, err
		}
		recs = append(recs, stored{seq: seq, ts: ts, pk: pk, data: data})
	}
}
