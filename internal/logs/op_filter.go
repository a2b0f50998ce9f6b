package logs

import (
	"container/heap"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	"github.com/tarnhq/tarn/internal/kv"
)

type filterLogEventsInput struct {
	LogGroupName        *string  `json:"logGroupName"`
	LogGroupIdentifier  *string  `json:"logGroupIdentifier"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix *string  `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       *string  `json:"filterPattern"`
	Limit               *int32   `json:"limit"`
	NextToken           *string  `json:"nextToken"`
	Interleaved         bool     `json:"interleaved"` // deprecated: results are always interleaved
	StartFromHead       *bool    `json:"startFromHead"`
	Unmask              bool     `json:"unmask"`
}

type filteredLogEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

type searchedLogStream struct {
	LogStreamName      string `json:"logStreamName"`
	SearchedCompletely bool   `json:"searchedCompletely"`
}

type filterLogEventsOutput struct {
	Events             []filteredLogEvent  `json:"events"`
	SearchedLogStreams []searchedLogStream `json:"searchedLogStreams"`
	NextToken          *string             `json:"nextToken,omitempty"`
}

// maxFilterScan bounds the events one FilterLogEvents call examines; past
// it the call answers what it found and a nextToken, as AWS may answer a
// partial or empty page.
const maxFilterScan = 200000

