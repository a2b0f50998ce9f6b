package dynamo

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// activateLater turns a CREATING table ACTIVE after the activation delay,
// asynchronously, as DynamoDB does. Item operations are accepted while the
// table is CREATING (its storage is ready at once).
func (s *Service) activateLater(t *table) {
	s.goBG(func() {
		if s.actDelay > 0 {
			time.Sleep(s.actDelay)
		}
		t.admin.Lock()
		defer t.admin.Unlock()
		d := t.desc.Load()
		if d.Status != statusCreating || s.lookup(d.Region, d.Name) != t {
			return
		}
		nd := d.clone()
		nd.Status = statusActive
		if err := s.publish(t, nd); err != nil {
			s.log.Error("activate table", "table", d.Name, "err", err)
		}
	})
}

func (s *Service) describeTable(ctx context.Context, in *tableNameInput) (*describeTableOut, error) {
	t, d, err := s.tableForAdmin(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	return &describeTableOut{Table: s.describe(t, d)}, nil
}

// tableForAdmin resolves a control-plane TableName; a missing table names
// itself in the message, as DescribeTable and DeleteTable do.
func (s *Service) tableForAdmin(ctx context.Context, name string) (*table, *tableDesc, error) {
	if name == "" {
		return nil, nil, errNull("tableName")
	}
	t, d, err := s.tableFor(ctx, name)
	if err != nil {
		return nil, nil, errTableNotFound(name)
	}
	return t, d, nil
}

func (s *Service) listTables(ctx context.Context, in *listTablesInput) (*listTablesOut, error) {
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 100 {
			return nil, errConstraint(*in.Limit, "limit", "Member must have value less than or equal to 100, Member must have value greater than or equal to 1")
		}
		limit = *in.Limit
	}
	region := s.regionOf(ctx)
	s.mu.RLock()
	var names []string
	for k := range s.tables {
		if n, ok := strings.CutPrefix(k, region+"/"); ok && n > in.ExclusiveStartTableName {
			names = append(names, n)
		}
	}
	s.mu.RUnlock()
	slices.Sort(names)
	out := &listTablesOut{TableNames: names}
	if len(names) > limit {
		out.TableNames = names[:limit]
		out.LastEvaluatedTableName = names[limit-1]
	}
	if out.TableNames == nil {
		out.TableNames = []string{}
	}
	return out, nil
}

// deleteTable removes the table's definition, items and index entries in
// one batch and disables its stream (whose records stay readable for the
// retention). The answer says DELETING, as DynamoDB's does; the table is
// gone for every later request.
func (s *Service) deleteTable(ctx context.Context, in *tableNameInput) (*tableDescriptionOut, error) {
	t, _, err := s.tableForAdmin(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	d := t.desc.Load()
	if s.lookup(d.Region, d.Name) != t {
		return nil, errTableNotFound(in.TableName)
	}
	if d.Protected {
		return nil, errDeletionProtected(d.arn())
	}
	if d.Status == statusCreating || d.Status == statusUpdating {
		return nil, errTableInUse(d.Name, strings.ToLower(d.Status))
	}
	out := s.describe(t, d)
	out.TableStatus = statusDeleting
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.metaSp, tableMetaKey(d.Region, d.Name))
	p := tablePrefix(d.ID)
	b.DeleteRange(s.itemSp, p, kv.PrefixEnd(p))
	b.DeleteRange(s.idxSp, p, kv.PrefixEnd(p))
	b.DeleteRange(s.ttlSp, p, kv.PrefixEnd(p))
	nd := d.clone()
	nd.Status = statusDeleting
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.closeStream(b, nd)
	if err := b.Commit(); err != nil {
		return nil, err
	}
	if st != nil {
		st.apply()
	}
	delete(s.tables, tableMapKey(d.Region, d.Name))
	t.desc.Store(nd)
	// A write that checked the table before it went away may still commit:
	// once every such write is done (barrier), delete its leftovers.
	s.goBG(func() {
		s.barrier()
		b := s.db.NewBatch()
		b.DeleteRange(s.itemSp, p, kv.PrefixEnd(p))
		b.DeleteRange(s.idxSp, p, kv.PrefixEnd(p))
		b.DeleteRange(s.ttlSp, p, kv.PrefixEnd(p))
		if err := b.Commit(); err != nil {
			s.log.Warn("delete table leftovers", "table", d.Name, "err", err)
		}
	})
	return &tableDescriptionOut{TableDescription: out}, nil
}

func (s *Service) describeLimits(ctx context.Context, _ *struct{}) (*describeLimitsOut, error) {
	return &describeLimitsOut{AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000,
		TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000}, nil
}

func (s *Service) describeEndpoints(ctx context.Context, _ *struct{}) (*describeEndpointsOut, error) {
	addr := s.endpoint
	if addr == "" {
		addr = "dynamodb." + s.regionOf(ctx) + ".amazonaws.com"
	}
	return &describeEndpointsOut{Endpoints: []Endpoint{{Address: addr, CachePeriodInMinutes: 1440}}}, nil
}
