package logs

import (
	"bytes"
	"context"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

type createLogStreamInput struct {
	LogGroupName  *string `json:"logGroupName"`
	LogStreamName *string `json:"logStreamName"`
}

type describeLogStreamsInput struct {
	LogGroupName        *string `json:"logGroupName"`
	LogGroupIdentifier  *string `json:"logGroupIdentifier"`
	LogStreamNamePrefix *string `json:"logStreamNamePrefix"`
	OrderBy             string  `json:"orderBy"`
	Descending          bool    `json:"descending"`
	Limit               *int32  `json:"limit"`
	NextToken           *string `json:"nextToken"`
}

type logStreamShape struct {
	LogStreamName       string `json:"logStreamName"`
	Arn                 string `json:"arn"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	UploadSequenceToken string `json:"uploadSequenceToken"`
	StoredBytes         int64  `json:"storedBytes"`
}

type describeLogStreamsOutput struct {
	LogStreams []logStreamShape `json:"logStreams"`
	NextToken  *string          `json:"nextToken,omitempty"`
}

func (s *Service) opCreateLogStream(ctx context.Context, in *createLogStreamInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if in.LogStreamName == nil {
		return nil, errRequired("logStreamName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if err := validStreamName("logStreamName", *in.LogStreamName); err != nil {
		return nil, err
	}
	region, group, stream := s.regionOf(ctx), *in.LogGroupName, *in.LogStreamName
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.getGroup(region, group); err != nil {
		return nil, err
	}
	if _, err := s.getStream(region, group, stream); err == nil {
		return nil, errStreamExists()
	} else if !isNotFound(err) {
		return nil, err
	}
	st := streamRecord{Name: stream, CreationTime: s.nowMS()}
	if err := s.meta.Set(streamKey(region, group, stream), mustJSON(&st)); err != nil {
		return nil, err
	}
	s.cache.setStream(string(streamKey(region, group, stream)), st)
	return nil, nil
}

func (s *Service) opDeleteLogStream(ctx context.Context, in *createLogStreamInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if in.LogStreamName == nil {
		return nil, errRequired("logStreamName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if err := validStreamName("logStreamName", *in.LogStreamName); err != nil {
		return nil, err
	}
	region, group, stream := s.regionOf(ctx), *in.LogGroupName, *in.LogStreamName
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.getGroup(region, group); err != nil {
		return nil, err
	}
	if _, err := s.getStream(region, group, stream); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, streamKey(region, group, stream))
	ep := eventsPrefix(region, group, stream)
	b.DeleteRange(s.meta, ep, kv.PrefixEnd(ep))
	err := b.Commit()
	s.cache.evictStream(string(streamKey(region, group, stream)))
	return nil, err
}

func (s *Service) opDescribeLogStreams(ctx context.Context, in *describeLogStreamsInput) (*describeLogStreamsOutput, error) {
	group, err := resolveGroup(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := pageLimit(in.Limit, maxDescribeLimit, maxDescribeLimit)
	if err != nil {
		return nil, err
	}
	byTime := false
	switch in.OrderBy {
	case "", "LogStreamName":
	case "LastEventTime":
		byTime = true
	default:
		return nil, errConstraint("orderBy", in.OrderBy, "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
	}
	prefix := ""
	if in.LogStreamNamePrefix != nil {
		if byTime {
			return nil, errInvalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
		if err := validStreamName("logStreamNamePrefix", *in.LogStreamNamePrefix); err != nil {
			return nil, err
		}
		prefix = *in.LogStreamNamePrefix
	}
	region := s.regionOf(ctx)
	// The token names the order it was issued for and the last stream.
	scope := region + "\x00" + group + "\x00" + in.OrderBy + "\x00" + boolStr(in.Descending) + "\x00" + prefix
	var after []byte
	if in.NextToken != nil {
		if after, err = s.open(kindStreams, scope, *in.NextToken); err != nil {
			return nil, err
		}
	}
	s.mu.RLock()
	_, err = s.getGroup(region, group)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var streams []streamRecord
	if byTime {
		streams, err = s.listStreams(region, group, prefix)
	} else { // by name: the keys' order; read one page and one more
		streams, err = s.scanStreams(region, group, prefix, after, in.Descending, limit+1)
	}
	if err != nil {
		return nil, err
	}
	// sortKey orders streams: by name, or by last event time then name.
	sortKey := func(st *streamRecord) []byte {
		if !byTime {
			return []byte(st.Name)
		}
		last := st.LastIngestion // streams without events sort first
		if st.Events > 0 {
			last = st.Last
		}
		return append(appendPos(nil, pos{TS: last}), st.Name...)
	}
	sort.SliceStable(streams, func(i, j int) bool {
		c := bytes.Compare(sortKey(&streams[i]), sortKey(&streams[j]))
		if in.Descending {
			return c > 0
		}
		return c < 0
	})
	out := &describeLogStreamsOutput{LogStreams: []logStreamShape{}}
	for i := range streams {
		st := &streams[i]
		k := sortKey(st)
		if after != nil {
			c := bytes.Compare(k, after)
			if !in.Descending && c <= 0 || in.Descending && c >= 0 {
				continue
			}
		}
		if len(out.LogStreams) == limit {
			tok := s.seal(kindStreams, scope, sortKey(&streams[i-1]))
			out.NextToken = &tok
			break
		}
		out.LogStreams = append(out.LogStreams, streamShape(region, group, st))
	}
	return out, nil
}

func streamShape(region, group string, st *streamRecord) logStreamShape {
	sh := logStreamShape{LogStreamName: st.Name, Arn: streamARN(region, group, st.Name), CreationTime: st.CreationTime,
		UploadSequenceToken: seqToken(st.Seq), StoredBytes: st.StoredBytes}
	if st.Events > 0 {
		first, last, ing := st.First, st.Last, st.LastIngestion
		sh.FirstEventTimestamp, sh.LastEventTimestamp, sh.LastIngestionTime = &first, &last, &ing
	}
	return sh
}

// seqToken renders a stream's event counter as an upload sequence token,
// the decimal digits AWS's look like. PutLogEvents ignores sequence
// tokens, as AWS now does.
func seqToken(seq uint64) string {
	return "4963" + strings.Repeat("0", 16) + itoa(int(seq))
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
