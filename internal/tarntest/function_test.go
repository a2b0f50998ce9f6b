package tarntest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// recorder is a Python handler that writes each event it gets into
// OUT_DIR and answers with the object keys it saw.
const recorder = `import json, os, time

def handler(event, context):
    keys = [r["s3"]["object"]["key"] for r in event.get("Records", [])]
    path = os.path.join(os.environ["OUT_DIR"], "%d.json" % time.time_ns())
    with open(path, "w") as f:
        json.dump(event, f)
    return {"keys": keys}
`

// TestS3NotificationInvokesLambda: an object landing in the lake fires the
// bucket's Lambda notification; the function (a real python3 process,
// through tarn's runtime API) receives the S3 event as AWS shapes it.
func TestS3NotificationInvokesLambda(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	env := Start(t)
	ctx := t.Context()
	lc, s3c := env.Lambda(), env.S3()
	out := t.TempDir()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("recorder.py")
	w.Write([]byte(recorder))
	zw.Close()
	fn, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("recorder"),
		Runtime: lmtypes.RuntimePython312, Handler: aws.String("recorder.handler"),
		Role: aws.String("arn:aws:iam::000000000000:role/lambda"), Code: &lmtypes.FunctionCode{ZipFile: buf.Bytes()},
		Environment: &lmtypes.Environment{Variables: map[string]string{"OUT_DIR": out}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := lambda.NewFunctionActiveV2Waiter(lc, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay = 10 * time.Millisecond }).
		Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("recorder")}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	// A direct invocation first.
	res, err := lc.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("recorder"),
		Payload: []byte(`{"Records":[{"s3":{"object":{"key":"direct"}}}]}`)})
	if err != nil || res.FunctionError != nil || string(res.Payload) != `{"keys": ["direct"]}` {
		t.Fatalf("Invoke: %s %v %v", res.Payload, aws.ToString(res.FunctionError), err)
	}

	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("lake"),
		NotificationConfiguration: &s3types.NotificationConfiguration{LambdaFunctionConfigurations: []s3types.LambdaFunctionConfiguration{{
			Id: aws.String("raw-json"), LambdaFunctionArn: fn.FunctionArn, Events: []s3types.Event{"s3:ObjectCreated:*"},
			Filter: &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: []s3types.FilterRule{
				{Name: s3types.FilterRuleNamePrefix, Value: aws.String("raw/")}, {Name: s3types.FilterRuleNameSuffix, Value: aws.String(".json")}}}},
		}}}}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"raw/a b.json", "raw/skip.csv", "other/c.json"} {
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: strings.NewReader("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	var events []string
	for deadline := time.Now().Add(30 * time.Second); len(events) < 2; {
		events, _ = filepath.Glob(filepath.Join(out, "*.json"))
		if time.Now().After(deadline) {
			t.Fatalf("the notification reached the function %d times (direct invoke included), want 2", len(events))
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // no third event may follow (the .csv and other/ keys do not match)
	if events, _ = filepath.Glob(filepath.Join(out, "*.json")); len(events) != 2 {
		t.Fatalf("%d events, want the direct invoke and one notification", len(events))
	}
	var got struct {
		Records []struct {
			EventSource, EventName string
			S3                     struct {
				ConfigurationID string `json:"configurationId"`
				Bucket          struct{ Name string }
				Object          struct {
					Key  string
					Size int64
				}
			} `json:"s3"`
		}
	}
	b, err := os.ReadFile(events[1])
	if err == nil {
		err = json.Unmarshal(b, &got)
	}
	if err != nil || len(got.Records) != 1 {
		t.Fatalf("event %s: %v", b, err)
	}
	r := got.Records[0]
	if r.EventSource != "aws:s3" || r.EventName != "ObjectCreated:Put" || r.S3.ConfigurationID != "raw-json" ||
		r.S3.Bucket.Name != "lake" || r.S3.Object.Key != "raw/a+b.json" || r.S3.Object.Size != 2 {
		t.Fatalf("S3 event as the function saw it: %s", b)
	}

	// Both invocations logged START / END / REPORT into CloudWatch Logs,
	// group /aws/lambda/recorder (delivered asynchronously: wait for them).
	cw := env.Logs()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got, err := cw.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/recorder"),
			FilterPattern: aws.String(`"REPORT RequestId"`)})
		if err == nil && len(got.Events) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("REPORT lines in CloudWatch Logs: %v %v", got, err)
		}
	}
}
