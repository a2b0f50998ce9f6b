package logs

import (
	"context"
	"fmt"
	"time"
)

type inputLogEvent struct {
	Timestamp *int64  `json:"timestamp"`
	Message   *string `json:"message"`
}

type putLogEventsInput struct {
	LogGroupName  *string         `json:"logGroupName"`
	LogStreamName *string         `json:"logStreamName"`
	LogEvents     []inputLogEvent `json:"logEvents"`
	SequenceToken *string         `json:"sequenceToken"` // accepted and ignored, as AWS does
	Entity        any             `json:"entity"`        // accepted and ignored
}

type rejectedLogEventsInfo struct {
	TooNewLogEventStartIndex *int32 `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int32 `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int32 `json:"expiredLogEventEndIndex,omitempty"`
}

type putLogEventsOutput struct {
	NextSequenceToken     string                 `json:"nextSequenceToken"`
	RejectedLogEventsInfo *rejectedLogEventsInfo `json:"rejectedLogEventsInfo,omitempty"`
}

// Event is one log event to append.
type Event struct {
	Time    time.Time
	Message string
}

// rawEvent is an event about to be stored.
type rawEvent struct {
	ts  int64
	msg string
}

func (s *Service) opPutLogEvents(ctx context.Context, in *putLogEventsInput) (*putLogEventsOutput, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if in.LogStreamName == nil {
		return nil, errRequired("logStreamName")
	}
	if in.LogEvents == nil {
		return nil, errRequired("logEvents")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if err := validStreamName("logStreamName", *in.LogStreamName); err != nil {
		return nil, err
	}
	n := len(in.LogEvents)
	if n == 0 {
		return nil, errConstraint("logEvents", "[]", "Member must have length greater than or equal to 1")
	}
	if n > maxBatchEvents {
		return nil, errConstraint("logEvents", fmt.Sprintf("[%d events]", n), fmt.Sprintf("Member must have length less than or equal to %d", maxBatchEvents))
	}
	evs := make([]rawEvent, n)
	size := 0
	for i, e := range in.LogEvents {
		if e.Timestamp == nil {
			return nil, errRequired(fmt.Sprintf("logEvents.%d.member.timestamp", i+1))
		}
		if e.Message == nil {
			return nil, errRequired(fmt.Sprintf("logEvents.%d.member.message", i+1))
		}
		if *e.Message == "" {
			return nil, errConstraint(fmt.Sprintf("logEvents.%d.member.message", i+1), "", "Member must have length greater than or equal to 1")
		}
		es := len(*e.Message) + eventOverhead
		if es > maxEventBytes {
			return nil, errInvalid("Log event too large: %d bytes exceeds limit of %d", es, maxEventBytes)
		}
		size += es
		if i > 0 && *e.Timestamp < evs[i-1].ts {
			return nil, errInvalid("Log events in a single PutLogEvents request must be in chronological order.")
		}
		evs[i] = rawEvent{ts: *e.Timestamp, msg: *e.Message}
	}
	if size > maxBatchBytes {
		return nil, errInvalid("Upload too large: %d bytes exceeds limit of %d", size, maxBatchBytes)
	}
	region, group, stream := s.regionOf(ctx), *in.LogGroupName, *in.LogStreamName
	out := &putLogEventsOutput{}
	st, err := s.appendEvents(ctx, region, group, stream, false, func(g *groupRecord) ([]rawEvent, error) {
		keep, rej, err := s.admit(g, evs)
		out.RejectedLogEventsInfo = rej
		return keep, err
	})
	if err != nil {
		return nil, err
	}
	out.NextSequenceToken = seqToken(st.Seq)
	return out, nil
}

// admit drops the events of a chronological batch that AWS rejects (more
// than 14 days old or older than the group's retention; more than 2 hours
// in the future) and reports them; the rest must span at most 24 hours.
func (s *Service) admit(g *groupRecord, evs []rawEvent) ([]rawEvent, *rejectedLogEventsInfo, error) {
	now := s.nowMS()
	var rej rejectedLogEventsInfo
	lo, hi := 0, len(evs)
	for i, e := range evs {
		if e.ts < now-maxTooOldMS {
			rej.TooOldLogEventEndIndex = ptr32(i)
			lo = i + 1
		}
		if g.Retention > 0 && e.ts < now-int64(g.Retention)*86400000 {
			rej.ExpiredLogEventEndIndex = ptr32(i)
			lo = max(lo, i+1)
		}
	}
	for i := len(evs) - 1; i >= lo; i-- {
		if evs[i].ts > now+maxTooNewMS {
			rej.TooNewLogEventStartIndex = ptr32(i)
			hi = i
		}
	}
	keep := evs[lo:hi]
	if len(keep) > 0 && keep[len(keep)-1].ts-keep[0].ts > maxBatchSpanMS {
		return nil, nil, errInvalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	if lo == 0 && hi == len(evs) {
		return keep, nil, nil
	}
	return keep, &rej, nil
}

func ptr32(i int) *int32 { v := int32(i); return &v }

// Put appends events to stream in group (region "" means Options.Region),
// creating the group and the stream if they do not exist, as Lambda and
// Glue do. Events are stored in the order given (times may be unordered
// across calls) without PutLogEvents' age checks; ingestion time is Now.
// Names must satisfy the API's rules (else an InvalidParameterException
// *awsjson.Error). Durable when it returns: one synced Pebble batch per
// call. Safe for concurrent use.
func (s *Service) Put(ctx context.Context, region, group, stream string, events []Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := validGroupName("logGroupName", group); err != nil {
		return err
	}
	if err := validStreamName("logStreamName", stream); err != nil {
		return err
	}
	evs := make([]rawEvent, len(events))
	for i, e := range events {
		evs[i] = rawEvent{ts: e.Time.UnixMilli(), msg: e.Message}
	}
	_, err := s.appendEvents(ctx, s.regionOr(region), group, stream, true,
		func(*groupRecord) ([]rawEvent, error) { return evs, nil })
	return err
}

// appendEvents stores the events pick returns (given the group's record)
// in one batch with the updated stream record, and returns that record.
// With create, a missing group or stream is created first; without, it is
// a ResourceNotFoundException.
func (s *Service) appendEvents(ctx context.Context, region, group, stream string, create bool,
	pick func(g *groupRecord) ([]rawEvent, error)) (*streamRecord, error) {
	for attempt := 0; ; attempt++ {
		s.mu.RLock()
		st, err := s.appendLocked(region, group, stream, pick)
		s.mu.RUnlock()
		if !create || !isNotFound(err) || attempt == 3 {
			return st, err
		}
		if err := s.ensure(region, group, stream); err != nil {
			return nil, err
		}
	}
}

// appendLocked does appendEvents' work; the caller holds mu.RLock.
func (s *Service) appendLocked(region, group, stream string, pick func(g *groupRecord) ([]rawEvent, error)) (*streamRecord, error) {
	g, err := s.getGroup(region, group)
	if err != nil {
		return nil, err
	}
	mu := s.stripeOf(region, group, stream)
	mu.Lock()
	defer mu.Unlock()
	st, err := s.loadStream(region, group, stream, true)
	if err != nil {
		return nil, err
	}
	evs, err := pick(g)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return st, nil
	}
	now := s.nowMS()
	prefix := eventsPrefix(region, group, stream)
	b := s.db.NewBatch()
	defer b.Close()
	for _, e := range evs {
		st.Seq++
		b.Set(s.meta, eventKey(prefix, pos{TS: e.ts, Seq: st.Seq}), encodeEvent(now, e.msg))
		if st.Events == 0 || e.ts < st.First {
			st.First = e.ts
		}
		if st.Events == 0 || e.ts > st.Last {
			st.Last = e.ts
		}
		st.Events++
		st.StoredBytes += int64(len(e.msg))
	}
	st.LastIngestion = now
	b.Set(s.meta, streamKey(region, group, stream), mustJSON(st))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	s.cache.setStream(string(streamKey(region, group, stream)), *st)
	return st, nil
}

// ensure creates the group and the stream if missing (Put's contract).
func (s *Service) ensure(region, group, stream string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowMS()
	b := s.db.NewBatch()
	defer b.Close()
	var g *groupRecord
	var st *streamRecord
	if _, err := s.getGroup(region, group); isNotFound(err) {
		g = &groupRecord{Name: group, CreationTime: now, Class: "STANDARD"}
		b.Set(s.meta, groupKey(region, group), mustJSON(g))
	} else if err != nil {
		return err
	}
	if _, err := s.getStream(region, group, stream); isNotFound(err) {
		st = &streamRecord{Name: stream, CreationTime: now}
		b.Set(s.meta, streamKey(region, group, stream), mustJSON(st))
	} else if err != nil {
		return err
	}
	if b.Empty() {
		return nil
	}
	if err := b.Commit(); err != nil {
		return err
	}
	if g != nil {
		s.cache.setGroup(string(groupKey(region, group)), *g)
	}
	if st != nil {
		s.cache.setStream(string(streamKey(region, group, stream)), *st)
	}
	return nil
}
