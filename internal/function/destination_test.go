package function

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

// fakeObjects is an ObjectWriter over in-memory buckets.
type fakeObjects struct {
	mu      sync.Mutex
	buckets map[string]bool
	objs    map[string][]byte // "bucket/key"
	types   map[string]string
	keys    []string
}

func newFakeObjects(buckets ...string) *fakeObjects {
	f := &fakeObjects{buckets: map[string]bool{}, objs: map[string][]byte{}, types: map[string]string{}}
	for _, b := range buckets {
		f.buckets[b] = true
	}
	return f
}

func (f *fakeObjects) PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.buckets[bucket] {
		return errors.New("NoSuchBucket: The specified bucket does not exist")
	}
	f.objs[bucket+"/"+key] = append([]byte(nil), body...)
	f.types[bucket+"/"+key] = contentType
	f.keys = append(f.keys, bucket+"/"+key)
	return nil
}

func (f *fakeObjects) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...)
}

func (f *fakeObjects) get(k string) ([]byte, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.objs[k], f.types[k]
}

// apiCode is the AWS error code of err and its message, "" if none.
func apiCode(err error) (string, string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

func putDest(h *harness, t *testing.T, fn, onSuccess, onFailure string) (*lambda.PutFunctionEventInvokeConfigOutput, error) {
	dc := &types.DestinationConfig{}
	if onSuccess != "" {
		dc.OnSuccess = &types.OnSuccess{Destination: aws.String(onSuccess)}
	}
	if onFailure != "" {
		dc.OnFailure = &types.OnFailure{Destination: aws.String(onFailure)}
	}
	return h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String(fn), DestinationConfig: dc})
}

func TestDestinationRefusals(t *testing.T) {
	h := newHarnessOpts(t, Options{Objects: newFakeObjects("b")})
	h.goFunction(t, "d", 3)
	for _, c := range []struct{ onSuccess, onFailure, code, msg string }{
		{"", "arn:aws:sqs:us-east-1:000000000000:q", "InvalidParameterValueException", "tarn does not run Amazon SQS"},
		{"arn:aws:sns:us-east-1:000000000000:t", "", "InvalidParameterValueException", "tarn does not run Amazon SNS"},
		{"", "arn:aws:events:us-east-1:000000000000:event-bus/default", "InvalidParameterValueException", "tarn does not run Amazon EventBridge"},
		{"arn:aws:s3:::b", "", "InvalidParameterValueException", "supported on failure only"},
		{"", "arn:aws:lambda:us-east-1:000000000000:function:nope", "InvalidParameterValueException", "is invalid"},
		{"", "not-an-arn", "InvalidParameterValueException", "is invalid"},
	} {
		_, err := putDest(h, t, "d", c.onSuccess, c.onFailure)
		code, msg := apiCode(err)
		if code != c.code || !strings.Contains(msg, c.msg) {
			t.Errorf("%q/%q: got %s %q, want %s containing %q", c.onSuccess, c.onFailure, code, msg, c.code, c.msg)
		}
		if c.code == "InvalidParameterValueException" && strings.Contains(c.msg, "tarn does not run") &&
			!strings.Contains(msg, "Amazon S3 bucket") {
			t.Errorf("refusal %q does not say which destinations tarn supports", msg)
		}
	}
	if _, err := h.client.GetFunctionEventInvokeConfig(t.Context(), &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("d")}); !isNotFound(err) {
		t.Fatalf("a refused put left a configuration: %v", err)
	}
	// Range constraints, in AWS's words.
	for _, c := range []struct {
		in  *lambda.PutFunctionEventInvokeConfigInput
		msg string
	}{
		{&lambda.PutFunctionEventInvokeConfigInput{MaximumRetryAttempts: aws.Int32(3)}, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"},
		{&lambda.PutFunctionEventInvokeConfigInput{MaximumRetryAttempts: aws.Int32(-1)}, "Member must have value greater than or equal to 0"},
		{&lambda.PutFunctionEventInvokeConfigInput{MaximumEventAgeInSeconds: aws.Int32(59)}, "Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"},
		{&lambda.PutFunctionEventInvokeConfigInput{MaximumEventAgeInSeconds: aws.Int32(21601), MaximumRetryAttempts: aws.Int32(5)}, "2 validation errors detected"},
	} {
		c.in.FunctionName = aws.String("d")
		_, err := h.client.PutFunctionEventInvokeConfig(t.Context(), c.in)
		if code, msg := apiCode(err); code != "ValidationException" || !strings.Contains(msg, c.msg) {
			t.Errorf("got %s %q, want ValidationException %q", code, msg, c.msg)
		}
	}
	// S3 destinations need a lake.
	h2 := newHarness(t)
	h2.goFunction(t, "d", 3)
	if _, err := putDest(h2, t, "d", "", "arn:aws:s3:::b"); !isInvalid(err) {
		t.Fatalf("S3 destination without Objects: %v", err)
	}
}

