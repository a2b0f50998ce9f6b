package emr

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
)

// Key layout in Options.Meta (values are JSON):
//
//	c\0<region>\0<cluster id>                  clusterRecord
//	s\0<region>\0<cluster id>\0<seq, 10 digits> stepRecord
//
// A change to a cluster and its steps is one kv.Batch. Everything is also
// held in memory (Service.clusters), loaded at Start and updated only
// after the batch commits, so readers never see an unsaved state.

// clusterRecord is a cluster as stored.
type clusterRecord struct {
	Region  string          `json:"region"`
	Seq     int64           `json:"seq"` // creation order, for listing newest first
	Cluster Cluster         `json:"cluster"`
	Groups  []InstanceGroup `json:"groups,omitempty"`
	Fleets  []InstanceFleet `json:"fleets,omitempty"`
	// Bootstrap is echoed by ListBootstrapActions; tarn has no nodes to
	// run bootstrap actions on.
	Bootstrap []Command `json:"bootstrap,omitempty"`
	// WithErrors: a TERMINATING cluster ends TERMINATED_WITH_ERRORS.
	WithErrors bool `json:"withErrors,omitempty"`
	// StepFailed: some step failed ("Steps completed with errors").
	StepFailed bool  `json:"stepFailed,omitempty"`
	NextStep   int64 `json:"nextStep"` // seq of the next step added
}

// stepRecord is a step as stored.
type stepRecord struct {
	Seq  int64 `json:"seq"`
	Step Step  `json:"step"`
}

// cluster is a cluster in memory. Fields are guarded by Service.mu.
type cluster struct {
	rec   clusterRecord
	steps []*stepRecord // by Seq; steps[i].Seq == i+1
	wake  chan struct{} // capacity 1: a pending nudge for the runner
	run   *runningStep  // the step the runner is executing, or nil
	live  bool          // a runner goroutine owns this cluster
}

// runningStep is the step in flight and how to stop it.
type runningStep struct {
	seq    int64
	cancel context.CancelFunc
	why    string // "" running; "cancel" (CancelSteps); "terminate" (cluster terminating)
}

func clusterKey(region, id string) []byte { return []byte("c\x00" + region + "\x00" + id) }

func stepKey(region, id string, seq int64) []byte {
	return []byte(fmt.Sprintf("s\x00%s\x00%s\x00%010d", region, id, seq))
}

func mapKey(region, id string) string { return region + "/" + id }

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("emr: encode: %v", err)) // records of this package always encode
	}
	return b
}

// commit durably writes c's record (rec) and the given steps in one
// batch, then installs them in memory. Called with s.mu held.
func (s *Service) commit(c *cluster, rec clusterRecord, steps ...stepRecord) error {
	b := s.db.NewBatch()
	defer b.Close()
	b.Set(s.meta, clusterKey(rec.Region, rec.Cluster.Id), encode(rec))
	for _, st := range steps {
		b.Set(s.meta, stepKey(rec.Region, rec.Cluster.Id, st.Seq), encode(st))
	}
	if err := b.Commit(); err != nil {
		return err
	}
	c.rec = rec
	for _, st := range steps {
		st := st
		if i := int(st.Seq - 1); i < len(c.steps) {
			c.steps[i] = &st
		} else {
			c.steps = append(c.steps, &st)
		}
	}
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// load reads every cluster and step into memory. Called with s.mu held.
func (s *Service) load() error {
	it, err := s.meta.Iter(nil, nil)
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		k := it.Key()
		v, err := it.Value()
		if err != nil {
			return err
		}
		switch {
		case bytes.HasPrefix(k, []byte("c\x00")):
			var rec clusterRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			c := s.clusterFor(rec.Region, rec.Cluster.Id)
			c.rec = rec
			s.seq = max(s.seq, rec.Seq)
		case bytes.HasPrefix(k, []byte("s\x00")):
			parts := bytes.Split(k, []byte{0})
			if len(parts) != 4 {
				return fmt.Errorf("bad step key %q", k)
			}
			var st stepRecord
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			c := s.clusterFor(string(parts[1]), string(parts[2]))
			c.steps = append(c.steps, &st)
		}
	}
	for _, c := range s.clusters {
		sort.Slice(c.steps, func(i, j int) bool { return c.steps[i].Seq < c.steps[j].Seq })
	}
	return it.Close()
}

func (s *Service) clusterFor(region, id string) *cluster {
	k := mapKey(region, id)
	c := s.clusters[k]
	if c == nil {
		c = &cluster{wake: make(chan struct{}, 1)}
		s.clusters[k] = c
	}
	return c
}

// lookup returns the cluster id of region, or nil. Called with s.mu held.
func (s *Service) lookup(region, id string) *cluster {
	c := s.clusters[mapKey(region, id)]
	if c == nil || c.rec.Cluster.Id == "" {
		return nil
	}
	return c
}

// nudge wakes c's runner without blocking.
func (c *cluster) nudge() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID is prefix + 13 random uppercase alphanumerics, as EMR's ids
// (j-..., s-..., ig-..., if-...).
func newID(prefix string) string {
	b := make([]byte, 13)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux
	for i := range b {
		b[i] = idChars[int(b[i])%len(idChars)]
	}
	return prefix + string(b)
}

// step returns a value copy of c's step seq.
func (c *cluster) step(seq int64) stepRecord { return *c.steps[seq-1] }
