package s3

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Relay backoff after a failed delivery, per function: doubling from
// relayMinBackoff up to relayMaxBackoff, reset by a success.
const (
	relayMinBackoff = 50 * time.Millisecond
	relayMaxBackoff = 30 * time.Second
)

// relay delivers the outbox: one goroutine, started by Start when a
// Notifier is configured and ended by Stop.
type relay struct {
	wake   chan struct{} // capacity 1: "the outbox may have grown"
	cancel context.CancelFunc
	done   chan struct{}
}

// startRelay starts the relay goroutine; the outbox left by an earlier
// run is delivered first.
func (s *Service) startRelay() {
	ctx, cancel := context.WithCancel(context.Background())
	s.relay.cancel, s.relay.done = cancel, make(chan struct{})
	go func() {
		defer close(s.relay.done)
		s.runRelay(ctx)
	}()
}

// stopRelay ends the relay goroutine and waits for it (or for ctx).
// Undelivered entries stay in the outbox for the next Start.
func (s *Service) stopRelay(ctx context.Context) error {
	if s.relay.cancel == nil {
		return nil
	}
	s.relay.cancel()
	select {
	case <-s.relay.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wakeRelay tells the relay that a commit added outbox entries.
func (s *Service) wakeRelay() {
	select {
	case s.relay.wake <- struct{}{}:
	default:
	}
}

// backoff is one function's retry state: no delivery to it before until.
type backoff struct {
	until time.Time
	wait  time.Duration
}

// storeBackoff is the key of the backoff after a database error (all functions).
const storeBackoff = ""

func (s *Service) runRelay(ctx context.Context) {
	waits := map[string]*backoff{}
	for {
		if err := s.drainOutbox(ctx, waits); err != nil && ctx.Err() == nil {
			s.fail(waits, storeBackoff, err)
		}
		var timer <-chan time.Time
		if next, ok := earliest(waits); ok {
			timer = time.After(time.Until(next))
		}
		select {
		case <-ctx.Done():
			return
		case <-s.relay.wake:
		case <-timer:
		}
	}
}

// fail doubles fn's backoff (from relayMinBackoff up to relayMaxBackoff).
func (s *Service) fail(waits map[string]*backoff, fn string, err error) {
	b := waits[fn]
	if b == nil {
		b = &backoff{wait: relayMinBackoff / 2}
		waits[fn] = b
	}
	b.wait = min(2*b.wait, relayMaxBackoff)
	b.until = time.Now().Add(b.wait)
	s.log.Warn("s3: deliver notification", "function", fn, "err", err, "retry_in", b.wait)
}

func earliest(waits map[string]*backoff) (time.Time, bool) {
	var t time.Time
	for _, b := range waits {
		if t.IsZero() || b.until.Before(t) {
			t = b.until
		}
	}
	return t, !t.IsZero()
}

// drainOutbox delivers the outbox entries in key (sequencer) order,
// deleting each after its delivery succeeded. A function that is backing
// off, or whose delivery fails in this drain (its backoff then grows), is
// skipped: each function receives its events in order, and a failing one
// holds up no other. A success clears the function's backoff, as does a
// drain that finds no entry for it. Within one drain it resumes after the
// last key seen rather than rescanning the deleted head; an entry
// committed meanwhile under a smaller sequencer (its writer allocated it
// earlier) is found by the next drain, which that writer's wakeRelay
// causes. It returns only database errors.
func (s *Service) drainOutbox(ctx context.Context, waits map[string]*backoff) error {
	now := time.Now()
	if b := waits[storeBackoff]; b != nil {
		if now.Before(b.until) {
			return nil
		}
		delete(waits, storeBackoff)
	}
	seen := map[string]bool{}
	from := []byte(famOutbox)
	for ctx.Err() == nil {
		key, e, ok, err := s.nextOutbox(from)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		from = append(key, 0)
		if seen[e.Function] && waits[e.Function] != nil {
			continue // failed earlier in this drain
		}
		seen[e.Function] = true
		if b := waits[e.Function]; b != nil && now.Before(b.until) {
			continue
		}
		if err := s.notifier.Deliver(ctx, e.Function, e.Event); errors.Is(err, ErrDestinationGone) {
			s.log.Warn("s3: drop notification for a missing function", "function", e.Function, "err", err)
		} else if err != nil {
			if ctx.Err() == nil {
				s.fail(waits, e.Function, err)
			}
			continue
		}
		delete(waits, e.Function)
		if err := s.meta.Delete(key); err != nil {
			return err
		}
	}
	for fn := range waits {
		if !seen[fn] && ctx.Err() == nil {
			delete(waits, fn)
		}
	}
	return nil
}

// nextOutbox returns the first outbox entry at or after from, if any. An
// entry that does not decode is logged and dropped (only a bug makes one).
func (s *Service) nextOutbox(from []byte) ([]byte, *outboxEntry, bool, error) {
	for {
		it, err := s.meta.Iter(from, kv.PrefixEnd([]byte(famOutbox)))
		if err != nil {
			return nil, nil, false, err
		}
		if !it.First() {
			return nil, nil, false, it.Close()
		}
		key := append([]byte(nil), it.Key()...)
		raw, err := it.Value()
		if cerr := it.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, nil, false, err
		}
		var e outboxEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			s.log.Error("s3: drop undecodable outbox entry", "key", string(key), "err", err)
			if err := s.meta.Delete(key); err != nil {
				return nil, nil, false, err
			}
			continue
		}
		return key, &e, true, nil
	}
}
