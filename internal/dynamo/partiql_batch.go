package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/partiql"
)

type batchStatementRequest struct {
	Statement                           string            `json:"Statement"`
	Parameters                          []json.RawMessage `json:"Parameters"`
	ConsistentRead                      *bool             `json:"ConsistentRead"`
	ReturnValuesOnConditionCheckFailure string            `json:"ReturnValuesOnConditionCheckFailure"`
}

type batchExecuteInput struct {
	Statements             []batchStatementRequest `json:"Statements"`
	ReturnConsumedCapacity string                  `json:"ReturnConsumedCapacity"`
}

type batchStatementError struct {
	Code    string    `json:"Code"`
	Message string    `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitempty"`
}

type batchStatementResponse struct {
	TableName string               `json:"TableName,omitempty"`
	Item      attr.Item            `json:"Item,omitempty"`
	Error     *batchStatementError `json:"Error,omitempty"`
}

type batchExecuteOut struct {
	Responses        []batchStatementResponse `json:"Responses"`
	ConsumedCapacity []ConsumedCapacity       `json:"ConsumedCapacity,omitempty"`
}

// statementError maps an operation's error to a BatchStatementError.
func statementError(err error) *batchStatementError {
	var ae *awsjson.Error
	if !errors.As(err, &ae) {
		return &batchStatementError{Code: "InternalServerError", Message: "Internal server error"}
	}
	code := strings.TrimSuffix(ae.Code, "Exception")
	if ae.Code == codeValidation {
		code = "ValidationError"
	}
	be := &batchStatementError{Code: code, Message: ae.Message}
	var de *awsjson.DetailedError
	if errors.As(err, &de) {
		if it, ok := de.Fields["Item"].(attr.Item); ok {
			be.Item = it
		}
	}
	return be
}

func (s *Service) batchExecuteStatement(ctx context.Context, in *batchExecuteInput) (*batchExecuteOut, error) {
	if len(in.Statements) == 0 || len(in.Statements) > 25 {
		return nil, errConstraint("[...]", "statements", "Member must have length less than or equal to 25, Member must have length greater than or equal to 1")
	}
	sts := make([]*partiql.Statement, len(in.Statements))
	perr := make([]error, len(in.Statements))
	reads, writes := 0, 0
	for i, r := range in.Statements {
		params, err := decodeParams(r.Parameters)
		if err != nil {
			return nil, err
		}
		st, err := partiql.Parse(r.Statement, params)
		if err != nil {
			perr[i] = partiqlErr(err)
			continue
		}
		sts[i] = st
		if st.IsRead() {
			reads++
		} else {
			writes++
		}
	}
	if reads > 0 && writes > 0 {
		return nil, errValidation("Supported operations in BatchExecuteStatement are either all read or all write")
	}
	m := newMeter(in.ReturnConsumedCapacity)
	out := &batchExecuteOut{Responses: make([]batchStatementResponse, len(sts))}
	for i, st := range sts {
		if perr[i] != nil {
			out.Responses[i].Error = statementError(perr[i])
			continue
		}
		out.Responses[i].TableName = st.Table
		item, err := s.batchStatement(ctx, st, in.Statements[i], in.ReturnConsumedCapacity, m)
		if err != nil {
			out.Responses[i].Error = statementError(err)
			continue
		}
		out.Responses[i].Item = item
	}
	out.ConsumedCapacity = m.all()
	return out, nil
}

func (s *Service) batchStatement(ctx context.Context, st *partiql.Statement, r batchStatementRequest, rcc string, m *capacityMeter) (attr.Item, error) {
	d, _, _, err := s.keyNames(ctx, st)
	if err != nil {
		return nil, err
	}
	h, rk := d.Hash, keyAttr{}
	if d.Range != nil {
		rk = *d.Range
	}
	var cc *ConsumedCapacity
	var item attr.Item
	if st.IsRead() {
		key, err := st.ReadKey(h.Name, rk.Name, false)
		if err != nil {
			return nil, partiqlErr(err)
		}
		if err := st.CheckKeyTypes(h.Name, h.Type, rk.Name, rk.Type); err != nil {
			return nil, partiqlErr(err)
		}
		res, err := s.getItem(ctx, &getItemInput{exprInput: statementExpr(st, st.Projection), TableName: st.Table, Key: rawItem(key),
			ConsistentRead: r.ConsistentRead, ProjectionExpression: strPtr(st.Projection), ReturnConsumedCapacity: rcc})
		if err != nil {
			return nil, err
		}
		if item, err = res.decoded(); err != nil {
			return nil, err
		}
		cc = res.ConsumedCapacity
	} else {
		res, attrs, err := s.execWrite(ctx, st, rcc, r.ReturnValuesOnConditionCheckFailure)
		if err != nil {
			return nil, err
		}
		item, cc = attrs, res.ConsumedCapacity
	}
	if cc != nil {
		m.read(d, "", false, 0) // register the table in order
		e := m.entry(d.Name)
		e.CapacityUnits += cc.CapacityUnits
	}
	return item, nil
}

type transactStatement struct {
	Statement                           string            `json:"Statement"`
	Parameters                          []json.RawMessage `json:"Parameters"`
	ReturnValuesOnConditionCheckFailure string            `json:"ReturnValuesOnConditionCheckFailure"`
}

