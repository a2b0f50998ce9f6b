package dynamo

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
)

const (
	maxBatchGetKeys  = 100
	maxBatchWrites   = 25
	maxBatchGetBytes = 16 << 20
	maxBatchReqBytes = 16 << 20
)

type keysAndAttributes struct {
	Keys                     []json.RawMessage `json:"Keys"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
	ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
}

type batchGetInput struct {
	RequestItems           map[string]*keysAndAttributes `json:"RequestItems"`
	ReturnConsumedCapacity string                        `json:"ReturnConsumedCapacity"`
}

type batchGetOut struct {
	Responses        map[string][]attr.Item        `json:"Responses"`
	UnprocessedKeys  map[string]*keysAndAttributes `json:"UnprocessedKeys"`
	ConsumedCapacity []ConsumedCapacity            `json:"ConsumedCapacity,omitempty"`
}

func sortedTables[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Service) batchGetItem(ctx context.Context, in *batchGetInput) (*batchGetOut, error) {
	if err := validateCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.RequestItems == nil {
		return nil, errNull("requestItems")
	}
	if len(in.RequestItems) == 0 {
		return nil, errConstraint("{}", "requestItems", "Member must have length greater than or equal to 1")
	}
	total := 0
	for _, ka := range in.RequestItems {
		if ka == nil || len(ka.Keys) == 0 {
			return nil, errConstraint("[]", "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]")
		}
		total += len(ka.Keys)
	}
	if total > maxBatchGetKeys {
		return nil, errValidation("Too many items requested for the BatchGetItem call")
	}
	type req struct {
		t      *table
		d      *tableDesc
		ka     *keysAndAttributes
		keys   []attr.Item
		encs   [][]byte
		proj   *expr.Projection
		strong bool
	}
	var reqs []*req
	for _, name := range sortedTables(in.RequestItems) {
		ka := in.RequestItems[name]
		t, d, err := s.tableFor(ctx, name)
		if err != nil {
			return nil, err
		}
		ei := exprInput{ExpressionAttributeNames: ka.ExpressionAttributeNames}
		p, err := ei.params(ka.ProjectionExpression != nil)
		if err != nil {
			return nil, err
		}
		proj, err := projection(p, ka.ProjectionExpression, ka.AttributesToGet)
		if err != nil {
			return nil, err
		}
		if err := asAPI(p.CheckUnused()); err != nil {
			return nil, err
		}
		r := &req{t: t, d: d, ka: ka, proj: proj, strong: ka.ConsistentRead != nil && *ka.ConsistentRead}
		seen := map[string]bool{}
		for _, raw := range ka.Keys {
			k, err := decodeItem(raw)
			if err != nil {
				return nil, err
			}
			if err := d.validateKey(k); err != nil {
				return nil, err
			}
			enc := d.encodeKey(k)
			if seen[string(enc)] {
				return nil, errDuplicateKeys()
			}
			seen[string(enc)] = true
			r.keys, r.encs = append(r.keys, k), append(r.encs, enc)
		}
		reqs = append(reqs, r)
	}
	out := &batchGetOut{Responses: map[string][]attr.Item{}, UnprocessedKeys: map[string]*keysAndAttributes{}}
	m := newMeter(in.ReturnConsumedCapacity)
	size := 0
	for _, r := range reqs {
		name := r.d.Name
		items := []attr.Item{}
		for i, enc := range r.encs {
			if size >= maxBatchGetBytes {
				u := out.UnprocessedKeys[name]
				if u == nil {
					cp := *r.ka
					cp.Keys = nil
					u = &cp
					out.UnprocessedKeys[name] = u
				}
				u.Keys = append(u.Keys, r.ka.Keys[i])
				continue
			}
			item, err := s.getItemRaw(enc)
			if err != nil {
				return nil, err
			}
			m.read(r.d, "", false, readUnits(itemSize(item), r.strong))
			if item != nil {
				size += attr.ItemSize(item)
				items = append(items, applyProjection(r.proj, item))
			}
		}
		out.Responses[name] = items
	}
	out.ConsumedCapacity = m.all()
	return out, nil
}

type writeRequest struct {
	PutRequest *struct {
		Item json.RawMessage `json:"Item"`
	} `json:"PutRequest,omitempty"`
	DeleteRequest *struct {
		Key json.RawMessage `json:"Key"`
	} `json:"DeleteRequest,omitempty"`
}

type batchWriteInput struct {
	RequestItems                map[string][]writeRequest `json:"RequestItems"`
	ReturnConsumedCapacity      string                    `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics string                    `json:"ReturnItemCollectionMetrics"`
}

