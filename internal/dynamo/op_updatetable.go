package dynamo

import (
	"context"
	"time"
)

// updateTable changes billing, throughput, streams, deletion protection,
// table class, and adds or deletes global secondary indexes. A new index
// is CREATING with Backfilling while a background task indexes the
// existing items, then ACTIVE; a deleted index is DELETING until its
// entries are removed.
func (s *Service) updateTable(ctx context.Context, in *updateTableInput) (*tableDescriptionOut, error) {
	t, _, err := s.tableForAdmin(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	d := t.desc.Load()
	if d.Status != statusActive {
		return nil, errTableInUse(d.Name, "updated")
	}
	if in.BillingMode == "" && in.ProvisionedThroughput == nil && in.StreamSpecification == nil &&
		in.GlobalSecondaryIndexUpdates == nil && in.SSESpecification == nil && in.ReplicaUpdates == nil &&
		in.DeletionProtection == nil && in.TableClass == "" && in.OnDemandThroughput == nil && in.WarmThroughput == nil {
		return nil, errValidation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
	}
	if in.ReplicaUpdates != nil {
		return nil, errValidation("tarn does not support global tables (ReplicaUpdates)")
	}
	nd := d.clone()
	if in.BillingMode != "" {
		b, err := validateBilling(in.BillingMode)
		if err != nil {
			return nil, err
		}
		if b != nd.Billing {
			now := s.now().UTC()
			nd.Billing, nd.BillingSet = b, &now
			if b == "PAY_PER_REQUEST" {
				nd.RCU, nd.WCU = 0, 0
				for i := range nd.Indexes {
					nd.Indexes[i].RCU, nd.Indexes[i].WCU = 0, 0
				}
			} else if in.ProvisionedThroughput == nil {
				return nil, errInvalidParam("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
			}
		}
	}
	if in.ProvisionedThroughput != nil {
		if nd.RCU, nd.WCU, err = validateThroughput(nd.Billing, in.ProvisionedThroughput, "provisionedThroughput"); err != nil {
			return nil, err
		}
		if nd.Billing == "PROVISIONED" && d.Billing == "PROVISIONED" && nd.RCU == d.RCU && nd.WCU == d.WCU && in.GlobalSecondaryIndexUpdates == nil && in.StreamSpecification == nil {
			return nil, errValidation("The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.", d.RCU, nd.RCU, d.WCU, nd.WCU)
		}
	}
	if in.OnDemandThroughput != nil {
		nd.OnDemand = in.OnDemandThroughput
	}
	if in.DeletionProtection != nil {
		nd.Protected = *in.DeletionProtection
	}
	if in.TableClass != "" {
		nd.Class = in.TableClass
	}
	if in.SSESpecification != nil {
		nd.SSE = in.SSESpecification
	}
	var creates, deletes []string
	if len(in.GlobalSecondaryIndexUpdates) > 0 {
		defs := map[string]AttributeDefinition{}
		for _, a := range nd.Attrs {
			defs[a.AttributeName] = a
		}
		for _, a := range in.AttributeDefinitions {
			defs[a.AttributeName] = a
		}
		merged := make([]AttributeDefinition, 0, len(defs))
		for _, a := range defs {
			merged = append(merged, a)
		}
		kinds, err := parseAttrDefs(merged)
		if err != nil {
			return nil, err
		}
		for i, u := range in.GlobalSecondaryIndexUpdates {
			switch {
			case u.Create != nil:
				if nd.index(u.Create.IndexName) != nil {
					return nil, errValidation("One or more parameter values were invalid: Attempting to create an index which already exists")
				}
				ix, err := buildGSI(u.Create, i, kinds, nd.Billing, "globalSecondaryIndexUpdates")
				if err != nil {
					return nil, err
				}
				if countGSIs(nd) >= maxGSIs {
					return nil, errLimit("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of %d", maxGSIs)
				}
				nd.NextIndexID++
				ix.ID, ix.Status, ix.Backfilling = nd.NextIndexID, statusCreating, true
				nd.Indexes = append(nd.Indexes, ix)
				for _, ka := range ix.keyAttrs() {
					if !hasAttrDef(nd.Attrs, ka.Name) {
						nd.Attrs = append(nd.Attrs, AttributeDefinition{AttributeName: ka.Name, AttributeType: ka.Type.String()})
					}
				}
				creates = append(creates, ix.Name)
			case u.Delete != nil:
				ix := nd.index(u.Delete.IndexName)
				if ix == nil || !ix.Global {
					return nil, errResourceNotFound()
				}
				if ix.Status != statusActive {
					return nil, errTableInUse(nd.Name, "updated")
				}
				ix.Status = statusDeleting
				deletes = append(deletes, ix.Name)
			case u.Update != nil:
				ix := nd.index(u.Update.IndexName)
				if ix == nil || !ix.Global {
					return nil, errResourceNotFound()
				}
				if u.Update.ProvisionedThroughput != nil {
					if ix.RCU, ix.WCU, err = validateThroughput(nd.Billing, u.Update.ProvisionedThroughput, "globalSecondaryIndexUpdates.member.update.provisionedThroughput"); err != nil {
						return nil, err
					}
				}
				if u.Update.OnDemandThroughput != nil {
					ix.OnDemand = u.Update.OnDemandThroughput
				}
			default:
				return nil, errValidation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update, or GlobalSecondaryIndexUpdate.Delete must be specified")
			}
		}
	}
	b := s.db.NewBatch()
	defer b.Close()
	s.mu.Lock()
	var opened *streamState
	var closed *streamClose
	if in.StreamSpecification != nil {
		on, view, err := validateStreamSpec(in.StreamSpecification)
		if err != nil {
			s.mu.Unlock()
			return nil, err
		}
		switch {
		case on && d.StreamOn:
			s.mu.Unlock()
			return nil, errValidation("Table already has an enabled stream: TableName: %s", d.Name)
		case !on && !d.StreamOn:
			s.mu.Unlock()
			return nil, errValidation("Table already has stream disabled: TableName: %s", d.Name)
		case on:
			opened = s.newStream(b, nd, view)
		default:
			closed = s.closeStream(b, nd)
		}
	}
	b.Set(s.metaSp, tableMetaKey(nd.Region, nd.Name), marshalDesc(nd))
	if err := b.Commit(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if opened != nil {
		s.streams[opened.desc.Load().ID] = opened
	}
	if closed != nil {
		closed.apply()
	}
	t.desc.Store(nd)
	s.mu.Unlock()
	out := s.describe(t, nd)
	if len(creates) > 0 || len(deletes) > 0 {
		out.TableStatus = statusUpdating
	}
	for _, name := range creates {
		s.goBG(func() { s.backfill(s.bgCtx, t, name) })
	}
	for _, name := range deletes {
		s.goBG(func() { s.finishIndexDelete(s.bgCtx, t, name) })
	}
	return &tableDescriptionOut{TableDescription: out}, nil
}

func countGSIs(d *tableDesc) int {
	n := 0
	for _, ix := range d.Indexes {
		if ix.Global {
			n++
		}
	}
	return n
}

func hasAttrDef(defs []AttributeDefinition, name string) bool {
	for _, a := range defs {
		if a.AttributeName == name {
			return true
		}
	}
	return false
}

// barrier waits until every item write that may have loaded a table
// definition older than the current one has committed: writers load the
// definition after taking their stripe, so taking and releasing every
// stripe in order is enough.
func (s *Service) barrier() {
	for i := range s.locks {
		s.locks[i].Lock()
		s.locks[i].Unlock()
	}
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
