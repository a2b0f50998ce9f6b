package dynamo

import (
	"context"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// updateItem applies an UpdateExpression (or legacy AttributeUpdates) to
// the item, creating it from its key when absent, as DynamoDB does.
func (s *Service) updateItem(ctx context.Context, in *updateItemInput) (*writeItemOut, error) {
	if err := checkWriteOptions(in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity,
		"ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"); err != nil {
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
	var legacy, exprs []string
	if present(in.AttributeUpdates) {
		legacy = append(legacy, "AttributeUpdates")
	}
	if present(in.Expected) {
		legacy = append(legacy, "Expected")
	}
	if in.UpdateExpression != nil {
		exprs = append(exprs, "UpdateExpression")
	}
	if in.ConditionExpression != nil {
		exprs = append(exprs, "ConditionExpression")
	}
	if legacy != nil && exprs != nil {
		return nil, mixedParams(legacy, exprs)
	}
	p, err := in.params(exprs != nil)
	if err != nil {
		return nil, err
	}
	upd, err := compileUpdate(p, in.UpdateExpression, in.AttributeUpdates)
	if err != nil {
		return nil, err
	}
	cond, err := writeCondition(p, in.ConditionExpression, in.Expected, in.ConditionalOperator)
	if err != nil {
		return nil, err
	}
	if err := asAPI(p.CheckUnused()); err != nil {
		return nil, err
	}
	if err := d.validateKey(key); err != nil {
		return nil, err
	}
	for _, a := range upd.attributes() {
		if d.isKey(a) {
			return nil, errInvalidParam("Cannot update attribute %s. This attribute is part of the key", a)
		}
	}
	c, err := s.write(t, d.encodeKey(key), func(d *tableDesc, old attr.Item) (attr.Item, error) {
		if err := checkCondition(cond, in.ReturnValuesOnConditionCheckFailure, old); err != nil {
			return nil, err
		}
		base := old
		if base == nil {
			base = key
		}
		nw, err := upd.apply(base)
		if err != nil {
			return nil, err
		}
		if err := checkNewItem(d, nw); err != nil {
			return nil, err
		}
		return nw, nil
	})
	if err != nil {
		return nil, err
	}
	out := &writeItemOut{ItemCollectionMetrics: collectionMetrics(in.ReturnItemCollectionMetrics, c.d, key)}
	switch in.ReturnValues {
	case "ALL_OLD":
		out.Attributes = itemOut(c.old)
	case "ALL_NEW":
		out.Attributes = itemOut(c.new)
	case "UPDATED_OLD":
		out.Attributes = itemOut(upd.updatedOld(c.old, c.new))
	case "UPDATED_NEW":
		base := c.old
		if base == nil {
			base = key
		}
		out.Attributes = itemOut(upd.updatedNew(base, c.new))
	}
	m := newMeter(in.ReturnConsumedCapacity)
	m.writeChange(c, 1)
	out.ConsumedCapacity = m.one()
	return out, nil
}
