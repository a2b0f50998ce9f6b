package function

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// invocation is one request handed to an environment. done receives
// exactly one result (finish guards it).
type invocation struct {
	id       string
	payload  []byte
	arn      string
	timeout  time.Duration // the function's timeout, counted from handoff
	memoryMB int64         // the function's MemorySize: more resident memory kills it
	deadline time.Time     // set at handoff; guarded by the environment's mu
	handedAt time.Time     // when the runtime received it; guarded by the environment's mu
	done     chan result
	once     sync.Once
}

func (i *invocation) finish(r result) { i.once.Do(func() { i.done <- r }) }

// result is what an invocation produced. functionError is "" on success,
// else the X-Amz-Function-Error value; broken means the environment must
// be discarded (crash, timeout, init error).
type result struct {
	payload       []byte
	functionError string
	broken        bool
	logLine       string // a line Lambda itself logs for this outcome
	oom           bool   // killed for exceeding MemorySize
}

// environment is one execution environment: a child process and the
// Runtime API it talks to on its own 127.0.0.1 listener. Used by one
// invocation at a time (the pool guarantees it).
type environment struct {
	id      string
	stream  string // log stream name
	cmd     *exec.Cmd
	srv     *http.Server
	next    chan *invocation // the runtime's GET /next receives from it
	exited  chan struct{}    // closed when the process has exited
	initBad chan struct{}    // closed by the runtime's /init/error
	exitErr error            // set before exited is closed
	out     *os.File         // the process's stdout and stderr
	offset  int64            // bytes of out already attributed to invocations
	started time.Time
	warm    bool // served at least one invocation

	mu       sync.Mutex
	cur      *invocation
	readyAt  time.Time // first GET /next: the end of the init phase
	initErr  []byte    // body of /init/error
	lastUsed time.Time
}

// startEnvironment spawns an environment for v. The process runs until
// stop; it is in its own process group so a kill takes its children too.
func (s *Service) startEnvironment(region string, v *version) (*environment, error) {
	prog, args, err := s.command(v)
	if err != nil {
		return nil, err
	}
	e := &environment{id: newID(), next: make(chan *invocation), exited: make(chan struct{}), initBad: make(chan struct{}), started: time.Now()}
	e.stream = s.now().UTC().Format("2006/01/02") + "/[" + v.Config.Version + "]" + e.id[:8] + e.id[9:13]
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	logDir := filepath.Join(s.dir, "_env")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		ln.Close()
		return nil, err
	}
	e.out, err = os.OpenFile(filepath.Join(logDir, e.id+".out"), os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		ln.Close()
		return nil, err
	}
	e.srv = &http.Server{Handler: e.runtimeAPI(), ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(ln)
	cmd := exec.Command(prog, args...)
	cmd.Dir = v.CodeDir
	cmd.Env = s.environ(region, v, ln.Addr().String(), e.stream)
	cmd.Stdout, cmd.Stderr = e.out, e.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		e.srv.Close()
		e.out.Close()
		os.Remove(e.out.Name())
		return nil, fmt.Errorf("start runtime: %w", err)
	}
	e.cmd = cmd
	go func() {
		e.exitErr = cmd.Wait()
		close(e.exited)
	}()
	return e, nil
}

// stop kills the process group (also children that outlived a crashed
// runtime: the group id cannot be recycled while they live) and releases
// the listener and log file.
func (e *environment) stop() {
	_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
	<-e.exited
	e.srv.Close()
	e.out.Close()
	os.Remove(e.out.Name())
}

// output returns what the process wrote since the last call. Called only
// between invocations (by the invocation's owner), so the file is
// truncated once it grows past 1 MB.
func (e *environment) output() []byte {
	fi, err := e.out.Stat()
	if err != nil || fi.Size() <= e.offset {
		return nil
	}
	b := make([]byte, fi.Size()-e.offset)
	n, _ := e.out.ReadAt(b, e.offset)
	e.offset += int64(n)
	if e.offset > 1<<20 && e.out.Truncate(0) == nil {
		e.offset = 0
	}
	return b[:n]
}

// initDuration is how long the runtime took to ask for its first event.
func (e *environment) initDuration() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.readyAt.IsZero() {
		return 0
	}
	return e.readyAt.Sub(e.started)
}

