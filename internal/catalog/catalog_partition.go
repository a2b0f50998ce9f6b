package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// GetPartitions returns every partition of table db.table in key order.
func (s *Service) GetPartitions(ctx context.Context, region, db, table string) ([]Partition, error) {
	db, table, err := validDBTable(db, table)
	if err != nil {
		return nil, err
	}
	region = s.regionOr(region)
	if _, err := s.getTable(region, db, table); err != nil {
		return nil, err
	}
	var out []Partition
	_, err = s.listPartitions(region, db, table, nil, "", 1<<30, &out)
	return out, err
}

// FilterPartitions returns the partitions of db.table that satisfy a
// GetPartitions Expression (see partexpr.go), for partition pruning; an
// empty expression returns all.
func (s *Service) FilterPartitions(ctx context.Context, region, db, table, expression string) ([]Partition, error) {
	db, table, err := validDBTable(db, table)
	if err != nil {
		return nil, err
	}
	region = s.regionOr(region)
	t, err := s.getTable(region, db, table)
	if err != nil {
		return nil, err
	}
	var f *partFilter
	if strings.TrimSpace(expression) != "" {
		if f, err = compilePartFilter(expression, t.PartitionKeys); err != nil {
			return nil, err
		}
	}
	var out []Partition
	_, err = s.listPartitions(region, db, table, f, "", 1<<30, &out)
	return out, err
}

// DeletePartitions deletes the partitions with the given value lists in
// one batch; missing ones are ignored.
func (s *Service) DeletePartitions(ctx context.Context, region, db, table string, values [][]string) error {
	db, table, err := validDBTable(db, table)
	if err != nil {
		return err
	}
	errs, err := s.deletePartitions(s.regionOr(region), db, table, values)
	if err != nil {
		return err
	}
	for _, e := range errs {
		if e != nil && !errors.Is(e, ErrNotFound) {
			return e
		}
	}
	return nil
}

// AddPartitions creates the partitions of parts that do not exist yet;
// existing ones are left untouched. All in one atomic batch.
func (s *Service) AddPartitions(ctx context.Context, region, db, table string, parts []Partition) error {
	db, table, err := validDBTable(db, table)
	if err != nil {
		return err
	}
	in := make([]PartitionInput, len(parts))
	for i, p := range parts {
		in[i] = PartitionInput{Values: p.Values, LastAccessTime: p.LastAccessTime, LastAnalyzedTime: p.LastAnalyzedTime,
			StorageDescriptor: p.StorageDescriptor, Parameters: p.Parameters}
	}
	errs, err := s.createPartitions(s.regionOr(region), db, table, in, true)
	if err != nil {
		return err
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// createPartitions creates each input, returning one error per entry (nil
// for created ones; with skipExisting an existing partition is no error).
// The created ones commit in one batch; err is for failures of the call.
func (s *Service) createPartitions(region, db, table string, in []PartitionInput, skipExisting bool) ([]error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.getTable(region, db, table)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(in))
	b := s.db.NewBatch()
	defer b.Close()
	seen := map[string]bool{}
	now := s.ts()
	for i, pi := range in {
		if len(pi.Values) != len(t.PartitionKeys) {
			errs[i] = errPartitionValues()
			continue
		}
		k := keyPartition(region, db, table, pi.Values)
		if _, err := s.meta.Get(k); err == nil || seen[string(k)] {
			if !skipExisting {
				errs[i] = errPartitionExists()
			}
			continue
		} else if !isNotFound(err) {
			return nil, err
		}
		seen[string(k)] = true
		p := pi.partition()
		p.DatabaseName, p.TableName, p.CatalogId, p.CreationTime = db, table, accountID, now
		b.Set(s.meta, k, mustJSON(p))
	}
	if b.Empty() {
		return errs, nil
	}
	return errs, b.Commit()
}

// getPartition returns the partition of db.table with values.
func (s *Service) getPartition(region, db, table string, values []string) (*Partition, error) {
	t, err := s.getTable(region, db, table)
	if err != nil {
		return nil, err
	}
	if len(values) != len(t.PartitionKeys) {
		return nil, errPartitionNotFound()
	}
	p, err := getJSON[Partition](s.meta, keyPartition(region, db, table, values))
	if isNotFound(err) {
		return nil, errPartitionNotFound()
	}
	return p, err
}

// listPartitions appends one page of partitions matching f (nil: all).
func (s *Service) listPartitions(region, db, table string, f *partFilter, token string, limit int, out *[]Partition) (string, error) {
	prefix := prefixOf('p', region, db, table)
	return page(s.meta, prefix, token, limit, func(k, v []byte) (bool, error) {
		if f != nil && !f.match(partValues(k[len(prefix):])) { // filter before decoding
			return false, nil
		}
		var p Partition
		if err := json.Unmarshal(v, &p); err != nil {
			return false, err
		}
		*out = append(*out, p)
		return true, nil
	})
}

// updatePartition replaces the partition with values by in (which may
// carry new values: the partition moves).
func (s *Service) updatePartition(region, db, table string, values []string, in PartitionInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.updatePartitionLocked(b, region, db, table, values, in); err != nil {
		return err
	}
	return b.Commit()
}

func (s *Service) updatePartitionLocked(b *kv.Batch, region, db, table string, values []string, in PartitionInput) error {
	cur, err := s.getPartition(region, db, table, values)
	if err != nil {
		return err
	}
	if len(in.Values) == 0 {
		in.Values = values
	}
	if len(in.Values) != len(values) {
		return errPartitionValues()
	}
	old, k := keyPartition(region, db, table, values), keyPartition(region, db, table, in.Values)
	if string(old) != string(k) {
		if _, err := s.meta.Get(k); err == nil {
			return errPartitionExists()
		}
		b.Delete(s.meta, old)
	}
	p := in.partition()
	p.DatabaseName, p.TableName, p.CatalogId, p.CreationTime = db, table, accountID, cur.CreationTime
	b.Set(s.meta, k, mustJSON(p))
	return nil
}

// deletePartitions deletes each value list, one error per entry; the
// deletions commit in one batch.
func (s *Service) deletePartitions(region, db, table string, lists [][]string) ([]error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.getTable(region, db, table); err != nil {
		return nil, err
	}
	errs := make([]error, len(lists))
	b := s.db.NewBatch()
	defer b.Close()
	for i, vals := range lists {
		if _, err := s.getPartition(region, db, table, vals); err != nil {
			errs[i] = err
			continue
		}
		b.Delete(s.meta, keyPartition(region, db, table, vals))
	}
	if b.Empty() {
		return errs, nil
	}
	return errs, b.Commit()
}
