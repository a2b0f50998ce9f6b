package firehose

import (
	"errors"
	"time"
)

// pollKinesis reads the source stream's shards into the buffer: from the
// durable per-shard positions (or the delivery start time for shards
// never delivered), until the buffer holds a flush's worth, then waits for
// room. When every shard is caught up it waits KinesisPoll. Positions in
// memory run ahead of the durable ones, which advance only when a flush
// is in the lake (ack), so a restart re-reads what was not delivered.
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
	for {
		read := 0
		if d.hasRoom() {
			n, err := d.readShards(arn, meta.DeliveryStart, pos)
			if err != nil && !errors.Is(err, d.ctx.Err()) {
				d.svc.log.Warn("firehose: read source stream", "stream", meta.Name, "source", arn, "err", err)
			}
			read = n
		}
		if read > 0 && d.hasRoom() {
			select {
			case <-d.quit:
				return
			default:
				continue
			}
		}
		var wait <-chan time.Time
		if d.hasRoom() {
			wait = d.svc.clock.After(d.svc.poll)
		}
		select {
		case <-wait:
		case <-d.room:
		case <-d.quit:
			return
		}
	}
}

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
