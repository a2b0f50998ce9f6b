package function

import (
	"encoding/base64"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestGoBootstrap(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "gofn", 3)
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("gofn"), Payload: []byte(`{"mode":"echo","ms":7}`)})
	if out.FunctionError != nil || string(out.Payload) != `{"mode":"echo","ms":7}` || *out.ExecutedVersion != "$LATEST" {
		t.Fatalf("echo: %v %s", out.FunctionError, out.Payload)
	}
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("gofn"), Payload: []byte(`{"mode":"pid"}`)})
	m := decodeMap(t, out.Payload)
	if m["arn"] != "arn:aws:lambda:us-east-1:000000000000:function:gofn" || m["requestId"] == "" {
		t.Fatalf("context: %v", m)
	}
}

func TestErrors(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "e", 3)
	// The handler returns an error: aws-lambda-go reports it on /error.
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("e"), Payload: []byte(`{"mode":"error"}`)})
	if aws.ToString(out.FunctionError) != "Unhandled" {
		t.Fatalf("error: FunctionError %v", out.FunctionError)
	}
	m := decodeMap(t, out.Payload)
	if m["errorMessage"] != "boom" || m["errorType"] != "errorString" {
		t.Fatalf("error payload: %s", out.Payload)
	}
	// The process exits mid-invoke.
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("e"), Payload: []byte(`{"mode":"crash"}`)})
	m = decodeMap(t, out.Payload)
	if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "Runtime.ExitError" ||
		!strings.Contains(m["errorMessage"].(string), "exit status 3") {
		t.Fatalf("crash: %v %s", out.FunctionError, out.Payload)
	}
	// The next invoke gets a fresh environment.
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("e"), Payload: []byte(`{"mode":"echo"}`)})
	if out.FunctionError != nil {
		t.Fatalf("after crash: %s", out.Payload)
	}
	if _, err := h.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("e"), Payload: []byte(`not json`)}); err == nil {
		t.Fatal("invalid JSON payload accepted")
	}
}

func TestCrashReplacement(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "c", 3)
	pid := func() any {
		out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("c"), Payload: []byte(`{"mode":"pid"}`)})
		return decodeMap(t, out.Payload)["pid"]
	}
	p1, p2 := pid(), pid()
	if p1 != p2 {
		t.Fatalf("warm environment not reused: %v then %v", p1, p2)
	}
	h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("c"), Payload: []byte(`{"mode":"crash"}`)})
	if p3 := pid(); p3 == p1 {
		t.Fatalf("crashed environment reused (pid %v)", p3)
	}
}

func TestTimeoutKills(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "slow", 1)
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("slow"), LogType: types.LogTypeTail, Payload: []byte(`{"mode":"sleep","ms":60000}`)})
	m := decodeMap(t, out.Payload)
	if b, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult)); !strings.Contains(string(b), "Task timed out after 1.00 seconds\nEND RequestId: ") {
		t.Fatalf("timeout tail: %s", b)
	}
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.HasSuffix(m["errorMessage"].(string), "Task timed out after 1.00 seconds") {
		t.Fatalf("timeout: %v %s", out.FunctionError, out.Payload)
	}
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("slow"), Payload: []byte(`{"mode":"echo"}`)})
	if out.FunctionError != nil {
		t.Fatalf("after timeout: %s", out.Payload)
	}
}

func TestEnvironmentIsolation(t *testing.T) {
	t.Setenv("TARN_SECRET", "leak")
	h := newHarness(t)
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("env"), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: goZip(t)},
		Environment: &types.Environment{Variables: map[string]string{"MY_VAR": "x"}}})
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("env"), Payload: []byte(`{"mode":"env"}`)})
	m := decodeMap(t, out.Payload)
	for k := range m {
		if strings.HasPrefix(k, "TARN_") || k == "HOME" || k == "USER" || k == "GOPATH" {
			t.Errorf("leaked %s", k)
		}
	}
	want := map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "env", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "_HANDLER": "bootstrap", "AWS_REGION": "us-east-1",
		"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "PATH": DefaultPath, "MY_VAR": "x"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %q", k, m[k], v)
		}
	}
	for _, k := range []string{"LAMBDA_TASK_ROOT", "AWS_LAMBDA_RUNTIME_API"} {
		if m[k] == nil || m[k] == "" {
			t.Errorf("%s unset", k)
		}
	}
}

