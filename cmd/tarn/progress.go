package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line bar on a terminal (redrawn in place), or a
// single summary line when w is not a terminal, so logs stay readable.
// Safe for concurrent Add calls.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	label   string
	total   int64
	done    int64
	unit    func(int64) string
	start   time.Time
	lastDrw time.Time
}

func newProgress(w io.Writer, label string, total int64, unit func(int64) string) *progress {
	p := &progress{w: w, tty: isTerminal(w), label: label, total: total, unit: unit, start: time.Now()}
	p.draw(true)
	return p
}

// Add advances the bar by n units.
func (p *progress) Add(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.draw(false)
}

// Finish draws the final state and ends the line.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(true)
	if p.tty {
		fmt.Fprintln(p.w)
	} else {
		fmt.Fprintf(p.w, "  %-10s %s in %s\n", p.label, p.unit(p.done), time.Since(p.start).Round(time.Millisecond))
	}
}

const barWidth = 30

func (p *progress) draw(force bool) {
	if !p.tty || (!force && time.Since(p.lastDrw) < 50*time.Millisecond) {
		return
	}
	p.lastDrw = time.Now()
	frac := 1.0
	if p.total > 0 {
		frac = min(float64(p.done)/float64(p.total), 1)
	}
	full := int(frac * barWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", barWidth-full)
	fmt.Fprintf(p.w, "\r  %-10s %s %3.0f%%  %s / %s ", p.label, bar, frac*100, p.unit(p.done), p.unit(p.total))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// humanBytes formats n bytes with a binary unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// countUnit formats a count of things.
func countUnit(what string) func(int64) string {
	return func(n int64) string { return fmt.Sprintf("%d %s", n, what) }
}
