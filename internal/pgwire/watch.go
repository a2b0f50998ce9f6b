package pgwire

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// watchDelay is how long a statement runs before the server starts
// watching its client for a hang-up. Quick statements never pay for it.
const watchDelay = 50 * time.Millisecond

// errClientGone is the cause given to a statement's context when its
// client closed the connection while it ran.
var errClientGone = errors.New("pgwire: client connection closed")

// peekConn is the connection as the protocol reader sees it: bytes (or
// the error) that the hang-up watcher read come first.
type peekConn struct {
	net.Conn
	mu    sync.Mutex // guards stash and err
	stash []byte
	err   error
}

func (p *peekConn) Read(b []byte) (int, error) {
	p.mu.Lock()
	if len(p.stash) > 0 {
		n := copy(b, p.stash)
		p.stash = p.stash[n:]
		p.mu.Unlock()
		return n, nil
	}
	if err := p.err; err != nil {
		p.mu.Unlock()
		return 0, err
	}
	p.mu.Unlock()
	return p.Conn.Read(b)
}

// watchClient arranges for cancel(errClientGone) if the client hangs up
// while a statement runs: after watchDelay a goroutine blocks in a
// one-byte read. A byte that arrives (a pipelined message) is kept for
// the reader and ends the watch. stop ends the watch and returns once no
// read is in flight, so the caller may read the connection again; it
// must be called before any other read of the connection (COPY FROM
// STDIN reads inside a statement: stop first).
func (c *conn) watchClient(cancel context.CancelCauseFunc) (stop func()) {
	pc := c.peek
	done := make(chan struct{})
	t := time.AfterFunc(c.s.watchDelay, func() {
		defer close(done)
		pc.mu.Lock()
		busy := len(pc.stash) > 0 || pc.err != nil
		pc.mu.Unlock()
		if busy {
			return
		}
		var one [1]byte
		n, err := pc.Conn.Read(one[:])
		pc.mu.Lock()
		defer pc.mu.Unlock()
		if n == 1 {
			pc.stash = append(pc.stash, one[0])
		}
		var ne net.Error
		if err != nil && !(errors.As(err, &ne) && ne.Timeout()) {
			pc.err = err
			cancel(errClientGone)
		}
	})
	return func() {
		if t.Stop() {
			return // never started
		}
		_ = pc.Conn.SetReadDeadline(time.Now())
		<-done
		_ = pc.Conn.SetReadDeadline(time.Time{})
	}
}
