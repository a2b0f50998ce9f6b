package dynamo

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// Meta space layout (under Options.Meta + "m/"):
//
//	t/<region>/<name>  tableDesc JSON
//	s/<id be64>        streamDesc JSON
//	n                  last allocated table/stream id, be64
const nextIDKey = "n"

func tableMetaKey(region, name string) []byte { return []byte("t/" + region + "/" + name) }

func streamMetaKey(id uint64) []byte { return binary.BigEndian.AppendUint64([]byte("s/"), id) }

func tableMapKey(region, name string) string { return region + "/" + name }

// allocID reserves a new id; the caller must hold s.mu and put the
// returned counter write in the batch that uses the id.
func (s *Service) allocID(b *kv.Batch) uint64 {
	s.nextID++
	b.Set(s.metaSp, []byte(nextIDKey), binary.BigEndian.AppendUint64(nil, s.nextID))
	return s.nextID
}

// load reads every table and stream definition and rebuilds the live
// state: statistics by a scan, stream sequence positions, interrupted
// backfills and activations.
func (s *Service) load(ctx context.Context) error {
	if v, err := s.metaSp.Get([]byte(nextIDKey)); err == nil && len(v) == 8 {
		s.nextID = binary.BigEndian.Uint64(v)
	} else if err != nil && !errors.Is(err, kv.ErrNotFound) {
		return err
	}
	it, err := s.metaSp.Iter([]byte("s/"), []byte("s0"))
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		var sd streamDesc
		if err := json.Unmarshal(v, &sd); err != nil {
			it.Close()
			return fmt.Errorf("stream %x: %w", it.Key(), err)
		}
		st, err := s.openStream(&sd)
		if err != nil {
			it.Close()
			return err
		}
		s.streams[sd.ID] = st
	}
	if err := it.Close(); err != nil {
		return err
	}
	it, err = s.metaSp.Iter([]byte("t/"), []byte("t0"))
	if err != nil {
		return err
	}
	var descs []*tableDesc
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		d := new(tableDesc)
		if err := json.Unmarshal(v, d); err != nil {
			it.Close()
			return fmt.Errorf("table %s: %w", it.Key(), err)
		}
		descs = append(descs, d)
	}
	if err := it.Close(); err != nil {
		return err
	}
	for _, d := range descs {
		t := newTable(d)
		if err := s.recount(t); err != nil {
			return err
		}
		s.tables[tableMapKey(d.Region, d.Name)] = t
		if d.Status == statusCreating {
			s.activateLater(t)
		}
		if d.TTLOn && !d.TTLReady {
			s.goBG(func() { s.ttlBackfill(ctx, t) })
		}
		for _, ix := range d.Indexes {
			switch {
			case ix.Status == statusDeleting:
				s.goBG(func() { s.finishIndexDelete(ctx, t, ix.Name) })
			case ix.Backfilling || ix.Status == statusCreating:
				s.goBG(func() { s.backfill(ctx, t, ix.Name) })
			}
		}
	}
	return nil
}

// recount scans the table's items and index entries to set its
// statistics (they are kept in memory and maintained with every write).
func (s *Service) recount(t *table) error {
	d := t.desc.Load()
	var n, size int64
	err := s.scanRaw(s.itemSp, tablePrefix(d.ID), func(k, v []byte) error {
		n++
		size += int64(storedItemSize(v))
		return nil
	})
	if err != nil {
		return err
	}
	t.items.Store(n)
	t.bytes.Store(size)
	for _, ix := range d.Indexes {
		var n, size int64
		err := s.scanRaw(s.idxSp, indexPrefix(d.ID, ix.ID), func(k, v []byte) error {
			n++
			size += int64(storedItemSize(v))
			return nil
		})
		if err != nil {
			return err
		}
		st := t.stats(ix.ID)
		st.items.Store(n)
		st.bytes.Store(size)
	}
	return nil
}

// scanRaw calls fn for every key with prefix p in sp.
func (s *Service) scanRaw(sp kv.Space, p []byte, fn func(k, v []byte) error) error {
	it, err := sp.Iter(p, kv.PrefixEnd(p))
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		if err := fn(it.Key(), v); err != nil {
			it.Close()
			return err
		}
	}
	return it.Close()
}

// lookup returns the live table named name in region, or nil.
func (s *Service) lookup(region, name string) *table {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tables[tableMapKey(region, name)]
}

// tableFor resolves the TableName (or table ARN) of a data-plane request;
// a missing table is DynamoDB's bare ResourceNotFoundException.
func (s *Service) tableFor(ctx context.Context, name string) (*table, *tableDesc, error) {
	if name == "" {
		return nil, nil, errNull("tableName")
	}
	region := s.regionOf(ctx)
	if strings.HasPrefix(name, "arn:") {
		r, n, ok := parseTableArn(name)
		if !ok {
			return nil, nil, errResourceNotFound()
		}
		region, name = r, n
	}
	t := s.lookup(region, name)
	if t == nil {
		return nil, nil, errResourceNotFound()
	}
	return t, t.desc.Load(), nil
}

// parseTableArn splits arn:aws:dynamodb:<region>:<account>:table/<name>.
func parseTableArn(arn string) (region, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "dynamodb" || !strings.HasPrefix(parts[5], "table/") {
		return "", "", false
	}
	name = strings.TrimPrefix(parts[5], "table/")
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	}
	return parts[3], name, name != ""
}

// publish stores d durably and makes it the table's definition. The
// caller holds t.admin.
func (s *Service) publish(t *table, d *tableDesc) error {
	b := s.db.NewBatch()
	b.Set(s.metaSp, tableMetaKey(d.Region, d.Name), marshalDesc(d))
	if err := b.Commit(); err != nil {
		return err
	}
	t.desc.Store(d)
	return nil
}
