package function

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/function/filter"
)

const dynamoShard = "-" // the checkpoint shard of a DynamoDB stream

// dynamoShardID names tarn's one DynamoDB stream shard in on-failure
// records (DynamoSource does not tell the stream's shard id).
const dynamoShardID = "shardId-00000000000000000000-00000000"

// batchItem is one record of a batch: its sequence number, its element of
// the event's Records, its lane key (partition key, item key), arrival
// time, and whether FilterCriteria keeps it.
type batchItem struct {
	seq     string
	event   json.RawMessage
	key     string
	arrival time.Time
	keep    bool
}

// shardReader reads a shard from a position: the sequence number after
// which to read ("" means the mapping's starting position).
type shardReader struct {
	read    func(ctx context.Context, after string, limit int) ([]batchItem, error)
	changed func(ctx context.Context) (<-chan struct{}, func())
	// closed, when set, reports that the shard takes no more records.
	closed func() bool
}

// run is one running mapping: its record and compiled filters.
type run struct {
	e       *esmRecord
	filters *filter.Set
}

// startPoller starts e's goroutines. Called with m.mu held.
func (m *Mappings) startPoller(e *esmRecord) *poller {
	ctx, cancel := context.WithCancel(m.bg)
	p := &poller{cancel: cancel, done: make(chan struct{})}
	set, err := filter.Compile(e.Filters) // validated when stored
	if err != nil {
		m.log.Warn("event source mapping filters", "uuid", e.UUID, "err", err)
		set, _ = filter.Compile(nil)
	}
	r := &run{e: e, filters: set}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(p.done)
		if e.kinesis() {
			m.pollKinesis(ctx, r)
		} else {
			m.pollShard(ctx, r, dynamoShard, m.dynamoReader(r))
		}
	}()
	return p
}

// shardSet is the shards of a Kinesis mapping: which run and which are
// done (read to the end after they closed). Safe for concurrent use.
type shardSet struct {
	mu      sync.Mutex
	started map[string]bool
	done    map[string]bool
	closed  map[string]bool
}

func (s *shardSet) isClosed(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed[id]
}

// pollKinesis runs a poller per shard and, every PollInterval, starts
// pollers for shards that appeared (children once their parents are done).
func (m *Mappings) pollKinesis(ctx context.Context, r *run) {
	e := r.e
	lister, _ := m.opts.Kinesis.(KinesisShardLister)
	set := &shardSet{started: map[string]bool{}, done: map[string]bool{}, closed: map[string]bool{}}
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		shards, err := m.listShards(ctx, e.EventSourceArn, lister)
		if err != nil {
			if ctx.Err() == nil {
				m.setResult(e.UUID, "PROBLEM: Stream not found")
			}
		}
		present := map[string]bool{}
		for _, sh := range shards {
			present[sh.ID] = true
		}
		set.mu.Lock()
		for _, sh := range shards {
			set.closed[sh.ID] = sh.Closed
		}
		if err == nil {
			for id := range set.started {
				if !present[id] { // expired: nothing more can be read
					set.closed[id] = true
				}
			}
		}
		for _, sh := range shards {
			if set.started[sh.ID] || !parentsDone(sh, present, set.done) {
				continue
			}
			set.started[sh.ID] = true
			rd := m.kinesisReader(r, sh.ID)
			if lister != nil {
				rd.closed = func() bool { return set.isClosed(sh.ID) }
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if m.pollShard(ctx, r, sh.ID, rd) {
					set.mu.Lock()
					set.done[sh.ID] = true
					set.mu.Unlock()
				}
			}()
		}
		set.mu.Unlock()
		if !m.pause(ctx, m.opts.PollInterval) {
			return
		}
	}
}

func parentsDone(sh KinesisShard, present, done map[string]bool) bool {
	for _, p := range sh.Parents {
		if present[p] && !done[p] {
			return false
		}
	}
	return true
}

func (m *Mappings) listShards(ctx context.Context, arn string, lister KinesisShardLister) ([]KinesisShard, error) {
	if lister != nil {
		return lister.ListShards(ctx, arn)
	}
	ids, err := m.opts.Kinesis.Shards(ctx, arn)
	out := make([]KinesisShard, len(ids))
	for i, id := range ids {
		out[i] = KinesisShard{ID: id}
	}
	return out, err
}

func (m *Mappings) dynamoReader(r *run) shardReader {
	e := r.e
	return shardReader{
		read: func(ctx context.Context, after string, limit int) ([]batchItem, error) {
			recs, err := m.opts.Dynamo.Read(ctx, e.EventSourceArn, after, limit)
			items := make([]batchItem, len(recs))
			for i, rec := range recs {
				items[i] = dynamoItem(r.filters, rec)
			}
			return items, err
		},
		changed: func(ctx context.Context) (<-chan struct{}, func()) {
			ch, err := m.opts.Dynamo.Changed(ctx, e.EventSourceArn)
			if err != nil {
				return nil, func() {}
			}
			return ch, func() {}
		},
	}
}

// kinesisEvent is an element of a Kinesis event's Records.
type kinesisEvent struct {
	Kinesis struct {
		KinesisSchemaVersion        string  `json:"kinesisSchemaVersion"`
		PartitionKey                string  `json:"partitionKey"`
		SequenceNumber              string  `json:"sequenceNumber"`
		Data                        []byte  `json:"data"`
		ApproximateArrivalTimestamp float64 `json:"approximateArrivalTimestamp"`
	} `json:"kinesis"`
	EventSource       string `json:"eventSource"`
	EventVersion      string `json:"eventVersion"`
	EventID           string `json:"eventID"`
	EventName         string `json:"eventName"`
	InvokeIdentityArn string `json:"invokeIdentityArn"`
	AwsRegion         string `json:"awsRegion"`
	EventSourceARN    string `json:"eventSourceARN"`
}

