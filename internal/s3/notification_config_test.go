package s3

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestNotificationConfigRoundTrip(t *testing.T) {
	e := newNotifyEnv(t, t.TempDir(), newFakeNotifier(0), nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt",
		lambdaCfg("csv", fnA, []string{"s3:ObjectCreated:*"}, "in/", ".csv"),
		lambdaCfg("", fnB, []string{"s3:ObjectRemoved:Delete", "s3:ObjectCreated:Copy"}, "out/", ""))
	out, err := e.client.GetBucketNotificationConfiguration(t.Context(),
		&s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("bkt")})
	if err != nil {
		t.Fatal(err)
	}
	ls := out.LambdaFunctionConfigurations
	if len(ls) != 2 || len(out.QueueConfigurations)+len(out.TopicConfigurations) != 0 || out.EventBridgeConfiguration != nil {
		t.Fatalf("got %+v", out)
	}
	a, b := ls[0], ls[1]
	if aws.ToString(a.Id) != "csv" || aws.ToString(a.LambdaFunctionArn) != fnA || len(a.Events) != 1 || a.Events[0] != "s3:ObjectCreated:*" {
		t.Errorf("first = %+v", a)
	}
	if r := a.Filter.Key.FilterRules; len(r) != 2 || r[0].Name != "prefix" || aws.ToString(r[0].Value) != "in/" ||
		r[1].Name != "suffix" || aws.ToString(r[1].Value) != ".csv" {
		t.Errorf("first filter = %+v", r)
	}
	if aws.ToString(b.Id) == "" || aws.ToString(b.LambdaFunctionArn) != fnB || len(b.Events) != 2 || b.Filter == nil {
		t.Errorf("second = %+v (a generated Id is expected)", b)
	}
	// An empty configuration removes it.
	e.mustNotify(t, "bkt")
	out, err = e.client.GetBucketNotificationConfiguration(t.Context(),
		&s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("bkt")})
	if err != nil || len(out.LambdaFunctionConfigurations) != 0 {
		t.Fatalf("after clearing: %+v, %v", out, err)
	}
	_, err = e.client.GetBucketNotificationConfiguration(t.Context(),
		&s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("nope")})
	wantErr(t, err, "NoSuchBucket", 404)
}

// A configuration does not outlive its bucket. (Bucket creation times
// have second precision: the clock advances a second per reading.)
func TestNotificationConfigDeletedBucket(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tick := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	e := newNotifyEnv(t, t.TempDir(), newFakeNotifier(0), func(o *Options) { o.Now = tick })
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("x", fnA, []string{"s3:ObjectCreated:*"}, "", ""))
	if _, err := e.client.DeleteBucket(t.Context(), &s3.DeleteBucketInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatal(err)
	}
	e.mkBucket(t, "bkt")
	out, err := e.client.GetBucketNotificationConfiguration(t.Context(),
		&s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("bkt")})
	if err != nil || len(out.LambdaFunctionConfigurations) != 0 {
		t.Fatalf("a new bucket inherited the old configuration: %+v, %v", out, err)
	}
}

