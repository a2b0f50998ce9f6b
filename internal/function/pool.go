package function

import (
	"strings"
	"sync"
	"syscall"
	"time"
)

// pools holds the execution environments of every function version.
// Keys are "REGION/NAME/VERSION#REVISION", so a changed configuration gets
// fresh environments. Lock order: pools.mu only (environments have their
// own mu, never taken while holding pools.mu... except to read lastUsed).
type pools struct {
	mu     sync.Mutex
	m      map[string]*pool
	busy   map[string]int // REGION/NAME -> environments running an invocation
	closed bool
}

type pool struct {
	fn    string // REGION/NAME
	idle  []*environment
	all   map[*environment]struct{}
	stale bool // dropped: environments are stopped when released
}

// acquire returns an idle environment of key, or (nil, true) when the
// caller may start a new one (the busy slot is then reserved), or
// (nil, false) when the function is at its concurrency limit.
func (ps *pools) acquire(key, fn string, limit int) (*environment, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed || ps.busy[fn] >= limit {
		return nil, false
	}
	if ps.busy == nil {
		ps.busy = map[string]int{}
	}
	ps.busy[fn]++
	p := ps.m[key]
	if p != nil && len(p.idle) > 0 {
		e := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		return e, true
	}
	return nil, true
}

// started registers a new environment of key as busy. It reports false
// when the pools closed meanwhile: the caller must stop e and release.
func (ps *pools) started(key, fn string, e *environment) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return false
	}
	p := ps.m[key]
	if p == nil {
		p = &pool{fn: fn, all: map[*environment]struct{}{}}
		ps.m[key] = p
	}
	p.all[e] = struct{}{}
	return true
}

// release frees the busy slot taken by acquire. A healthy environment goes
// back to idle; a broken one (or one of a dropped pool) is stopped.
func (ps *pools) release(key, fn string, e *environment, healthy bool) {
	ps.mu.Lock()
	ps.busy[fn]--
	p := ps.m[key]
	if e == nil {
		ps.mu.Unlock()
		return
	}
	keep := healthy && !ps.closed && p != nil && !p.stale
	if keep {
		e.mu.Lock()
		e.lastUsed = time.Now()
		e.mu.Unlock()
		e.freeze() // before it is visible as idle, so thaw always follows it
		p.idle = append(p.idle, e)
	} else if p != nil {
		delete(p.all, e)
	}
	ps.mu.Unlock()
	if !keep {
		e.stop()
	}
}

// freeze stops the process group between invocations, as Lambda freezes
// an idle environment: background work does not run until thaw. Called
// by release's caller before the environment is offered again.
func (e *environment) freeze() { _ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGSTOP) }

// thaw resumes a frozen environment before it gets an invocation.
func (e *environment) thaw() { _ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGCONT) }

// drop stops the idle environments of pools whose key has prefix and
// marks them stale so busy ones stop when released.
func (ps *pools) drop(prefix string) {
	ps.mu.Lock()
	var stop []*environment
	for k, p := range ps.m {
		if strings.HasPrefix(k, prefix) {
			p.stale = true
			stop = append(stop, p.idle...)
			for _, e := range p.idle {
				delete(p.all, e)
			}
			p.idle = nil
			delete(ps.m, k)
		}
	}
	ps.mu.Unlock()
	for _, e := range stop {
		e.stop()
	}
}

func (ps *pools) dropFunction(region, name string) { ps.drop(region + "/" + name + "/") }

func (ps *pools) dropVersion(region, name, ver string) {
	ps.drop(region + "/" + name + "/" + ver + "#")
}

// reap stops environments idle since before cutoff.
func (ps *pools) reap(cutoff time.Time) {
	ps.mu.Lock()
	var stop []*environment
	for _, p := range ps.m {
		keep := p.idle[:0]
		for _, e := range p.idle {
			e.mu.Lock()
			old := e.lastUsed.Before(cutoff)
			e.mu.Unlock()
			if old {
				stop = append(stop, e)
				delete(p.all, e)
			} else {
				keep = append(keep, e)
			}
		}
		p.idle = keep
	}
	ps.mu.Unlock()
	for _, e := range stop {
		e.stop()
	}
}

// closeAll stops every idle environment and refuses new work; busy ones
// stop when released.
func (ps *pools) closeAll() {
	ps.mu.Lock()
	ps.closed = true
	var busy []*environment
	for _, p := range ps.m {
		idle := map[*environment]bool{}
		for _, e := range p.idle {
			idle[e] = true
		}
		for e := range p.all {
			if !idle[e] {
				busy = append(busy, e)
			}
		}
	}
	ps.mu.Unlock()
	ps.drop("")
	for _, e := range busy {
		e.kill()
	}
}

// count returns how many environments key has (idle and busy).
func (ps *pools) count(key string) int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p := ps.m[key]; p != nil {
		return len(p.all)
	}
	return 0
}

func (s *Service) reapIdle() {
	defer s.bgWG.Done()
	t := time.NewTicker(s.opts.IdleTimeout / 4)
	defer t.Stop()
	for {
		select {
		case <-s.bg.Done():
			return
		case <-t.C:
			s.pools.reap(time.Now().Add(-s.opts.IdleTimeout))
		}
	}
}
