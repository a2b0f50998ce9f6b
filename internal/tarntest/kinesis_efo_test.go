package tarntest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// efoClient is a Kinesis client speaking HTTP/2 with prior knowledge
// (h2c), as SubscribeToShard does at AWS; the platform serves both.
func efoClient(e *Env) *kinesis.Client {
	return e.Kinesis(func(o *kinesis.Options) {
		o.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.Protocols = new(http.Protocols)
			t.Protocols.SetUnencryptedHTTP2(true)
		})
	})
}

func efoStream(t *testing.T, c *kinesis.Client, name string, shards int32) string {
	t.Helper()
	createStream(t, c, name, shards)
	d, err := c.DescribeStreamSummary(t.Context(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return *d.StreamDescriptionSummary.StreamARN
}

func register(t *testing.T, c *kinesis.Client, streamARN, name string) string {
	t.Helper()
	out, err := c.RegisterStreamConsumer(t.Context(), &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(streamARN), ConsumerName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Consumer.ConsumerARN
}

func put(t *testing.T, c *kinesis.Client, stream string, data ...string) []string {
	t.Helper()
	var seqs []string
	for _, d := range data {
		out, err := c.PutRecord(t.Context(), &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"), Data: []byte(d)})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, *out.SequenceNumber)
	}
	return seqs
}

func errCode(err error) string {
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return fmt.Sprint(err)
}

func TestKinesisConsumerLifecycle(t *testing.T) {
	e := Start(t)
	c := efoClient(e)
	arn := efoStream(t, c, "efo-life", 1)
	carn := register(t, c, arn, "app")
	if !strings.HasPrefix(carn, arn+"/consumer/app:") {
		t.Fatalf("consumer ARN %s", carn)
	}
	if _, err := c.RegisterStreamConsumer(t.Context(), &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(arn), ConsumerName: aws.String("app")}); errCode(err) != "ResourceInUseException" {
		t.Fatalf("duplicate: %v", err)
	}
	for _, in := range []*kinesis.DescribeStreamConsumerInput{{ConsumerARN: aws.String(carn)}, {StreamARN: aws.String(arn), ConsumerName: aws.String("app")}} {
		d, err := c.DescribeStreamConsumer(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.ConsumerDescription; *got.ConsumerARN != carn || got.ConsumerStatus != types.ConsumerStatusActive || *got.StreamARN != arn {
			t.Fatalf("describe: %+v", got)
		}
	}
	for i := 1; i < 20; i++ {
		register(t, c, arn, fmt.Sprintf("c%02d", i))
	}
	if _, err := c.RegisterStreamConsumer(t.Context(), &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(arn), ConsumerName: aws.String("one-too-many")}); errCode(err) != "LimitExceededException" {
		t.Fatalf("21st consumer: %v", err)
	}
	var names []string
	var next *string
	for {
		out, err := c.ListStreamConsumers(t.Context(), &kinesis.ListStreamConsumersInput{StreamARN: aws.String(arn), MaxResults: aws.Int32(7), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range out.Consumers {
			names = append(names, *x.ConsumerName)
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	if len(names) != 20 || names[0] != "app" || names[19] != "c19" {
		t.Fatalf("listed %v", names)
	}
	sum, err := c.DescribeStreamSummary(t.Context(), &kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	created := *sum.StreamDescriptionSummary.StreamCreationTimestamp
	if out, err := c.ListStreamConsumers(t.Context(), &kinesis.ListStreamConsumersInput{StreamARN: aws.String(arn),
		StreamCreationTimestamp: &created}); err != nil || len(out.Consumers) != 20 {
		t.Fatalf("with StreamCreationTimestamp: %v", err)
	}
	if _, err := c.ListStreamConsumers(t.Context(), &kinesis.ListStreamConsumersInput{StreamARN: aws.String(arn), NextToken: aws.String("forged")}); errCode(err) != "InvalidArgumentException" {
		t.Fatalf("forged NextToken: %v", err)
	}
	if _, err := c.DeregisterStreamConsumer(t.Context(), &kinesis.DeregisterStreamConsumerInput{ConsumerARN: aws.String(carn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeStreamConsumer(t.Context(), &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(carn)}); errCode(err) != "ResourceNotFoundException" {
		t.Fatalf("after deregister: %v", err)
	}
	if _, err := c.DeleteStream(t.Context(), &kinesis.DeleteStreamInput{StreamName: aws.String("efo-life")}); errCode(err) != "ResourceInUseException" {
		t.Fatalf("delete with consumers: %v", err)
	}
	if _, err := c.DeleteStream(t.Context(), &kinesis.DeleteStreamInput{StreamName: aws.String("efo-life"), EnforceConsumerDeletion: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	arn = efoStream(t, c, "efo-life", 1)
	out, err := c.ListStreamConsumers(t.Context(), &kinesis.ListStreamConsumersInput{StreamARN: aws.String(arn)})
	if err != nil || len(out.Consumers) != 0 {
		t.Fatalf("re-created stream: %v %+v", err, out)
	}
}

// subscription reads SubscribeToShard events.
type subscription struct {
	t  *testing.T
	ev *kinesis.SubscribeToShardEventStream
}

func subscribe(t *testing.T, c *kinesis.Client, carn, shard string, pos types.StartingPosition) *subscription {
	t.Helper()
	out, err := c.SubscribeToShard(t.Context(), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(carn), ShardId: aws.String(shard), StartingPosition: &pos})
	if err != nil {
		t.Fatal(err)
	}
	s := &subscription{t: t, ev: out.GetStream()}
	t.Cleanup(func() { s.ev.Close() })
	return s
}

// next is the next event; ok is false when the stream ended.
func (s *subscription) next() (types.SubscribeToShardEvent, bool) {
	s.t.Helper()
	select {
	case ev, ok := <-s.ev.Events():
		if !ok {
			return types.SubscribeToShardEvent{}, false
		}
		e, isEvent := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if !isEvent {
			s.t.Fatalf("event %T", ev)
		}
		return e.Value, true
	case <-time.After(20 * time.Second):
		s.t.Fatal("no event")
	}
	panic("unreachable")
}

// records reads events until it has n records.
func (s *subscription) records(n int) []string {
	s.t.Helper()
	var got []string
	for len(got) < n {
		ev, ok := s.next()
		if !ok {
			s.t.Fatalf("stream ended after %v (err %v)", got, s.ev.Err())
		}
		for _, r := range ev.Records {
			got = append(got, string(r.Data))
		}
	}
	return got
}

func TestKinesisSubscribeToShard(t *testing.T) {
	e := Start(t)
	c := efoClient(e)
	arn := efoStream(t, c, "efo-sub", 1)
	carn := register(t, c, arn, "app")
	shard := "shardId-000000000000"
	seqs := put(t, c, "efo-sub", "a", "b")

	sub := subscribe(t, c, carn, shard, types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
	if got := strings.Join(sub.records(2), ","); got != "a,b" {
		t.Fatalf("before: %s", got)
	}
	put(t, c, "efo-sub", "c", "d", "e")
	if got := strings.Join(sub.records(3), ","); got != "c,d,e" {
		t.Fatalf("after: %s", got)
	}
	// A second subscription for the same consumer and shard is refused.
	_, err := c.SubscribeToShard(t.Context(), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(carn), ShardId: aws.String(shard),
		StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}})
	if errCode(err) != "ResourceInUseException" {
		t.Fatalf("second subscription: %v", err)
	}
	sub.ev.Close()

	carn2 := register(t, c, arn, "app2")
	at := subscribe(t, c, carn2, shard, types.StartingPosition{Type: types.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String(seqs[1])})
	if got := strings.Join(at.records(4), ","); got != "b,c,d,e" {
		t.Fatalf("AT_SEQUENCE_NUMBER: %s", got)
	}
	at.ev.Close()
	// A closed subscription frees its consumer's shard only once the
	// server sees the hang-up: use another consumer rather than wait.
	after := subscribe(t, c, register(t, c, arn, "app4"), shard, types.StartingPosition{Type: types.ShardIteratorTypeAfterSequenceNumber, SequenceNumber: aws.String(seqs[1])})
	if got := strings.Join(after.records(3), ","); got != "c,d,e" {
		t.Fatalf("AFTER_SEQUENCE_NUMBER: %s", got)
	}
	after.ev.Close()

	carn3 := register(t, c, arn, "app3")
	latest := subscribe(t, c, carn3, shard, types.StartingPosition{Type: types.ShardIteratorTypeLatest})
	ev, ok := latest.next() // the first event comes at once, empty
	if !ok || len(ev.Records) != 0 || ev.ContinuationSequenceNumber == nil {
		t.Fatalf("first LATEST event: %+v %v", ev, ok)
	}
	put(t, c, "efo-sub", "f")
	if got := strings.Join(latest.records(1), ","); got != "f" {
		t.Fatalf("LATEST: %s", got)
	}

	if _, err := c.SubscribeToShard(t.Context(), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(arn + "/consumer/nope:1"), ShardId: aws.String(shard),
		StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}); errCode(err) != "ResourceNotFoundException" {
		t.Fatalf("unknown consumer: %v", err)
	}
}

func TestKinesisSubscribeChildShards(t *testing.T) {
	e := Start(t)
	c := efoClient(e)
	arn := efoStream(t, c, "efo-split", 1)
	carn := register(t, c, arn, "app")
	put(t, c, "efo-split", "a")
	sub := subscribe(t, c, carn, "shardId-000000000000", types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
	if got := strings.Join(sub.records(1), ","); got != "a" {
		t.Fatal(got)
	}
	if _, err := c.SplitShard(t.Context(), &kinesis.SplitShardInput{StreamName: aws.String("efo-split"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(midHashKey)}); err != nil {
		t.Fatal(err)
	}
	// The split wakes nothing on the shard's subject; the heartbeat (or a
	// record on another shard) re-reads, and the closed shard ends.
	for {
		ev, ok := sub.next()
		if !ok {
			t.Fatalf("ended without ChildShards: %v", sub.ev.Err())
		}
		if len(ev.ChildShards) > 0 {
			if len(ev.ChildShards) != 2 || ev.ContinuationSequenceNumber != nil {
				t.Fatalf("end event: %+v", ev)
			}
			break
		}
	}
	if _, ok := sub.next(); ok {
		t.Fatal("stream continued after the shard end")
	}
}

// TestKinesisConsumersSurviveRestart: consumers are stored with the
// stream's metadata.
func TestKinesisConsumersSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	e := Start(t, WithDataDir(dir))
	c := efoClient(e)
	arn := efoStream(t, c, "efo-keep", 1)
	carn := register(t, c, arn, "app")
	e.Stop(t)

	e = Start(t, WithDataDir(dir))
	c = efoClient(e)
	d, err := c.DescribeStreamConsumer(t.Context(), &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(carn)})
	if err != nil || *d.ConsumerDescription.ConsumerName != "app" {
		t.Fatalf("after restart: %+v %v", d, err)
	}
	put(t, c, "efo-keep", "x")
	sub := subscribe(t, c, carn, "shardId-000000000000", types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
	if got := strings.Join(sub.records(1), ","); got != "x" {
		t.Fatalf("after restart: %s", got)
	}
}
