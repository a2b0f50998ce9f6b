package function

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/tarnhq/tarn/internal/kv"
)

type harness struct {
	svc    *Service
	client *lambda.Client
}

func newHarness(t testing.TB) *harness { return newHarnessOpts(t, Options{}) }

// newHarnessOpts runs a Service with opts (Meta, DataDir and credentials
// filled in) on httptest and returns an SDK client for it.
func newHarnessOpts(t testing.TB, opts Options) *harness {
	t.Helper()
	dir := t.TempDir()
	db, err := kv.Open(dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.Meta, opts.DataDir, opts.Endpoint = db.Space("lambda/"), dir, "http://127.0.0.1:4566"
	opts.AccessKey, opts.SecretKey = "test", "test"
	svc, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(func() {
		srv.Close()
		svc.Stop(context.Background())
		db.Close()
	})
	client := lambda.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	return &harness{svc: svc, client: client}
}

var (
	bootstrapOnce sync.Once
	bootstrapZip  []byte
	bootstrapErr  error
)

// goZip builds testfn (an aws-lambda-go function) for linux and zips it as
// bootstrap, once per test binary.
func goZip(t testing.TB) []byte {
	t.Helper()
	bootstrapOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tarn-lambda-fn")
		if err != nil {
			bootstrapErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "bootstrap")
		cmd := exec.Command("go", "build", "-o", out, "./testfn")
		cmd.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			bootstrapErr = err
			t.Logf("%s", b)
			return
		}
		bin, err := os.ReadFile(out)
		if err != nil {
			bootstrapErr = err
			return
		}
		bootstrapZip = zipFiles(t, map[string][]byte{"bootstrap": bin}, 0o755)
	})
	if bootstrapErr != nil {
		t.Fatal(bootstrapErr)
	}
	return bootstrapZip
}

func zipFiles(t testing.TB, files map[string][]byte, mode os.FileMode) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// create makes a function and waits until it is Active.
func (h *harness) create(t testing.TB, in *lambda.CreateFunctionInput) *lambda.CreateFunctionOutput {
	t.Helper()
	if in.Role == nil {
		in.Role = aws.String("arn:aws:iam::000000000000:role/lambda")
	}
	out, err := h.client.CreateFunction(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	h.waitActive(t, *in.FunctionName)
	return out
}

func (h *harness) waitActive(t testing.TB, name string) {
	t.Helper()
	w := lambda.NewFunctionActiveV2Waiter(h.client, func(o *lambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	})
	if err := w.Wait(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) waitUpdated(t testing.TB, name string) {
	t.Helper()
	w := lambda.NewFunctionUpdatedV2Waiter(h.client, func(o *lambda.FunctionUpdatedV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	})
	if err := w.Wait(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) goFunction(t testing.TB, name string, timeout int32) {
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: goZip(t)}, Timeout: aws.Int32(timeout)})
}

func (h *harness) invoke(t testing.TB, in *lambda.InvokeInput) *lambda.InvokeOutput {
	t.Helper()
	out, err := h.client.Invoke(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeMap(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("payload %q: %v", b, err)
	}
	return m
}
