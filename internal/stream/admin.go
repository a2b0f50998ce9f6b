package stream

import (
	"context"
	"fmt"
)

// lockAdmin returns the current state of the stream ref names with its
// control's admin lock held, and the release func. Every metadata change
// runs under it, so changes to one stream never interleave.
func (s *Service) lockAdmin(ctx context.Context, ref streamRef) (*streamState, func(), error) {
	st, err := s.lookup(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	st.admin.Lock()
	cur := s.current(st.key())
	if cur == nil || cur.control != st.control {
		st.admin.Unlock()
		return nil, nil, errStreamNotFound(st.meta.Name)
	}
	return cur, st.admin.Unlock, nil
}

// change applies fn to a copy of the stream's metadata, stores it and
// publishes it. The stream must be ACTIVE. fn may return an error to
// abandon the change.
func (s *Service) change(ctx context.Context, ref streamRef, fn func(m *streamMeta) error) error {
	st, err := s.lookup(ctx, ref)
	if err != nil {
		return err
	}
	if st.meta.Status != statusActive { // UPDATING: refuse rather than wait for the reshard
		return errStreamNotActive(st.meta.Name, st.meta.Status)
	}
	st, release, err := s.lockAdmin(ctx, ref)
	if err != nil {
		return err
	}
	defer release()
	if st.meta.Status != statusActive {
		return errStreamNotActive(st.meta.Name, st.meta.Status)
	}
	m := st.meta.clone()
	if err := fn(&m); err != nil {
		return err
	}
	if err := s.saveMeta(&m); err != nil {
		return fmt.Errorf("save stream %s: %w", m.Name, err)
	}
	_, err = s.publish(m, st.control)
	return err
}

// acquireWrite returns the current state of st's stream with the write
// gate held shared, and its release. Records routed with the returned
// state are stored before a reshard can close their shard.
func (s *Service) acquireWrite(st *streamState) (*streamState, func(), error) {
	st.gate.RLock()
	cur := s.current(st.key())
	if cur == nil || cur.control != st.control {
		st.gate.RUnlock()
		return nil, nil, errStreamNotFound(st.meta.Name)
	}
	if err := cur.active(); err != nil {
		st.gate.RUnlock()
		return nil, nil, err
	}
	return cur, st.gate.RUnlock, nil
}

// openShardsIn counts the open shards of every stream in region (the
// account's shard quota counts open shards).
func (s *Service) openShardsIn(region string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, st := range s.streams {
		if st.meta.Region == region {
			n += len(st.open)
		}
	}
	return n
}
