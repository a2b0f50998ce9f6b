package dynamo

import (
	"bytes"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
	"github.com/tarnhq/tarn/internal/kv"
)

// readPlan is one Query or Scan page to run: a key range of the table or
// of an index, walked in one direction.
type readPlan struct {
	t       *table
	d       *tableDesc
	ix      *indexDesc // nil: the table
	lo, hi  []byte     // relative to itemSp or idxSp
	reverse bool
	limit   int // 0: none
	filter  *expr.Condition
	proj    *expr.Projection
	count   bool // Select COUNT
	fetch   bool // LSI: read the table item (attributes outside the projection)
	meter   *capacityMeter
	strong  bool
}

type readResult struct {
	items   []attr.Item
	raw     [][]byte // raw mode: stored item JSON
	count   int
	scanned int
	last    attr.Item
}

func (s *Service) run(p *readPlan) (*readResult, error) {
	sp := s.itemSp
	if p.ix != nil {
		sp = s.idxSp
	}
	it, err := sp.Iter(p.lo, p.hi)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	res := &readResult{items: []attr.Item{}}
	var bytesRead, tableBytes int
	ok := it.First()
	if p.reverse {
		ok = it.Last()
	}
	rawMode := p.filter == nil && p.proj == nil && !p.fetch && !p.count
	for ; ok; ok = step(it, p.reverse) {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		if rawMode {
			bytesRead += storedItemSize(v)
			res.scanned++
			res.count++
			res.raw = append(res.raw, bytes.Clone(storedJSON(v)))
			if (p.limit > 0 && res.scanned >= p.limit) || bytesRead >= maxPageBytes {
				if res.last, err = p.keyOfEntry(it.Key()); err != nil {
					return nil, err
				}
				break
			}
			continue
		}
		item, err := decodeStored(v)
		if err != nil {
			return nil, err
		}
		bytesRead += storedItemSize(v)
		res.scanned++
		full := item
		if p.fetch {
			ti, err := s.getItemRaw(p.d.encodeKey(item))
			if err != nil {
				return nil, err
			}
			if ti != nil {
				full = ti
				tableBytes += attr.ItemSize(ti)
			}
		}
		match, err := evalCondition(p.filter, full)
		if err != nil {
			return nil, err
		}
		if match {
			res.count++
			if !p.count {
				res.items = append(res.items, applyProjection(p.proj, full))
			}
		}
		if (p.limit > 0 && res.scanned >= p.limit) || bytesRead >= maxPageBytes {
			res.last = p.lastKey(item)
			break
		}
	}
	if err := it.Close(); err != nil {
		return nil, err
	}
	if p.ix != nil {
		p.meter.read(p.d, p.ix.Name, p.ix.Global, readUnits(bytesRead, p.strong))
		if tableBytes > 0 {
			p.meter.read(p.d, "", false, readUnits(tableBytes, p.strong))
		}
	} else {
		p.meter.read(p.d, "", false, readUnits(bytesRead, p.strong))
	}
	return res, nil
}

func step(it *kv.Iterator, reverse bool) bool {
	if reverse {
		return it.Prev()
	}
	return it.Next()
}

// keyOfEntry is the LastEvaluatedKey of the entry at key k.
func (p *readPlan) keyOfEntry(k []byte) (attr.Item, error) {
	if p.ix != nil {
		return p.d.decodeIndexKey(p.ix, k[12:])
	}
	key, _, err := p.d.decodeItemKey(k[8:])
	return key, err
}

// lastKey is the LastEvaluatedKey of an entry: the table key, plus the
// index key for an index.
func (p *readPlan) lastKey(item attr.Item) attr.Item {
	k := p.d.keyItem(item)
	if p.ix != nil {
		for _, ka := range p.ix.keyAttrs() {
			k[ka.Name] = item[ka.Name]
		}
	}
	return k
}

// startAfter narrows the plan's range to entries after the exclusive
// start key esk (in the walking direction).
func (p *readPlan) startAfter(esk []byte) {
	if p.reverse {
		if p.hi == nil || bytes.Compare(esk, p.hi) < 0 {
			p.hi = esk
		}
		return
	}
	next := append(bytes.Clone(esk), 0)
	if bytes.Compare(next, p.lo) > 0 {
		p.lo = next
	}
}

// startKey validates an ExclusiveStartKey and returns its entry key.
func (p *readPlan) startKey(esk attr.Item) ([]byte, error) {
	bad := errValidation("The provided starting key is invalid: The provided key element does not match the schema")
	want := p.d.keyAttrs()
	if p.ix != nil {
		for _, ka := range p.ix.keyAttrs() {
			if !p.d.isKey(ka.Name) {
				want = append(want, ka)
			}
		}
	}
	if len(esk) != len(want) {
		return nil, bad
	}
	for _, ka := range want {
		if v, ok := esk[ka.Name]; !ok || v.Kind != ka.Type {
			return nil, bad
		}
	}
	if p.ix == nil {
		return p.d.encodeKey(esk), nil
	}
	return p.d.indexKey(p.ix, esk), nil
}
