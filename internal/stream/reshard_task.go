package stream

import (
	"context"
	"fmt"
	"time"
)

// Asynchronous resharding. SplitShard, MergeShards and UpdateShardCount
// validate against the current shard map, store the stream UPDATING with
// the reshard they intend (streamMeta.Pending) and answer; a background
// task (finishReshard) then closes the write gate, drains the batcher,
// applies the intent at the stream's last JetStream sequence and stores
// the new map and ACTIVE in one write. A crash in between leaves UPDATING
// metadata with its intent, which Start applies (load). While UPDATING,
// records are taken and read (in the old shards), and any other change
// (reshard, retention, tags, deletion) gets ResourceInUseException, as on
// AWS, so the intent always applies to the map it was validated against.

// Reshard kinds of a reshardIntent.
const (
	reshardSplit = "split"
	reshardMerge = "merge"
	reshardCount = "count"
)

// reshardIntent is a validated, not yet applied reshard, stored with the
// UPDATING metadata. Immutable once stored.
type reshardIntent struct {
	Kind   string `json:"kind"`
	Shard  int    `json:"shard,omitempty"`  // split: the shard; merge: ShardToMerge
	Other  int    `json:"other,omitempty"`  // merge: AdjacentShardToMerge
	At     string `json:"at,omitempty"`     // split: NewStartingHashKey
	Target int    `json:"target,omitempty"` // count: TargetShardCount
}

// errIntent means a stored intent no longer fits the shard map (it cannot
// happen while the UPDATING state blocks other changes); the reshard is
// then rolled back.
var errIntent = fmt.Errorf("stream: reshard intent does not fit the shard map")

// apply changes m's shard map as p says: closed shards end at lastSeq,
// new shards open after it.
func (p *reshardIntent) apply(m *streamMeta, lastSeq uint64, now time.Time) error {
	open := func(i int) bool { return i >= 0 && i < len(m.Shards) && m.Shards[i].isOpen() }
	switch p.Kind {
	case reshardSplit:
		at, ok := parseHashKey(p.At)
		if !ok || !open(p.Shard) {
			return errIntent
		}
		if start, end := m.keyRange(p.Shard); at.cmp(start) <= 0 || at.cmp(end) > 0 {
			return errIntent
		}
		m.split(p.Shard, at, lastSeq, now)
	case reshardMerge:
		if !open(p.Shard) || !open(p.Other) || p.Shard == p.Other {
			return errIntent
		}
		m.merge(p.Shard, p.Other, lastSeq, now)
	case reshardCount:
		st, err := newState(*m, nil)
		if err != nil || p.Target < 1 {
			return errIntent
		}
		m.Scalings = append(keepRecent(m.Scalings, now), now)
		m.reshape(st.open, p.Target, lastSeq, now)
	default:
		return errIntent
	}
	return nil
}

// reshard runs the call half of a SplitShard, MergeShards or
// UpdateShardCount: under the admin lock it validates with plan (which
// may fail with the request's error, or return nil: nothing to do),
// stores and publishes the stream UPDATING with the intent, and starts
// the task that applies it. It returns the UPDATING state (or the
// unchanged one when there is nothing to do).
func (s *Service) reshard(ctx context.Context, ref streamRef, plan func(st *streamState) (*reshardIntent, error)) (*streamState, error) {
	st, err := s.lookup(ctx, ref)
	if err != nil {
		return nil, err
	}
	if st.meta.Status != statusActive {
		return nil, errReshardNotActive(st.meta.Name, st.meta.Status)
	}
	st, release, err := s.lockAdmin(ctx, ref)
	if err != nil {
		return nil, err
	}
	defer release()
	if st.meta.Status != statusActive {
		return nil, errReshardNotActive(st.meta.Name, st.meta.Status)
	}
	intent, err := plan(st)
	if err != nil || intent == nil {
		return st, err
	}
	m := st.meta.clone()
	m.Status, m.Pending = statusUpdating, intent
	if err := s.saveMeta(&m); err != nil {
		return nil, fmt.Errorf("reshard: save: %w", err)
	}
	upd, err := newState(m, st.control)
	if err != nil {
		return nil, err
	}
	upd.updated = make(chan struct{})
	s.mu.Lock()
	s.streams[upd.key()] = upd
	s.mu.Unlock()
	s.background(func(bg context.Context) { s.finishReshard(bg, upd) })
	return upd, nil
}

// finishReshard applies the intent of the UPDATING state upd and
// publishes the stream ACTIVE with the new shard map; it closes
// upd.updated when it is done or gives up. If bg ends first, the stream
// stays UPDATING in meta and Start applies the intent.
func (s *Service) finishReshard(bg context.Context, upd *streamState) {
	defer close(upd.updated)
	if s.reshardHook != nil {
		s.reshardHook(upd.meta.Name)
	}
	upd.admin.Lock()
	defer upd.admin.Unlock()
	if cur := s.current(upd.key()); cur != upd {
		return // cannot happen: UPDATING refuses every other change
	}
	if bg.Err() != nil {
		return // stopping: Start applies the stored intent
	}
	s.retry(bg, "apply reshard", upd.meta.Name, func() error { return s.applyReshard(bg, upd) })
}

// applyReshard closes the write gate, drains the batcher and stores and
// publishes upd's metadata with its intent applied, ACTIVE. The caller
// holds upd.admin.
func (s *Service) applyReshard(ctx context.Context, upd *streamState) error {
	upd.gate.Lock()
	defer upd.gate.Unlock()
	if err := upd.batch.flush(ctx); err != nil {
		return fmt.Errorf("reshard: drain writes: %w", err)
	}
	m, err := s.settleReshard(ctx, upd.meta)
	if err != nil {
		return err
	}
	if err := s.saveMeta(&m); err != nil {
		return fmt.Errorf("reshard: save: %w", err)
	}
	_, err = s.publish(m, upd.control)
	return err
}

// settleReshard returns UPDATING metadata m with its intent applied at
// the JetStream stream's last sequence (or, if the intent no longer fits,
// rolled back to the old map), ACTIVE with no intent. No record may be
// written to the stream meanwhile (the write gate is closed, or Start has
// not begun serving).
func (s *Service) settleReshard(ctx context.Context, m streamMeta) (streamMeta, error) {
	js, err := s.js.Stream(ctx, m.jsName())
	if err != nil {
		return m, fmt.Errorf("reshard: stream info: %w", err)
	}
	out := m.clone()
	if m.Pending != nil {
		if err := m.Pending.apply(&out, js.CachedInfo().State.LastSeq, s.now().UTC()); err != nil {
			s.log.Error("kinesis: reshard rolled back", "stream", m.Name, "intent", *m.Pending, "err", err)
			out = m.clone()
		}
	}
	out.Status, out.Pending = statusActive, nil
	return out, nil
}
