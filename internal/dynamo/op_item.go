package dynamo

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
	"github.com/tarnhq/tarn/internal/kv"
)

func validateReturnValues(rv string, allowed ...string) error {
	switch rv {
	case "", "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW":
	default:
		return errConstraint(rv, "returnValues", "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")
	}
	if rv == "" || rv == "NONE" {
		return nil
	}
	for _, a := range allowed {
		if a == rv {
			return nil
		}
	}
	return errValidation("ReturnValues can only be ALL_OLD or NONE")
}

func validateRVOnFailure(v string) error {
	switch v {
	case "", "NONE", "ALL_OLD":
		return nil
	}
	return errConstraint(v, "returnValuesOnConditionCheckFailure", "Member must satisfy enum value set: [ALL_OLD, NONE]")
}

// checkNewItem enforces the limits on an item about to be written.
func checkNewItem(d *tableDesc, item attr.Item) error {
	if attr.ItemSize(item) > maxItemSize {
		return errItemTooLarge()
	}
	if err := d.checkKeySizes(item); err != nil {
		return err
	}
	return d.checkIndexKeys(item)
}

// failedCheck is the ConditionalCheckFailedException of a write, carrying
// the item when ReturnValuesOnConditionCheckFailure is ALL_OLD.
func failedCheck(rvf string, old attr.Item) error {
	if rvf == "ALL_OLD" && old != nil {
		return errConditionFailed(itemField(old))
	}
	return errConditionFailed(nil)
}

// write runs one conditional read-modify-write on the item at key: fn sees
// the definition loaded under the item's stripe and the current item and
// returns the new one (nil to delete, old to leave it).
func (s *Service) write(t *table, key []byte, fn func(d *tableDesc, old attr.Item) (attr.Item, error)) (*change, error) {
	unlock := s.lockKeys(key)
	defer unlock()
	d := t.desc.Load()
	if s.lookup(d.Region, d.Name) != t {
		return nil, errResourceNotFound()
	}
	old, err := s.getItemRaw(key)
	if err != nil {
		return nil, err
	}
	nw, err := fn(d, old)
	if err != nil {
		return nil, err
	}
	c := &change{t: t, d: d, key: key, old: old, new: nw}
	if err := s.commit([]*change{c}, nil); err != nil {
		return nil, err
	}
	return c, nil
}

func collectionMetrics(mode string, d *tableDesc, item attr.Item) *ItemCollectionMetrics {
	if mode != "SIZE" || item == nil {
		return nil
	}
	hasLSI := false
	for _, ix := range d.Indexes {
		hasLSI = hasLSI || !ix.Global
	}
	if !hasLSI {
		return nil
	}
	return &ItemCollectionMetrics{ItemCollectionKey: attr.Item{d.Hash.Name: item[d.Hash.Name]}, SizeEstimateRangeGB: []float64{0, 1}}
}

// checkWriteOptions validates what every single-item write takes, in
// DynamoDB's order: ReturnValues (one of allowed), then
// ReturnValuesOnConditionCheckFailure, then ReturnConsumedCapacity.
func checkWriteOptions(returnValues, onFailure, capacity string, allowed ...string) error {
	if err := validateReturnValues(returnValues, allowed...); err != nil {
		return err
	}
	if err := validateRVOnFailure(onFailure); err != nil {
		return err
	}
	return validateCapacityMode(capacity)
}

// requiredItem decodes the item or key member field, which must be given.
func requiredItem(raw json.RawMessage, field string) (attr.Item, error) {
	item, err := decodeItem(raw)
	if err != nil {
		return nil, err
	}
	if item == nil {
		return nil, errNull(field)
	}
	return item, nil
}

// condition parses a single-item write's condition (ConditionExpression
// or the legacy Expected) and checks that the request used every name and
// value it declared.
func (in *exprInput) condition(src *string, expected json.RawMessage, op string) (*expr.Condition, error) {
	p, err := in.params(src != nil)
	if err != nil {
		return nil, err
	}
	cond, err := writeCondition(p, src, expected, op)
	if err != nil {
		return nil, err
	}
	return cond, asAPI(p.CheckUnused())
}

// checkCondition is a write's condition against the item it replaces:
// ConditionalCheckFailed (with the old item if rvf asks) when it fails.
func checkCondition(cond *expr.Condition, rvf string, old attr.Item) error {
	if ok, err := evalCondition(cond, old); err != nil {
		return err
	} else if !ok {
		return failedCheck(rvf, old)
	}
	return nil
}

