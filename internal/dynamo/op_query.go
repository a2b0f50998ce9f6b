package dynamo

import (
	"context"
	"encoding/json"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
	"github.com/tarnhq/tarn/internal/kv"
)

// prepareRead resolves the index, Select, projection and filter shared by
// Query and Scan.
func (s *Service) prepareRead(ctx context.Context, in *queryInput, p *expr.Params, legacyFilter json.RawMessage, legacyName string, isQuery bool) (*readPlan, error) {
	if err := validateCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.Limit != nil && *in.Limit < 1 {
		return nil, errConstraint(*in.Limit, "limit", "Member must have value greater than or equal to 1")
	}
	t, d, err := s.tableFor(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	plan := &readPlan{t: t, d: d, meter: newMeter(in.ReturnConsumedCapacity),
		strong: in.ConsistentRead != nil && *in.ConsistentRead}
	if in.Limit != nil {
		plan.limit = *in.Limit
	}
	if in.IndexName != nil {
		ix := d.index(*in.IndexName)
		if ix == nil || ix.Status == statusDeleting {
			return nil, errIndexNotFound(*in.IndexName)
		}
		if ix.Global && plan.strong {
			return nil, errValidation("Consistent reads are not supported on global secondary indexes")
		}
		if ix.Global && ix.Status == statusCreating {
			return nil, errValidation("Cannot read from backfilling global secondary index: %s", ix.Name)
		}
		plan.ix = ix
	}
	sel := in.Select
	hasProj := in.ProjectionExpression != nil || in.AttributesToGet != nil
	switch sel {
	case "":
		switch {
		case hasProj:
			sel = "SPECIFIC_ATTRIBUTES"
		case plan.ix != nil:
			sel = "ALL_PROJECTED_ATTRIBUTES"
		default:
			sel = "ALL_ATTRIBUTES"
		}
	case "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES":
	default:
		return nil, errConstraint(sel, "select", "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
	}
	// DynamoDB words these after the member given, and (for Query only)
	// prefixes them as a constraint error.
	cannot := func(what string) error {
		member := "AttributesToGet"
		if in.ProjectionExpression != nil {
			member = "ProjectionExpression"
		}
		prefix := ""
		if isQuery {
			prefix = "1 validation error detected: "
		}
		return errValidation("%sCannot specify the %s when choosing to get %s", prefix, member, what)
	}
	switch sel {
	case "ALL_ATTRIBUTES":
		if hasProj {
			return nil, cannot("ALL_ATTRIBUTES")
		}
		if plan.ix != nil && plan.ix.Projection != "ALL" {
			if plan.ix.Global {
				return nil, errInvalidParam("Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL", plan.ix.Name)
			}
			plan.fetch = true
		}
	case "ALL_PROJECTED_ATTRIBUTES":
		if plan.ix == nil {
			return nil, errValidation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
		if hasProj {
			return nil, cannot("ALL_PROJECTED_ATTRIBUTES")
		}
	case "COUNT":
		if hasProj {
			return nil, cannot("only the Count")
		}
		plan.count = true
	case "SPECIFIC_ATTRIBUTES":
		if !hasProj {
			return nil, errValidation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
		}
		if plan.ix != nil && !plan.ix.Global && plan.ix.Projection != "ALL" {
			plan.fetch = true
		}
	}
	if plan.proj, err = projection(p, in.ProjectionExpression, in.AttributesToGet); err != nil {
		return nil, err
	}
	if plan.filter, err = filterCondition(p, in.FilterExpression, legacyFilter, legacyName, in.ConditionalOperator); err != nil {
		return nil, err
	}
	return plan, nil
}

func (s *Service) query(ctx context.Context, in *queryInput) (*queryOut, error) {
	if in.KeyConditionExpression != nil && present(in.KeyConditions) {
		return nil, mixedParams([]string{"KeyConditions"}, []string{"KeyConditionExpression"})
	}
	if present(in.QueryFilter) && in.FilterExpression != nil {
		return nil, mixedParams([]string{"QueryFilter"}, []string{"FilterExpression"})
	}
	if in.KeyConditionExpression == nil && !present(in.KeyConditions) {
		return nil, errValidation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	uses := in.KeyConditionExpression != nil || in.FilterExpression != nil || in.ProjectionExpression != nil
	p, err := in.params(uses)
	if err != nil {
		return nil, err
	}
	plan, err := s.prepareRead(ctx, in, p, in.QueryFilter, "QueryFilter", true)
	if err != nil {
		return nil, err
	}
	hash, rng := plan.d.Hash, plan.d.Range
	if plan.ix != nil {
		hash, rng = plan.ix.Hash, plan.ix.Range
	}
	rangeName, rangeKind := "", attr.Kind(0)
	if rng != nil {
		rangeName, rangeKind = rng.Name, rng.Type
	}
	kc, err := keyCondition(p, in.KeyConditionExpression, in.KeyConditions, hash.Name, hash.Type, rangeName, rangeKind)
	if err != nil {
		return nil, err
	}
	if err := asAPI(p.CheckUnused()); err != nil {
		return nil, err
	}
	var prefix []byte
	if plan.ix != nil {
		prefix = appendPartition(indexPrefix(plan.d.ID, plan.ix.ID), kc.Hash)
	} else {
		prefix = appendPartition(tablePrefix(plan.d.ID), kc.Hash)
	}
	plan.lo, plan.hi = rangeBounds(prefix, kc.Range)
	plan.reverse = in.ScanIndexForward != nil && !*in.ScanIndexForward
	if present(in.ExclusiveStartKey) {
		esk, err := decodeItem(in.ExclusiveStartKey)
		if err != nil {
			return nil, err
		}
		k, err := plan.startKey(esk)
		if err != nil {
			return nil, err
		}
		if !attr.Equal(esk[hash.Name], kc.Hash) || (rng != nil && kc.Range != nil && !kc.Range.Match(esk[rng.Name])) {
			return nil, errValidation("The provided starting key is outside query boundaries based on provided conditions")
		}
		plan.startAfter(k)
	}
	res, err := s.run(plan)
	if err != nil {
		return nil, err
	}
	return &queryOut{Items: itemsOrNil(res, plan.count), raw: res.raw, Count: res.count, ScannedCount: res.scanned,
		LastEvaluatedKey: res.last, ConsumedCapacity: plan.meter.one()}, nil
}

func itemsOrNil(res *readResult, count bool) []attr.Item {
	if count {
		return nil
	}
	return res.items
}

// rangeBounds is the key range of the entries of one hash partition
// (prefix) whose range key satisfies rc.
func rangeBounds(prefix []byte, rc *expr.RangeCondition) ([]byte, []byte) {
	end := kv.PrefixEnd(prefix)
	if rc == nil {
		return prefix, end
	}
	enc := func(v attr.Value) []byte { return attr.AppendKey(append([]byte(nil), prefix...), v) }
	switch rc.Op {
	case expr.EQ:
		k := enc(rc.Values[0])
		return k, kv.PrefixEnd(k)
	case expr.LT:
		return prefix, enc(rc.Values[0])
	case expr.LE:
		return prefix, kv.PrefixEnd(enc(rc.Values[0]))
	case expr.GT:
		return kv.PrefixEnd(enc(rc.Values[0])), end
	case expr.GE:
		return enc(rc.Values[0]), end
	case expr.Between:
		return enc(rc.Values[0]), kv.PrefixEnd(enc(rc.Values[1]))
	case expr.BeginsWith:
		k := enc(rc.Values[0])
		k = k[:len(k)-2] // drop the terminator: every extension shares these bytes
		return k, kv.PrefixEnd(k)
	}
	return prefix, end
}
