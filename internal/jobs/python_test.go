package jobs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func needPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 on this machine")
	}
}

func TestPythonShell(t *testing.T) {
	needPython(t)
	t.Setenv("TARN_SECRET_SETTING", "leak")
	h := newHarness(t)
	script := `import os, sys
print("args", " ".join(sys.argv[1:]))
print("endpoint", os.environ.get("AWS_ENDPOINT_URL"), os.environ.get("AWS_REGION"), os.environ.get("AWS_ACCESS_KEY_ID"))
print("leak", os.environ.get("TARN_SECRET_SETTING"))
sys.stderr.write("warming up\n")
if "--fail" in sys.argv:
    sys.stderr.write("ValueError: bad input\n")
    sys.exit(1)
`
	h.createJob(t, "py", "pythonshell", ".py", script, func(in *glue.CreateJobInput) {
		in.DefaultArguments = map[string]string{"--k": "v"}
	})
	id := h.start(t, "py", map[string]string{"--day": "d1"})
	run := h.wait(t, "py", id)
	if run.JobRunState != types.JobRunStateSucceeded {
		t.Fatalf("run = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
	out := h.logs.get(LogGroup+"/output", id)
	for _, want := range []string{"--JOB_NAME py --JOB_RUN_ID " + id, "--day d1", "--job-bookmark-option job-bookmark-disable", "--k v",
		"endpoint http://127.0.0.1:1 us-east-1 test", "leak None"} {
		if !strings.Contains(out, want) {
			t.Errorf("output log lacks %q:\n%s", want, out)
		}
	}
	if e := h.logs.get(LogGroup+"/error", id); !strings.Contains(e, "warming up") {
		t.Errorf("error log = %q", e)
	}

	run = h.wait(t, "py", h.start(t, "py", map[string]string{"--fail": "1"}))
	if run.JobRunState != types.JobRunStateFailed || aws.ToString(run.ErrorMessage) != "ValueError: bad input" {
		t.Fatalf("failing run = %v %q", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
}

func TestPythonTimeout(t *testing.T) {
	needPython(t)
	h := newHarness(t)
	h.close()
	h.minute = 200 * time.Millisecond
	h.open(t)
	h.createJob(t, "sleepy", "pythonshell", ".py", "import time\ntime.sleep(600)\n", func(in *glue.CreateJobInput) { in.Timeout = aws.Int32(1) })
	run := h.wait(t, "sleepy", h.start(t, "sleepy", nil))
	if run.JobRunState != types.JobRunStateTimeout {
		t.Fatalf("run = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
}

func TestPythonStopKillsGroup(t *testing.T) {
	needPython(t)
	h := newHarness(t)
	pidfile := filepath.Join(t.TempDir(), "pid")
	// The script's child would outlive a kill of the script alone.
	script := `import subprocess, sys, time
p = subprocess.Popen(["sleep", "600"])
open(sys.argv[sys.argv.index("--pidfile") + 1] + ".tmp", "w").write(str(p.pid))
import os; os.rename(sys.argv[sys.argv.index("--pidfile") + 1] + ".tmp", sys.argv[sys.argv.index("--pidfile") + 1])
time.sleep(600)
`
	h.createJob(t, "sleepy", "pythonshell", ".py", script, nil)
	id := h.start(t, "sleepy", map[string]string{"--pidfile": pidfile})
	var pid int
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(pidfile); err == nil {
			if _, err := fmt.Sscanf(string(b), "%d", &pid); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the script never started its child")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := h.client.BatchStopJobRun(t.Context(), &glue.BatchStopJobRunInput{JobName: aws.String("sleepy"), JobRunIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	if run := h.wait(t, "sleepy", id); run.JobRunState != types.JobRunStateStopped {
		t.Fatalf("run = %v", run.JobRunState)
	}
	deadline = time.Now().Add(10 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the script's child %d outlived the stop", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive reports whether pid runs (a zombie does not count).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}
