package function

import (
	"context"
	"errors"
	"sync"
	"time"
)

// tracker is a shard's records in flight, in shard order: it records
// which are done and moves the shard's checkpoint to the last record
// below which all are. Safe for concurrent use by the shard's lanes.
type tracker struct {
	m     *Mappings
	id    string
	shard string

	mu       sync.Mutex
	items    []batchItem     // read and not yet below the checkpoint
	done     map[string]bool // the seqs of items that are done
	progress chan struct{}   // closed (and replaced) at each finish
	err      error
}

func newTracker(m *Mappings, id, shard string) *tracker {
	return &tracker{m: m, id: id, shard: shard, done: map[string]bool{}, progress: make(chan struct{})}
}

// add appends records just read.
func (t *tracker) add(items []batchItem) {
	t.mu.Lock()
	t.items = append(t.items, items...)
	t.mu.Unlock()
}

// outstanding is the number of records read and not yet done, the number
// not yet below the checkpoint, and a channel closed at the next finish.
func (t *tracker) outstanding() (busy, window int, progress <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.items) - len(t.done), len(t.items), t.progress
}

// finish marks items done and stores the checkpoint if it moved; false
// means the checkpoint could not be stored.
func (t *tracker) finish(items []batchItem) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, it := range items {
		t.done[it.seq] = true
	}
	n := 0
	for n < len(t.items) && t.done[t.items[n].seq] {
		delete(t.done, t.items[n].seq)
		n++
	}
	if n == 0 {
		close(t.progress)
		t.progress = make(chan struct{})
		return t.err == nil
	}
	last := t.items[n-1].seq
	t.items = t.items[n:]
	if t.err == nil {
		if err := t.m.setCheckpoint(t.id, t.shard, last); err != nil {
			t.m.log.Warn("event source mapping checkpoint", "uuid", t.id, "err", err)
			t.err = err
		}
	}
	close(t.progress)
	t.progress = make(chan struct{})
	return t.err == nil
}

// dispatch hands records just read to the lanes: records the filters
// drop are done at once; records older than MaximumRecordAgeInSeconds are
// discarded to the on-failure destination; the rest go to their key's
// lane. False means ctx ended or the checkpoint could not be stored.
func (m *Mappings) dispatch(ctx context.Context, r *run, shard string, items []batchItem, tr *tracker, lanes []chan []batchItem) bool {
	e := r.e
	tr.add(items)
	var skipped, aged, live []batchItem
	now := m.fn.now()
	for _, it := range items {
		switch {
		case !it.keep:
			skipped = append(skipped, it)
		case tooOld(e, it, now):
			aged = append(aged, it)
		default:
			live = append(live, it)
		}
	}
	for rest := aged; len(rest) > 0; {
		n := min(len(rest), int(e.BatchSize))
		m.discard(ctx, r, shard, rest[:n], failure{condition: "RecordAgeExceeded"})
		rest = rest[n:]
	}
	if len(skipped)+len(aged) > 0 && !tr.finish(append(skipped, aged...)) {
		return false
	}
	for l, chunk := range splitLanes(live, len(lanes)) {
		if len(chunk) == 0 {
			continue
		}
		select {
		case lanes[l] <- chunk:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

func tooOld(e *esmRecord, it batchItem, now time.Time) bool {
	a := e.maxAge()
	return a >= 0 && !it.arrival.IsZero() && now.Sub(it.arrival) > time.Duration(a)*time.Second
}

// runLane delivers the records sent on ch in order, in batches of up to
// BatchSize (and Lambda's payload limit), until ctx ends. False means a
// checkpoint could not be stored.
func (m *Mappings) runLane(ctx context.Context, r *run, shard string, ch <-chan []batchItem, tr *tracker) bool {
	size := int(r.e.BatchSize)
	var buf []batchItem
	for {
		if len(buf) == 0 {
			select {
			case <-ctx.Done():
				return true
			case c := <-ch:
				buf = c
			}
		}
	fill:
		for len(buf) < size {
			select {
			case c := <-ch:
				buf = append(buf, c...)
			default:
				break fill
			}
		}
		b := fitPayload(buf[:min(len(buf), size)])
		if !m.deliver(ctx, r, shard, b, tr) {
			return ctx.Err() != nil
		}
		buf = buf[len(b):]
	}
}

// failure describes why records are discarded, for the on-failure record.
type failure struct {
	condition string // RetryAttemptsExhausted, RecordAgeExceeded
	invokes   int
	res       invokeResult
}

// deliver invokes the function with items until it succeeds, the retries
// or the records' age run out, or (with BisectBatchOnFunctionError) the
// halves were delivered; it marks the records done in tr as they are.
// False means ctx ended first or a checkpoint could not be stored.
func (m *Mappings) deliver(ctx context.Context, r *run, shard string, items []batchItem, tr *tracker) bool {
	e := r.e
	delay := m.opts.RetryDelay
	invokes := 0
	var last invokeResult
	for retries := int32(0); ; {
		if old := oldest(e, items, m.fn.now()); old {
			m.discard(ctx, r, shard, items, failure{condition: "RecordAgeExceeded", invokes: invokes, res: last})
			return tr.finish(items)
		}
		res := m.invokeBatch(ctx, e, items)
		if ctx.Err() != nil {
			return false
		}
		invokes++
		last = res
		if res.ok() {
			m.setResult(e.UUID, "OK")
			return tr.finish(items)
		}
		throttled := errors.Is(res.err, ErrThrottled)
		if res.err != nil && !throttled {
			m.log.Warn("event source mapping invoke", "uuid", e.UUID, "err", res.err)
		}
		m.setResult(e.UUID, "PROBLEM: Function call failed")
		if res.failedAt > 0 { // partial batch response: the records before are done
			if !tr.finish(items[:res.failedAt]) {
				return false
			}
			items = items[res.failedAt:]
		}
		if !throttled && res.failedAt < 0 && e.Bisect && len(items) > 1 {
			half := len(items) / 2
			return m.deliver(ctx, r, shard, items[:half], tr) && m.deliver(ctx, r, shard, items[half:], tr)
		}
		if !throttled {
			retries++
			if e.MaxRetries >= 0 && retries > e.MaxRetries {
				m.log.Warn("event source mapping dropped a batch after its retries", "uuid", e.UUID,
					"shard", shard, "first", items[0].seq, "last", items[len(items)-1].seq)
				m.discard(ctx, r, shard, items, failure{condition: "RetryAttemptsExhausted", invokes: invokes, res: res})
				return tr.finish(items)
			}
		}
		if !m.pause(ctx, delay) {
			return false
		}
		delay = min(2*delay, time.Minute)
	}
}

func oldest(e *esmRecord, items []batchItem, now time.Time) bool {
	for _, it := range items {
		if tooOld(e, it, now) {
			return true
		}
	}
	return false
}
