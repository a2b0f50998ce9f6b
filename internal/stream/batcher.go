package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"
)

// Coalescing limits: one JetStream atomic batch holds at most
// maxBatchMsgs messages (the server's default limit is 1000) and about
// maxBatchBytes of payload.
const (
	maxBatchMsgs   = 1000
	maxBatchBytes  = 16 << 20
	publishTimeout = 30 * time.Second
)

// errStopped means the batcher was stopped before the write was taken.
var errStopped = errors.New("stream: stopped")

// pubMsg is one record as published: its shard's subject and body.
type pubMsg struct {
	subject string
	data    []byte
}

type putReq struct {
	msgs []pubMsg
	size int
	done chan putResult // buffered(1)
}

type putResult struct {
	seqs []uint64 // JetStream sequence of each message, in order
	err  error
}

// batcher stores a stream's writes in JetStream.
//
// Multi-record puts (PutRecords) are serialized into atomic batches:
// concurrent puts that arrive while a batch is being stored are coalesced
// into the next batch, so many writers share one fsync. All messages of
// one put are in the same batch: stored all or none, with consecutive
// sequences.
//
// A single-record put (PutRecord) is published at once as its own
// message on the shared connection, never waiting behind another put:
// concurrent PutRecord calls are pipelined to the server, whose file store
// writes and fsyncs each burst of queued messages together (SyncAlways),
// so they share fsyncs as a batch would, without a batch's round trip and
// barrier. Each call is answered by its own JetStream acknowledgement,
// i.e. only once its record is stored.
//
// Safe for concurrent use.
type batcher struct {
	nc   *nats.Conn
	log  *slog.Logger
	reqs chan *putReq // unbuffered: a send succeeds only while run is receiving
	quit chan struct{}
	done chan struct{}
	once sync.Once
	// singles is held shared by each single-record put while it is
	// published (putOne), and exclusively by stop, which sets stopped.
	singles sync.RWMutex
	stopped bool
}

