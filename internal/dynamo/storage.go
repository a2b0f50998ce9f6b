package dynamo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"slices"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/kv"
)

// A stored item (and index entry) is its size (uvarint, attr.ItemSize)
// followed by the item's DynamoDB JSON.

func encodeStored(item attr.Item) []byte {
	b := binary.AppendUvarint(make([]byte, 0, 64), uint64(attr.ItemSize(item)))
	return attr.AppendItemJSON(b, item)
}

func storedItemSize(v []byte) int {
	n, _ := binary.Uvarint(v)
	return int(n)
}

func decodeStored(v []byte) (attr.Item, error) {
	_, n := binary.Uvarint(v)
	if n <= 0 {
		return nil, errors.New("dynamo: corrupt stored item")
	}
	return attr.DecodeItem(v[n:])
}

// getItem reads the current item at key (nil when absent).
func (s *Service) getItemRaw(key []byte) (attr.Item, error) {
	v, err := s.itemSp.Get(key)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeStored(v)
}

// Item stripes: every conditional read-modify-write holds the stripe of
// its item key from the read to the commit, so writes of one item are
// serialized while writes of different items commit concurrently (Pebble
// group-commits their fsyncs). Multi-item writers lock their stripes in
// ascending order (lockKeys), which rules out deadlock. Lock order:
// table.admin, then stripes, then Service.mu / streamState.mu.

func stripeOf(key []byte) int {
	h := fnv.New64a()
	h.Write(key)
	return int(h.Sum64() % numStripes)
}

// lockKeys locks the stripes of keys and returns the release func.
func (s *Service) lockKeys(keys ...[]byte) func() {
	idx := make([]int, 0, len(keys))
	for _, k := range keys {
		idx = append(idx, stripeOf(k))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		s.locks[i].Lock()
	}
	return func() {
		for j := len(idx) - 1; j >= 0; j-- {
			s.locks[idx[j]].Unlock()
		}
	}
}

// change is one item write: old and new are the item before and after
// (nil for absent). A change with equal old and new writes nothing and
// emits no stream record, as DynamoDB.
type change struct {
	t        *table
	d        *tableDesc
	key      []byte
	old, new attr.Item
	service  bool // a TTL deletion: the stream record names the service
}

func (c *change) noop() bool {
	if c.old == nil && c.new == nil {
		return true
	}
	if c.old == nil || c.new == nil {
		return false
	}
	return attr.Equal(attr.Map(c.old), attr.Map(c.new))
}

// pendingSeq is a stream sequence number reserved for a batch in flight.
type pendingSeq struct {
	st  *streamState
	seq uint64
}

// commit writes the changes (items, index entries, stream records) and
// extra in one atomic, durable batch and then updates the statistics. The
// caller holds the stripes of every change's key.
func (s *Service) commit(changes []*change, extra func(b *kv.Batch)) error {
	b := s.db.NewBatch()
	defer b.Close()
	var pend []pendingSeq
	defer func() {
		for _, p := range pend {
			p.st.done(p.seq)
		}
	}()
	now := s.now()
	for _, c := range changes {
		if c.noop() {
			continue
		}
		if c.new != nil {
			b.Set(s.itemSp, c.key, encodeStored(c.new))
		} else {
			b.Delete(s.itemSp, c.key)
		}
		for i := range c.d.Indexes {
			ix := &c.d.Indexes[i]
			if ix.Status == statusDeleting {
				continue
			}
			ok, nk := c.d.indexKey(ix, c.old), c.d.indexKey(ix, c.new)
			if ok != nil && !bytes.Equal(ok, nk) {
				b.Delete(s.idxSp, ok)
			}
			if nk != nil {
				b.Set(s.idxSp, nk, encodeStored(c.d.project(ix, c.new)))
			}
		}
		if c.d.TTLOn {
			oe, ook := ttlOf(c.d, c.old)
			ne, nok := ttlOf(c.d, c.new)
			if ook && (!nok || oe != ne) {
				b.Delete(s.ttlSp, ttlKey(c.d.ID, oe, c.key))
			}
			if nok && (!ook || oe != ne) {
				b.Set(s.ttlSp, ttlKey(c.d.ID, ne, c.key), nil)
			}
		}
		if st := s.liveStream(c.d); st != nil {
			seq := st.reserve()
			pend = append(pend, pendingSeq{st, seq})
			b.Set(s.recSp, recordKey(st.desc.Load().ID, seq), encodeRecord(c, st.desc.Load().ViewType, now))
		}
	}
	if extra != nil {
		extra(b)
	}
	if b.Empty() {
		return nil
	}
	if err := b.Commit(); err != nil {
		return err
	}
	for _, c := range changes {
		if !c.noop() {
			s.account(c)
		}
	}
	return nil
}

// account applies a committed change to the table and index statistics.
func (s *Service) account(c *change) {
	t := c.t
	if c.old != nil {
		t.items.Add(-1)
		t.bytes.Add(-int64(attr.ItemSize(c.old)))
	}
	if c.new != nil {
		t.items.Add(1)
		t.bytes.Add(int64(attr.ItemSize(c.new)))
	}
	for i := range c.d.Indexes {
		ix := &c.d.Indexes[i]
		st := t.stats(ix.ID)
		if c.d.indexKey(ix, c.old) != nil {
			st.items.Add(-1)
			st.bytes.Add(-int64(attr.ItemSize(c.d.project(ix, c.old))))
		}
		if c.d.indexKey(ix, c.new) != nil {
			st.items.Add(1)
			st.bytes.Add(int64(attr.ItemSize(c.d.project(ix, c.new))))
		}
	}
}