func isInvalid(err error) bool {
	var iv *types.InvalidParameterValueException
	return errors.As(err, &iv)
}

func TestDestinationValidateForESM(t *testing.T) {
	h := newHarnessOpts(t, Options{Objects: newFakeObjects()})
	h.goFunction(t, "f", 3)
	s := h.svc
	if err := s.validateDestination("us-east-1", "arn:aws:s3:::bucket", true); err != nil {
		t.Fatal(err)
	}
	if err := s.validateDestination("us-east-1", "arn:aws:lambda:us-east-1:000000000000:function:f", false); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"arn:aws:lambda:us-east-1:000000000000:function:f", "arn:aws:sqs:us-east-1:000000000000:q",
		"arn:aws:sns:us-east-1:000000000000:t", "arn:aws:s3:::"} {
		err := s.validateDestination("us-east-1", a, true)
		var ae *apiError
		if !errors.As(err, &ae) || ae.Type != "InvalidParameterValueException" {
			t.Fatalf("%s for an ESM: %v", a, err)
		}
		if strings.Contains(a, ":sqs:") && !strings.Contains(ae.Message, "only Amazon S3 bucket") {
			t.Fatalf("ESM refusal does not name the supported destination: %s", ae.Message)
		}
	}
}

func TestEventInvokeConfigDestinations(t *testing.T) {
	h := newHarnessOpts(t, Options{Objects: newFakeObjects("b")})
	h.goFunction(t, "cfg", 3)
	h.goFunction(t, "target", 3)
	c := h.client
	// Update before Put: not found.
	_, err := c.UpdateFunctionEventInvokeConfig(t.Context(), &lambda.UpdateFunctionEventInvokeConfigInput{
		FunctionName: aws.String("cfg"), MaximumRetryAttempts: aws.Int32(1)})
	if !isNotFound(err) {
		t.Fatalf("update without config: %v", err)
	}
	put, err := c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		MaximumRetryAttempts: aws.Int32(1)})
	if err != nil || put.DestinationConfig == nil || put.DestinationConfig.OnSuccess == nil || put.DestinationConfig.OnSuccess.Destination != nil {
		t.Fatalf("put without destinations: %v %+v", err, put)
	}
	target := "arn:aws:lambda:us-east-1:000000000000:function:target"
	up, err := c.UpdateFunctionEventInvokeConfig(t.Context(), &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::b")},
			OnSuccess: &types.OnSuccess{Destination: aws.String(target)}}})
	if err != nil || aws.ToInt32(up.MaximumRetryAttempts) != 1 || aws.ToString(up.DestinationConfig.OnFailure.Destination) != "arn:aws:s3:::b" ||
		aws.ToString(up.DestinationConfig.OnSuccess.Destination) != target {
		t.Fatalf("update merges: %v %+v", err, up)
	}
	// Clearing one destination keeps the other.
	up, err = c.UpdateFunctionEventInvokeConfig(t.Context(), &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		DestinationConfig: &types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String("")}}})
	if err != nil || up.DestinationConfig.OnSuccess.Destination != nil || aws.ToString(up.DestinationConfig.OnFailure.Destination) != "arn:aws:s3:::b" {
		t.Fatalf("clear OnSuccess: %v %+v", err, up)
	}
	got, err := c.GetFunctionEventInvokeConfig(t.Context(), &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")})
	if err != nil || aws.ToString(got.DestinationConfig.OnFailure.Destination) != "arn:aws:s3:::b" {
		t.Fatalf("get: %v %+v", err, got)
	}
	// Put replaces.
	put, err = c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		MaximumEventAgeInSeconds: aws.Int32(600)})
	if err != nil || put.MaximumRetryAttempts != nil || put.DestinationConfig.OnFailure.Destination != nil {
		t.Fatalf("put replaces: %v %+v", err, put)
	}
	// List pages in qualifier order.
	if _, err := c.PublishVersion(t.Context(), &lambda.PublishVersionInput{FunctionName: aws.String("cfg")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		Qualifier: aws.String("1"), MaximumRetryAttempts: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	l, err := c.ListFunctionEventInvokeConfigs(t.Context(), &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("cfg"), MaxItems: aws.Int32(1)})
	if err != nil || len(l.FunctionEventInvokeConfigs) != 1 || l.NextMarker == nil ||
		!strings.HasSuffix(aws.ToString(l.FunctionEventInvokeConfigs[0].FunctionArn), ":cfg:$LATEST") {
		t.Fatalf("list page 1: %v %+v", err, l)
	}
	l, err = c.ListFunctionEventInvokeConfigs(t.Context(), &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("cfg"), Marker: l.NextMarker})
	if err != nil || len(l.FunctionEventInvokeConfigs) != 1 || l.NextMarker != nil ||
		!strings.HasSuffix(aws.ToString(l.FunctionEventInvokeConfigs[0].FunctionArn), ":cfg:1") {
		t.Fatalf("list page 2: %v %+v", err, l)
	}
}

