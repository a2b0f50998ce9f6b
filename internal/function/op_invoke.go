package function

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const tailBytes = 4096

func (s *Service) invoke(w http.ResponseWriter, r *http.Request) error {
	name, qual, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		if qual != "" && qual != q {
			return errInvalid("The derived qualifier from the function name does not match the specified qualifier.")
		}
		qual = q
	}
	typ := r.Header.Get("X-Amz-Invocation-Type")
	if typ == "" {
		typ = "RequestResponse"
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, maxSyncPayload+1))
	if err != nil {
		return errInvalid("could not read the request payload")
	}
	if len(payload) > maxSyncPayload {
		return errf("RequestTooLargeException", http.StatusRequestEntityTooLarge,
			"Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload)
	}
	if len(bytes.TrimSpace(payload)) == 0 {
		payload = []byte("{}")
	} else if !json.Valid(payload) {
		return errf("InvalidRequestContentException", http.StatusBadRequest, "Could not parse request body into json: Could not parse payload into json: Unexpected character")
	}
	region := s.region(r.Context())
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	v, err := s.resolve(region, name, rec, qual)
	if err != nil {
		return err
	}
	if st := v.Config.State; st != "Active" {
		return errConflict("The operation cannot be performed at this time. The function is currently in the following state: %s", st)
	}
	switch typ {
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return nil
	case "Event":
		return s.enqueue(w, region, name, qual, payload)
	case "RequestResponse":
	default:
		return errInvalid("1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]", typ)
	}
	limit := s.opts.MaxEnvironments
	if rec.Reserved != nil {
		limit = int(*rec.Reserved)
	}
	arn := v.Config.FunctionArn
	if qual != "" && !strings.HasSuffix(arn, ":"+qual) {
		arn = s.arn(region, name) + ":" + qual
	}
	out, err := s.invokeVersion(r.Context(), region, v, arn, payload, limit)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amz-Executed-Version", v.Config.Version)
	if out.FunctionError != "" {
		h.Set("X-Amz-Function-Error", out.FunctionError)
	}
	if r.Header.Get("X-Amz-Log-Type") == "Tail" {
		t := out.Log
		if len(t) > tailBytes {
			t = t[len(t)-tailBytes:]
		}
		h.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte(t)))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out.Payload)
	return nil
}

// Output is one synchronous invocation's outcome.
type Output struct {
	Payload       []byte
	FunctionError string // "" or "Unhandled"
	Log           string // START ... REPORT lines of this invocation
	RequestID     string
}

// invokeVersion runs payload on an environment of v (warm if one is idle,
// else a new one up to limit concurrent environments of the function) and
// returns its result. A function error is an Output, not an error; err is
// a TooManyRequestsException at the limit or a failure to start.
func (s *Service) invokeVersion(ctx context.Context, region string, v *version, arn string, payload []byte, limit int) (Output, error) {
	fn := region + "/" + v.Config.FunctionName
	key := fn + "/" + v.Config.Version + "#" + v.Config.RevisionID
	e, ok := s.pools.acquire(key, fn, limit)
	if !ok {
		if limit == 0 {
			return Output{}, errf("TooManyRequestsException", http.StatusTooManyRequests, "Rate Exceeded.")
		}
		return Output{}, errTooMany("Rate Exceeded.")
	}
	start := time.Now()
	cold := e == nil
	if !cold {
		e.thaw()
	}
	if cold {
		var err error
		if e, err = s.startEnvironment(region, v); err != nil {
			s.pools.release(key, fn, nil, false)
			id := newID()
			p := errorPayload("Runtime.InvalidEntrypoint", "RequestId: "+id+" Error: "+err.Error())
			return Output{Payload: p, FunctionError: "Unhandled", RequestID: id}, nil
		}
		if !s.pools.started(key, fn, e) {
			s.pools.release(key, fn, e, false)
			return Output{}, errf("ServiceException", http.StatusServiceUnavailable, "tarn: the Lambda service is stopping")
		}
	}
	timeout := time.Duration(v.Config.Timeout) * time.Second
	inv := &invocation{id: newID(), payload: payload, arn: arn, timeout: timeout,
		memoryMB: int64(v.Config.MemorySize), done: make(chan result, 1)}
	res := e.run(ctx, inv, timeout)
	end := time.Now()
	dur := end.Sub(start)
	var initDur time.Duration
	if cold {
		initDur = e.initDuration()
	}
	e.mu.Lock()
	h := inv.handedAt
	e.mu.Unlock()
	if !h.IsZero() && h.Before(end) {
		dur = end.Sub(h) // Duration excludes the init phase, as in Lambda
	}
	used := e.procStatusMB("VmHWM:")
	if res.oom {
		used = int64(v.Config.MemorySize)
	}
	evs, text := invocationLog(e.stream, inv.id, v.Config.Version, append(e.output(), res.logLine...), start, dur, initDur, v.Config.MemorySize, used)
	s.logs.add(region, v.Config.FunctionName, evs)
	s.pools.release(key, fn, e, !res.broken)
	return Output{Payload: res.payload, FunctionError: res.functionError, Log: text, RequestID: inv.id}, nil
}

// residentMB is the process's resident memory in MB, 0 if unknown.
func (e *environment) residentMB() int64 { return e.procStatusMB("VmRSS:") }

// procStatusMB reads one kB field of the process's /proc status (VmRSS:,
// VmHWM: the peak) in MB, rounded up; 0 if unknown (not Linux, exited).
func (e *environment) procStatusMB(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return (kb + 1023) / 1024
		}
	}
	return 0
}
