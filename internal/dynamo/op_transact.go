package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
	"github.com/tarnhq/tarn/internal/kv"
)

const maxTransactItems = 100

type txAction struct {
	exprInput
	TableName                           string          `json:"TableName"`
	Key                                 json.RawMessage `json:"Key,omitempty"`
	Item                                json.RawMessage `json:"Item,omitempty"`
	ConditionExpression                 *string         `json:"ConditionExpression,omitempty"`
	UpdateExpression                    *string         `json:"UpdateExpression,omitempty"`
	ReturnValuesOnConditionCheckFailure string          `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type transactWriteItem struct {
	ConditionCheck *txAction `json:"ConditionCheck,omitempty"`
	Put            *txAction `json:"Put,omitempty"`
	Delete         *txAction `json:"Delete,omitempty"`
	Update         *txAction `json:"Update,omitempty"`
}

type transactWriteInput struct {
	TransactItems               []transactWriteItem `json:"TransactItems"`
	ReturnConsumedCapacity      string              `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics string              `json:"ReturnItemCollectionMetrics,omitempty"`
	ClientRequestToken          string              `json:"ClientRequestToken,omitempty"`
}

type transactWriteOut struct {
	ConsumedCapacity      []ConsumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// CancellationReason is one entry of TransactionCanceledException.
type CancellationReason struct {
	Code    string    `json:"Code"`
	Message string    `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitempty"`
}

func errCanceled(reasons []CancellationReason) error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	e := apiErr(codeTransactionCanceled, "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", strings.Join(codes, ", "))
	e.MessageKey = "Message"
	e.Fields = map[string]any{"CancellationReasons": reasons}
	return e
}

// txOp is a validated transaction action.
type txOp struct {
	kind string // ConditionCheck, Put, Delete, Update
	t    *table
	key  []byte
	kit  attr.Item // key attributes
	item attr.Item // Put
	cond *expr.Condition
	upd  *update
	rvf  string
}

