package dynamo

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

func (s *Service) createTable(ctx context.Context, in *createTableInput) (*tableDescriptionOut, error) {
	if err := validateTableName("tableName", in.TableName); err != nil {
		return nil, err
	}
	defs, err := parseAttrDefs(in.AttributeDefinitions)
	if err != nil {
		return nil, err
	}
	if in.KeySchema == nil {
		return nil, errNull("keySchema")
	}
	h, r, err := parseKeySchema(in.KeySchema, defs, "keySchema")
	if err != nil {
		return nil, err
	}
	billing, err := validateBilling(in.BillingMode)
	if err != nil {
		return nil, err
	}
	d := &tableDesc{Region: s.regionOf(ctx), Name: in.TableName, Hash: h, Range: r, Billing: billing,
		Attrs: in.AttributeDefinitions, Class: in.TableClass, OnDemand: in.OnDemandThroughput, SSE: in.SSESpecification}
	if d.RCU, d.WCU, err = validateThroughput(billing, in.ProvisionedThroughput, "provisionedThroughput"); err != nil {
		return nil, err
	}
	switch in.TableClass {
	case "", "STANDARD", "STANDARD_INFREQUENT_ACCESS":
	default:
		return nil, errConstraint(in.TableClass, "tableClass", "Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]")
	}
	used := map[string]bool{h.Name: true}
	if r != nil {
		used[r.Name] = true
	}
	names := map[string]bool{}
	if len(in.LocalSecondaryIndexes) > maxLSIs {
		return nil, errLimit("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of %d", maxLSIs)
	}
	for i := range in.LocalSecondaryIndexes {
		l := &in.LocalSecondaryIndexes[i]
		f := fmt.Sprintf("localSecondaryIndexes.%d.member", i+1)
		if l.IndexName == "" {
			return nil, errNull(f + ".indexName")
		}
		if r == nil {
			return nil, errInvalidParam("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
		}
		lh, lr, err := parseKeySchema(l.KeySchema, defs, f+".keySchema")
		if err != nil {
			return nil, err
		}
		if lh.Name != h.Name {
			return nil, errInvalidParam("Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s", l.IndexName, lh.Name, h.Name)
		}
		if lr == nil {
			return nil, errInvalidParam("Index KeySchema does not have a range key for index: %s", l.IndexName)
		}
		pt, nk, err := parseProjection(l.Projection, f+".projection")
		if err != nil {
			return nil, err
		}
		if names[l.IndexName] {
			return nil, errInvalidParam("Duplicate index name: %s", l.IndexName)
		}
		names[l.IndexName] = true
		used[lr.Name] = true
		d.NextIndexID++
		d.Indexes = append(d.Indexes, indexDesc{Name: l.IndexName, ID: d.NextIndexID, Hash: lh, Range: lr, Projection: pt, NonKey: nk, Status: statusActive})
	}
	if len(in.GlobalSecondaryIndexes) > maxGSIs {
		return nil, errLimit("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of %d", maxGSIs)
	}
	for i := range in.GlobalSecondaryIndexes {
		ix, err := buildGSI(&in.GlobalSecondaryIndexes[i], i, defs, billing, "globalSecondaryIndexes")
		if err != nil {
			return nil, err
		}
		if names[ix.Name] {
			return nil, errInvalidParam("Duplicate index name: %s", ix.Name)
		}
		names[ix.Name] = true
		used[ix.Hash.Name] = true
		if ix.Range != nil {
			used[ix.Range.Name] = true
		}
		d.NextIndexID++
		ix.ID, ix.Status = d.NextIndexID, statusActive
		d.Indexes = append(d.Indexes, ix)
	}
	if len(used) != len(defs) {
		if len(d.Indexes) == 0 {
			return nil, errInvalidParam("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
		}
		var unused []string
		for n := range defs {
			if !used[n] {
				unused = append(unused, n)
			}
		}
		slices.Sort(unused)
		return nil, errInvalidParam("Some AttributeDefinitions are not used. AttributeDefinitions: [%s], keys used: [%s]", strings.Join(sortedKeys(defs), ", "), strings.Join(sortedBool(used), ", "))
	}
	on, view, err := validateStreamSpec(in.StreamSpecification)
	if err != nil {
		return nil, err
	}
	if in.DeletionProtection != nil {
		d.Protected = *in.DeletionProtection
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	d.Tags = mergeTags(nil, in.Tags)
	d.UUID = newUUID()
	d.Created = s.now().UTC()
	d.Status = statusCreating

	s.mu.Lock()
	key := tableMapKey(d.Region, d.Name)
	if _, ok := s.tables[key]; ok {
		s.mu.Unlock()
		return nil, errTableExists(d.Name)
	}
	if n := s.countTables(d.Region); n >= tableLimit {
		s.mu.Unlock()
		return nil, errLimit("Subscriber limit exceeded: Only %d tables can be created per region", tableLimit)
	}
	b := s.db.NewBatch()
	defer b.Close()
	d.ID = s.allocID(b)
	var st *streamState
	if on {
		st = s.newStream(b, d, view)
	}
	b.Set(s.metaSp, tableMetaKey(d.Region, d.Name), marshalDesc(d))
	if err := b.Commit(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	t := newTable(d)
	s.tables[key] = t
	if st != nil {
		s.streams[st.desc.Load().ID] = st
	}
	s.mu.Unlock()
	s.activateLater(t)
	return &tableDescriptionOut{TableDescription: s.describe(t, d)}, nil
}

func (s *Service) countTables(region string) int {
	n := 0
	for k := range s.tables {
		if strings.HasPrefix(k, region+"/") {
			n++
		}
	}
	return n
}

func sortedKeys(m map[string]attr.Kind) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedBool(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