type batchWriteOut struct {
	UnprocessedItems      map[string][]writeRequest          `json:"UnprocessedItems"`
	ConsumedCapacity      []ConsumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// batchWriteItem applies every put and delete in one atomic batch (a
// stronger guarantee than DynamoDB's, which applies them independently);
// UnprocessedItems is therefore always empty.
func (s *Service) batchWriteItem(ctx context.Context, in *batchWriteInput) (*batchWriteOut, error) {
	if err := validateCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.RequestItems == nil {
		return nil, errNull("requestItems")
	}
	if len(in.RequestItems) == 0 {
		return nil, errConstraint("{}", "requestItems", "Member must have length greater than or equal to 1")
	}
	total := 0
	for _, ws := range in.RequestItems {
		if len(ws) == 0 || len(ws) > maxBatchWrites {
			return nil, errConstraint("{...}", "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
		}
		total += len(ws)
	}
	if total > maxBatchWrites {
		return nil, errValidation("Too many items requested for the BatchWriteItem call")
	}
	type op struct {
		t    *table
		key  []byte
		item attr.Item // nil: delete
	}
	var ops []op
	var keys [][]byte
	for _, name := range sortedTables(in.RequestItems) {
		t, d, err := s.tableFor(ctx, name)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, w := range in.RequestItems[name] {
			var o op
			o.t = t
			switch {
			case w.PutRequest != nil && w.DeleteRequest != nil:
				return nil, errValidation("Supplied WriteRequest has more than one request type set, must contain exactly one of PutRequest or DeleteRequest")
			case w.PutRequest != nil:
				item, err := decodeItem(w.PutRequest.Item)
				if err != nil {
					return nil, err
				}
				if item == nil {
					return nil, errNull("requestItems.member.putRequest.item")
				}
				if err := d.validateItemKeys(item); err != nil {
					return nil, err
				}
				if err := checkNewItem(d, item); err != nil {
					return nil, err
				}
				o.key, o.item = d.encodeKey(item), item
			case w.DeleteRequest != nil:
				k, err := decodeItem(w.DeleteRequest.Key)
				if err != nil {
					return nil, err
				}
				if err := d.validateKey(k); err != nil {
					return nil, err
				}
				o.key = d.encodeKey(k)
			default:
				return nil, errValidation("Supplied WriteRequest is empty, must contain exactly one of PutRequest or DeleteRequest")
			}
			if seen[string(o.key)] {
				return nil, errDuplicateKeys()
			}
			seen[string(o.key)] = true
			ops = append(ops, o)
			keys = append(keys, o.key)
		}
	}
	unlock := s.lockKeys(keys...)
	defer unlock()
	changes := make([]*change, 0, len(ops))
	for _, o := range ops {
		d := o.t.desc.Load()
		if s.lookup(d.Region, d.Name) != o.t {
			return nil, errResourceNotFound()
		}
		old, err := s.getItemRaw(o.key)
		if err != nil {
			return nil, err
		}
		changes = append(changes, &change{t: o.t, d: d, key: o.key, old: old, new: o.item})
	}
	if err := s.commit(changes, nil); err != nil {
		return nil, err
	}
	m := newMeter(in.ReturnConsumedCapacity)
	for _, c := range changes {
		m.writeChange(c, 1)
	}
	return &batchWriteOut{UnprocessedItems: map[string][]writeRequest{}, ConsumedCapacity: m.all(),
		ItemCollectionMetrics: collectionMetricsOf(in.ReturnItemCollectionMetrics, changes)}, nil
}
