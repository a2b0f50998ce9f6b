package dynamo

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/tarnhq/tarn/internal/kv"
)

// crashChildEnv switches the test binary into a server child: it serves
// the service over the data directory the variable names, durably, on
// 127.0.0.1:0, prints "ADDR <host:port>" and runs until killed.
const crashChildEnv = "TARN_DYNAMO_CRASH_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		if err := serveChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func serveChild(dir string) error {
	db, err := kv.Open(dir, kv.Options{})
	if err != nil {
		return err
	}
	svc, err := New(Options{DB: db, Meta: db.Space("dynamodb/")})
	if err != nil {
		return err
	}
	if err := svc.Start(context.Background()); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	return http.Serve(ln, svc.Handler())
}

// startChild runs the server child on dir and returns its URL.
func startChild(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("child: %v", err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if !ok {
		t.Fatalf("child said %q", line)
	}
	return cmd, "http://" + addr
}

func noRetryClient(url string) *dynamodb.Client {
	return dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	dir := t.TempDir()
	cmd, url := startChild(t, dir)
	ctx := context.Background()
	c := noRetryClient(url)
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("crash"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeKeysOnly}}); err != nil {
		t.Fatal(err)
	}
	const workers = 12
	var (
		mu        sync.Mutex
		ackedPuts []string
		ackedTx   []int
		counters  [workers]struct{ acked, tried int }
		total     atomic.Int64
		killOnce  sync.Once
		wg        sync.WaitGroup
	)
	kill := func() { killOnce.Do(func() { cmd.Process.Kill() }) } // SIGKILL by PID
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				var err error
				switch i % 3 {
				case 0:
					key := fmt.Sprintf("put-%d-%d", g, i)
					_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("crash"), Item: map[string]types.AttributeValue{"pk": s(key), "v": n(fmt.Sprint(i))}})
					if err == nil {
						mu.Lock()
						ackedPuts = append(ackedPuts, key)
						mu.Unlock()
					}
				case 1:
					mu.Lock()
					counters[g].tried++
					mu.Unlock()
					_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("crash"), Key: map[string]types.AttributeValue{"pk": s(fmt.Sprintf("ctr-%d", g))},
						UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1")}})
					if err == nil {
						mu.Lock()
						counters[g].acked++
						mu.Unlock()
					}
				case 2:
					id := g*1000000 + i
					_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
						{Put: &types.Put{TableName: aws.String("crash"), Item: map[string]types.AttributeValue{"pk": s(fmt.Sprintf("tx-%d-a", id))}}},
						{Put: &types.Put{TableName: aws.String("crash"), Item: map[string]types.AttributeValue{"pk": s(fmt.Sprintf("tx-%d-b", id))}}},
					}})
					if err == nil {
						mu.Lock()
						ackedTx = append(ackedTx, id)
						mu.Unlock()
					}
				}
				if err != nil {
					return // the child is gone
				}
				if total.Add(1) == 600 {
					kill()
				}
			}
		}()
	}
	wg.Wait()
	kill()
	cmd.Wait()

	cmd2, url2 := startChild(t, dir)
	defer func() { cmd2.Process.Kill(); cmd2.Wait() }()
	c2 := ddbClient(url2)
	present := map[string]types.AttributeValue{}
	var start map[string]types.AttributeValue
	for {
		o, err := c2.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("crash"), ExclusiveStartKey: start})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range o.Items {
			present[it["pk"].(*types.AttributeValueMemberS).Value] = it["n"]
		}
		if o.LastEvaluatedKey == nil {
			break
		}
		start = o.LastEvaluatedKey
	}
	for _, k := range ackedPuts {
		if _, ok := present[k]; !ok {
			t.Errorf("acknowledged put %s lost", k)
		}
	}
	for _, id := range ackedTx {
		if _, ok := present[fmt.Sprintf("tx-%d-a", id)]; !ok {
			t.Errorf("acknowledged transaction %d lost", id)
		}
	}
	for k := range present {
		if id, ok := strings.CutPrefix(k, "tx-"); ok {
			id = strings.TrimSuffix(strings.TrimSuffix(id, "-a"), "-b")
			_, a := present["tx-"+id+"-a"]
			_, b := present["tx-"+id+"-b"]
			if a != b {
				t.Errorf("transaction %s half-applied", id)
			}
		}
	}
	for g, ct := range counters {
		got := 0
		if v, ok := present[fmt.Sprintf("ctr-%d", g)]; ok && v != nil {
			fmt.Sscan(v.(*types.AttributeValueMemberN).Value, &got)
		}
		if got < ct.acked || got > ct.tried {
			t.Errorf("counter %d = %d, acked %d, tried %d", g, got, ct.acked, ct.tried)
		}
	}
	// Every acknowledged put has its stream record.
	sc := streamsClient(url2)
	ls, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("crash")})
	if err != nil || len(ls.Streams) != 1 {
		t.Fatalf("streams = %v %v", ls, err)
	}
	ds, _ := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: ls.Streams[0].StreamArn})
	it, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: ls.Streams[0].StreamArn, ShardId: ds.StreamDescription.Shards[0].ShardId, ShardIteratorType: stypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	inserted := map[string]bool{}
	for iter := it.ShardIterator; iter != nil; {
		r, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Records) == 0 {
			break
		}
		for _, rec := range r.Records {
			inserted[rec.Dynamodb.Keys["pk"].(*stypes.AttributeValueMemberS).Value] = true
		}
		iter = r.NextShardIterator
	}
	for _, k := range ackedPuts {
		if !inserted[k] {
			t.Errorf("acknowledged put %s has no stream record", k)
		}
	}
	for k := range present {
		if !inserted[k] {
			t.Errorf("item %s has no stream record", k)
		}
	}
	t.Logf("acked puts %d, transactions %d; items after restart %d", len(ackedPuts), len(ackedTx), len(present))
}
