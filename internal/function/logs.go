package function

import (
	"context"
	"log/slog"
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

const (
	logRing      = 10000 // events kept in memory per function
	logQueueSize = 256   // invocations' logs waiting for the sink
)

// LogSink stores invocation logs durably: CloudWatch Logs group
// /aws/lambda/NAME, one stream per execution environment. The platform
// gives the logs service. PutLogs is called from one goroutine at a time.
type LogSink interface {
	PutLogs(ctx context.Context, region, group, stream string, events []LogEvent) error
}

// logBatch is one invocation's log events on their way to the sink.
type logBatch struct {
	region, name string
	events       []LogEvent
}

// logStore keeps each function's recent log events in memory and hands
// every event to the sink (asynchronously, in order, batched while the
// sink is busy), or without a sink appends it to
// DataDir/functions/_logs/REGION/NAME.log. Safe for concurrent use.
type logStore struct {
	dir   string
	sink  LogSink
	log   *slog.Logger
	queue chan logBatch
	done  chan struct{} // closed when the sink goroutine has ended

	mu sync.Mutex
	m  map[string][]LogEvent
}

func (l *logStore) init(dir string, sink LogSink, log *slog.Logger) {
	l.dir, l.sink, l.log = filepath.Join(dir, "_logs"), sink, log
	l.m = map[string][]LogEvent{}
	l.queue, l.done = make(chan logBatch, logQueueSize), make(chan struct{})
}

func (l *logStore) add(region, name string, evs []LogEvent) {
	key := region + "/" + name
	l.mu.Lock()
	r := append(l.m[key], evs...)
	if len(r) > logRing {
		r = append([]LogEvent(nil), r[len(r)-logRing:]...)
	}
	l.m[key] = r
	l.mu.Unlock()
	if l.sink == nil {
		l.appendFile(region, name, evs)
		return
	}
	select {
	case l.queue <- logBatch{region, name, evs}:
	case <-l.done: // stopped: write through
		l.write(context.Background(), []logBatch{{region, name, evs}})
	}
}

// run feeds the sink until ctx ends, then flushes what is queued.
func (l *logStore) run(ctx context.Context) {
	defer close(l.done)
	for {
		select {
		case b := <-l.queue:
			l.write(ctx, l.drain(b))
		case <-ctx.Done():
			for {
				select {
				case b := <-l.queue:
					l.write(context.Background(), l.drain(b))
				default:
					return
				}
			}
		}
	}
}

// drain returns first and every batch queued behind it.
func (l *logStore) drain(first logBatch) []logBatch {
	bs := []logBatch{first}
	for len(bs) < logQueueSize {
		select {
		case b := <-l.queue:
			bs = append(bs, b)
		default:
			return bs
		}
	}
	return bs
}

// write hands batches to the sink, one call per log stream.
func (l *logStore) write(ctx context.Context, bs []logBatch) {
	type streamKey struct{ region, name, stream string }
	var order []streamKey
	by := map[streamKey][]LogEvent{}
	for _, b := range bs {
		for _, e := range b.events {
			k := streamKey{b.region, b.name, e.Stream}
			if _, ok := by[k]; !ok {
				order = append(order, k)
			}
			by[k] = append(by[k], e)
		}
	}
	for _, k := range order {
		if err := l.sink.PutLogs(ctx, k.region, "/aws/lambda/"+k.name, k.stream, by[k]); err != nil {
			l.log.Error("lambda: store logs", "function", k.name, "err", err)
		}
	}
}

func (l *logStore) appendFile(region, name string, evs []LogEvent) {
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
