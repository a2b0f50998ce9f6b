package firehose

import (
	"errors"
	"time"
)

// pollKinesis reads the source stream's shards into the buffer: from the
// durable per-shard positions (or the delivery start time for shards
// never delivered), until the buffer holds a flush's worth, then waits for
// room. When every shard is caught up it waits until the reader notifies
// that records arrived (KinesisNotifier, if it has it) or, at most,
// kinesisFastPoll after a read that found records, doubling on each empty
// read up to KinesisPoll: a busy source is delivered within milliseconds
// and an idle one costs one read per KinesisPoll. Positions in memory run
// ahead of the durable ones, which advance only when a flush is in the
// lake (ack), so a restart re-reads what was not delivered.
func (d *deliveryStream) pollKinesis() {
	defer d.wg.Done()
	_, meta := d.snapshot()
	arn := meta.Source.KinesisStreamARN
	pos := map[string]string{}
	err := scan(d.svc.meta, kposStreamPrefix(meta.Epoch), func(k, v []byte) error {
		pos[string(k[len(kposStreamPrefix(meta.Epoch)):])] = string(v)
		return nil
	})
	if err != nil {
		d.svc.log.Error("firehose: load source positions", "stream", meta.Name, "err", err)
		return
	}
	var arrived <-chan struct{} // nil (never ready) without a KinesisNotifier
	if kn, ok := d.svc.kinesis.(KinesisNotifier); ok {
		ch, stop, err := kn.Notify(d.ctx, arn)
		if err == nil {
			defer stop()
			arrived = ch
		} else {
			d.svc.log.Warn("firehose: source notifications unavailable; polling", "stream", meta.Name, "source", arn, "err", err)
		}
	}
	var idle time.Duration // the last idle wait; 0 after records arrived
	for {
		read := 0
		if d.hasRoom() {
			n, err := d.readShards(arn, meta.DeliveryStart, pos)
			if err != nil && !errors.Is(err, d.ctx.Err()) {
				d.svc.log.Warn("firehose: read source stream", "stream", meta.Name, "source", arn, "err", err)
			}
			read = n
		}
		if read > 0 {
			idle = 0 // the next empty read starts the adaptive wait afresh
		}
		if read > 0 && d.hasRoom() {
			select {
			case <-d.quit:
				return
			default:
				continue
			}
		}
		// Adaptive idle wait: right after records arrived, poll again
		// soon (producers tend to keep producing), doubling the wait on
		// each empty read up to KinesisPoll.
		idle = min(max(2*idle, kinesisFastPoll), d.svc.poll)
		var wait <-chan time.Time
		if d.hasRoom() {
			wait = d.svc.clock.After(idle)
		}
		select {
		case <-wait:
		case <-arrived:
		case <-d.room:
		case <-d.quit:
			return
		}
	}
}

// kinesisFastPoll is the first idle wait after records arrived.
const kinesisFastPoll = 5 * time.Millisecond

func (d *deliveryStream) hasRoom() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.buf.bytes < d.cfg.sizeBytes
}

// readShards reads each shard once from pos, buffers what it got and
// advances pos. It returns the number of records read.
func (d *deliveryStream) readShards(arn string, start time.Time, pos map[string]string) (int, error) {
	shards, err := d.svc.kinesis.Shards(d.ctx, arn)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, sh := range shards {
		recs, err := d.svc.kinesis.Read(d.ctx, arn, sh, ReadFrom{After: pos[sh], At: start}, kinesisReadLimit)
		if err != nil {
			return total, err
		}
		if len(recs) == 0 {
			continue
		}
		now := d.svc.clock.Now()
		buf := make([]record, len(recs))
		for i, r := range recs {
			buf[i] = record{arrival: r.Arrival.UTC(), buffered: now, data: r.Data, shard: sh, seq: r.SequenceNumber}
		}
		pos[sh] = recs[len(recs)-1].SequenceNumber
		d.enqueue(buf)
		total += len(recs)
	}
	return total, nil
}
