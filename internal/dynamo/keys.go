package dynamo

import (
	"encoding/binary"
	"hash/fnv"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Data layout (spaces under Options.Meta):
//
//	i/ <table id be64> <partition(hash)> [<AppendKey(range)>]            item
//	x/ <table id be64> <index id be32> <partition(index hash)>
//	   [<AppendKey(index range)>] <item key after the table id>          index entry
//	r/ <stream id be64> <sequence be64>                                  stream record
//	e/ <table id be64> <expiry seconds be64> <item key>                  TTL index
//
// partition(v) is a 4-byte hash of the partition key (FNV-1a of its
// AppendKey encoding) followed by that encoding: a partition is one key
// prefix (a Query is one bounded iteration, sorted by the range key, which
// AppendKey orders), a Scan walks partitions in hash order as DynamoDB
// does, and parallel Scan segments are contiguous ranges of the hash.

func tablePrefix(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

func indexPrefix(id uint64, ix uint32) []byte {
	return binary.BigEndian.AppendUint32(tablePrefix(id), ix)
}

// appendPartition appends partition(v).
func appendPartition(dst []byte, v attr.Value) []byte {
	enc := attr.AppendKey(nil, v)
	h := fnv.New32a()
	h.Write(enc)
	return append(binary.BigEndian.AppendUint32(dst, h.Sum32()), enc...)
}

// encodeKey is the item key of a key item whose attributes were validated.
func (d *tableDesc) encodeKey(item attr.Item) []byte {
	k := appendPartition(tablePrefix(d.ID), item[d.Hash.Name])
	if d.Range != nil {
		k = attr.AppendKey(k, item[d.Range.Name])
	}
	return k
}

// keyItem extracts the table key attributes of item.
func (d *tableDesc) keyItem(item attr.Item) attr.Item {
	k := attr.Item{d.Hash.Name: item[d.Hash.Name]}
	if d.Range != nil {
		k[d.Range.Name] = item[d.Range.Name]
	}
	return k
}

// decodeItemKey reads the table key from an item key (after the table prefix).
func (d *tableDesc) decodeItemKey(b []byte) (attr.Item, []byte, error) {
	if len(b) < 4 {
		return nil, nil, attr.ErrBadKey
	}
	h, rest, err := attr.DecodeKey(b[4:], d.Hash.Type)
	if err != nil {
		return nil, nil, err
	}
	k := attr.Item{d.Hash.Name: h}
	if d.Range != nil {
		r, rest2, err := attr.DecodeKey(rest, d.Range.Type)
		if err != nil {
			return nil, nil, err
		}
		k[d.Range.Name] = r
		rest = rest2
	}
	return k, rest, nil
}

// validateKey checks a Key parameter (GetItem, DeleteItem, UpdateItem,
// batch and transaction keys): exactly the key attributes, of their types.
func (d *tableDesc) validateKey(key attr.Item) error {
	want := 1
	if d.Range != nil {
		want = 2
	}
	if len(key) != want {
		return errKeySchema()
	}
	for _, ka := range d.keyAttrs() {
		v, ok := key[ka.Name]
		if !ok || v.Kind != ka.Type {
			return errKeySchema()
		}
		if err := checkKeyValue(ka, v); err != nil {
			return err
		}
	}
	return nil
}

func (d *tableDesc) keyAttrs() []keyAttr {
	if d.Range != nil {
		return []keyAttr{d.Hash, *d.Range}
	}
	return []keyAttr{d.Hash}
}

// validateItemKeys checks the key attributes of a whole item (PutItem).
func (d *tableDesc) validateItemKeys(item attr.Item) error {
	for _, ka := range d.keyAttrs() {
		v, ok := item[ka.Name]
		if !ok {
			return errInvalidParam("Missing the key %s in the item", ka.Name)
		}
		if v.Kind != ka.Type {
			return errInvalidParam("Type mismatch for key %s expected: %s actual: %s", ka.Name, ka.Type, v.Kind)
		}
		if err := checkKeyValue(ka, v); err != nil {
			return err
		}
	}
	return nil
}

// checkKeyValue enforces non-empty S/B keys and the key size limits.
func checkKeyValue(ka keyAttr, v attr.Value) error {
	if v.Kind == attr.S && v.S == "" {
		return errValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: %s", ka.Name)
	}
	if v.Kind == attr.B && len(v.B) == 0 {
		return errValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: %s", ka.Name)
	}
	return nil
}

// checkKeySizes enforces the 2048-byte hash and 1024-byte range limits.
func (d *tableDesc) checkKeySizes(item attr.Item) error {
	if attr.Size(item[d.Hash.Name]) > maxHashKeySize {
		return errInvalidParam("Size of hashkey has exceeded the maximum size limit of2048 bytes")
	}
	if d.Range != nil && attr.Size(item[d.Range.Name]) > maxRangeKeySize {
		return errInvalidParam("Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
	}
	return nil
}

// checkIndexKeys rejects an item whose secondary index key attributes
// have the wrong type or an empty value.
func (d *tableDesc) checkIndexKeys(item attr.Item) error {
	for _, ix := range d.Indexes {
		for _, ka := range ix.keyAttrs() {
			v, ok := item[ka.Name]
			if !ok || d.isKey(ka.Name) {
				continue
			}
			if v.Kind != ka.Type {
				return errInvalidParam("Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s", ka.Name, ka.Type, v.Kind, ix.Name)
			}
			if (v.Kind == attr.S && v.S == "") || (v.Kind == attr.B && len(v.B) == 0) {
				what := "string"
				if v.Kind == attr.B {
					what = "binary"
				}
				return errValidation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s", what, ix.Name, ka.Name)
			}
		}
	}
	return nil
}

func (ix *indexDesc) keyAttrs() []keyAttr {
	if ix.Range != nil {
		return []keyAttr{ix.Hash, *ix.Range}
	}
	return []keyAttr{ix.Hash}
}

// indexKey is the index entry key of item, or nil when the item lacks an
// index key attribute (it is then not in the index).
func (d *tableDesc) indexKey(ix *indexDesc, item attr.Item) []byte {
	if item == nil {
		return nil
	}
	h, ok := item[ix.Hash.Name]
	if !ok || h.Kind != ix.Hash.Type {
		return nil
	}
	k := appendPartition(indexPrefix(d.ID, ix.ID), h)
	if ix.Range != nil {
		r, ok := item[ix.Range.Name]
		if !ok || r.Kind != ix.Range.Type {
			return nil
		}
		k = attr.AppendKey(k, r)
	}
	return append(k, d.encodeKey(item)[8:]...)
}

// project is the part of item an index stores.
func (d *tableDesc) project(ix *indexDesc, item attr.Item) attr.Item {
	if ix.Projection == "ALL" {
		return item
	}
	out := d.keyItem(item)
	for _, ka := range ix.keyAttrs() {
		out[ka.Name] = item[ka.Name]
	}
	if ix.Projection == "INCLUDE" {
		for _, n := range ix.NonKey {
			if v, ok := item[n]; ok {
				out[n] = v
			}
		}
	}
	return out
}

// decodeIndexKey reads the index key and the table key from an index
// entry key (after the index prefix).
func (d *tableDesc) decodeIndexKey(ix *indexDesc, b []byte) (attr.Item, error) {
	if len(b) < 4 {
		return nil, attr.ErrBadKey
	}
	h, rest, err := attr.DecodeKey(b[4:], ix.Hash.Type)
	if err != nil {
		return nil, err
	}
	k := attr.Item{ix.Hash.Name: h}
	if ix.Range != nil {
		r, rest2, err := attr.DecodeKey(rest, ix.Range.Type)
		if err != nil {
			return nil, err
		}
		k[ix.Range.Name] = r
		rest = rest2
	}
	tk, _, err := d.decodeItemKey(rest)
	if err != nil {
		return nil, err
	}
	for n, v := range tk {
		k[n] = v
	}
	return k, nil
}
