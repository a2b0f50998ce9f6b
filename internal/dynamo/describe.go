package dynamo

import (
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// describe renders a TableDescription of d with t's statistics.
func (s *Service) describe(t *table, d *tableDesc) *TableDescription {
	td := &TableDescription{
		AttributeDefinitions: d.Attrs, TableName: d.Name, KeySchema: keySchemaOf(d.Hash, d.Range),
		TableStatus: d.Status, CreationDateTime: awsjson.Timestamp(d.Created),
		TableSizeBytes: max(t.bytes.Load(), 0), ItemCount: max(t.items.Load(), 0),
		TableArn: d.arn(), TableId: d.UUID, DeletionProtectionEnabled: d.Protected,
	}
	if d.Billing == "PAY_PER_REQUEST" {
		td.BillingModeSummary = &BillingModeSummary{BillingMode: "PAY_PER_REQUEST", LastUpdateToPayPerRequestDateTime: tsPtr(d.BillingSet, d.Created)}
		td.ProvisionedThroughput = &ProvisionedThroughputDescription{}
		td.OnDemandThroughput = onDemandOrDefault(d.OnDemand)
	} else {
		td.ProvisionedThroughput = &ProvisionedThroughputDescription{ReadCapacityUnits: d.RCU, WriteCapacityUnits: d.WCU}
		if d.BillingSet != nil {
			td.BillingModeSummary = &BillingModeSummary{BillingMode: "PROVISIONED"}
		}
	}
	if d.Class != "" {
		td.TableClassSummary = &TableClassSummary{TableClass: d.Class}
	}
	if d.SSE != nil && d.SSE.Enabled != nil && *d.SSE.Enabled {
		typ := d.SSE.SSEType
		if typ == "" {
			typ = "KMS"
		}
		td.SSEDescription = &SSEDescription{Status: "ENABLED", SSEType: typ,
			KMSMasterKeyArn: "arn:aws:kms:" + d.Region + ":" + accountID + ":key/aws/dynamodb"}
	}
	for i := range d.Indexes {
		ix := &d.Indexes[i]
		st := t.stats(ix.ID)
		id := IndexDescription{IndexName: ix.Name, KeySchema: keySchemaOf(ix.Hash, ix.Range),
			Projection:     &Projection{ProjectionType: ix.Projection, NonKeyAttributes: ix.NonKey},
			IndexSizeBytes: max(st.bytes.Load(), 0), ItemCount: max(st.items.Load(), 0),
			IndexArn: d.arn() + "/index/" + ix.Name}
		if !ix.Global {
			td.LocalSecondaryIndexes = append(td.LocalSecondaryIndexes, id)
			continue
		}
		id.IndexStatus = ix.Status
		bf := ix.Backfilling
		if ix.Status == statusCreating {
			id.Backfilling = &bf
		}
		if d.Billing == "PAY_PER_REQUEST" {
			id.ProvisionedThroughput = &ProvisionedThroughputDescription{}
			id.OnDemandThroughput = onDemandOrDefault(ix.OnDemand)
		} else {
			id.ProvisionedThroughput = &ProvisionedThroughputDescription{ReadCapacityUnits: ix.RCU, WriteCapacityUnits: ix.WCU}
		}
		td.GlobalSecondaryIndexes = append(td.GlobalSecondaryIndexes, id)
	}
	if d.StreamID != 0 {
		s.mu.RLock()
		st := s.streams[d.StreamID]
		s.mu.RUnlock()
		if st != nil {
			sd := st.desc.Load()
			td.LatestStreamArn, td.LatestStreamLabel = sd.arn(), sd.Label
		}
		if d.StreamOn {
			on := true
			td.StreamSpecification = &StreamSpecification{StreamEnabled: &on, StreamViewType: d.StreamView}
		}
	}
	return td
}

func keySchemaOf(h keyAttr, r *keyAttr) []KeySchemaElement {
	ks := []KeySchemaElement{{AttributeName: h.Name, KeyType: "HASH"}}
	if r != nil {
		ks = append(ks, KeySchemaElement{AttributeName: r.Name, KeyType: "RANGE"})
	}
	return ks
}

func tsPtr(t *time.Time, def time.Time) *awsjson.Timestamp {
	v := def
	if t != nil {
		v = *t
	}
	ts := awsjson.Timestamp(v)
	return &ts
}

func onDemandOrDefault(o *OnDemandThroughput) *OnDemandThroughput {
	if o != nil {
		return o
	}
	m := int64(-1)
	return &OnDemandThroughput{MaxReadRequestUnits: &m, MaxWriteRequestUnits: &m}
}
