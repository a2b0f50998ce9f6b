package dynamo

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/tarnhq/tarn/internal/kv"
)

// clock is a settable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type harness struct {
	svc     *Service
	db      *kv.DB
	ddb     *dynamodb.Client
	streams *dynamodbstreams.Client
	clock   *clock
	url     string
}

// newHarness runs a Service on httptest over a fresh database (no fsync)
// and returns SDK clients for it. Background sweeps are off: tests call
// SweepTTL and TrimStreams.
func newHarness(t testing.TB) *harness {
	t.Helper()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Now()}
	svc, err := New(Options{DB: db, Meta: db.Space("dynamodb/"), Now: clk.now, TTLSweepInterval: -1, TrimInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(func() {
		srv.Close()
		svc.Stop(context.Background())
		db.Close()
	})
	return &harness{svc: svc, db: db, ddb: ddbClient(srv.URL), streams: streamsClient(srv.URL), clock: clk, url: srv.URL}
}

func ddbClient(url string) *dynamodb.Client {
	return dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

func streamsClient(url string) *dynamodbstreams.Client {
	return dynamodbstreams.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

// createTable makes a PAY_PER_REQUEST table with key pk (S) and, when sk
// is not "", sort key sk of type skType, and waits for it to be ACTIVE.
func (h *harness) createTable(t testing.TB, name, sk string, skType types.ScalarAttributeType, mods ...func(*dynamodb.CreateTableInput)) {
	t.Helper()
	in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}}}
	if sk != "" {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(sk), AttributeType: skType})
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange})
	}
	for _, m := range mods {
		m(in)
	}
	if _, err := h.ddb.CreateTable(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	w := dynamodb.NewTableExistsWaiter(h.ddb, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 10 * time.Millisecond
		o.MaxDelay = 50 * time.Millisecond
	})
	if err := w.Wait(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func newServer(svc *Service) *httptest.Server { return httptest.NewServer(svc.Handler()) }
