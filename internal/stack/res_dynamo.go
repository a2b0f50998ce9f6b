package stack

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func (t *Table) billing() string { return or(t.BillingMode, "PAY_PER_REQUEST") }

func keysString(ks []KeyElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = k.AttributeName + " " + k.KeyType
	}
	return strings.Join(parts, ", ")
}

func haveKeys(ks []dtypes.KeySchemaElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = aws.ToString(k.AttributeName) + " " + string(k.KeyType)
	}
	return strings.Join(parts, ", ")
}

func keySchema(ks []KeyElement) []dtypes.KeySchemaElement {
	out := make([]dtypes.KeySchemaElement, len(ks))
	for i, k := range ks {
		out[i] = dtypes.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: dtypes.KeyType(k.KeyType)}
	}
	return out
}

// attrs returns the attribute definitions the key schemas use (DynamoDB
// refuses definitions no key uses, so the file may list more).
func (t *Table) attrs(keys ...[]KeyElement) []dtypes.AttributeDefinition {
	used := map[string]bool{}
	for _, ks := range keys {
		for _, k := range ks {
			used[k.AttributeName] = true
		}
	}
	var out []dtypes.AttributeDefinition
	for _, a := range t.AttributeDefinitions {
		if used[a.AttributeName] {
			out = append(out, dtypes.AttributeDefinition{AttributeName: aws.String(a.AttributeName), AttributeType: dtypes.ScalarAttributeType(a.AttributeType)})
		}
	}
	return out
}

func throughput(p *Throughput) *dtypes.ProvisionedThroughput {
	if p == nil {
		return nil
	}
	return &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(int64(p.ReadCapacityUnits)), WriteCapacityUnits: aws.Int64(int64(p.WriteCapacityUnits))}
}

func (g *GlobalIndex) sdk(billing string) dtypes.GlobalSecondaryIndex {
	p := dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}
	if g.Projection != nil && g.Projection.ProjectionType != "" {
		p = dtypes.Projection{ProjectionType: dtypes.ProjectionType(g.Projection.ProjectionType), NonKeyAttributes: g.Projection.NonKeyAttributes}
	}
	out := dtypes.GlobalSecondaryIndex{IndexName: aws.String(g.IndexName), KeySchema: keySchema(g.KeySchema), Projection: &p}
	if billing == "PROVISIONED" {
		out.ProvisionedThroughput = throughput(g.ProvisionedThroughput)
		if out.ProvisionedThroughput == nil {
			out.ProvisionedThroughput = &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}
		}
	}
	return out
}

func (t *Table) streamSpec() (bool, string) {
	if t.StreamSpecification == nil || !t.StreamSpecification.StreamEnabled {
		return false, ""
	}
	return true, t.StreamSpecification.StreamViewType
}

func (t *Table) ttl() (string, bool) {
	if t.TTL == nil {
		return "", false
	}
	return t.TTL.AttributeName, t.TTL.Enabled == nil || *t.TTL.Enabled
}

// waitTable waits until the table and its indexes are ACTIVE.
func (e *env) waitTable(ctx context.Context, name string) (*dtypes.TableDescription, error) {
	var td *dtypes.TableDescription
	err := e.poll(ctx, "table "+name+" to be ACTIVE", func(ctx context.Context) (bool, error) {
		out, err := e.c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return false, err
		}
		td = out.Table
		if td.TableStatus != dtypes.TableStatusActive {
			return false, nil
		}
		for _, g := range td.GlobalSecondaryIndexes {
			if g.IndexStatus != dtypes.IndexStatusActive {
				return false, nil
			}
		}
		return true, nil
	})
	return td, err
}

// tableStreamARN is the latest stream ARN of the named table.
func (e *env) tableStreamARN(ctx context.Context, name string) (string, error) {
	out, err := e.c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		if e.dryRun && isNotFound(err) {
			return e.arn("dynamodb", "table/"+name+"/stream/(new)"), nil
		}
		return "", err
	}
	if out.Table.LatestStreamArn == nil {
		if e.dryRun {
			return e.arn("dynamodb", "table/"+name+"/stream/(new)"), nil
		}
		return "", fmt.Errorf("table %s has no stream: set stream_specification", name)
	}
	return aws.ToString(out.Table.LatestStreamArn), nil
}

