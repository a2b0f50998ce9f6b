package function

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Asynchronous (InvocationType Event) invocations are queued durably in
// Meta under "q/NANOS/REQUESTID" before Invoke answers 202, and run by the
// queue worker. A function error is retried MaximumRetryAttempts times
// (PutFunctionEventInvokeConfig; default 2), after RetryDelay, 2*RetryDelay;
// a throttle is retried without counting an attempt, except that with
// reserved concurrency 0 an event fails at once (as AWS). An event older than
// MaximumEventAgeInSeconds (default 6 h) is not run again. When an event
// is done (success, retries exhausted, age exceeded) and the qualifier's
// DestinationConfig names an OnSuccess / OnFailure destination, the entry
// is rewritten in place (one atomic Set) into a delivery of Lambda's
// invocation record (destination.go), which the same worker then sends;
// so a record is never lost between the failure and its delivery, even
// across a restart. Without a destination a failed event is dropped with
// a warning in the log, as AWS drops it without a DLQ.

const (
	// DefaultRetryDelay is the wait before the first retry of a failed
	// asynchronous invocation (AWS: about one minute, then two).
	DefaultRetryDelay = time.Minute
	maxAsyncPayload   = 1 << 20 // AWS raised the async limit to 1 MB
	asyncRetries      = 2
	asyncWorkers      = 4
)

type queued struct {
	Region    string    `json:"region"`
	Name      string    `json:"name"`
	Qualifier string    `json:"qualifier"`
	Payload   []byte    `json:"payload"`
	RequestID string    `json:"requestId"`
	Attempt   int       `json:"attempt"`
	Enqueued  time.Time `json:"enqueued"`
	NotBefore time.Time `json:"notBefore"`
	// Invokes counts the attempts that ran (throttles excluded); the
	// record's approximateInvokeCount.
	Invokes int `json:"invokes,omitempty"`
	// The last attempt's response, for the invocation record.
	Version       string `json:"version,omitempty"`
	FunctionError string `json:"functionError,omitempty"`
	Response      []byte `json:"response,omitempty"`
	// Deliver, when set, makes the entry a destination delivery, not an
	// invocation.
	Deliver *delivery `json:"deliver,omitempty"`
}

func queueKey(q *queued, now time.Time) []byte {
	return fmt.Appendf(nil, "q/%020d/%s", now.UnixNano(), q.RequestID)
}

// enqueue answers an Event invocation: stored durably, then 202.
func (s *Service) enqueue(w http.ResponseWriter, region, name, qual string, payload []byte) error {
	id, err := s.store(region, name, qual, payload)
	if err != nil {
		return err
	}
	w.Header().Set("X-Amzn-RequestId", id)
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *Service) store(region, name, qual string, payload []byte) (string, error) {
	if len(payload) > maxAsyncPayload {
		return "", errf("RequestTooLargeException", http.StatusRequestEntityTooLarge,
			"Request must be smaller than %d bytes for the InvokeFunction operation", maxAsyncPayload)
	}
	q := &queued{Region: region, Name: name, Qualifier: qual, Payload: payload, RequestID: newID(), Enqueued: s.now()}
	b, err := json.Marshal(q)
	if err != nil {
		return "", err
	}
	if err := s.meta.Set(queueKey(q, s.now()), b); err != nil {
		return "", err
	}
	s.wake()
	return q.RequestID, nil
}

func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// runQueue dispatches due queue entries to up to asyncWorkers goroutines.
func (s *Service) runQueue() {
	defer s.bgWG.Done()
	sem := make(chan struct{}, asyncWorkers)
	inflight := map[string]bool{}
	doneKeys := make(chan string, asyncWorkers)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, it := range s.dueEntries(inflight) {
			select {
			case sem <- struct{}{}:
			case <-s.bg.Done():
				return
			}
			inflight[string(it.key)] = true
			s.bgWG.Add(1)
			go func() {
				defer s.bgWG.Done()
				s.runQueued(it.key, it.q)
				<-sem
				doneKeys <- string(it.key)
			}()
		}
		select {
		case <-s.bg.Done():
			return
		case k := <-doneKeys:
			delete(inflight, k)
		case <-s.kick:
		case <-tick.C:
		}
	drain:
		for {
			select {
			case k := <-doneKeys:
				delete(inflight, k)
			default:
				break drain
			}
		}
	}
}

