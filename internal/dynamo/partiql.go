package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"slices"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/partiql"
)

// PartiQL runs through the ordinary operations: package partiql turns a
// statement into the members of a Query, Scan, GetItem, PutItem,
// UpdateItem, DeleteItem or transaction request (see its README.md), and
// the service executes that request, so there is one evaluator.

const tokenPartiQL byte = 'P'

func (s *Service) registerPartiQL() {
	s.api.Handle("ExecuteStatement", awsjson.Op(s.executeStatement))
	s.api.Handle("BatchExecuteStatement", awsjson.Op(s.batchExecuteStatement))
	s.api.Handle("ExecuteTransaction", awsjson.Op(s.executeTransaction))
}

type executeStatementInput struct {
	Statement                           string            `json:"Statement"`
	Parameters                          []json.RawMessage `json:"Parameters"`
	ConsistentRead                      *bool             `json:"ConsistentRead"`
	NextToken                           string            `json:"NextToken"`
	ReturnConsumedCapacity              string            `json:"ReturnConsumedCapacity"`
	Limit                               *int              `json:"Limit"`
	ReturnValuesOnConditionCheckFailure string            `json:"ReturnValuesOnConditionCheckFailure"`
}

type executeStatementOut struct {
	Items            []attr.Item       `json:"Items"`
	NextToken        string            `json:"NextToken,omitempty"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

func partiqlErr(err error) error {
	var pe *partiql.Error
	if errors.As(err, &pe) {
		return errValidation("%s", pe.Message)
	}
	return err
}

func decodeParams(raw []json.RawMessage) ([]attr.Value, error) {
	out := make([]attr.Value, 0, len(raw))
	for _, r := range raw {
		v, err := attr.DecodeValue(r)
		if err != nil {
			return nil, asAPI(err)
		}
		out = append(out, v)
	}
	return out, nil
}

func rawItem(it attr.Item) json.RawMessage {
	if it == nil {
		return nil
	}
	return attr.AppendItemJSON(nil, it)
}

func strPtr(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// statementExpr fills the placeholders of the given expressions.
func statementExpr(st *partiql.Statement, exprs ...string) exprInput {
	names, values := st.Used(exprs...)
	var ei exprInput
	if len(names) > 0 {
		ei.ExpressionAttributeNames = names
	}
	if len(values) > 0 {
		ei.ExpressionAttributeValues = rawItem(attr.Item(values))
	}
	return ei
}

// keyNames are the hash and range key names (and types) a statement
// addresses: the table's, or its index's.
func (s *Service) keyNames(ctx context.Context, st *partiql.Statement) (*tableDesc, keyAttr, keyAttr, error) {
	_, d, err := s.tableFor(ctx, st.Table)
	if err != nil {
		return nil, keyAttr{}, keyAttr{}, err
	}
	h, r := d.Hash, d.Range
	if st.Index != "" {
		ix := d.index(st.Index)
		if ix == nil {
			return nil, keyAttr{}, keyAttr{}, errIndexNotFound(st.Index)
		}
		h, r = ix.Hash, ix.Range
	}
	var rk keyAttr
	if r != nil {
		rk = *r
	}
	return d, h, rk, nil
}

func (s *Service) executeStatement(ctx context.Context, in *executeStatementInput) (*executeStatementOut, error) {
	params, err := decodeParams(in.Parameters)
	if err != nil {
		return nil, err
	}
	st, err := partiql.Parse(in.Statement, params)
	if err != nil {
		return nil, partiqlErr(err)
	}
	if st.Kind == partiql.Exists {
		return nil, errValidation("EXISTS is only supported within ExecuteTransaction")
	}
	if st.Kind == partiql.Select {
		return s.execSelect(ctx, st, in)
	}
	out, _, err := s.execWrite(ctx, st, in.ReturnConsumedCapacity, in.ReturnValuesOnConditionCheckFailure)
	return out, err
}

func (s *Service) execSelect(ctx context.Context, st *partiql.Statement, in *executeStatementInput) (*executeStatementOut, error) {
	_, h, r, err := s.keyNames(ctx, st)
	if err != nil {
		return nil, err
	}
	if err := st.CheckOrderBy(h.Name); err != nil {
		return nil, partiqlErr(err)
	}
	digest := sha256.Sum256(append([]byte(in.Statement), rawItem(attr.Item{"p": attr.List(mustParams(in.Parameters)...)})...))
	q := &queryInput{TableName: st.Table, IndexName: strPtr(st.Index), ConsistentRead: in.ConsistentRead, Limit: in.Limit,
		ProjectionExpression: strPtr(st.Projection), ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	if in.NextToken != "" {
		b, err := s.tokens.Open(tokenPartiQL, in.NextToken)
		if err != nil || len(b) < 16 || string(b[:16]) != string(digest[:16]) {
			return nil, errValidation("Invalid NextToken")
		}
		q.ExclusiveStartKey = b[16:]
	}
	keyCond, filter, ok := st.Split(h.Name, r.Name)
	var res *queryOut
	if ok {
		if err := st.CheckKeyTypes(h.Name, h.Type, r.Name, r.Type); err != nil {
			return nil, partiqlErr(err)
		}
		q.exprInput = statementExpr(st, keyCond, filter, st.Projection)
		q.KeyConditionExpression, q.FilterExpression = &keyCond, strPtr(filter)
		fwd := !st.Descending
		q.ScanIndexForward = &fwd
		res, err = s.query(ctx, q)
	} else {
		q.exprInput = statementExpr(st, st.Where, st.Projection)
		q.FilterExpression = strPtr(st.Where)
		res, err = s.scan(ctx, q)
		if err == nil && len(st.OrderBy) > 0 && r.Name != "" {
			if res.Items, err = res.decoded(); err != nil {
				return nil, err
			}
			res.raw = nil
			// The filter pins the hash key: order the page by the range key.
			slices.SortStableFunc(res.Items, func(a, b attr.Item) int {
				c := attr.Compare(a[r.Name], b[r.Name])
				if st.Descending {
					return -c
				}
				return c
			})
		}
	}
	if err != nil {
		return nil, err
	}
	items, err := res.decoded()
	if err != nil {
		return nil, err
	}
	out := &executeStatementOut{Items: items, ConsumedCapacity: res.ConsumedCapacity}
	if out.Items == nil {
		out.Items = []attr.Item{}
	}
	if res.LastEvaluatedKey != nil {
		out.NextToken = s.tokens.Seal(tokenPartiQL, append(digest[:16:16], rawItem(res.LastEvaluatedKey)...))
		if in.Limit != nil {
			out.LastEvaluatedKey = res.LastEvaluatedKey
		}
	}
	return out, nil
}

func mustParams(raw []json.RawMessage) []attr.Value {
	v, _ := decodeParams(raw)
	return v
}

// execWrite runs an INSERT, UPDATE or DELETE; the item is the one
// RETURNING asks for.
func (s *Service) execWrite(ctx context.Context, st *partiql.Statement, rcc, rvf string) (*executeStatementOut, attr.Item, error) {
	d, _, _, err := s.keyNames(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	h, r := d.Hash, keyAttr{}
	if d.Range != nil {
		r = *d.Range
	}
	out := &executeStatementOut{Items: []attr.Item{}}
	var res *writeItemOut
	switch st.Kind {
	case partiql.Insert:
		cond := st.InsertCondition(h.Name)
		res, err = s.putItem(ctx, &putItemInput{exprInput: statementExpr(st, cond), TableName: st.Table, Item: rawItem(st.Item),
			ConditionExpression: &cond, ReturnConsumedCapacity: rcc})
		if errors.Is(err, ErrConditionFailed) {
			return nil, nil, apiErr(codeDuplicateItem, "Duplicate primary key exists in table")
		}
	case partiql.Update, partiql.Delete:
		key, cond, kerr := st.Key(h.Name, r.Name)
		if kerr != nil {
			return nil, nil, partiqlErr(kerr)
		}
		if err := st.CheckKeyTypes(h.Name, h.Type, r.Name, r.Type); err != nil {
			return nil, nil, partiqlErr(err)
		}
		if st.Kind == partiql.Update {
			res, err = s.updateItem(ctx, &updateItemInput{exprInput: statementExpr(st, st.Update, cond), TableName: st.Table, Key: rawItem(key),
				UpdateExpression: &st.Update, ConditionExpression: strPtr(cond), ReturnValues: st.Returning,
				ReturnConsumedCapacity: rcc, ReturnValuesOnConditionCheckFailure: rvf})
		} else {
			res, err = s.deleteItem(ctx, &deleteItemInput{exprInput: statementExpr(st, cond), TableName: st.Table, Key: rawItem(key),
				ConditionExpression: strPtr(cond), ReturnValues: st.Returning, ReturnConsumedCapacity: rcc,
				ReturnValuesOnConditionCheckFailure: rvf})
		}
	default:
		return nil, nil, errValidation("Unsupported statement")
	}
	if err != nil {
		return nil, nil, err
	}
	if len(res.Attributes) > 0 {
		out.Items = append(out.Items, res.Attributes)
	}
	out.ConsumedCapacity = res.ConsumedCapacity
	return out, res.Attributes, nil
}
