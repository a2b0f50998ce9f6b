package stream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/nats-io/nats.go"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/request"
)

// SubscribeToShard pushes a shard's records to an enhanced fan-out
// consumer over an AWS event stream (application/vnd.amazon.eventstream):
// an initial-response event, then SubscribeToShardEvent events as records
// arrive (and a heartbeat event at least every subscribeHeartbeat), for up
// to Options.SubscriptionLimit; then the server ends the response. Errors
// found before the stream starts are ordinary JSON error answers; later
// ones are exception events.
//
// The request may be JSON or CBOR (application/x-amz-cbor-1.1, what the
// Java SDK and the KCL send): the answer uses the request's codec for
// errors and for every event payload, whose :content-type header names it.
const (
	// DefaultSubscriptionLimit is how long AWS keeps a subscription open.
	DefaultSubscriptionLimit = 5 * time.Minute
	subscribeHeartbeat       = 5 * time.Second
	subscribePoll            = 250 * time.Millisecond
	eventStreamContentType   = "application/vnd.amazon.eventstream"
)

type startingPosition struct {
	Type           string             `json:"Type"`
	SequenceNumber string             `json:"SequenceNumber,omitempty"`
	Timestamp      *awsjson.Timestamp `json:"Timestamp,omitempty"`
}

type subscribeInput struct {
	ConsumerARN      string            `json:"ConsumerARN"`
	ShardId          string            `json:"ShardId"`
	StartingPosition *startingPosition `json:"StartingPosition"`
}

type subscribeEvent struct {
	Records                    []recordShape `json:"Records"`
	ContinuationSequenceNumber *string       `json:"ContinuationSequenceNumber,omitempty"`
	MillisBehindLatest         int64         `json:"MillisBehindLatest"`
	ChildShards                []childShard  `json:"ChildShards,omitempty"`
}

// handler routes SubscribeToShard, which needs the ResponseWriter, and
// sends every other operation to the awsjson dispatcher.
func (s *Service) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Header.Get("X-Amz-Target") == TargetPrefix+".SubscribeToShard" {
			s.serveSubscribe(w, r, codecOf(r))
			return
		}
		s.api.ServeHTTP(w, r)
	})
}

// codecOf is the codec of r's body: CBOR when its media type says so,
// else JSON (as the awsjson dispatcher decides).
func codecOf(r *http.Request) awsjson.Codec {
	if mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(mt) == awsjson.CBORContentType {
		return awsjson.CBOR
	}
	return awsjson.JSON
}