func (m *Mappings) kinesisReader(r *run, shard string) shardReader {
	e := r.e
	return shardReader{
		read: func(ctx context.Context, after string, limit int) ([]batchItem, error) {
			from := KinesisPosition{After: after}
			if after == "" {
				switch e.StartingPosition {
				case "LATEST":
					from.At = e.Created
				case "AT_TIMESTAMP":
					from.At = *e.StartingTimestamp
				}
			}
			recs, err := m.opts.Kinesis.Read(ctx, e.EventSourceArn, shard, from, limit)
			items := make([]batchItem, len(recs))
			for i, rec := range recs {
				var k kinesisEvent
				k.Kinesis.KinesisSchemaVersion, k.Kinesis.PartitionKey = "1.0", rec.PartitionKey
				k.Kinesis.SequenceNumber, k.Kinesis.Data = rec.SequenceNumber, rec.Data
				k.Kinesis.ApproximateArrivalTimestamp = epoch(rec.ArrivalTime)
				k.EventSource, k.EventVersion, k.EventName = "aws:kinesis", "1.0", "aws:kinesis:record"
				k.EventID = shard + ":" + rec.SequenceNumber
				k.InvokeIdentityArn, k.AwsRegion, k.EventSourceARN = e.Role, e.Region, e.EventSourceArn
				b, merr := json.Marshal(k)
				if merr != nil {
					return nil, merr
				}
				items[i] = batchItem{seq: rec.SequenceNumber, event: b, key: rec.PartitionKey,
					arrival: rec.ArrivalTime, keep: kinesisKeep(r.filters, &k)}
			}
			return items, err
		},
		changed: func(ctx context.Context) (<-chan struct{}, func()) {
			ch, release, err := m.opts.Kinesis.Changed(ctx, e.EventSourceArn)
			if err != nil {
				return nil, func() {}
			}
			return ch, release
		},
	}
}

// pause waits d or until ctx ends; false means ctx ended.
func (m *Mappings) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// maxWindow bounds the records a shard holds between its checkpoint and
// its read position (done or not).
const maxWindow = 4 * maxMappingBatchSize

// pollShard delivers one shard until ctx ends: a reader hands records to
// ParallelizationFactor lanes by key, each delivering its records in
// order, with at most inFlight records read and not done. It
// returns true when the shard is closed and every record of it is done.
func (m *Mappings) pollShard(ctx context.Context, r *run, shard string, rd shardReader) bool {
	e := r.e
	after, err := m.checkpoint(e.UUID, shard)
	if err != nil {
		m.log.Warn("event source mapping checkpoint", "uuid", e.UUID, "err", err)
		return false
	}
	ctx, cancel := context.WithCancel(ctx)
	tr := newTracker(m, e.UUID, shard)
	inFlight := min(2*int(e.BatchSize)*e.parallel(), maxMappingBatchSize)
	lanes := make([]chan []batchItem, e.parallel())
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	for i := range lanes {
		lanes[i] = make(chan []batchItem, inFlight)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !m.runLane(ctx, r, shard, lanes[i], tr) {
				cancel()
			}
		}()
	}
	for ctx.Err() == nil {
		busy, window, progress := tr.outstanding()
		if busy >= inFlight || window >= maxWindow {
			select {
			case <-ctx.Done():
			case <-progress:
			}
			continue
		}
		wasClosed := rd.closed != nil && rd.closed()
		ch, release := rd.changed(ctx) // before the read, so no arrival is missed
		items, err := rd.read(ctx, after, inFlight-busy)
		if err == nil && len(items) > 0 && len(items) < int(e.BatchSize) && e.Window > 0 && window == 0 {
			// Batching window: wait for a full batch or the window's end.
			if m.pause(ctx, time.Duration(e.Window)*time.Second) {
				items, err = rd.read(ctx, after, inFlight-busy)
			}
		}
		if err != nil || len(items) == 0 {
			if (err == nil || errors.Is(err, ErrSourceNotFound)) && wasClosed && window == 0 {
				release()
				return true
			}
			if err != nil && ctx.Err() == nil {
				m.log.Warn("event source mapping read", "uuid", e.UUID, "shard", shard, "err", err)
			}
			t := time.NewTimer(m.opts.PollInterval)
			select {
			case <-ctx.Done():
			case <-ch:
			case <-progress:
			case <-t.C:
			}
			t.Stop()
			release()
			continue
		}
		release()
		if !m.dispatch(ctx, r, shard, items, tr, lanes) {
			return false
		}
		after = items[len(items)-1].seq
	}
	return false
}

// laneOf is the lane of key among n: records of one key always share a
// lane, so they are processed in order.
func laneOf(key string, n int) int {
	if n <= 1 {
		return 0
	}
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return int(h % uint32(n))
}

// splitLanes groups items by lane (index), each lane in shard order.
func splitLanes(items []batchItem, n int) [][]batchItem {
	lanes := make([][]batchItem, n)
	for _, it := range items {
		l := laneOf(it.key, n)
		lanes[l] = append(lanes[l], it)
	}
	return lanes
}
