package dynamo

import (
	"context"
	"encoding/binary"

	"github.com/tarnhq/tarn/internal/kv"
)

func (s *Service) scan(ctx context.Context, in *queryInput) (*queryOut, error) {
	if present(in.ScanFilter) && in.FilterExpression != nil {
		return nil, mixedParams([]string{"ScanFilter"}, []string{"FilterExpression"})
	}
	if in.Segment != nil && in.TotalSegments == nil {
		return nil, errValidation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	}
	if in.TotalSegments != nil && in.Segment == nil {
		return nil, errValidation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	}
	if in.TotalSegments != nil {
		if *in.TotalSegments < 1 || *in.TotalSegments > 1000000 {
			return nil, errConstraint(*in.TotalSegments, "totalSegments", "Member must have value less than or equal to 1000000, Member must have value greater than or equal to 1")
		}
		if *in.Segment < 0 {
			return nil, errConstraint(*in.Segment, "segment", "Member must have value greater than or equal to 0")
		}
		if *in.Segment >= *in.TotalSegments {
			return nil, errValidation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is out of bounds for TotalSegments: %d", *in.Segment, *in.TotalSegments)
		}
	}
	p, err := in.params(in.FilterExpression != nil || in.ProjectionExpression != nil)
	if err != nil {
		return nil, err
	}
	plan, err := s.prepareRead(ctx, in, p, in.ScanFilter, "ScanFilter", false)
	if err != nil {
		return nil, err
	}
	if err := asAPI(p.CheckUnused()); err != nil {
		return nil, err
	}
	var prefix []byte
	if plan.ix != nil {
		prefix = indexPrefix(plan.d.ID, plan.ix.ID)
	} else {
		prefix = tablePrefix(plan.d.ID)
	}
	plan.lo, plan.hi = prefix, kv.PrefixEnd(prefix)
	if in.TotalSegments != nil && *in.TotalSegments > 1 {
		plan.lo, plan.hi = segmentBounds(prefix, *in.Segment, *in.TotalSegments)
	}
	if present(in.ExclusiveStartKey) {
		esk, err := decodeItem(in.ExclusiveStartKey)
		if err != nil {
			return nil, err
		}
		k, err := plan.startKey(esk)
		if err != nil {
			return nil, err
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

// segmentBounds is the key range of one parallel-scan segment: a
// contiguous slice of the partition hash space (see keys.go).
func segmentBounds(prefix []byte, segment, total int) ([]byte, []byte) {
	at := func(i int) []byte {
		return binary.BigEndian.AppendUint32(append([]byte(nil), prefix...), uint32(uint64(i)<<32/uint64(total)))
	}
	hi := kv.PrefixEnd(prefix)
	if segment+1 < total {
		hi = at(segment + 1)
	}
	return at(segment), hi
}