func (t *Table) plan(ctx context.Context, e *env) (step, error) {
	out, err := e.c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(t.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error { return t.create(ctx, e) }}, nil
	}
	if err != nil {
		return step{}, err
	}
	td := out.Table
	if td.TableStatus != dtypes.TableStatusActive && !e.dryRun {
		if td, err = e.waitTable(ctx, t.Name); err != nil {
			return step{}, err
		}
	}
	var replace diff
	replace.str("key_schema", haveKeys(td.KeySchema), keysString(t.KeySchema))
	have := map[string]dtypes.GlobalSecondaryIndexDescription{}
	for _, g := range td.GlobalSecondaryIndexes {
		have[aws.ToString(g.IndexName)] = g
	}
	var newIdx []GlobalIndex
	for i, g := range t.GlobalSecondaryIndexes {
		h, ok := have[g.IndexName]
		if !ok {
			newIdx = append(newIdx, g)
			continue
		}
		replace.str(fmt.Sprintf("global_secondary_indexes[%d].key_schema", i), haveKeys(h.KeySchema), keysString(g.KeySchema))
	}
	if len(replace) > 0 {
		return step{change: Change{Action: Replace, Fields: replace}}, nil
	}
	var d diff
	haveBilling := "PROVISIONED"
	if td.BillingModeSummary != nil && td.BillingModeSummary.BillingMode != "" {
		haveBilling = string(td.BillingModeSummary.BillingMode)
	}
	d.str("billing_mode", haveBilling, t.billing())
	billingChanged := len(d) > 0
	if p := t.ProvisionedThroughput; p != nil && td.ProvisionedThroughput != nil {
		r, w := int(aws.ToInt64(td.ProvisionedThroughput.ReadCapacityUnits)), int(aws.ToInt64(td.ProvisionedThroughput.WriteCapacityUnits))
		d.num("provisioned_throughput.read_capacity_units", r, p.ReadCapacityUnits)
		d.num("provisioned_throughput.write_capacity_units", w, p.WriteCapacityUnits)
		billingChanged = len(d) > 0
	}
	for _, g := range newIdx {
		d.str("global_secondary_indexes", "", "+"+g.IndexName)
	}
	wantOn, wantView := t.streamSpec()
	haveOn, haveView := false, ""
	if ss := td.StreamSpecification; ss != nil && aws.ToBool(ss.StreamEnabled) {
		haveOn, haveView = true, string(ss.StreamViewType)
	}
	d.str("stream_specification", streamString(haveOn, haveView), streamString(wantOn, wantView))
	wantAttr, wantTTL := t.ttl()
	ttlOut, err := e.c.DynamoDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(t.Name)})
	if err != nil {
		return step{}, err
	}
	haveAttr, haveTTL := "", false
	if ttd := ttlOut.TimeToLiveDescription; ttd != nil {
		haveAttr = aws.ToString(ttd.AttributeName)
		haveTTL = ttd.TimeToLiveStatus == dtypes.TimeToLiveStatusEnabled || ttd.TimeToLiveStatus == dtypes.TimeToLiveStatusEnabling
	}
	if t.TTL != nil || haveTTL {
		d.str("ttl", ttlString(haveAttr, haveTTL), ttlString(wantAttr, wantTTL))
	}
	return updateOrSame(d, func(ctx context.Context) error {
		if billingChanged {
			in := &dynamodb.UpdateTableInput{TableName: aws.String(t.Name), BillingMode: dtypes.BillingMode(t.billing()),
				ProvisionedThroughput: throughput(t.ProvisionedThroughput)}
			if err := e.updateTable(ctx, in); err != nil {
				return err
			}
		}
		for _, g := range newIdx {
			create := g.sdk(t.billing())
			in := &dynamodb.UpdateTableInput{TableName: aws.String(t.Name), AttributeDefinitions: t.attrs(t.KeySchema, g.KeySchema),
				GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{
					IndexName: create.IndexName, KeySchema: create.KeySchema, Projection: create.Projection, ProvisionedThroughput: create.ProvisionedThroughput}}}}
			if err := e.updateTable(ctx, in); err != nil {
				return err
			}
		}
		if haveOn != wantOn || haveView != wantView {
			if haveOn { // a view type change is a disable then an enable
				if err := e.updateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(t.Name),
					StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(false)}}); err != nil {
					return err
				}
			}
			if wantOn {
				if err := e.updateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(t.Name),
					StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewType(wantView)}}); err != nil {
					return err
				}
			}
		}
		return t.setTTL(ctx, e, haveAttr, haveTTL)
	}), nil
}

func streamString(on bool, view string) string {
	if !on {
		return "disabled"
	}
	return view
}

func ttlString(attr string, on bool) string {
	if !on {
		return "disabled"
	}
	return attr
}

func (e *env) updateTable(ctx context.Context, in *dynamodb.UpdateTableInput) error {
	if _, err := e.c.DynamoDB.UpdateTable(ctx, in); err != nil {
		return err
	}
	_, err := e.waitTable(ctx, aws.ToString(in.TableName))
	return err
}

func (t *Table) create(ctx context.Context, e *env) error {
	keys := [][]KeyElement{t.KeySchema}
	for _, g := range t.GlobalSecondaryIndexes {
		keys = append(keys, g.KeySchema)
	}
	in := &dynamodb.CreateTableInput{TableName: aws.String(t.Name), AttributeDefinitions: t.attrs(keys...), KeySchema: keySchema(t.KeySchema),
		BillingMode: dtypes.BillingMode(t.billing()), ProvisionedThroughput: throughput(t.ProvisionedThroughput)}
	for _, g := range t.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, g.sdk(t.billing()))
	}
	if on, view := t.streamSpec(); on {
		in.StreamSpecification = &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewType(view)}
	}
	if _, err := e.c.DynamoDB.CreateTable(ctx, in); err != nil {
		return err
	}
	if _, err := e.waitTable(ctx, t.Name); err != nil {
		return err
	}
	return t.setTTL(ctx, e, "", false)
}

func (t *Table) setTTL(ctx context.Context, e *env, haveAttr string, haveOn bool) error {
	wantAttr, wantOn := t.ttl()
	if t.TTL == nil && !haveOn || haveAttr == wantAttr && haveOn == wantOn || !haveOn && !wantOn {
		return nil
	}
	attr := wantAttr
	if !wantOn {
		attr = haveAttr
	} else if haveOn && haveAttr != wantAttr { // AWS changes the attribute by disabling first
		if _, err := e.c.DynamoDB.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(t.Name),
			TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{AttributeName: aws.String(haveAttr), Enabled: aws.Bool(false)}}); err != nil {
			return err
		}
	}
	_, err := e.c.DynamoDB.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(t.Name),
		TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{AttributeName: aws.String(attr), Enabled: aws.Bool(wantOn)}})
	return err
}
