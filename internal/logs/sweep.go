package logs

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tarnhq/tarn/internal/kv"
)

// sweep deletes the events of every group with a retention policy that
// are older than it, one batch per group, and fixes the streams'
// firstEventTimestamp, event count and storedBytes. Reads already hide expired events; the sweep
// reclaims their space. It holds mu for writing per group, so writers of
// that group wait for one batch.
func (s *Service) sweep() error {
	type target struct {
		region, group string
		cutoff        int64
	}
	var targets []target
	it, err := s.meta.Iter([]byte(pfxGroup), kv.PrefixEnd([]byte(pfxGroup)))
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		var g groupRecord
		if err := json.Unmarshal(v, &g); err != nil {
			it.Close()
			return fmt.Errorf("logs: decode group: %w", err)
		}
		if g.Retention > 0 {
			region, _, _ := cutNUL(it.Key()[len(pfxGroup):])
			targets = append(targets, target{region, g.Name, s.cutoffMS(&g)})
		}
	}
	if err := it.Close(); err != nil {
		return err
	}
	for _, t := range targets {
		if err := s.sweepGroup(t.region, t.group, t.cutoff); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) sweepGroup(region, group string, cutoff int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	streams, err := s.listStreams(region, group, "")
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	for i := range streams {
		st := &streams[i]
		if st.Events == 0 || st.First >= cutoff {
			continue
		}
		prefix := eventsPrefix(region, group, st.Name)
		if err := s.expire(st, prefix, cutoff); err != nil {
			return err
		}
		b.DeleteRange(s.meta, prefix, eventKey(prefix, pos{TS: cutoff}))
		b.Set(s.meta, streamKey(region, group, st.Name), mustJSON(st))
	}
	if b.Empty() {
		return nil
	}
	err = b.Commit()
	s.cache.evict("", string(streamsPrefix(region, group))) // reload the updated records
	return err
}

// expire updates st for the deletion of its events before cutoff: their
// count and bytes, and the new first timestamp.
func (s *Service) expire(st *streamRecord, prefix []byte, cutoff int64) error {
	it, err := s.meta.Iter(prefix, kv.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	defer it.Close()
	end := eventKey(prefix, pos{TS: cutoff})
	for ok := it.First(); ok; ok = it.Next() {
		if bytes.Compare(it.Key(), end) >= 0 {
			p, _ := decodePos(it.Key())
			st.First = p.TS
			return nil
		}
		v, err := it.Value()
		if err != nil {
			return err
		}
		st.Events--
		st.StoredBytes -= int64(len(v) - 8)
	}
	st.Events, st.StoredBytes, st.First, st.Last = 0, 0, 0, 0 // every event expired
	return nil
}

// cutNUL splits b at its first NUL.
func cutNUL(b []byte) (before, after string, ok bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), string(b[i+1:]), true
		}
	}
	return string(b), "", false
}
