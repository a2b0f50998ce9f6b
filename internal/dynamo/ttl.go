package dynamo

import (
	"bytes"
	"context"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/kv"
)

// ttlOf is item's expiry in epoch seconds: its TTL attribute, a number.
// Items without it, or with another type, never expire, as on DynamoDB.
func ttlOf(d *tableDesc, item attr.Item) (int64, bool) {
	if d.TTLAttr == "" || item == nil {
		return 0, false
	}
	v, ok := item[d.TTLAttr]
	if !ok || v.Kind != attr.N {
		return 0, false
	}
	txt := v.S
	if strings.ContainsAny(txt, "eE") {
		f, err := strconv.ParseFloat(txt, 64)
		if err != nil {
			return 0, false
		}
		return int64(min(max(f, 0), 1<<62)), true
	}
	if i := strings.IndexByte(txt, '.'); i >= 0 {
		txt = txt[:i]
	}
	sec, err := strconv.ParseInt(txt, 10, 64)
	if err != nil {
		if strings.HasPrefix(txt, "-") {
			return 0, true
		}
		return 1 << 62, true
	}
	return max(sec, 0), true
}

// expired reports whether item's TTL has passed.
func expired(d *tableDesc, item attr.Item, nowSec int64) bool {
	exp, ok := ttlOf(d, item)
	return d.TTLOn && ok && exp <= nowSec
}

// The TTL index (space e/): <table id be64><expiry be64><item key> for
// every item of a TTL-enabled table that has a numeric TTL attribute,
// maintained in the write's batch, so the sweeper reads only what has
// expired.
func ttlKey(table uint64, exp int64, itemKey []byte) []byte {
	return append(binary.BigEndian.AppendUint64(tablePrefix(table), uint64(exp)), itemKey...)
}

