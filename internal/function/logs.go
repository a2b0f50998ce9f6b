package function

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LogEvent is one line of a function's log, as CloudWatch Logs would hold
// it in group /aws/lambda/NAME, stream Stream.
type LogEvent struct {
	Time    time.Time
	Stream  string
	Message string
}

const logRing = 10000 // events kept in memory per function

// logStore keeps each function's recent log events in memory and appends
// every event to DataDir/functions/_logs/REGION/NAME.log. Safe for
// concurrent use.
type logStore struct {
	dir string
	mu  sync.Mutex
	m   map[string][]LogEvent
}

func (l *logStore) init(dir string) {
	l.dir = filepath.Join(dir, "_logs")
	l.m = map[string][]LogEvent{}
}

func (l *logStore) add(region, name string, evs []LogEvent) {
	key := region + "/" + name
	l.mu.Lock()
	defer l.mu.Unlock()
	r := append(l.m[key], evs...)
	if len(r) > logRing {
		r = append([]LogEvent(nil), r[len(r)-logRing:]...)
	}
	l.m[key] = r
	if err := os.MkdirAll(filepath.Join(l.dir, region), 0o755); err != nil {
		return
	}
	f, err := os.OpenFile(filepath.Join(l.dir, region, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return
	}
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(e.Time.UTC().Format(time.RFC3339Nano) + "\t" + e.Stream + "\t" + strings.ReplaceAll(e.Message, "\n", "\r") + "\n")
	}
	_, _ = f.WriteString(b.String())
	f.Close()
}

// Logs returns the recent log events of function name in region ("" means
// Options.Region), oldest first: for each invocation the START line, the
// function's output, END and REPORT, exactly as Lambda prints them. The
// slice is a copy. This is the seam the platform's CloudWatch Logs API
// (GetLogEvents / FilterLogEvents on /aws/lambda/NAME) and `tarn logs` read.
func (s *Service) Logs(region, name string) []LogEvent {
	if region == "" {
		region = s.opts.Region
	}
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return append([]LogEvent(nil), s.logs.m[region+"/"+name]...)
}

// invocationLog turns one invocation's output into log events and the
// text Lambda's LogType=Tail returns the last 4 KB of.
func invocationLog(stream, id, ver string, out []byte, start time.Time, dur, initDur time.Duration, mem int32, used int64) ([]LogEvent, string) {
	var lines []string
	lines = append(lines, "START RequestId: "+id+" Version: "+ver)
	text := strings.TrimSuffix(string(out), "\n")
	if text != "" {
		lines = append(lines, strings.Split(text, "\n")...)
	}
	lines = append(lines, "END RequestId: "+id)
	rep := "REPORT RequestId: " + id + "\tDuration: " + ms(dur) + " ms\tBilled Duration: " +
		itoa(int64((dur+time.Millisecond-1)/time.Millisecond)) + " ms\tMemory Size: " + itoa(int64(mem)) +
		" MB\tMax Memory Used: " + itoa(used) + " MB\t"
	if initDur > 0 {
		rep += "Init Duration: " + ms(initDur) + " ms\t"
	}
	lines = append(lines, rep)
	evs := make([]LogEvent, len(lines))
	for i, l := range lines {
		evs[i] = LogEvent{Time: start, Stream: stream, Message: l}
	}
	return evs, strings.Join(lines, "\n") + "\n"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}