func TestDeadLetterConfigRefused(t *testing.T) {
	h := newHarness(t)
	for _, a := range []string{"arn:aws:sqs:us-east-1:000000000000:dlq", "arn:aws:sns:us-east-1:000000000000:dlq"} {
		_, err := h.client.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("dl"),
			Runtime: types.RuntimeProvidedal2023, Role: aws.String("arn:aws:iam::000000000000:role/lambda"), Handler: aws.String("bootstrap"),
			Code: &types.FunctionCode{ZipFile: goZip(t)}, DeadLetterConfig: &types.DeadLetterConfig{TargetArn: aws.String(a)}})
		if code, msg := apiCode(err); code != "InvalidParameterValueException" || !strings.Contains(msg, "tarn does not run Amazon SQS or Amazon SNS") {
			t.Fatalf("create with DLQ %s: %s %q", a, code, msg)
		}
	}
	if _, err := h.client.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String("dl")}); !isNotFound(err) {
		t.Fatalf("a refused create made the function: %v", err)
	}
	h.goFunction(t, "dl", 3)
	_, err := h.client.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("dl"),
		DeadLetterConfig: &types.DeadLetterConfig{TargetArn: aws.String("arn:aws:sqs:us-east-1:000000000000:dlq")}})
	if !isInvalid(err) {
		t.Fatalf("update with DLQ: %v", err)
	}
	// An empty TargetArn clears the DLQ: accepted.
	if _, err := h.client.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("dl"),
		DeadLetterConfig: &types.DeadLetterConfig{TargetArn: aws.String("")}}); err != nil {
		t.Fatalf("clear DLQ: %v", err)
	}
	h.waitUpdated(t, "dl")
	got, err := h.client.GetFunctionConfiguration(t.Context(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("dl")})
	if err != nil || got.DeadLetterConfig != nil && got.DeadLetterConfig.TargetArn != nil {
		t.Fatalf("DLQ after clear: %v %+v", err, got.DeadLetterConfig)
	}
}