func TestLogTail(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "logs", 3)
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("logs"), LogType: types.LogTypeTail, Payload: []byte(`{"mode":"log"}`)})
	b, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if err != nil {
		t.Fatal(err)
	}
	tail := string(b)
	for _, want := range []string{"START RequestId: ", " Version: $LATEST", "hello from the function", "and from stderr", "END RequestId: ", "REPORT RequestId: ", "Billed Duration: "} {
		if !strings.Contains(tail, want) {
			t.Errorf("tail lacks %q:\n%s", want, tail)
		}
	}
	evs := h.svc.Logs("", "logs")
	if len(evs) < 5 || !strings.HasPrefix(evs[0].Message, "START RequestId: ") || !strings.HasPrefix(evs[len(evs)-1].Message, "REPORT RequestId: ") {
		t.Fatalf("Logs: %+v", evs)
	}
}

func TestConcurrentEnvironments(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "par", 10)
	// Two invokes that each hold their environment until both have
	// started (a barrier in a shared directory): they pass only if each
	// got its own environment.
	dir := t.TempDir()
	payload := []byte(`{"mode":"barrier","ms":9000,"n":2,"dir":"` + dir + `"}`)
	var wg sync.WaitGroup
	pids := make([]any, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := h.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("par"), Payload: payload})
			if err != nil {
				t.Error(err)
				return
			}
			if out.FunctionError != nil {
				t.Errorf("barrier: %s", out.Payload)
				return
			}
			pids[i] = decodeMap(t, out.Payload)["pid"]
		}()
	}
	wg.Wait()
	if pids[0] == nil || pids[0] == pids[1] {
		t.Fatalf("parallel invokes shared an environment: %v", pids)
	}
}

func TestPythonHandler(t *testing.T) {
	if _, err := interpreter("python3.12"); err != nil {
		t.Skip(err)
	}
	h := newHarness(t)
	code := "import os\n\ndef handler(event, context):\n    print('py says hi')\n    if event.get('fail'):\n        raise ValueError('bad input')\n    return {'got': event, 'fn': context.function_name, 'home': os.environ.get('HOME')}\n"
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("py"), Runtime: types.RuntimePython312,
		Handler: aws.String("app.handler"), Code: &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"app.py": []byte(code)}, 0o644)}})
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("py"), LogType: types.LogTypeTail, Payload: []byte(`{"a":1}`)})
	m := decodeMap(t, out.Payload)
	if out.FunctionError != nil || m["fn"] != "py" || m["home"] != nil || m["got"].(map[string]any)["a"] != 1.0 {
		t.Fatalf("python: %v %s", out.FunctionError, out.Payload)
	}
	if b, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult)); !strings.Contains(string(b), "py says hi") {
		t.Fatalf("python tail: %s", b)
	}
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"fail":true}`)})
	m = decodeMap(t, out.Payload)
	if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "ValueError" || m["errorMessage"] != "bad input" {
		t.Fatalf("python error: %s", out.Payload)
	}
	if _, ok := m["stackTrace"].([]any); !ok {
		t.Fatalf("python error lacks stackTrace: %s", out.Payload)
	}
	// A handler whose module does not import fails at init.
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("pybad"), Runtime: types.RuntimePython312,
		Handler: aws.String("missing.handler"), Code: &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"app.py": []byte(code)}, 0o644)}})
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("pybad")})
	m = decodeMap(t, out.Payload)
	if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "Runtime.ImportModuleError" {
		t.Fatalf("init error: %v %s", out.FunctionError, out.Payload)
	}
}

func TestMissingBootstrap(t *testing.T) {
	h := newHarness(t)
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("nob"), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("x"), Code: &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"other": []byte("x")}, 0o644)}})
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("nob")})
	m := decodeMap(t, out.Payload)
	if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "Runtime.InvalidEntrypoint" {
		t.Fatalf("missing bootstrap: %v %s", out.FunctionError, out.Payload)
	}
}

func TestNodeHandler(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	if _, err := interpreter("nodejs20.x"); err != nil {
		t.Skip(err)
	}
	h := newHarness(t)
	code := "exports.handler = async (event, context) => ({ got: event, fn: context.functionName });\n"
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("js"), Runtime: types.RuntimeNodejs20x,
		Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"index.js": []byte(code)}, 0o644)}})
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("js"), Payload: []byte(`{"a":1}`)})
	m := decodeMap(t, out.Payload)
	if out.FunctionError != nil || m["fn"] != "js" {
		t.Fatalf("node: %v %s", out.FunctionError, out.Payload)
	}
}

func TestIdleEnvironmentsStop(t *testing.T) {
	h := newHarnessOpts(t, Options{IdleTimeout: 20 * time.Millisecond})
	h.goFunction(t, "idle", 3)
	h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("idle")})
	waitFor(t, "the idle environment to stop", func() bool {
		h.svc.pools.mu.Lock()
		defer h.svc.pools.mu.Unlock()
		n := 0
		for _, p := range h.svc.pools.m {
			n += len(p.all)
		}
		return n == 0
	})
}