// run hands inv to the environment and waits for its result, the
// process's exit or the deadline (which kills the process). The runtime
// has initPhase to ask for the event (Lambda's 10 s init limit), then the
// function's timeout runs from the handoff.
func (e *environment) run(ctx context.Context, inv *invocation, timeout time.Duration) result {
	timer := time.NewTimer(initPhase)
	defer timer.Stop()
	timedOut := func(limit time.Duration) result {
		e.kill()
		msg := fmt.Sprintf("Task timed out after %.2f seconds", limit.Seconds())
		return result{broken: true, functionError: "Unhandled",
			payload: errorPayload("Sandbox.Timedout", "RequestId: "+inv.id+" Error: "+msg),
			logLine: time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + " " + inv.id + " " + msg + "\n"}
	}
	select {
	case e.next <- inv:
	case <-e.exited:
		return e.crashed(inv)
	case <-e.initBad:
		e.kill()
		return e.crashed(inv)
	case <-timer.C:
		return timedOut(initPhase) // the runtime never asked for the event
	case <-ctx.Done():
		return result{broken: true, functionError: "Unhandled", payload: errorPayload("Runtime.Cancelled", "RequestId: "+inv.id+" Error: the invoke was cancelled")}
	}
	timer.Reset(timeout)
	poll := time.NewTicker(memoryPoll)
	defer poll.Stop()
	for {
		select {
		case r := <-inv.done:
			return r
		case <-poll.C:
			if inv.memoryMB > 0 && e.residentMB() > inv.memoryMB {
				e.kill()
				return outOfMemory(inv)
			}
			continue
		case <-e.exited:
			select {
			case r := <-inv.done:
				return r
			default:
			}
			return e.crashed(inv)
		case <-e.initBad:
			e.kill()
			return e.crashed(inv)
		case <-timer.C:
			return timedOut(timeout)
		}
	}
}

// memoryPoll is how often a running invocation's resident memory is
// compared with the function's MemorySize. Between invocations the process
// is idle (frozen, as in Lambda) and not watched.
const memoryPoll = 10 * time.Millisecond

// outOfMemory is Lambda's answer for a function killed for exceeding its
// MemorySize.
func outOfMemory(inv *invocation) result {
	return result{broken: true, functionError: "Unhandled", oom: true,
		payload: errorPayload("Runtime.OutOfMemory", "RequestId: "+inv.id+" Error: Runtime exited with error: signal: killed")}
}

// kill ends the process group and waits for the exit.
func (e *environment) kill() {
	select {
	case <-e.exited:
		return
	default:
	}
	_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
	<-e.exited
}

func (e *environment) crashed(inv *invocation) result {
	e.mu.Lock()
	initErr := e.initErr
	e.mu.Unlock()
	if initErr != nil {
		return result{broken: true, functionError: "Unhandled", payload: initErr}
	}
	msg := "Runtime exited without providing a reason"
	var ee *exec.ExitError
	if errors.As(e.exitErr, &ee) {
		msg = "Runtime exited with error: " + ee.ProcessState.String()
	}
	return result{broken: true, functionError: "Unhandled",
		payload: errorPayload("Runtime.ExitError", "RequestId: "+inv.id+" Error: "+msg)}
}

func errorPayload(typ, msg string) []byte {
	b, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": msg})
	return b
}

// runtimeAPI is tarn's Lambda Runtime API for this environment.
func (e *environment) runtimeAPI() http.Handler {
	mux := http.NewServeMux()
	const p = "/2018-06-01/runtime"
	mux.HandleFunc("GET "+p+"/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		if e.readyAt.IsZero() {
			e.readyAt = time.Now()
		}
		e.mu.Unlock()
		select {
		case inv := <-e.next:
			e.mu.Lock()
			e.cur = inv
			inv.handedAt = time.Now()
			inv.deadline = inv.handedAt.Add(inv.timeout)
			deadline := inv.deadline
			e.mu.Unlock()
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline.UnixMilli(), 10))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", inv.arn)
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-"+strconv.FormatInt(time.Now().Unix(), 16)+"-"+inv.id[:8]+inv.id[9:13]+inv.id[14:18]+inv.id[19:23]+";Parent=0000000000000000;Sampled=0")
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(inv.payload)
		case <-r.Context().Done():
		}
	})
	answer := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
	current := func(w http.ResponseWriter, r *http.Request) *invocation {
		e.mu.Lock()
		inv := e.cur
		e.mu.Unlock()
		if inv == nil || inv.id != r.PathValue("id") {
			answer(w, http.StatusBadRequest, `{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}`)
			return nil
		}
		return inv
	}
	mux.HandleFunc("POST "+p+"/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		inv := current(w, r)
		if inv == nil {
			return
		}
		b, err := io.ReadAll(io.LimitReader(r.Body, maxSyncPayload+1))
		if err != nil {
			return
		}
		res := result{payload: b}
		if len(b) > maxSyncPayload {
			res = result{functionError: "Unhandled", payload: errorPayload("Function.ResponseSizeTooLarge",
				fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxSyncPayload))}
		}
		inv.finish(res)
		answer(w, http.StatusAccepted, `{"status":"OK"}`)
	})
	mux.HandleFunc("POST "+p+"/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		inv := current(w, r)
		if inv == nil {
			return
		}
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if !json.Valid(b) || len(b) == 0 {
			typ := r.Header.Get("Lambda-Runtime-Function-Error-Type")
			if typ == "" {
				typ = "Unhandled"
			}
			b = errorPayload(typ, string(b))
		}
		inv.finish(result{payload: b, functionError: "Unhandled"})
		answer(w, http.StatusAccepted, `{"status":"OK"}`)
	})
	mux.HandleFunc("POST "+p+"/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if !json.Valid(b) || len(b) == 0 {
			b = errorPayload("Runtime.Unknown", string(b))
		}
		e.mu.Lock()
		if e.initErr == nil {
			e.initErr = b
			close(e.initBad)
		}
		e.mu.Unlock()
		answer(w, http.StatusAccepted, `{"status":"OK"}`)
	})
	return mux
}