func (s *Service) opFilterLogEvents(ctx context.Context, in *filterLogEventsInput) (*filterLogEventsOutput, error) {
	group, err := resolveGroup(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := pageLimit(in.Limit, maxEventsLimit, maxEventsLimit)
	if err != nil {
		return nil, err
	}
	if in.LogStreamNames != nil && in.LogStreamNamePrefix != nil {
		return nil, errInvalid("Cannot specify both logStreamNames and logStreamNamePrefix.")
	}
	if in.LogStreamNames != nil && (len(in.LogStreamNames) < 1 || len(in.LogStreamNames) > maxLogStreamName) {
		return nil, errConstraint("logStreamNames", in.LogStreamNames, fmt.Sprintf("Member must have length between 1 and %d", maxLogStreamName))
	}
	for _, n := range in.LogStreamNames {
		if err := validStreamName("logStreamNames", n); err != nil {
			return nil, err
		}
	}
	prefix := ""
	if in.LogStreamNamePrefix != nil {
		if err := validStreamName("logStreamNamePrefix", *in.LogStreamNamePrefix); err != nil {
			return nil, err
		}
		prefix = *in.LogStreamNamePrefix
	}
	src := ""
	if in.FilterPattern != nil {
		src = *in.FilterPattern
	}
	pat, err := parsePattern(src)
	if err != nil {
		return nil, errInvalid("Invalid filter pattern")
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if in.StartTime != nil {
		lo = *in.StartTime
	}
	if in.EndTime != nil && *in.EndTime < math.MaxInt64 {
		hi = *in.EndTime + 1 // endTime is inclusive here
	}
	region := s.regionOf(ctx)
	scope := region + "\x00" + group
	var resume *mergeKey
	if in.NextToken != nil {
		d, err := s.open(kindFilter, scope, *in.NextToken)
		if err != nil {
			return nil, err
		}
		if len(d) < 16 {
			return nil, errBadToken()
		}
		p, _ := decodePos(d[:16])
		resume = &mergeKey{ts: p.TS, seq: p.Seq, stream: string(d[16:])}
	}
	s.mu.RLock()
	g, err := s.getGroup(region, group)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	lo = max(lo, s.cutoffMS(g))
	streams, err := s.listStreams(region, group, prefix)
	if err != nil {
		return nil, err
	}
	if in.LogStreamNames != nil {
		streams = slices.DeleteFunc(streams, func(st streamRecord) bool { return !slices.Contains(in.LogStreamNames, st.Name) })
	}
	out := &filterLogEventsOutput{Events: []filteredLogEvent{}, SearchedLogStreams: []searchedLogStream{}}
	m := &merger{}
	defer m.close()
	for _, st := range streams {
		if st.Events == 0 || st.Last < lo || st.First >= hi {
			continue
		}
		from := pos{TS: lo}
		if resume != nil {
			r := resumePos(*resume, st.Name)
			if from.less(r) {
				from = r
			}
		}
		if !from.less(pos{TS: hi}) {
			continue
		}
		pfx := eventsPrefix(region, group, st.Name)
		it, err := s.meta.Iter(eventKey(pfx, from), eventKey(pfx, pos{TS: hi}))
		if err != nil {
			return nil, err
		}
		m.add(it, st.Name)
		out.SearchedLogStreams = append(out.SearchedLogStreams, searchedLogStream{LogStreamName: st.Name})
	}
	bytes, scanned := 0, 0
	var last mergeKey
	more := false
	for m.Len() > 0 {
		if len(out.Events) == limit || scanned == maxFilterScan {
			more = true
			break
		}
		c := m.cur[0]
		v, err := c.it.Value()
		if err != nil {
			return nil, err
		}
		ing, msg, err := decodeEvent(v)
		if err != nil {
			return nil, err
		}
		if pat.match(msg) {
			if bytes+len(msg)+eventOverhead > maxPageBytes && len(out.Events) > 0 {
				more = true
				break
			}
			bytes += len(msg) + eventOverhead
			out.Events = append(out.Events, filteredLogEvent{LogStreamName: c.key.stream, Timestamp: c.key.ts,
				Message: msg, IngestionTime: ing, EventID: eventID(c.key)})
		}
		scanned++
		last = c.key
		if err := m.advance(); err != nil {
			return nil, err
		}
	}
	if more {
		tok := s.seal(kindFilter, scope, append(appendPos(nil, pos{TS: last.ts, Seq: last.seq}), last.stream...))
		out.NextToken = &tok
	}
	for i := range out.SearchedLogStreams {
		out.SearchedLogStreams[i].SearchedCompletely = !more
	}
	return out, nil
}

// resumePos is where stream's scan resumes after the merge key r: events
// ordered (timestamp, stream, seq) after r.
func resumePos(r mergeKey, stream string) pos {
	switch {
	case stream < r.stream:
		if r.ts == math.MaxInt64 {
			return pos{TS: math.MaxInt64, Seq: math.MaxUint64}
		}
		return pos{TS: r.ts + 1}
	case stream == r.stream:
		return pos{TS: r.ts, Seq: r.seq + 1}
	}
	return pos{TS: r.ts}
}

// eventID is a unique decimal id of an event in its group.
func eventID(k mergeKey) string {
	h := fnv.New64a()
	h.Write([]byte(k.stream))
	return fmt.Sprintf("%d%020d%020d", uint64(k.ts), h.Sum64(), k.seq)
}

// mergeKey orders events of a group: timestamp, stream name, arrival.
type mergeKey struct {
	ts     int64
	stream string
	seq    uint64
}

func (a mergeKey) less(b mergeKey) bool {
	if a.ts != b.ts {
		return a.ts < b.ts
	}
	if a.stream != b.stream {
		return a.stream < b.stream
	}
	return a.seq < b.seq
}

type cursor struct {
	it  *kv.Iterator
	key mergeKey
}

// merger is a heap of per-stream iterators positioned at their next event.
type merger struct {
	cur []*cursor
	all []*kv.Iterator
}

func (m *merger) Len() int           { return len(m.cur) }
func (m *merger) Less(i, j int) bool { return m.cur[i].key.less(m.cur[j].key) }
func (m *merger) Swap(i, j int)      { m.cur[i], m.cur[j] = m.cur[j], m.cur[i] }
func (m *merger) Push(x any)         { m.cur = append(m.cur, x.(*cursor)) }
func (m *merger) Pop() any {
	c := m.cur[len(m.cur)-1]
	m.cur = m.cur[:len(m.cur)-1]
	return c
}

func (m *merger) add(it *kv.Iterator, stream string) {
	m.all = append(m.all, it)
	if !it.First() {
		return
	}
	p, _ := decodePos(it.Key())
	heap.Push(m, &cursor{it: it, key: mergeKey{ts: p.TS, stream: stream, seq: p.Seq}})
}

// advance moves the smallest cursor to its next event.
func (m *merger) advance() error {
	c := m.cur[0]
	if !c.it.Next() {
		heap.Pop(m)
		return nil
	}
	p, _ := decodePos(c.it.Key())
	c.key.ts, c.key.seq = p.TS, p.Seq
	heap.Fix(m, 0)
	return nil
}

func (m *merger) close() {
	for _, it := range m.all {
		_ = it.Close()
	}
}
