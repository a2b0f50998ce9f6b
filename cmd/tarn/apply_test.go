package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/tarntest"
)

func TestApplyHelpAndSchema(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, err := runCLI(t, nil, "help", "apply")
	if err != nil || !strings.Contains(out, "Usage: tarn apply") || !strings.Contains(out, "Examples:") {
		t.Errorf("help apply: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, nil, "apply", "--schema")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Schema     string                     `json:"$schema"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal([]byte(out), &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	for _, key := range []string{"addr", "data", "durability", "buckets", "streams", "dashboards"} {
		if schema.Properties[key] == nil {
			t.Errorf("schema lacks %s", key)
		}
	}
	if schema.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %q", schema.Schema)
	}
}

// TestApplyCLI: tarn apply against a running platform: a dry run changes
// nothing, apply creates, a second apply reports everything unchanged; a
// bad field names its line.
func TestApplyCLI(t *testing.T) {
	env := tarntest.Start(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "tarn.yaml")
	os.WriteFile(file, []byte("log_level: info\nbuckets:\n  - name: cli-bucket\nstreams:\n  - name: cli-stream\n    shards: 2\n"), 0o644)
	vars := map[string]string{"AWS_ENDPOINT_URL": env.Endpoint}
	out, _, err := runCLI(t, vars, "apply", "-f", file, "--dry-run")
	if err != nil || out != "+ create bucket cli-bucket\n+ create stream cli-stream\ndry run: 2 to create, 0 to update, 0 unchanged, 0 need replace; nothing changed\n" {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if _, err := env.S3().HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("cli-bucket")}); err == nil {
		t.Fatal("the dry run created the bucket")
	}
	out, _, err = runCLI(t, nil, "apply", "-f", file, "--endpoint", env.Endpoint)
	if err != nil || out != "+ create bucket cli-bucket\n+ create stream cli-stream\n2 created, 0 updated, 0 unchanged, 0 need replace\n" {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, vars, "apply", "-f", file)
	if err != nil || out != "= bucket cli-bucket (unchanged)\n= stream cli-stream (unchanged)\n0 created, 0 updated, 2 unchanged, 0 need replace\n" {
		t.Fatalf("second apply: %v\n%s", err, out)
	}
	os.WriteFile(file, []byte("buckets:\n  - name: cli-bucket\nstreams:\n  - name: cli-stream\n    shards: 0\n"), 0o644)
	_, _, err = runCLI(t, vars, "apply", "-f", file)
	if err == nil || err.Error() != file+":5: streams[0].shards: must be a positive integer" {
		t.Fatalf("bad shards: %v", err)
	}
	// Wrong credentials: the API error names the resource.
	os.WriteFile(file, []byte("buckets:\n  - name: cli-bucket\n"), 0o644)
	_, _, err = runCLI(t, map[string]string{"AWS_ENDPOINT_URL": env.Endpoint, "AWS_ACCESS_KEY_ID": "nobody", "AWS_SECRET_ACCESS_KEY": "x"}, "apply", "-f", file)
	if err == nil || !strings.HasPrefix(err.Error(), file+":2: buckets[0] cli-bucket: ") {
		t.Fatalf("bad credentials: %v", err)
	}
}

// TestServeAppliesStack: tarn serve applies tarn.yaml's resources before
// it reports ready; a stack that does not apply stops serve with the error.
func TestServeAppliesStack(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("tarn.yaml", []byte("log_format: json\nstreams:\n  - name: served\n    shards: 3\n"), 0o644)
	data := t.TempDir()
	for _, want := range []string{`"change":"+ create stream served"`, `"change":"= stream served (unchanged)"`} {
		ctx, cancel := context.WithCancel(context.Background())
		logs := &readyWriter{endpoint: make(chan string, 1)}
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--pg-addr", "off", "--data", data},
				func(string) string { return "" }, io.Discard, logs)
		}()
		var endpoint string
		select {
		case endpoint = <-logs.endpoint:
		case err := <-done:
			cancel()
			t.Fatalf("serve exited: %v\n%s", err, logs.String())
		}
		kc := kinesis.NewFromConfig(awsConfig(endpoint, config.DefaultRegion, config.DefaultAccessKey, config.DefaultSecretKey))
		sum, err := kc.DescribeStreamSummary(t.Context(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("served")})
		if err != nil || aws.ToInt32(sum.StreamDescriptionSummary.OpenShardCount) != 3 {
			t.Errorf("stream after serve: %+v %v", sum, err)
		}
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}

	// A function that cannot be created: serve stops with the error.
	var err error
	os.WriteFile("tarn.yaml", []byte("functions:\n  - {name: bad, runtime: java8, handler: x, code: {zip: ./none.zip}}\n"), 0o644)
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--pg-addr", "off", "--data", t.TempDir()},
		func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "tarn.yaml:2: functions[0] bad: code: ") {
		t.Fatalf("serve with a failing stack: %v", err)
	}
	os.WriteFile("tarn.yaml", []byte("streams:\n  - name: x\n    shards: -1\n"), 0o644)
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--pg-addr", "off", "--data", t.TempDir()},
		func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || err.Error() != "tarn.yaml:3: streams[0].shards: must be a positive integer" {
		t.Fatalf("serve with a bad stack: %v", err)
	}
}