// writeCodecError writes err as an AWS error answer in codec.
func writeCodecError(w http.ResponseWriter, codec awsjson.Codec, log func(string, ...any), err error) {
	var ae *awsjson.Error
	if !errors.As(err, &ae) {
		log("SubscribeToShard failed", "err", err)
		ae = awsjson.Internal()
	}
	status := ae.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	if codec == awsjson.JSON {
		awsjson.WriteError(w, status, ae.Code, ae.Message)
		return
	}
	body, merr := codec.Marshal(errorShape{Type: ae.Code, Message: ae.Message})
	if merr != nil {
		awsjson.WriteError(w, status, ae.Code, ae.Message)
		return
	}
	h := w.Header()
	h.Set("Content-Type", codec.ContentType())
	h.Set("X-Amzn-Errortype", ae.Code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorShape is AWS's error body (as awsjson writes it).
type errorShape struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

func (s *Service) serveSubscribe(w http.ResponseWriter, r *http.Request, codec awsjson.Codec) {
	writeJSONError := func(w http.ResponseWriter, log func(string, ...any), err error) { writeCodecError(w, codec, log, err) }
	ctx := r.Context()
	request.SetOperation(ctx, "SubscribeToShard")
	if id := request.ID(ctx); id != "" {
		w.Header().Set("x-amzn-RequestId", id)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeJSONError(w, s.log.Error, awsjson.Errorf(awsjson.CodeSerialization, "reading request body: %v", err))
		return
	}
	var in subscribeInput
	if err := codec.Unmarshal(body, &in); err != nil {
		writeJSONError(w, s.log.Error, awsjson.Errorf(awsjson.CodeSerialization, "malformed request: %v", err))
		return
	}
	it, st, release, err := s.startSubscription(ctx, &in)
	if err != nil {
		writeJSONError(w, s.log.Error, err)
		return
	}
	defer release()
	kick := make(chan struct{})
	var once sync.Once
	key := in.ConsumerARN + "|" + in.ShardId
	s.efo.mu.Lock()
	s.efo.subs[key] = func() { once.Do(func() { close(kick) }) }
	s.efo.mu.Unlock()

	w.Header().Set("Content-Type", eventStreamContentType)
	w.WriteHeader(http.StatusOK)
	sw := &eventWriter{w: w, rc: http.NewResponseController(w), enc: eventstream.NewEncoder(), codec: codec}
	if err := sw.encoded("initial-response", struct{}{}); err != nil {
		return
	}
	s.pushRecords(ctx, sw, st, it, &in, kick)
	if sw.failed {
		// Let the client read the exception and hang up first: ending the
		// response at once can race the SDK's read of it.
		t := time.NewTimer(time.Second)
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}

// startSubscription validates the request, resolves the starting
// position and claims the consumer's shard; release frees the claim.
func (s *Service) startSubscription(ctx context.Context, in *subscribeInput) (iterator, *streamState, func(), error) {
	if in.ConsumerARN == "" {
		return iterator{}, nil, nil, errValidation("consumerARN", "null", "Member must not be null")
	}
	if in.StartingPosition == nil {
		return iterator{}, nil, nil, errValidation("startingPosition", "null", "Member must not be null")
	}
	st, _, err := s.findConsumer(ctx, consumerRef{ConsumerARN: in.ConsumerARN})
	if err != nil {
		return iterator{}, nil, nil, err
	}
	p := in.StartingPosition
	out, err := s.getShardIterator(ctx, &getShardIteratorInput{streamRef: streamRef{StreamARN: st.meta.arn()},
		ShardId: in.ShardId, ShardIteratorType: p.Type, StartingSequenceNumber: p.SequenceNumber, Timestamp: p.Timestamp})
	if err != nil {
		return iterator{}, nil, nil, err
	}
	it, err := decodeIterator(s.tokens, out.ShardIterator)
	if err != nil {
		return iterator{}, nil, nil, err
	}
	key := in.ConsumerARN + "|" + in.ShardId
	s.efo.mu.Lock()
	defer s.efo.mu.Unlock()
	if _, busy := s.efo.subs[key]; busy {
		return iterator{}, nil, nil, awsjson.Errorf(codeResourceInUse, "Another active subscription exists for this consumer: %s:%s", in.ConsumerARN, in.ShardId)
	}
	s.efo.subs[key] = func() {}
	release := func() {
		s.efo.mu.Lock()
		delete(s.efo.subs, key)
		s.efo.mu.Unlock()
	}
	return it, st, release, nil
}

// pushRecords sends events until the limit, the client leaving, the
// consumer or stream going away, or the end of a closed shard.
//
// kick is closed when the consumer or its stream is deleted: the loop
// re-checks them and ends with a ResourceNotFoundException event.
func (s *Service) pushRecords(ctx context.Context, sw *eventWriter, st *streamState, it iterator, in *subscribeInput, kick <-chan struct{}) {
	limit := time.NewTimer(s.subscribeLimit)
	defer limit.Stop()
	// A core subscription on the shard's subject wakes the loop when a
	// record is stored; the read itself goes to JetStream.
	wake := make(chan struct{}, 1)
	sub, err := s.nc.Subscribe(st.meta.subject(it.shard), func(*nats.Msg) {
		select {
		case wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	})
	if err == nil {
		defer sub.Unsubscribe()
	}
	heartbeat := time.NewTicker(subscribeHeartbeat)
	defer heartbeat.Stop()
	// A reshard publishes a new state but stores no record: a short poll
	// notices it, so a closed shard's end is delivered promptly.
	poll := time.NewTicker(subscribePoll)
	defer poll.Stop()
	last := seqNum{epoch: it.epoch, shard: it.shard, js: it.next - 1}
	sent := false
	for {
		cur := s.current(st.key())
		if cur == nil || cur.meta.Epoch != it.epoch || cur.meta.Status == statusDeleting {
			sw.exception(codeResourceNotFound, errStreamNotFound(it.name).(*awsjson.Error).Message)
			return
		}
		if _, _, err := s.findConsumer(ctx, consumerRef{ConsumerARN: in.ConsumerARN}); err != nil && ctx.Err() == nil {
			var ae *awsjson.Error
			if errors.As(err, &ae) {
				sw.exception(ae.Code, ae.Message)
			}
			return
		}
		seen := cur
		m := &cur.meta
		now := s.now()
		var at time.Time
		if it.atTime != 0 {
			at = time.Unix(0, it.atTime)
		}
		recs, pending, err := s.read(ctx, m, it, at, maxGetRecordsLimit, now)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("SubscribeToShard read", "err", err)
				sw.exception(codeInternalFailure, "internal failure")
			}
			return
		}
		ev := subscribeEvent{Records: make([]recordShape, len(recs))}
		for i, r := range recs {
			ev.Records[i] = recordShape{
				SequenceNumber:              seqNum{epoch: it.epoch, shard: it.shard, js: r.seq}.String(),
				ApproximateArrivalTimestamp: awsjson.Timestamp(r.ts),
				Data:                        r.data, PartitionKey: r.pk, EncryptionType: "NONE",
			}
		}
		if n := len(recs); n > 0 {
			it.next, it.atTime = recs[n-1].seq+1, 0
			last.js = recs[n-1].seq
			if pending > 0 {
				ev.MillisBehindLatest = max(0, now.Sub(recs[n-1].ts).Milliseconds())
			}
		}
		ended := !m.Shards[it.shard].isOpen() && (len(recs) == 0 || pending == 0)
		if ended {
			ev.ChildShards, ev.MillisBehindLatest = m.children(it.shard), 0
		} else {
			c := last.String()
			ev.ContinuationSequenceNumber = &c
		}
		if len(recs) > 0 || ended || !sent {
			if err := sw.encoded("SubscribeToShardEvent", &ev); err != nil {
				return
			}
			sent = true
		}
		if ended {
			return
		}
		if pending > 0 {
			continue
		}
		for woken := false; !woken; {
			select {
			case <-ctx.Done():
				return
			case <-limit.C:
				return
			case <-wake:
				woken = true
			case <-kick:
				kick, woken = nil, true // re-check once; a nil channel never fires again
			case <-heartbeat.C:
				sent, woken = false, true // an empty event keeps the client's view alive
			case <-poll.C:
				woken = s.current(st.key()) != seen
			}
		}
	}
}

// eventWriter writes event-stream messages, flushing each; payloads are
// encoded with codec (the request's).
type eventWriter struct {
	w     io.Writer
	rc    *http.ResponseController
	enc   *eventstream.Encoder
	codec awsjson.Codec
	buf   bytes.Buffer
	// failed: an exception was sent
	failed bool
}

func (e *eventWriter) write(msg eventstream.Message) error {
	e.buf.Reset()
	if err := e.enc.Encode(&e.buf, msg); err != nil {
		return err
	}
	if _, err := e.w.Write(e.buf.Bytes()); err != nil {
		return err
	}
	return e.rc.Flush()
}

func (e *eventWriter) event(eventType string, payload []byte) error {
	var msg eventstream.Message
	msg.Headers.Set(":message-type", eventstream.StringValue("event"))
	msg.Headers.Set(":event-type", eventstream.StringValue(eventType))
	msg.Headers.Set(":content-type", eventstream.StringValue(e.codec.ContentType()))
	msg.Payload = payload
	return e.write(msg)
}

// encoded writes an event whose payload is v in the writer's codec.
func (e *eventWriter) encoded(eventType string, v any) error {
	b, err := e.codec.Marshal(v)
	if err != nil {
		return err
	}
	return e.event(eventType, b)
}

// exception writes an exception event; the stream ends after it.
func (e *eventWriter) exception(code, message string) {
	b, err := e.codec.Marshal(map[string]string{"message": message})
	if err != nil {
		b, _ = json.Marshal(map[string]string{"message": message})
	}
	var msg eventstream.Message
	msg.Headers.Set(":message-type", eventstream.StringValue("exception"))
	msg.Headers.Set(":exception-type", eventstream.StringValue(code))
	msg.Headers.Set(":content-type", eventstream.StringValue(e.codec.ContentType()))
	msg.Payload = b
	_ = e.write(msg)
	e.failed = true
}