type queueItem struct {
	key []byte
	q   *queued
}

func (s *Service) dueEntries(inflight map[string]bool) []queueItem {
	p := []byte("q/")
	it, err := s.meta.Iter(p, kv.PrefixEnd(p))
	if err != nil {
		return nil
	}
	defer it.Close()
	now := s.now()
	var out []queueItem
	for ok := it.First(); ok && len(out) < asyncWorkers; ok = it.Next() {
		k := append([]byte(nil), it.Key()...)
		if inflight[string(k)] {
			continue
		}
		v, err := it.Value()
		if err != nil {
			continue
		}
		var q queued
		if json.Unmarshal(v, &q) != nil {
			continue
		}
		if q.NotBefore.After(now) {
			continue
		}
		out = append(out, queueItem{key: k, q: &q})
	}
	return out
}

// runQueued makes one attempt at q (or delivers it, for a delivery entry)
// and then deletes, reschedules or turns it into a delivery.
func (s *Service) runQueued(key []byte, q *queued) {
	if q.Deliver != nil {
		s.deliver(key, q)
		return
	}
	rec, err := s.load(q.Region, q.Name)
	var v *version
	if err == nil {
		v, err = s.resolve(q.Region, q.Name, rec, q.Qualifier)
	}
	if err != nil {
		s.log.Warn("function: dropping asynchronous invocation", "function", q.Name, "requestId", q.RequestID, "err", err)
		_ = s.meta.Delete(key)
		return
	}
	retries, maxAge := rec.retryPolicy(q.Qualifier)
	if s.now().Sub(q.Enqueued) > maxAge {
		s.done(key, q, rec, condEventAge)
		return
	}
	limit := s.opts.MaxEnvironments
	if rec.Reserved != nil {
		limit = int(*rec.Reserved)
	}
	if limit == 0 {
		// AWS (since 2021-08): with reserved concurrency 0 an event goes
		// to the on-failure destination at once, without retries.
		s.done(key, q, rec, condRetries)
		return
	}
	arn := v.Config.FunctionArn
	if q.Qualifier != "" && v.Config.Version != q.Qualifier {
		arn = s.arn(q.Region, q.Name) + ":" + q.Qualifier
	}
	out, err := s.invokeVersion(s.bg, q.Region, v, arn, q.Payload, limit)
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.Type == "TooManyRequestsException":
		if s.now().Sub(q.Enqueued) > maxAge {
			s.done(key, q, rec, condEventAge)
			return
		}
		s.reschedule(key, q, s.opts.RetryDelay) // throttles do not use an attempt
		return
	case err == nil && out.FunctionError == "":
		q.Invokes++
		q.Version, q.FunctionError, q.Response = v.Config.Version, "", out.Payload
		s.done(key, q, rec, condSuccess)
		return
	}
	if s.bg.Err() != nil {
		return // stopping: the entry stays queued for the next Start
	}
	q.Invokes++
	q.Version, q.FunctionError, q.Response = v.Config.Version, out.FunctionError, out.Payload
	if err != nil {
		q.FunctionError, q.Response = "Unhandled", errorPayload("ServiceException", err.Error())
	}
	if q.Attempt >= retries {
		s.done(key, q, rec, condRetries)
		return
	}
	if s.now().Sub(q.Enqueued) > maxAge {
		s.done(key, q, rec, condEventAge)
		return
	}
	q.Attempt++
	s.reschedule(key, q, time.Duration(q.Attempt)*s.opts.RetryDelay)
}

func (s *Service) reschedule(key []byte, q *queued, after time.Duration) {
	if s.bg.Err() != nil {
		return // stopping: the entry stays queued for the next Start
	}
	q.NotBefore = s.now().Add(after)
	b, err := json.Marshal(q)
	if err != nil {
		return
	}
	_ = s.meta.Set(key, b)
}
