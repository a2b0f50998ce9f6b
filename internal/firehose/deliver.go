package firehose

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
)

// deliveryStream is one loaded delivery stream: its configuration, its
// in-memory buffer (a copy of the durable one, or of what was read from
// the source stream) and the goroutines delivering it.
//
// Concurrency: writers is held for reading by a put while it commits and
// buffers records, and for writing by Delete, so no record lands in a
// deleted stream's buffer. mu guards meta, cfg and buf.
type deliveryStream struct {
	svc     *Service
	writers sync.RWMutex
	deleted bool // guarded by writers

	mu   sync.Mutex
	meta streamMeta
	cfg  *destConfig
	buf  buffer

	nextSeq atomic.Uint64
	notify  chan struct{} // buffered(1): records arrived or config changed
	room    chan struct{} // buffered(1): a flush freed buffer space (Kinesis poller)
	ctx     context.Context
	cancel  context.CancelFunc
	quit    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
	started bool
}

func (s *Service) newDeliveryStream(m streamMeta) (*deliveryStream, error) {
	cfg, err := compile(&m.Dest, "extendedS3DestinationConfiguration")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &deliveryStream{svc: s, meta: m, cfg: cfg, notify: make(chan struct{}, 1), room: make(chan struct{}, 1),
		ctx: ctx, cancel: cancel, quit: make(chan struct{})}, nil
}

// recover reloads a DirectPut stream's durable buffer into memory.
func (d *deliveryStream) recover() error {
	if d.meta.Type != typeDirectPut {
		return nil
	}
	var last uint64
	err := scan(d.svc.meta, bufStreamPrefix(d.meta.Epoch), func(k, v []byte) error {
		at, data, err := decodeBuffered(v)
		if err != nil {
			return err
		}
		var seq uint64
		if _, err := fmt.Sscanf(string(k[bytes.LastIndexByte(k, '/')+1:]), "%x", &seq); err != nil {
			return fmt.Errorf("buffer key %q: %w", k, err)
		}
		last = max(last, seq)
		d.buf.add(record{arrival: at, buffered: at, data: data, bufKey: k})
		return nil
	})
	d.nextSeq.Store(last)
	return err
}

// start launches delivery (and, for a Kinesis source, the shard reader).
func (d *deliveryStream) start() {
	d.started = true
	d.wg.Add(1)
	go d.run()
	if d.meta.Type == typeKinesisSource {
		d.wg.Add(1)
		go d.pollKinesis()
	}
}

// stop ends the goroutines; a lake write in flight completes unless ctx
// ends first. Safe to call more than once.
func (d *deliveryStream) stop(ctx context.Context) error {
	d.once.Do(func() { close(d.quit) })
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
		d.cancel()
		return nil
	case <-ctx.Done():
		d.cancel()
		<-done
		return fmt.Errorf("firehose: stop %s: %w", d.meta.Name, ctx.Err())
	}
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// enqueue adds durable records to the buffer and wakes the deliverer.
func (d *deliveryStream) enqueue(recs []record) {
	d.mu.Lock()
	d.buf.add(recs...)
	d.mu.Unlock()
	signal(d.notify)
}

// snapshot returns the configuration delivery uses now.
func (d *deliveryStream) snapshot() (*destConfig, streamMeta) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg, d.meta
}

// run is the delivery loop: wait until the buffer is due, take one flush,
// write it to the lake (retrying until it succeeds or the stream stops)
// and acknowledge it durably.
func (d *deliveryStream) run() {
	defer d.wg.Done()
	clock := d.svc.clock
	for {
		d.mu.Lock()
		cfg, meta := d.cfg, d.meta
		flush, wait := d.buf.due(clock.Now(), cfg)
		var batch []record
		if flush {
			batch = d.buf.take(cfg)
		}
		d.mu.Unlock()
		if flush {
			if !d.deliver(batch, cfg, meta) {
				return
			}
			signal(d.room)
			continue
		}
		if wait > 0 {
			select {
			case <-d.notify:
			case <-clock.After(wait):
			case <-d.quit:
				return
			}
			continue
		}
		select {
		case <-d.notify:
		case <-d.quit:
			return
		}
	}
}