func TestNotificationValidation(t *testing.T) {
	e := newNotifyEnv(t, t.TempDir(), newFakeNotifier(0), nil)
	e.mkBucket(t, "bkt")
	created := []string{"s3:ObjectCreated:*"}
	missing := "arn:aws:lambda:us-east-1:000000000000:function:missing"
	for _, tc := range []struct {
		name   string
		cfg    types.NotificationConfiguration
		code   string
		status int
	}{
		{"unknown event", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", fnA, []string{"s3:ObjectCreated:Paste"}, "", "")}}, "InvalidArgument", 400},
		{"same prefix same event", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", fnA, created, "in/", ""), lambdaCfg("b", fnB, []string{"s3:ObjectCreated:Put"}, "in/x", "")}}, "InvalidArgument", 400},
		{"overlapping suffixes", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", fnA, created, "", ".csv"), lambdaCfg("b", fnB, created, "", "a.csv")}}, "InvalidArgument", 400},
		{"duplicate id", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", fnA, created, "x/", ""), lambdaCfg("a", fnB, created, "y/", "")}}, "InvalidArgument", 400},
		{"two prefix rules", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{
			LambdaFunctionArn: aws.String(fnA), Events: []types.Event{"s3:ObjectCreated:*"},
			Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{
				{Name: "prefix", Value: aws.String("a")}, {Name: "Prefix", Value: aws.String("b")}}}}}}}, "InvalidArgument", 400},
		{"bad rule name", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{
			LambdaFunctionArn: aws.String(fnA), Events: []types.Event{"s3:ObjectCreated:*"},
			Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{
				{Name: "infix", Value: aws.String("a")}}}}}}}, "InvalidArgument", 400},
		{"malformed arn", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", "arn:aws:sqs:us-east-1:000000000000:q", created, "", "")}}, "InvalidArgument", 400},
		{"missing function", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", missing, created, "", "")}}, "InvalidArgument", 400},
		{"queue", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{
			QueueArn: aws.String("arn:aws:sqs:us-east-1:000000000000:q"), Events: []types.Event{"s3:ObjectCreated:*"}}}}, "NotImplemented", 501},
		{"topic", types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{{
			TopicArn: aws.String("arn:aws:sns:us-east-1:000000000000:t"), Events: []types.Event{"s3:ObjectCreated:*"}}}}, "NotImplemented", 501},
		{"eventbridge", types.NotificationConfiguration{EventBridgeConfiguration: &types.EventBridgeConfiguration{}}, "NotImplemented", 501},
		{"restore events", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			lambdaCfg("a", fnA, []string{"s3:ObjectRestore:Post"}, "", "")}}, "NotImplemented", 501},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, e.putNotify("bkt", tc.cfg), tc.code, tc.status)
		})
	}
	// Disjoint prefixes, or different event families, do not overlap.
	e.mustNotify(t, "bkt",
		lambdaCfg("a", fnA, created, "in/", ".csv"), lambdaCfg("b", fnB, created, "out/", ".csv"),
		lambdaCfg("c", fnB, []string{"s3:ObjectRemoved:*"}, "in/", ".csv"))
	wantErr(t, e.putNotify("nope", types.NotificationConfiguration{}), "NoSuchBucket", 404)
	// The missing-destination error is S3's.
	resp, body := e.send(t, "PUT", "/bkt?notification", []byte(`<NotificationConfiguration><CloudFunctionConfiguration>`+
		`<CloudFunction>`+missing+`</CloudFunction><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration></NotificationConfiguration>`), nil)
	if resp.StatusCode != 400 || !bytes.Contains(body, []byte("<Message>Unable to validate the following destination configurations</Message>")) {
		t.Errorf("missing function: %d %s", resp.StatusCode, body)
	}
}

// Without a Notifier (tarn's Lambda not wired), Lambda destinations are
// refused; clearing and reading still work.
func TestNotificationWithoutNotifier(t *testing.T) {
	e := newTestEnv(t)
	e.mkBucket(t, "bkt")
	err := e.putNotify("bkt", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
		lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "", "")}})
	wantErr(t, err, "NotImplemented", 501)
	e.mustNotify(t, "bkt")
	if _, err := e.client.GetBucketNotificationConfiguration(t.Context(),
		&s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatal(err)
	}
}

// x-amz-skip-destination-validation skips the function check, as in S3.
func TestNotificationSkipDestinationValidation(t *testing.T) {
	e := newNotifyEnv(t, t.TempDir(), newFakeNotifier(0), nil)
	e.mkBucket(t, "bkt")
	doc := []byte(`<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration><Id>x</Id>` +
		`<CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:later</CloudFunction><Event>s3:ObjectCreated:*</Event>` +
		`</CloudFunctionConfiguration></NotificationConfiguration>`)
	if resp, body := e.send(t, "PUT", "/bkt?notification", doc, nil); resp.StatusCode != 400 {
		t.Fatalf("without the header: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.send(t, "PUT", "/bkt?notification", doc, map[string]string{"x-amz-skip-destination-validation": "true"}); resp.StatusCode != 200 {
		t.Fatalf("with the header: %d %s", resp.StatusCode, body)
	}
	resp, body := e.send(t, "GET", "/bkt?notification", nil, nil)
	want := `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration><Id>x</Id>` +
		`<CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:later</CloudFunction><Event>s3:ObjectCreated:*</Event>` +
		`</CloudFunctionConfiguration></NotificationConfiguration>`
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(want)) {
		t.Errorf("GET ?notification = %d %s\nwant %s", resp.StatusCode, body, want)
	}
}
