package logs

import (
	"context"
	"math"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

type getLogEventsInput struct {
	LogGroupName       *string `json:"logGroupName"`
	LogGroupIdentifier *string `json:"logGroupIdentifier"`
	LogStreamName      *string `json:"logStreamName"`
	StartTime          *int64  `json:"startTime"`
	EndTime            *int64  `json:"endTime"`
	StartFromHead      bool    `json:"startFromHead"`
	Limit              *int32  `json:"limit"`
	NextToken          *string `json:"nextToken"`
	Unmask             bool    `json:"unmask"`
}

type outputLogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

type getLogEventsOutput struct {
	Events            []outputLogEvent `json:"events"`
	NextForwardToken  string           `json:"nextForwardToken"`
	NextBackwardToken string           `json:"nextBackwardToken"`
}

// Token prefixes of GetLogEvents, as AWS's tokens look.
const (
	fwdPrefix = "f/"
	bwdPrefix = "b/"
)

// cutoffMS is the oldest timestamp a group still returns (retention).
func (s *Service) cutoffMS(g *groupRecord) int64 {
	if g.Retention <= 0 {
		return math.MinInt64
	}
	return s.nowMS() - int64(g.Retention)*86400000
}

func (s *Service) opGetLogEvents(ctx context.Context, in *getLogEventsInput) (*getLogEventsOutput, error) {
	group, err := resolveGroup(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if in.LogStreamName == nil {
		return nil, errRequired("logStreamName")
	}
	if err := validStreamName("logStreamName", *in.LogStreamName); err != nil {
		return nil, err
	}
	limit, err := pageLimit(in.Limit, maxEventsLimit, maxEventsLimit)
	if err != nil {
		return nil, err
	}
	region, stream := s.regionOf(ctx), *in.LogStreamName
	scope := region + "\x00" + group + "\x00" + stream
	forward := in.StartFromHead
	var at *pos // the token's boundary
	if in.NextToken != nil {
		tok := *in.NextToken
		kind, body := byte(kindForward), ""
		switch {
		case strings.HasPrefix(tok, fwdPrefix):
			body, forward = tok[len(fwdPrefix):], true
		case strings.HasPrefix(tok, bwdPrefix):
			kind, body, forward = kindBackward, tok[len(bwdPrefix):], false
		default:
			return nil, errBadToken()
		}
		d, err := s.open(kind, scope, body)
		if err != nil {
			return nil, err
		}
		p, ok := decodePos(d)
		if !ok || len(d) != 16 {
			return nil, errBadToken()
		}
		at = &p
	}
	s.mu.RLock()
	g, err := s.getGroup(region, group)
	if err == nil {
		_, err = s.getStream(region, group, stream)
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	lo := pos{TS: s.cutoffMS(g)}
	if in.StartTime != nil {
		lo.TS = max(lo.TS, *in.StartTime)
	}
	hi := pos{TS: math.MaxInt64, Seq: math.MaxUint64}
	if in.EndTime != nil {
		hi = pos{TS: *in.EndTime}
	}
	start := lo // where the scan begins, in its direction
	if !forward {
		start = hi
	}
	if at != nil {
		start = *at
	}
	prefix := eventsPrefix(region, group, stream)
	evs, first, last, err := s.scanStream(prefix, lo, hi, start, forward, limit)
	if err != nil {
		return nil, err
	}
	out := &getLogEventsOutput{Events: evs}
	if len(evs) > 0 {
		out.NextForwardToken = fwdPrefix + s.seal(kindForward, scope, appendPos(nil, pos{TS: last.TS, Seq: last.Seq + 1}))
		out.NextBackwardToken = bwdPrefix + s.seal(kindBackward, scope, appendPos(nil, first))
		return out, nil
	}
	// Nothing in that direction: the token passed in comes back unchanged,
	// and the other direction starts where the scan did.
	fwdAt, bwdAt := start, start
	if !forward && at == nil {
		fwdAt = lo // the range is empty: future events arrive after lo
	}
	out.NextForwardToken = fwdPrefix + s.seal(kindForward, scope, appendPos(nil, fwdAt))
	out.NextBackwardToken = bwdPrefix + s.seal(kindBackward, scope, appendPos(nil, bwdAt))
	if in.NextToken != nil {
		if forward {
			out.NextForwardToken = *in.NextToken
		} else {
			out.NextBackwardToken = *in.NextToken
		}
	}
	return out, nil
}

// scanStream returns, in ascending order, up to limit events (and 1 MB)
// of the stream with lo <= position < hi: forward, the first ones at or
// after start; backward, the last ones before start. first and last are
// the positions of the first and last events returned.
func (s *Service) scanStream(prefix []byte, lo, hi, start pos, forward bool, limit int) (evs []outputLogEvent, first, last pos, err error) {
	if forward && lo.less(start) {
		lo = start
	}
	if !forward && start.less(hi) {
		hi = start
	}
	evs = []outputLogEvent{}
	if !lo.less(hi) {
		return evs, first, last, nil
	}
	it, err := s.meta.Iter(eventKey(prefix, lo), eventKey(prefix, hi))
	if err != nil {
		return nil, first, last, err
	}
	defer it.Close()
	bytes := 0
	var ps []pos
	ok := it.First()
	if !forward {
		ok = it.Last()
	}
	for ; ok && len(evs) < limit; ok = advance(it, forward) {
		v, err := it.Value()
		if err != nil {
			return nil, first, last, err
		}
		ing, msg, err := decodeEvent(v)
		if err != nil {
			return nil, first, last, err
		}
		if bytes+len(msg)+eventOverhead > maxPageBytes && len(evs) > 0 {
			break
		}
		bytes += len(msg) + eventOverhead
		p, _ := decodePos(it.Key())
		evs = append(evs, outputLogEvent{Timestamp: p.TS, Message: msg, IngestionTime: ing})
		ps = append(ps, p)
	}
	if len(evs) == 0 {
		return evs, first, last, nil
	}
	if !forward {
		for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
			evs[i], evs[j] = evs[j], evs[i]
			ps[i], ps[j] = ps[j], ps[i]
		}
	}
	return evs, ps[0], ps[len(ps)-1], nil
}

func advance(it *kv.Iterator, forward bool) bool {
	if forward {
		return it.Next()
	}
	return it.Prev()
}