func newBatcher(nc *nats.Conn, log *slog.Logger) *batcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &batcher{nc: nc, log: log, reqs: make(chan *putReq), quit: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// put stores msgs durably (len(msgs) <= maxBatchMsgs) and returns their
// JetStream sequences. If ctx ends first the outcome is unknown, as for
// any write whose answer is lost.
func (b *batcher) put(ctx context.Context, msgs []pubMsg) ([]uint64, error) {
	if len(msgs) == 1 {
		return b.putOne(ctx, msgs[0])
	}
	r := &putReq{msgs: msgs, done: make(chan putResult, 1)}
	for _, m := range msgs {
		r.size += len(m.data) + len(m.subject)
	}
	select {
	case b.reqs <- r:
	case <-b.quit:
		return nil, errStopped
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case res := <-r.done:
		return res.seqs, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// putOne publishes one message directly (see batcher) and waits for its
// acknowledgement or ctx.
func (b *batcher) putOne(ctx context.Context, m pubMsg) ([]uint64, error) {
	b.singles.RLock()
	defer b.singles.RUnlock()
	if b.stopped {
		return nil, errStopped
	}
	seq, err := b.request(ctx, &nats.Msg{Subject: m.subject, Data: m.data}, 0, "")
	if err != nil {
		b.log.Warn("kinesis publish failed", "records", 1, "err", err)
		return nil, err
	}
	return []uint64{seq}, nil
}

// flush returns once every put the batcher took before it is stored (or
// failed): a barrier, used by reshards after closing the write gate
// (single-record puts hold the gate until they are stored, so the gate
// alone drains them).
func (b *batcher) flush(ctx context.Context) error {
	_, err := b.put(ctx, nil)
	return err
}

// stop waits for the batch and the single puts in flight; later puts
// fail with errStopped. A nil batcher has nothing to stop.
func (b *batcher) stop() {
	if b == nil {
		return
	}
	b.once.Do(func() { close(b.quit) })
	<-b.done
	b.singles.Lock()
	b.stopped = true
	b.singles.Unlock()
}

func (b *batcher) run() {
	defer close(b.done)
	var carry *putReq
	for {
		first := carry
		carry = nil
		if first == nil {
			select {
			case first = <-b.reqs:
			case <-b.quit:
				return
			}
		}
		group, n, size := []*putReq{first}, len(first.msgs), first.size
	gather:
		for n < maxBatchMsgs {
			select {
			case r := <-b.reqs:
				if n+len(r.msgs) > maxBatchMsgs || size+r.size > maxBatchBytes {
					carry = r
					break gather
				}
				group, n, size = append(group, r), n+len(r.msgs), size+r.size
			default:
				break gather
			}
		}
		b.commit(group, n)
	}
}

// commit publishes the group as one atomic batch and answers each
// request.
func (b *batcher) commit(group []*putReq, n int) {
	msgs := make([]pubMsg, 0, n)
	for _, r := range group {
		msgs = append(msgs, r.msgs...)
	}
	var last uint64
	var err error
	if n > 0 { // a group of flushes only publishes nothing
		last, err = b.publish(msgs)
	}
	if err != nil {
		b.log.Warn("kinesis publish failed", "records", n, "err", err)
	}
	first := last - uint64(n) + 1
	for _, r := range group {
		if err != nil {
			r.done <- putResult{err: err}
			continue
		}
		seqs := make([]uint64, len(r.msgs))
		for i := range seqs {
			seqs[i] = first
			first++
		}
		r.done <- putResult{seqs: seqs}
	}
}

// pubAck is JetStream's answer to a publish (or a batch commit).
type pubAck struct {
	Stream string `json:"stream"`
	Seq    uint64 `json:"seq"`
	Batch  string `json:"batch"`
	Count  int    `json:"count"`
	Error  *struct {
		Code        int    `json:"code"`
		ErrCode     int    `json:"err_code"`
		Description string `json:"description"`
	} `json:"error"`
}

// publish stores msgs and returns the sequence of the last one. More than
// one message goes as a JetStream atomic batch (Nats-Batch-Id /
// -Sequence / -Commit): the server stages the messages and commits them
// together with consecutive sequences and a single fsync; only the commit
// is acknowledged.
func (b *batcher) publish(msgs []pubMsg) (uint64, error) {
	var id string
	if len(msgs) > 1 {
		id = nuid.Next()
		for i, m := range msgs[:len(msgs)-1] {
			err := b.nc.PublishMsg(&nats.Msg{Subject: m.subject, Data: m.data, Header: nats.Header{
				"Nats-Batch-Id": {id}, "Nats-Batch-Sequence": {strconv.Itoa(i + 1)}}})
			if err != nil {
				return 0, fmt.Errorf("batch publish: %w", err)
			}
		}
	}
	m := msgs[len(msgs)-1]
	last := &nats.Msg{Subject: m.subject, Data: m.data}
	if id != "" {
		last.Header = nats.Header{"Nats-Batch-Id": {id}, "Nats-Batch-Sequence": {strconv.Itoa(len(msgs))},
			"Nats-Batch-Commit": {"1"}}
	}
	return b.request(context.Background(), last, len(msgs), id)
}

// request publishes m (the only or the last message of batch id, whose
// length is n) and waits for JetStream's acknowledgement, at most
// publishTimeout; it returns the stored sequence.
func (b *batcher) request(ctx context.Context, m *nats.Msg, n int, id string) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	resp, err := b.nc.RequestMsgWithContext(ctx, m)
	if err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	var ack pubAck
	if err := json.Unmarshal(resp.Data, &ack); err != nil {
		return 0, fmt.Errorf("publish ack %q: %w", resp.Data, err)
	}
	if ack.Error != nil {
		return 0, fmt.Errorf("publish: jetstream error %d: %s", ack.Error.ErrCode, ack.Error.Description)
	}
	if id != "" && (ack.Batch != id || ack.Count != n) {
		return 0, fmt.Errorf("publish: batch ack %+v does not match batch %s of %d", ack, id, n)
	}
	return ack.Seq, nil
}