// SweepTTL deletes every expired item of every TTL-enabled table, each in
// its own batch with a REMOVE stream record naming the service
// (userIdentity dynamodb.amazonaws.com), and returns how many it deleted.
// Reads return expired items until the sweep deletes them, as DynamoDB
// does (it takes up to days; tarn within Options.TTLSweepInterval).
func (s *Service) SweepTTL(ctx context.Context) (int, error) {
	s.mu.RLock()
	var tables []*table
	for _, t := range s.tables {
		if t.desc.Load().TTLOn {
			tables = append(tables, t)
		}
	}
	s.mu.RUnlock()
	n := 0
	for _, t := range tables {
		k, err := s.sweepTable(ctx, t)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Service) sweepTable(ctx context.Context, t *table) (int, error) {
	d := t.desc.Load()
	n := 0
	for ctx.Err() == nil {
		nowSec := s.now().Unix()
		lo := tablePrefix(d.ID)
		hi := binary.BigEndian.AppendUint64(tablePrefix(d.ID), uint64(nowSec)+1)
		it, err := s.ttlSp.Iter(lo, hi)
		if err != nil {
			return n, err
		}
		var entries [][]byte
		for ok := it.First(); ok && len(entries) < 1000; ok = it.Next() {
			entries = append(entries, bytes.Clone(it.Key()))
		}
		if err := it.Close(); err != nil {
			return n, err
		}
		for _, e := range entries {
			ok, err := s.expire(t, e, nowSec)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
		if len(entries) < 1000 {
			return n, nil
		}
	}
	return n, ctx.Err()
}

// expire deletes the item of TTL index entry e if it is still expired;
// an entry that no longer matches its item is removed.
func (s *Service) expire(t *table, e []byte, nowSec int64) (bool, error) {
	key := e[16:]
	unlock := s.lockKeys(key)
	defer unlock()
	d := t.desc.Load()
	if s.lookup(d.Region, d.Name) != t {
		return false, nil
	}
	old, err := s.getItemRaw(key)
	if err != nil {
		return false, err
	}
	if !expired(d, old, nowSec) {
		if exp, ok := ttlOf(d, old); !ok || !bytes.Equal(ttlKey(d.ID, exp, key), e) {
			return false, s.ttlSp.Delete(e) // stale
		}
		return false, nil
	}
	err = s.commit([]*change{{t: t, d: d, key: key, old: old, service: true}}, func(b *kv.Batch) {
		b.Delete(s.ttlSp, e) // also when the entry is stale (another attribute)
	})
	return true, err
}

// ttlBackfill indexes the existing items of a table whose TTL was just
// enabled, then marks the index ready. Writers maintain it meanwhile.
func (s *Service) ttlBackfill(ctx context.Context, t *table) {
	s.barrier()
	d := t.desc.Load()
	p := tablePrefix(d.ID)
	start := p
	for {
		if ctx.Err() != nil {
			return
		}
		keys, err := s.nextKeys(start, kv.PrefixEnd(p), backfillChunk)
		if err != nil {
			s.log.Error("ttl backfill", "table", d.Name, "err", err)
			return
		}
		if len(keys) == 0 {
			break
		}
		if err := s.ttlChunk(t, d.TTLAttr, keys); err != nil {
			s.log.Error("ttl backfill", "table", d.Name, "err", err)
			return
		}
		start = append(bytes.Clone(keys[len(keys)-1]), 0)
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	cur := t.desc.Load()
	if !cur.TTLOn || cur.TTLAttr != d.TTLAttr || cur.TTLReady || s.lookup(cur.Region, cur.Name) != t {
		return
	}
	nd := cur.clone()
	nd.TTLReady = true
	if err := s.publish(t, nd); err != nil {
		s.log.Error("ttl backfill publish", "err", err)
	}
}

func (s *Service) ttlChunk(t *table, attrName string, keys [][]byte) error {
	unlock := s.lockKeys(keys...)
	defer unlock()
	d := t.desc.Load()
	if !d.TTLOn || d.TTLAttr != attrName || s.lookup(d.Region, d.Name) != t {
		return nil
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, k := range keys {
		item, err := s.getItemRaw(k)
		if err != nil {
			return err
		}
		if exp, ok := ttlOf(d, item); ok {
			b.Set(s.ttlSp, ttlKey(d.ID, exp, k), nil)
		}
	}
	if b.Empty() {
		return nil
	}
	return b.Commit()
}

// TrimStreams removes stream records older than the 24-hour retention,
// the definitions of disabled streams whose retention has passed, and
// transaction tokens older than their 10-minute idempotency window.
func (s *Service) TrimStreams(ctx context.Context) error {
	if err := s.trimTokens(); err != nil {
		return err
	}
	cutoff := s.now().Add(-StreamRetention)
	s.mu.RLock()
	var sts []*streamState
	for _, st := range s.streams {
		sts = append(sts, st)
	}
	s.mu.RUnlock()
	for _, st := range sts {
		d := st.desc.Load()
		p := tablePrefix(d.ID)
		var end []byte
		it, err := s.recSp.Iter(p, kv.PrefixEnd(p))
		if err != nil {
			return err
		}
		for ok := it.First(); ok; ok = it.Next() {
			v, err := it.Value()
			if err != nil {
				it.Close()
				return err
			}
			if !recordTime(v).Before(cutoff) {
				break
			}
			end = append(bytes.Clone(it.Key()), 0)
		}
		if err := it.Close(); err != nil {
			return err
		}
		b := s.db.NewBatch()
		if end != nil {
			b.DeleteRange(s.recSp, p, end)
		}
		gone := d.Disabled != nil && d.Disabled.Before(cutoff)
		if gone {
			b.DeleteRange(s.recSp, p, kv.PrefixEnd(p))
			b.Delete(s.metaSp, streamMetaKey(d.ID))
		}
		if b.Empty() {
			b.Close()
			continue
		}
		if err := b.Commit(); err != nil {
			return err
		}
		if gone {
			s.mu.Lock()
			delete(s.streams, d.ID)
			s.mu.Unlock()
		}
	}
	return nil
}

// trimTokens deletes expired ClientRequestTokens.
func (s *Service) trimTokens() error {
	cutoff := s.now().Add(-idempotencyTTL).UnixMilli()
	b := s.db.NewBatch()
	defer b.Close()
	err := s.scanRaw(s.tokSp, nil, func(k, v []byte) error {
		if len(v) >= 8 && int64(binary.BigEndian.Uint64(v)) < cutoff {
			b.Delete(s.tokSp, bytes.Clone(k))
		}
		return nil
	})
	if err != nil || b.Empty() {
		return err
	}
	return b.Commit()
}
