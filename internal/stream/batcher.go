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

// batcher serializes a stream's writes into JetStream atomic batches.
// Concurrent put calls that arrive while a batch is being stored are
// coalesced into the next batch, so many writers share one fsync. All
// messages of one put are in the same batch: stored all or none, with
// consecutive sequences. Safe for concurrent use.
type batcher struct {
	nc   *nats.Conn
	log  *slog.Logger
	reqs chan *putReq // unbuffered: a send succeeds only while run is receiving
	quit chan struct{}
	done chan struct{}
	once sync.Once
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

// flush returns once every put the batcher took before it is stored (or
// failed): a barrier, used by reshards after closing the write gate.
func (b *batcher) flush(ctx context.Context) error {
	_, err := b.put(ctx, nil)
	return err
}

// stop waits for the batch in flight; later puts fail with errStopped.
// A nil batcher (a stream still being created) has nothing to stop.
func (b *batcher) stop() {
	if b == nil {
		return
	}
	b.once.Do(func() { close(b.quit) })
	<-b.done
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

// commit publishes the group and answers each request. A group of
// single-record puts (concurrent PutRecord calls) is published as
// pipelined individual messages, which JetStream stores with one flush
// per write burst; anything else goes as one atomic batch.
func (b *batcher) commit(group []*putReq, n int) {
	if n > 1 && allSingles(group) {
		b.commitSingles(group)
		return
	}
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

func allSingles(group []*putReq) bool {
	for _, r := range group {
		if len(r.msgs) != 1 {
			return false
		}
	}
	return true
}

// commitSingles publishes each one-record request as its own message, all
// in flight at once, and answers each with its own acknowledgement.
func (b *batcher) commitSingles(group []*putReq) {
	var wg sync.WaitGroup
	for _, r := range group {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq, err := b.publish(r.msgs)
			if err != nil {
				b.log.Warn("kinesis publish failed", "records", 1, "err", err)
				r.done <- putResult{err: err}
				return
			}
			r.done <- putResult{seqs: []uint64{seq}}
		}()
	}
	wg.Wait()
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
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	resp, err := b.nc.RequestMsgWithContext(ctx, last)
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
	if id != "" && (ack.Batch != id || ack.Count != len(msgs)) {
		return 0, fmt.Errorf("publish: batch ack %+v does not match batch %s of %d", ack, id, len(msgs))
	}
	return ack.Seq, nil
}
