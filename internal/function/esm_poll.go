package function

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

const dynamoShard = "-" // the checkpoint shard of a DynamoDB stream

// batchItem is one record of a batch: its sequence number and its
// element of the event's Records.
type batchItem struct {
	seq   string
	event json.RawMessage
}

// shardReader reads a shard from a position: the sequence number after
// which to read ("" means the mapping's starting position).
type shardReader struct {
	read    func(ctx context.Context, after string, limit int) ([]batchItem, error)
	changed func(ctx context.Context) (<-chan struct{}, func())
}

// startPoller starts e's goroutines. Called with m.mu held.
func (m *Mappings) startPoller(e *esmRecord) *poller {
	ctx, cancel := context.WithCancel(m.bg)
	p := &poller{cancel: cancel, done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(p.done)
		if e.kinesis() {
			m.pollKinesis(ctx, e)
		} else {
			m.pollShard(ctx, e, dynamoShard, m.dynamoReader(e))
		}
	}()
	return p
}

func (m *Mappings) pollKinesis(ctx context.Context, e *esmRecord) {
	var shards []string
	for {
		var err error
		if shards, err = m.opts.Kinesis.Shards(ctx, e.EventSourceArn); err == nil {
			break
		}
		m.setResult(e.UUID, "PROBLEM: Stream not found")
		if !m.pause(ctx, m.opts.PollInterval) {
			return
		}
	}
	done := make(chan struct{}, len(shards))
	for _, sh := range shards {
		go func() {
			defer func() { done <- struct{}{} }()
			m.pollShard(ctx, e, sh, m.kinesisReader(e, sh))
		}()
	}
	for range shards {
		<-done
	}
}

func (m *Mappings) dynamoReader(e *esmRecord) shardReader {
	return shardReader{
		read: func(ctx context.Context, after string, limit int) ([]batchItem, error) {
			recs, err := m.opts.Dynamo.Read(ctx, e.EventSourceArn, after, limit)
			items := make([]batchItem, len(recs))
			for i, r := range recs {
				items[i] = batchItem{seq: r.SequenceNumber, event: r.Event}
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

func (m *Mappings) kinesisReader(e *esmRecord, shard string) shardReader {
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
			for i, r := range recs {
				var k kinesisEvent
				k.Kinesis.KinesisSchemaVersion, k.Kinesis.PartitionKey = "1.0", r.PartitionKey
				k.Kinesis.SequenceNumber, k.Kinesis.Data = r.SequenceNumber, r.Data
				k.Kinesis.ApproximateArrivalTimestamp = epoch(r.ArrivalTime)
				k.EventSource, k.EventVersion, k.EventName = "aws:kinesis", "1.0", "aws:kinesis:record"
				k.EventID = shard + ":" + r.SequenceNumber
				k.InvokeIdentityArn, k.AwsRegion, k.EventSourceARN = e.Role, e.Region, e.EventSourceArn
				b, merr := json.Marshal(k)
				if merr != nil {
					return nil, merr
				}
				items[i] = batchItem{seq: r.SequenceNumber, event: b}
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

// pollShard delivers one shard in order until ctx ends.
func (m *Mappings) pollShard(ctx context.Context, e *esmRecord, shard string, rd shardReader) {
	after, err := m.checkpoint(e.UUID, shard)
	if err != nil {
		m.log.Warn("event source mapping checkpoint", "uuid", e.UUID, "err", err)
		return
	}
	for ctx.Err() == nil {
		ch, release := rd.changed(ctx) // before the read, so no arrival is missed
		items, err := rd.read(ctx, after, int(e.BatchSize))
		if err == nil && len(items) > 0 && len(items) < int(e.BatchSize) && e.Window > 0 {
			// Batching window: wait for a full batch or the window's end.
			if m.pause(ctx, time.Duration(e.Window)*time.Second) {
				items, err = rd.read(ctx, after, int(e.BatchSize))
			}
		}
		if err != nil || len(items) == 0 {
			if err != nil && ctx.Err() == nil {
				m.log.Warn("event source mapping read", "uuid", e.UUID, "shard", shard, "err", err)
			}
			t := time.NewTimer(m.opts.PollInterval)
			select {
			case <-ctx.Done():
			case <-ch:
			case <-t.C:
			}
			t.Stop()
			release()
			continue
		}
		release()
		items = fitPayload(items)
		if !m.deliver(ctx, e, shard, items) {
			return
		}
		after = items[len(items)-1].seq
	}
}

// deliver invokes the function with items until it succeeds, the retries
// run out or (with BisectBatchOnFunctionError) the halves were delivered;
// then it stores the checkpoint. False means ctx ended first.
func (m *Mappings) deliver(ctx context.Context, e *esmRecord, shard string, items []batchItem) bool {
	delay := m.opts.RetryDelay
	for attempt := int32(0); ; {
		ok, err := m.invokeBatch(ctx, e, items)
		if ctx.Err() != nil {
			return false
		}
		if ok {
			m.setResult(e.UUID, "OK")
			break
		}
		throttled := errors.Is(err, ErrThrottled)
		if err != nil && !throttled {
			m.log.Warn("event source mapping invoke", "uuid", e.UUID, "err", err)
		}
		m.setResult(e.UUID, "PROBLEM: Function call failed")
		if !throttled && e.Bisect && len(items) > 1 {
			half := len(items) / 2
			return m.deliver(ctx, e, shard, items[:half]) && m.deliver(ctx, e, shard, items[half:])
		}
		if !throttled {
			attempt++
			if e.MaxRetries >= 0 && attempt > e.MaxRetries {
				m.log.Warn("event source mapping dropped a batch after its retries", "uuid", e.UUID,
					"shard", shard, "first", items[0].seq, "last", items[len(items)-1].seq)
				break
			}
		}
		if !m.pause(ctx, delay) {
			return false
		}
		delay = min(2*delay, time.Minute)
	}
	if err := m.setCheckpoint(e.UUID, shard, items[len(items)-1].seq); err != nil {
		m.log.Warn("event source mapping checkpoint", "uuid", e.UUID, "err", err)
		return false
	}
	return true
}

// invokeBatch runs the function on items; ok is false for a function error
// or an invoke error (err).
func (m *Mappings) invokeBatch(ctx context.Context, e *esmRecord, items []batchItem) (bool, error) {
	recs := make([]json.RawMessage, len(items))
	for i, it := range items {
		recs[i] = it.event
	}
	payload, err := json.Marshal(struct {
		Records []json.RawMessage `json:"Records"`
	}{recs})
	if err != nil {
		return false, err
	}
	out, err := m.fn.Invoke(ctx, e.Region, e.FunctionArn, "", payload)
	if err != nil {
		return false, err
	}
	return out.FunctionError == "", nil
}

// fitPayload keeps the leading items whose event fits Lambda's 6 MB
// synchronous payload (at least one: a larger record fails its invoke and
// is retried or dropped like any failing batch).
func fitPayload(items []batchItem) []batchItem {
	size := len(`{"Records":[]}`)
	for i, it := range items {
		size += len(it.event) + 1
		if size > maxSyncPayload && i > 0 {
			return items[:i]
		}
	}
	return items
}
