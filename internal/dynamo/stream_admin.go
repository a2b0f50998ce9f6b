package dynamo

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/kv"
)

// newStream creates an enabled stream for d (which it updates) in batch b.
// The caller holds s.mu and registers the returned state after commit.
func (s *Service) newStream(b *kv.Batch, d *tableDesc, view string) *streamState {
	now := s.now().UTC()
	sd := &streamDesc{ID: s.allocID(b), TableID: d.ID, Region: d.Region, Table: d.Name,
		Label: streamLabel(now), ViewType: view, Created: now, Keys: keySchemaOf(d.Hash, d.Range),
		StartSeq: uint64(now.UnixMicro()) * 1000}
	// Two streams of one table created in the same millisecond would share
	// a label (and an ARN): keep labels unique.
	for _, st := range s.streams {
		if o := st.desc.Load(); o.Region == sd.Region && o.Table == sd.Table && o.Label == sd.Label {
			sd.Created = sd.Created.Add(1e6)
			sd.Label = streamLabel(sd.Created)
		}
	}
	j, _ := json.Marshal(sd)
	b.Set(s.metaSp, streamMetaKey(sd.ID), j)
	d.StreamID, d.StreamOn, d.StreamView = sd.ID, true, view
	st := &streamState{now: s.now, wake: make(chan struct{}), last: sd.StartSeq, visible: sd.StartSeq}
	st.desc.Store(sd)
	return st
}

// streamClose is a stream disabling staged in a batch.
type streamClose struct {
	st *streamState
	nd *streamDesc
}

func (c *streamClose) apply() {
	c.st.desc.Store(c.nd)
	c.st.mu.Lock()
	close(c.st.wake) // wake readers: the shard is now closed
	c.st.wake = make(chan struct{})
	c.st.mu.Unlock()
}

// closeStream disables d's enabled stream (updating d) in batch b; nil
// when there is none. The caller holds s.mu and calls apply after commit.
func (s *Service) closeStream(b *kv.Batch, d *tableDesc) *streamClose {
	if !d.StreamOn {
		return nil
	}
	d.StreamOn = false
	st := s.streams[d.StreamID]
	if st == nil {
		return nil
	}
	nd := *st.desc.Load()
	now := s.now().UTC()
	nd.Disabled = &now
	st.mu.Lock()
	nd.EndSeq = st.last
	st.mu.Unlock()
	j, _ := json.Marshal(&nd)
	b.Set(s.metaSp, streamMetaKey(nd.ID), j)
	return &streamClose{st: st, nd: &nd}
}
