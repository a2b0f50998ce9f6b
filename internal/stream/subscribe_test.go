package stream

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// useH2C points h.client at a second server for the same service that
// speaks HTTP/2 with prior knowledge, as SubscribeToShard does at AWS.
func useH2C(t *testing.T, h *harness) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h.svc.Handler())
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	t.Cleanup(srv.Close)
	h.client = kinesis.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}, func(o *kinesis.Options) {
		o.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.Protocols = new(http.Protocols)
			tr.Protocols.SetUnencryptedHTTP2(true)
		})
	})
}

func efoSetup(t *testing.T, h *harness) (streamARN, consumerARN string) {
	t.Helper()
	useH2C(t, h)
	c := h.client
	if _, err := c.CreateStream(t.Context(), &kinesis.CreateStreamInput{StreamName: aws.String("s"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	waitExists(t, c, "s")
	d, err := c.DescribeStreamSummary(t.Context(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.RegisterStreamConsumer(t.Context(), &kinesis.RegisterStreamConsumerInput{StreamARN: d.StreamDescriptionSummary.StreamARN, ConsumerName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	return *d.StreamDescriptionSummary.StreamARN, *out.Consumer.ConsumerARN
}

// drain reads events until the stream ends and returns its error.
func drain(t *testing.T, out *kinesis.SubscribeToShardOutput) error {
	t.Helper()
	es := out.GetStream()
	defer es.Close()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case _, ok := <-es.Events():
			if !ok {
				return es.Err()
			}
		case <-timeout:
			t.Fatal("subscription did not end")
		}
	}
}

func TestSubscribeLimit(t *testing.T) {
	h := newHarness(t)
	h.svc.subscribeLimit = 200 * time.Millisecond
	_, carn := efoSetup(t, h)
	in := &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(carn), ShardId: aws.String("shardId-000000000000"),
		StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}
	out, err := h.client.SubscribeToShard(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if err := drain(t, out); err != nil {
		t.Fatalf("end of subscription: %v", err)
	}
	// The ended subscription no longer holds the consumer's shard.
	out, err = h.client.SubscribeToShard(t.Context(), in)
	if err != nil {
		t.Fatalf("resubscribe: %v", err)
	}
	out.GetStream().Close()
}

func TestSubscribeEndsOnDeregister(t *testing.T) {
	h := newHarness(t)
	_, carn := efoSetup(t, h)
	out, err := h.client.SubscribeToShard(t.Context(), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(carn),
		ShardId: aws.String("shardId-000000000000"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	es := out.GetStream()
	<-es.Events() // the first event: the subscription is running
	if _, err := h.client.DeregisterStreamConsumer(t.Context(), &kinesis.DeregisterStreamConsumerInput{ConsumerARN: aws.String(carn)}); err != nil {
		t.Fatal(err)
	}
	err = drain(t, out)
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("after deregister: %v", err)
	}
}

func TestSubscribeStreamDeleted(t *testing.T) {
	h := newHarness(t)
	_, carn := efoSetup(t, h)
	var inUse *types.ResourceInUseException
	_, err := h.client.DeleteStream(t.Context(), &kinesis.DeleteStreamInput{StreamName: aws.String("s")})
	if !errors.As(err, &inUse) {
		t.Fatalf("delete with a consumer: %v", err)
	}
	if _, err := h.client.SubscribeToShard(t.Context(), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(carn),
		ShardId: aws.String("shardId-000000000009"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}); err == nil {
		t.Fatal("unknown shard accepted")
	}
}