// deliver writes batch to the lake and acknowledges it, retrying failed
// steps every RetryInterval: building the objects (with conversion: the
// schema lookup and the Parquet write), each lake write, the ack. It
// returns false if the stream stopped first (the records stay durable
// and are delivered after restart).
func (d *deliveryStream) deliver(batch []record, cfg *destConfig, meta streamMeta) bool {
	var objs []object
	defer func() { closeObjects(objs) }()
	for {
		var err error
		if objs, err = d.build(batch, cfg, meta); err == nil {
			break
		}
		d.svc.log.Warn("firehose: build objects failed; will retry", "stream", meta.Name, "err", err)
		if !d.wait() {
			return false
		}
	}
	written := 0
	for {
		var err error
		for written < len(objs) {
			o := objs[written]
			var body io.Reader
			if body, err = o.reader(); err != nil {
				break
			}
			if err = d.svc.putObject(d.ctx, cfg.bucket, o, body); err != nil {
				break
			}
			written++
		}
		if err == nil {
			err = d.ack(batch)
		}
		if err == nil {
			return true
		}
		d.svc.log.Warn("firehose: delivery failed; will retry", "stream", meta.Name, "bucket", cfg.bucket, "err", err)
		if !d.wait() {
			return false
		}
	}
}

// putObject writes o to the lake, with its Content-Encoding when the
// Lake can store one (EncodingLake).
func (s *Service) putObject(ctx context.Context, bucket string, o object, body io.Reader) error {
	if el, ok := s.lake.(EncodingLake); ok && o.encoding != "" {
		return el.PutObjectEncoded(ctx, bucket, o.key, body, o.size(), o.encoding)
	}
	return s.lake.PutObject(ctx, bucket, o.key, body, o.size())
}

// wait waits one RetryInterval; false means the stream stopped.
func (d *deliveryStream) wait() bool {
	select {
	case <-d.svc.clock.After(d.svc.retry):
		return true
	case <-d.quit:
		return false
	}
}

// build turns batch into the lake objects of one flush.
func (d *deliveryStream) build(batch []record, cfg *destConfig, meta streamMeta) ([]object, error) {
	n := naming{stream: meta.Name, version: meta.Version, random: randomString, uuid: newUUID}
	if cfg.convert != nil {
		ref := cfg.convert.ref
		if ref.Region == "" {
			ref.Region = meta.Region
		}
		schema, err := d.svc.resolveSchema(d.ctx, ref)
		if err != nil {
			return nil, fmt.Errorf("schema of %s: %w", ref, err)
		}
		w, err := d.svc.parquetWriter()
		if err != nil {
			return nil, fmt.Errorf("parquet writer: %w", err)
		}
		n.conv = &converter{conv: cfg.convert, schema: schema, writer: w, ctx: d.ctx}
	}
	return objects(batch, cfg, n)
}

// ack records durably that batch is in the lake: its buffer entries are
// deleted (DirectPut), or each shard's position advances to its last
// record (Kinesis source). A crash before ack delivers the batch again.
func (d *deliveryStream) ack(batch []record) error {
	b := d.svc.db.NewBatch()
	defer b.Close()
	last := map[string]string{}
	for _, r := range batch {
		if r.bufKey != nil {
			b.Delete(d.svc.meta, r.bufKey)
		}
		if r.shard != "" && seqLess(last[r.shard], r.seq) {
			last[r.shard] = r.seq
		}
	}
	for shard, seq := range last {
		b.Set(d.svc.meta, kposKey(d.meta.Epoch, shard), []byte(seq))
	}
	if b.Empty() {
		return nil
	}
	return b.Commit()
}

// seqLess orders Kinesis sequence numbers (decimal strings).
func seqLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