func (s *Service) compileTxOp(ctx context.Context, kind string, a *txAction) (*txOp, error) {
	if err := validateRVOnFailure(a.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	t, d, err := s.tableFor(ctx, a.TableName)
	if err != nil {
		return nil, err
	}
	op := &txOp{kind: kind, t: t, rvf: a.ReturnValuesOnConditionCheckFailure}
	p, err := a.params(a.ConditionExpression != nil || a.UpdateExpression != nil)
	if err != nil {
		return nil, err
	}
	if kind == "Update" {
		if a.UpdateExpression == nil {
			return nil, errNull("transactItems.member.update.updateExpression")
		}
		if op.upd, err = compileUpdate(p, a.UpdateExpression, nil); err != nil {
			return nil, err
		}
	}
	if kind == "ConditionCheck" && a.ConditionExpression == nil {
		return nil, errNull("transactItems.member.conditionCheck.conditionExpression")
	}
	if op.cond, err = writeCondition(p, a.ConditionExpression, nil, ""); err != nil {
		return nil, err
	}
	if err := asAPI(p.CheckUnused()); err != nil {
		return nil, err
	}
	if kind == "Put" {
		item, err := decodeItem(a.Item)
		if err != nil {
			return nil, err
		}
		if item == nil {
			return nil, errNull("transactItems.member.put.item")
		}
		if err := d.validateItemKeys(item); err != nil {
			return nil, err
		}
		if err := checkNewItem(d, item); err != nil {
			return nil, err
		}
		op.item, op.kit = item, d.keyItem(item)
	} else {
		k, err := decodeItem(a.Key)
		if err != nil {
			return nil, err
		}
		if k == nil {
			return nil, errNull("transactItems.member." + strings.ToLower(kind[:1]) + kind[1:] + ".key")
		}
		if err := d.validateKey(k); err != nil {
			return nil, err
		}
		op.kit = k
	}
	for _, a := range op.upd.attributesOrNil() {
		if d.isKey(a) {
			return nil, errInvalidParam("Cannot update attribute %s. This attribute is part of the key", a)
		}
	}
	op.key = d.encodeKey(op.kit)
	return op, nil
}

func (u *update) attributesOrNil() []string {
	if u == nil {
		return nil
	}
	return u.attributes()
}

func (s *Service) transactWriteItems(ctx context.Context, in *transactWriteInput) (*transactWriteOut, error) {
	if err := validateCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.TransactItems == nil {
		return nil, errNull("transactItems")
	}
	if len(in.TransactItems) == 0 || len(in.TransactItems) > maxTransactItems {
		return nil, errConstraint("[...]", "transactItems", "Member must have length less than or equal to 100, Member must have length greater than or equal to 1")
	}
	if len(in.ClientRequestToken) > 36 {
		return nil, errConstraint(in.ClientRequestToken, "clientRequestToken", "Member must have length less than or equal to 36")
	}
	ops := make([]*txOp, 0, len(in.TransactItems))
	seen := map[string]bool{}
	keys := make([][]byte, 0, len(in.TransactItems)+1)
	for _, ti := range in.TransactItems {
		n := 0
		var kind string
		var a *txAction
		for k, v := range map[string]*txAction{"ConditionCheck": ti.ConditionCheck, "Put": ti.Put, "Delete": ti.Delete, "Update": ti.Update} {
			if v != nil {
				n, kind, a = n+1, k, v
			}
		}
		if n != 1 {
			return nil, errValidation("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		op, err := s.compileTxOp(ctx, kind, a)
		if err != nil {
			return nil, err
		}
		if seen[string(op.key)] {
			return nil, errValidation("Transaction request cannot include multiple operations on one item")
		}
		seen[string(op.key)] = true
		ops = append(ops, op)
		keys = append(keys, op.key)
	}
	var tokKey []byte
	var digest [32]byte
	if in.ClientRequestToken != "" {
		tokKey = []byte(in.ClientRequestToken)
		cp := *in
		cp.ClientRequestToken = ""
		j, _ := json.Marshal(&cp)
		digest = sha256.Sum256(j)
		keys = append(keys, append([]byte("tok/"), tokKey...))
	}
	unlock := s.lockKeys(keys...)
	defer unlock()
	m := newMeter(in.ReturnConsumedCapacity)
	if tokKey != nil {
		done, err := s.checkToken(tokKey, digest)
		if err != nil {
			return nil, err
		}
		if done {
			for _, op := range ops {
				m.write(op.t.desc.Load(), "", false, 2)
			}
			return &transactWriteOut{ConsumedCapacity: m.all()}, nil
		}
	}
	changes := make([]*change, 0, len(ops))
	reasons := make([]CancellationReason, len(ops))
	failed := false
	for i, op := range ops {
		d := op.t.desc.Load()
		if s.lookup(d.Region, d.Name) != op.t {
			return nil, errResourceNotFound()
		}
		old, err := s.getItemRaw(op.key)
		if err != nil {
			return nil, err
		}
		reasons[i].Code = "None"
		ok, err := evalCondition(op.cond, old)
		if err != nil {
			reasons[i] = CancellationReason{Code: "ValidationError", Message: validationMessage(err)}
			failed = true
			continue
		}
		if !ok {
			reasons[i] = CancellationReason{Code: "ConditionalCheckFailed", Message: "The conditional request failed"}
			if op.rvf == "ALL_OLD" {
				reasons[i].Item = old
			}
			failed = true
			continue
		}
		c := &change{t: op.t, d: d, key: op.key, old: old, new: old}
		switch op.kind {
		case "Put":
			c.new = op.item
		case "Delete":
			c.new = nil
		case "Update":
			base := old
			if base == nil {
				base = op.kit
			}
			nw, err := op.upd.apply(base)
			if err == nil {
				err = checkNewItem(d, nw)
			}
			if err != nil {
				reasons[i] = CancellationReason{Code: "ValidationError", Message: validationMessage(err)}
				failed = true
				continue
			}
			c.new = nw
		}
		changes = append(changes, c)
	}
	if failed {
		return nil, errCanceled(reasons)
	}
	var extra func(b *kv.Batch)
	if tokKey != nil {
		extra = func(b *kv.Batch) {
			v := binary.BigEndian.AppendUint64(nil, uint64(s.now().UnixMilli()))
			b.Set(s.tokSp, tokKey, append(v, digest[:]...))
		}
	}
	if err := s.commit(changes, extra); err != nil {
		return nil, err
	}
	for _, c := range changes {
		m.writeChange(c, 2)
	}
	for _, op := range ops {
		if op.kind == "ConditionCheck" {
			m.read(op.t.desc.Load(), "", false, 2)
		}
	}
	return &transactWriteOut{ConsumedCapacity: m.all(), ItemCollectionMetrics: collectionMetricsOf(in.ReturnItemCollectionMetrics, changes)}, nil
}

// checkToken reports whether a transaction with this ClientRequestToken
// already committed in the last 10 minutes with the same parameters; a
// different request under the same token is refused.
func (s *Service) checkToken(tok []byte, digest [32]byte) (bool, error) {
	v, err := s.tokSp.Get(tok)
	if errors.Is(err, kv.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if len(v) != 8+32 {
		return false, nil
	}
	at := time.UnixMilli(int64(binary.BigEndian.Uint64(v)))
	if s.now().Sub(at) > idempotencyTTL {
		return false, nil
	}
	if string(v[8:]) != string(digest[:]) {
		return false, errIdempotentMismatch()
	}
	return true, nil
}

func validationMessage(err error) string {
	var ae *awsjson.Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	return err.Error()
}
