package dynamo

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
	"github.com/tarnhq/tarn/internal/kv"
)

type transactGetItem struct {
	Get *struct {
		TableName                string            `json:"TableName"`
		Key                      json.RawMessage   `json:"Key"`
		ProjectionExpression     *string           `json:"ProjectionExpression"`
		ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames"`
	} `json:"Get"`
}

type transactGetInput struct {
	TransactItems          []transactGetItem `json:"TransactItems"`
	ReturnConsumedCapacity string            `json:"ReturnConsumedCapacity"`
}

type itemResponse struct {
	Item attr.Item `json:"Item,omitempty"`
}

type transactGetOut struct {
	Responses        []itemResponse     `json:"Responses"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// transactGetItems reads every item from one consistent snapshot.
func (s *Service) transactGetItems(ctx context.Context, in *transactGetInput) (*transactGetOut, error) {
	if err := validateCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.TransactItems == nil {
		return nil, errNull("transactItems")
	}
	if len(in.TransactItems) == 0 || len(in.TransactItems) > maxTransactItems {
		return nil, errConstraint("[...]", "transactItems", "Member must have length less than or equal to 100, Member must have length greater than or equal to 1")
	}
	type get struct {
		d    *tableDesc
		key  []byte
		proj *expr.Projection
	}
	gets := make([]get, 0, len(in.TransactItems))
	seen := map[string]bool{}
	for _, ti := range in.TransactItems {
		g := ti.Get
		if g == nil {
			return nil, errNull("transactItems.member.get")
		}
		_, d, err := s.tableFor(ctx, g.TableName)
		if err != nil {
			return nil, err
		}
		ei := exprInput{ExpressionAttributeNames: g.ExpressionAttributeNames}
		p, err := ei.params(g.ProjectionExpression != nil)
		if err != nil {
			return nil, err
		}
		proj, err := projection(p, g.ProjectionExpression, nil)
		if err != nil {
			return nil, err
		}
		if err := asAPI(p.CheckUnused()); err != nil {
			return nil, err
		}
		k, err := decodeItem(g.Key)
		if err != nil {
			return nil, err
		}
		if err := d.validateKey(k); err != nil {
			return nil, err
		}
		key := d.encodeKey(k)
		if seen[string(key)] {
			return nil, errValidation("Transaction request cannot include multiple operations on one item")
		}
		seen[string(key)] = true
		gets = append(gets, get{d: d, key: key, proj: proj})
	}
	snap := s.db.Snapshot()
	defer snap.Close()
	m := newMeter(in.ReturnConsumedCapacity)
	out := &transactGetOut{Responses: make([]itemResponse, len(gets))}
	for i, g := range gets {
		v, err := snap.Get(s.itemSp, g.key)
		if errors.Is(err, kv.ErrNotFound) {
			m.read(g.d, "", false, 2)
			continue
		}
		if err != nil {
			return nil, err
		}
		item, err := decodeStored(v)
		if err != nil {
			return nil, err
		}
		m.read(g.d, "", false, 2*readUnits(attr.ItemSize(item), true))
		out.Responses[i].Item = itemOut(applyProjection(g.proj, item))
	}
	out.ConsumedCapacity = m.all()
	return out, nil
}