type executeTransactionInput struct {
	TransactStatements     []transactStatement `json:"TransactStatements"`
	ClientRequestToken     string              `json:"ClientRequestToken"`
	ReturnConsumedCapacity string              `json:"ReturnConsumedCapacity"`
}

type executeTransactionOut struct {
	Responses        []itemResponse     `json:"Responses,omitempty"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

func (s *Service) executeTransaction(ctx context.Context, in *executeTransactionInput) (*executeTransactionOut, error) {
	if len(in.TransactStatements) == 0 || len(in.TransactStatements) > maxTransactItems {
		return nil, errConstraint("[...]", "transactStatements", "Member must have length less than or equal to 100, Member must have length greater than or equal to 1")
	}
	sts := make([]*partiql.Statement, len(in.TransactStatements))
	reads := 0
	for i, r := range in.TransactStatements {
		params, err := decodeParams(r.Parameters)
		if err != nil {
			return nil, err
		}
		st, err := partiql.Parse(r.Statement, params)
		if err != nil {
			var pe *partiql.Error
			if errors.As(err, &pe) {
				return nil, errValidation("Validation failed in TransactStatements[%d]: %s", i, pe.Message)
			}
			return nil, err
		}
		if st.Returning != "" {
			return nil, errValidation("Validation failed in TransactStatements[%d]: RETURNING is not supported within ExecuteTransaction", i)
		}
		sts[i] = st
		if st.IsRead() {
			reads++
		}
	}
	if reads > 0 && reads < len(sts) {
		return nil, errValidation("ExecuteTransaction API does not support both read and write operations in the same request.")
	}
	if reads > 0 {
		tg := &transactGetInput{ReturnConsumedCapacity: in.ReturnConsumedCapacity}
		for _, st := range sts {
			d, _, _, err := s.keyNames(ctx, st)
			if err != nil {
				return nil, err
			}
			rk := ""
			if d.Range != nil {
				rk = d.Range.Name
			}
			key, err := st.ReadKey(d.Hash.Name, rk, true)
			if err != nil {
				return nil, partiqlErr(err)
			}
			ei := statementExpr(st, st.Projection)
			g := transactGetItem{}
			g.Get = &struct {
				TableName                string            `json:"TableName"`
				Key                      json.RawMessage   `json:"Key"`
				ProjectionExpression     *string           `json:"ProjectionExpression"`
				ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames"`
			}{TableName: st.Table, Key: rawItem(key), ProjectionExpression: strPtr(st.Projection), ExpressionAttributeNames: ei.ExpressionAttributeNames}
			tg.TransactItems = append(tg.TransactItems, g)
		}
		res, err := s.transactGetItems(ctx, tg)
		if err != nil {
			return nil, err
		}
		return &executeTransactionOut{Responses: res.Responses, ConsumedCapacity: res.ConsumedCapacity}, nil
	}
	tw := &transactWriteInput{ClientRequestToken: in.ClientRequestToken, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	inserts := map[int]bool{}
	for i, st := range sts {
		d, _, _, err := s.keyNames(ctx, st)
		if err != nil {
			return nil, err
		}
		h, rk := d.Hash, keyAttr{}
		if d.Range != nil {
			rk = *d.Range
		}
		rvf := in.TransactStatements[i].ReturnValuesOnConditionCheckFailure
		var ti transactWriteItem
		if st.Kind == partiql.Insert {
			cond := st.InsertCondition(h.Name)
			ti.Put = &txAction{exprInput: statementExpr(st, cond), TableName: st.Table, Item: rawItem(st.Item), ConditionExpression: &cond, ReturnValuesOnConditionCheckFailure: rvf}
			inserts[i] = true
		} else {
			key, cond, err := st.Key(h.Name, rk.Name)
			if err != nil {
				var pe *partiql.Error
				if errors.As(err, &pe) {
					return nil, errCanceled([]CancellationReason{{Code: "ValidationError", Message: pe.Message}})
				}
				return nil, err
			}
			if err := st.CheckKeyTypes(h.Name, h.Type, rk.Name, rk.Type); err != nil {
				return nil, partiqlErr(err)
			}
			a := &txAction{TableName: st.Table, Key: rawItem(key), ConditionExpression: strPtr(cond), ReturnValuesOnConditionCheckFailure: rvf}
			switch st.Kind {
			case partiql.Update:
				a.exprInput = statementExpr(st, st.Update, cond)
				a.UpdateExpression = &st.Update
				ti.Update = a
			case partiql.Delete:
				a.exprInput = statementExpr(st, cond)
				ti.Delete = a
			case partiql.Exists:
				a.exprInput = statementExpr(st, cond)
				ti.ConditionCheck = a
			}
		}
		tw.TransactItems = append(tw.TransactItems, ti)
	}
	res, err := s.transactWriteItems(ctx, tw)
	if err != nil {
		var de *awsjson.DetailedError
		if errors.As(err, &de) && de.Err.Code == codeTransactionCanceled {
			if reasons, ok := de.Fields["CancellationReasons"].([]CancellationReason); ok {
				for i := range reasons {
					if inserts[i] && reasons[i].Code == "ConditionalCheckFailed" {
						reasons[i] = CancellationReason{Code: "DuplicateItem", Message: "Duplicate primary key exists in table", Item: reasons[i].Item}
					}
				}
				return nil, errCanceled(reasons)
			}
		}
		return nil, err
	}
	return &executeTransactionOut{ConsumedCapacity: res.ConsumedCapacity}, nil
}
