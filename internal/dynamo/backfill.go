package dynamo

import (
	"bytes"
	"context"

	"github.com/tarnhq/tarn/internal/kv"
)

const backfillChunk = 256

// backfill indexes the existing items of t into the CREATING index name,
// then marks it ACTIVE. Concurrent writes maintain the index themselves
// (their definition already has it, see barrier), and every chunk re-reads
// its items under their stripes, so no entry is stale. It resumes after a
// restart: writing an entry twice is harmless.
func (s *Service) backfill(ctx context.Context, t *table, name string) {
	s.barrier()
	d := t.desc.Load()
	ix := d.index(name)
	if ix == nil {
		return
	}
	p := tablePrefix(d.ID)
	start := p
	for {
		if ctx.Err() != nil {
			return
		}
		keys, err := s.nextKeys(start, kv.PrefixEnd(p), backfillChunk)
		if err != nil {
			s.log.Error("backfill", "table", d.Name, "index", name, "err", err)
			return
		}
		if len(keys) == 0 {
			break
		}
		if err := s.backfillChunk(t, name, keys); err != nil {
			s.log.Error("backfill", "table", d.Name, "index", name, "err", err)
			return
		}
		start = append(bytes.Clone(keys[len(keys)-1]), 0)
	}
	if !sleepCtx(ctx, s.actDelay) {
		return
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	cur := t.desc.Load()
	nd := cur.clone()
	nix := nd.index(name)
	if nix == nil || nix.Status != statusCreating || s.lookup(cur.Region, cur.Name) != t {
		return
	}
	nix.Status, nix.Backfilling = statusActive, false
	if err := s.recount(t); err != nil {
		s.log.Error("backfill recount", "err", err)
	}
	if err := s.publish(t, nd); err != nil {
		s.log.Error("backfill publish", "err", err)
	}
}

func (s *Service) backfillChunk(t *table, name string, keys [][]byte) error {
	unlock := s.lockKeys(keys...)
	defer unlock()
	d := t.desc.Load()
	ix := d.index(name)
	if ix == nil || s.lookup(d.Region, d.Name) != t {
		return nil
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, k := range keys {
		item, err := s.getItemRaw(k)
		if err != nil {
			return err
		}
		if ik := d.indexKey(ix, item); ik != nil {
			b.Set(s.idxSp, ik, encodeStored(d.project(ix, item)))
		}
	}
	if b.Empty() {
		return nil
	}
	return b.Commit()
}

// nextKeys returns up to n item keys in [lo, hi).
func (s *Service) nextKeys(lo, hi []byte, n int) ([][]byte, error) {
	it, err := s.itemSp.Iter(lo, hi)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for ok := it.First(); ok && len(out) < n; ok = it.Next() {
		out = append(out, bytes.Clone(it.Key()))
	}
	return out, it.Close()
}

// finishIndexDelete removes a DELETING index's entries and then the index.
func (s *Service) finishIndexDelete(ctx context.Context, t *table, name string) {
	s.barrier()
	if !sleepCtx(ctx, s.actDelay) {
		return
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	cur := t.desc.Load()
	ix := cur.index(name)
	if ix == nil || ix.Status != statusDeleting {
		return
	}
	nd := cur.clone()
	for i := range nd.Indexes {
		if nd.Indexes[i].Name == name {
			nd.Indexes = append(nd.Indexes[:i], nd.Indexes[i+1:]...)
			break
		}
	}
	nd.Attrs = usedAttrs(nd)
	b := s.db.NewBatch()
	defer b.Close()
	p := indexPrefix(cur.ID, ix.ID)
	b.DeleteRange(s.idxSp, p, kv.PrefixEnd(p))
	if s.lookup(cur.Region, cur.Name) == t {
		b.Set(s.metaSp, tableMetaKey(nd.Region, nd.Name), marshalDesc(nd))
	}
	if err := b.Commit(); err != nil {
		s.log.Error("index delete", "err", err)
		return
	}
	t.desc.Store(nd)
}

// usedAttrs drops the AttributeDefinitions no key of the table or of its
// indexes uses, as DynamoDB does when an index is deleted.
func usedAttrs(d *tableDesc) []AttributeDefinition {
	used := map[string]bool{d.Hash.Name: true}
	if d.Range != nil {
		used[d.Range.Name] = true
	}
	for i := range d.Indexes {
		for _, ka := range d.Indexes[i].keyAttrs() {
			used[ka.Name] = true
		}
	}
	var out []AttributeDefinition
	for _, a := range d.Attrs {
		if used[a.AttributeName] {
			out = append(out, a)
		}
	}
	return out
}