// oldItemResult is PutItem's and DeleteItem's answer for change c of the
// item with key (ALL_OLD, item collection metrics, consumed capacity).
func oldItemResult(c *change, key attr.Item, returnValues, returnMetrics, returnCapacity string) *writeItemOut {
	out := &writeItemOut{ItemCollectionMetrics: collectionMetrics(returnMetrics, c.d, key)}
	if returnValues == "ALL_OLD" {
		out.Attributes = itemOut(c.old)
	}
	m := newMeter(returnCapacity)
	m.writeChange(c, 1)
	out.ConsumedCapacity = m.one()
	return out
}

func (s *Service) putItem(ctx context.Context, in *putItemInput) (*writeItemOut, error) {
	if err := checkWriteOptions(in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity, "ALL_OLD"); err != nil {
		return nil, err
	}
	item, err := requiredItem(in.Item, "item")
	if err != nil {
		return nil, err
	}
	t, d, err := s.tableFor(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	cond, err := in.condition(in.ConditionExpression, in.Expected, in.ConditionalOperator)
	if err != nil {
		return nil, err
	}
	if err := d.validateItemKeys(item); err != nil {
		return nil, err
	}
	if err := checkNewItem(d, item); err != nil {
		return nil, err
	}
	c, err := s.write(t, d.encodeKey(item), func(d *tableDesc, old attr.Item) (attr.Item, error) {
		if err := checkCondition(cond, in.ReturnValuesOnConditionCheckFailure, old); err != nil {
			return nil, err
		}
		return item, nil
	})
	if err != nil {
		return nil, err
	}
	return oldItemResult(c, item, in.ReturnValues, in.ReturnItemCollectionMetrics, in.ReturnConsumedCapacity), nil
}

func (s *Service) deleteItem(ctx context.Context, in *deleteItemInput) (*writeItemOut, error) {
	if err := checkWriteOptions(in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity, "ALL_OLD"); err != nil {
		return nil, err
	}
	key, err := requiredItem(in.Key, "key")
	if err != nil {
		return nil, err
	}
	t, d, err := s.tableFor(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	cond, err := in.condition(in.ConditionExpression, in.Expected, in.ConditionalOperator)
	if err != nil {
		return nil, err
	}
	if err := d.validateKey(key); err != nil {
		return nil, err
	}
	c, err := s.write(t, d.encodeKey(key), func(d *tableDesc, old attr.Item) (attr.Item, error) {
		if err := checkCondition(cond, in.ReturnValuesOnConditionCheckFailure, old); err != nil {
			return nil, err
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return oldItemResult(c, key, in.ReturnValues, in.ReturnItemCollectionMetrics, in.ReturnConsumedCapacity), nil
}

func (s *Service) getItem(ctx context.Context, in *getItemInput) (*getItemOut, error) {
	if err := validateCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	key, err := requiredItem(in.Key, "key")
	if err != nil {
		return nil, err
	}
	t, d, err := s.tableFor(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	p, err := in.params(in.ProjectionExpression != nil)
	if err != nil {
		return nil, err
	}
	proj, err := projection(p, in.ProjectionExpression, in.AttributesToGet)
	if err != nil {
		return nil, err
	}
	if err := asAPI(p.CheckUnused()); err != nil {
		return nil, err
	}
	if err := d.validateKey(key); err != nil {
		return nil, err
	}
	_ = t
	// Reads see the latest committed write (always strongly consistent).
	v, err := s.itemSp.Get(d.encodeKey(key))
	if err != nil && !errors.Is(err, kv.ErrNotFound) {
		return nil, err
	}
	out := &getItemOut{}
	size := 0
	if v != nil {
		size = storedItemSize(v)
		if proj == nil {
			out.raw = storedJSON(v)
		} else {
			item, err := decodeStored(v)
			if err != nil {
				return nil, err
			}
			out.Item = itemOut(applyProjection(proj, item))
		}
	}
	m := newMeter(in.ReturnConsumedCapacity)
	m.read(d, "", false, readUnits(size, in.ConsistentRead != nil && *in.ConsistentRead))
	out.ConsumedCapacity = m.one()
	return out, nil
}

// collectionMetricsOf groups the item collection metrics of a multi-item
// write by table (BatchWriteItem, TransactWriteItems).
func collectionMetricsOf(mode string, changes []*change) map[string][]ItemCollectionMetrics {
	var out map[string][]ItemCollectionMetrics
	for _, c := range changes {
		item := c.new
		if item == nil {
			item = c.old
		}
		if m := collectionMetrics(mode, c.d, item); m != nil {
			if out == nil {
				out = map[string][]ItemCollectionMetrics{}
			}
			out[c.d.Name] = append(out[c.d.Name], *m)
		}
	}
	return out
}
