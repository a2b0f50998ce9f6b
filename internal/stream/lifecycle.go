package stream

import (
	"context"
	"time"
)

// Stream lifecycle: CreateStream and DeleteStream answer at once and
// leave the stream CREATING or DELETING; the tasks here finish the work
// in the background, as AWS does (reshards likewise leave it UPDATING:
// reshard_task.go). Each task's state is stored first, so
// a crash leaves CREATING or DELETING metadata that Start completes.

// retryBackoff bounds the wait between attempts of a failed lifecycle
// step (JetStream or metadata write).
const (
	retryMin = 10 * time.Millisecond
	retryMax = 2 * time.Second
	// deleteWait bounds how long CreateStream waits for a DELETING stream
	// of the same name to be gone.
	deleteWait = 10 * time.Second
)

// background runs fn on its own goroutine with the service's background
// context, which Stop cancels before it waits for fn to return.
func (s *Service) background(fn func(bg context.Context)) {
	s.bgWG.Add(1)
	go func() {
		defer s.bgWG.Done()
		fn(s.bg)
	}()
}

// retry runs step until it succeeds or bg ends (false).
func (s *Service) retry(bg context.Context, what, name string, step func() error) bool {
	wait := retryMin
	for {
		err := step()
		if err == nil {
			return true
		}
		s.log.Warn("kinesis: "+what+" failed; will retry", "stream", name, "err", err)
		select {
		case <-bg.Done():
			return false
		case <-time.After(wait):
		}
		wait = min(2*wait, retryMax)
	}
}

// finishCreate creates the JetStream stream of a CREATING stream, stores
// it ACTIVE and publishes it. If bg ends first the stream stays CREATING
// in meta and Start finishes it.
func (s *Service) finishCreate(bg context.Context, m streamMeta, ctl *control) {
	if s.createHook != nil {
		s.createHook(m.Name)
	}
	if !s.retry(bg, "create jetstream stream", m.Name, func() error {
		_, err := s.js.CreateOrUpdateStream(bg, m.streamConfig())
		return err
	}) {
		return
	}
	ctl.admin.Lock()
	defer ctl.admin.Unlock()
	m.Status = statusActive
	if !s.retry(bg, "store stream ACTIVE", m.Name, func() error { return s.saveMeta(&m) }) {
		return
	}
	if cur := s.current(m.Region + "/" + m.Name); cur == nil || cur.control != ctl {
		return // cannot happen: nothing else replaces a CREATING stream
	}
	if _, err := s.publish(m, ctl); err != nil {
		s.log.Error("kinesis: publish created stream", "stream", m.Name, "err", err)
		return
	}
	close(ctl.created)
}

// describeGrace is how long DescribeStream(Summary) of a CREATING stream,
// or of a stream UPDATING by a reshard, waits for the background task
// before answering CREATING or UPDATING. The task takes milliseconds;
// without the grace a client describing right after CreateStream (or a
// reshard) nearly always sees it unfinished, and the SDK's and awscli's
// StreamExists waiters then sleep their 10 s MinDelay before looking
// again. The answer still tells the status at the time it is made.
const describeGrace = 250 * time.Millisecond

// settled returns st, or, if st is CREATING or UPDATING, the stream's
// state after the task finished or describeGrace passed.
func (s *Service) settled(ctx context.Context, st *streamState) *streamState {
	var done <-chan struct{}
	switch {
	case st.meta.Status == statusCreating && st.created != nil:
		done = st.created
	case st.meta.Status == statusUpdating && st.updated != nil:
		done = st.updated
	default:
		return st
	}
	t := time.NewTimer(describeGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-ctx.Done():
	}
	if cur := s.current(st.key()); cur != nil && cur.control == st.control {
		return cur
	}
	return st
}

// finishDelete drops a DELETING stream's JetStream stream and metadata,
// then removes it from the table. If bg ends first, Start finishes it.
func (s *Service) finishDelete(bg context.Context, m streamMeta, ctl *control) {
	if s.deleteHook != nil {
		s.deleteHook(m.Name)
	}
	if !s.retry(bg, "delete stream", m.Name, func() error { return s.dropStream(bg, &m) }) {
		return
	}
	key := m.Region + "/" + m.Name
	s.mu.Lock()
	if cur := s.streams[key]; cur != nil && cur.control == ctl {
		delete(s.streams, key)
	}
	s.mu.Unlock()
	close(ctl.gone)
}

// awaitDeleted waits until the stream key names is gone if it is
// DELETING (at most deleteWait); any other state returns at once.
func (s *Service) awaitDeleted(ctx context.Context, key string) error {
	cur := s.current(key)
	if cur == nil || cur.meta.Status != statusDeleting {
		return nil
	}
	t := time.NewTimer(deleteWait)
	defer t.Stop()
	select {
	case <-cur.gone:
		return nil
	case <-t.C:
		return errStreamExists(cur.meta.Name)
	case <-ctx.Done():
		return ctx.Err()
	}
}
