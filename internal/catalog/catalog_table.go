package catalog

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
)

// GetTable returns table name of database db.
func (s *Service) GetTable(ctx context.Context, region, db, name string) (*Table, error) {
	db, name, err := validDBTable(db, name)
	if err != nil {
		return nil, err
	}
	return s.getTable(s.regionOr(region), db, name)
}

func (s *Service) getTable(region, db, name string) (*Table, error) {
	t, err := getJSON[Table](s.meta, keyTable(region, db, name))
	if isNotFound(err) {
		if err := s.requireDatabase(region, db); err != nil {
			return nil, err
		}
		return nil, errTableNotFound(name)
	}
	return t, err
}

// ListTables returns every table of database db in name order.
func (s *Service) ListTables(ctx context.Context, region, db string) ([]Table, error) {
	db, err := validName("databaseName", db)
	if err != nil {
		return nil, err
	}
	region = s.regionOr(region)
	if err := s.requireDatabase(region, db); err != nil {
		return nil, err
	}
	var out []Table
	_, err = s.listTables(region, db, nil, "", 1<<30, &out)
	return out, err
}

// listTables appends one page of db's tables whose names match re (nil:
// all) to out and returns the next token.
func (s *Service) listTables(region, db string, re *regexp.Regexp, token string, limit int, out *[]Table) (string, error) {
	return page(s.meta, prefixOf('t', region, db), token, limit, func(_, v []byte) (bool, error) {
		var t Table
		if err := json.Unmarshal(v, &t); err != nil {
			return false, err
		}
		if re != nil && !re.MatchString(t.Name) {
			return false, nil
		}
		*out = append(*out, t)
		return true, nil
	})
}

func validDBTable(db, name string) (string, string, error) {
	db, err := validName("databaseName", db)
	if err != nil {
		return "", "", err
	}
	name, err = validName("name", name)
	return db, name, err
}

// CreateTable creates t (Name required) in database db, at version "0".
func (s *Service) CreateTable(ctx context.Context, region, db string, t Table) error {
	db, name, err := validDBTable(db, t.Name)
	if err != nil {
		return err
	}
	if err := validColumns(t); err != nil {
		return err
	}
	region = s.regionOr(region)
	now := s.ts()
	t.Name, t.DatabaseName, t.CatalogId, t.VersionId = name, db, accountID, "0"
	t.CreateTime, t.UpdateTime = now, now
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireDatabase(region, db); err != nil {
		return err
	}
	if _, err := s.meta.Get(keyTable(region, db, name)); err == nil {
		return errTableExists(name)
	} else if !isNotFound(err) {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	v := mustJSON(t)
	b.Set(s.meta, keyTable(region, db, name), v)
	b.Set(s.meta, keyVersion(region, db, name, 0), v)
	return b.Commit()
}

func validColumns(t Table) error {
	seen := map[string]bool{}
	for _, c := range t.PartitionKeys {
		if c.Name == "" {
			return errRequired("tableInput.partitionKeys.member.name")
		}
		seen[c.Name] = true
	}
	if t.StorageDescriptor != nil {
		for _, c := range t.StorageDescriptor.Columns {
			if c.Name == "" {
				return errRequired("tableInput.storageDescriptor.columns.member.name")
			}
		}
	}
	return nil
}

// UpdateTable replaces table t.Name of db with t, archiving the previous
// version (VersionId increments).
func (s *Service) UpdateTable(ctx context.Context, region, db string, t Table) error {
	return s.updateTable(s.regionOr(region), db, t, "", false)
}

// updateTable checks versionID (if given) against the current version
// (ConcurrentModificationException otherwise). With skipArchive the
// previous version is not kept.
func (s *Service) updateTable(region, db string, t Table, versionID string, skipArchive bool) error {
	db, name, err := validDBTable(db, t.Name)
	if err != nil {
		return err
	}
	if err := validColumns(t); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.getTable(region, db, name)
	if err != nil {
		return err
	}
	if versionID != "" && versionID != cur.VersionId {
		return errVersionMismatch(versionID, cur.VersionId)
	}
	v := atoiOr(cur.VersionId, 0)
	t.Name, t.DatabaseName, t.CatalogId = name, db, accountID
	t.CreateTime, t.UpdateTime, t.VersionId = cur.CreateTime, s.ts(), strconv.Itoa(v+1)
	t.IsRegisteredWithLakeFormation = cur.IsRegisteredWithLakeFormation
	b := s.db.NewBatch()
	defer b.Close()
	val := mustJSON(t)
	b.Set(s.meta, keyTable(region, db, name), val)
	if skipArchive {
		b.Delete(s.meta, keyVersion(region, db, name, v))
	}
	b.Set(s.meta, keyVersion(region, db, name, v+1), val)
	return b.Commit()
}

// DeleteTable drops table name of db with its versions and partitions.
func (s *Service) DeleteTable(ctx context.Context, region, db, name string) error {
	db, name, err := validDBTable(db, name)
	if err != nil {
		return err
	}
	region = s.regionOr(region)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteTableLocked(region, db, name)
}

func (s *Service) deleteTableLocked(region, db, name string) error {
	if _, err := s.getTable(region, db, name); err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, keyTable(region, db, name))
	b.Delete(s.meta, keyTags(region, "table/"+db+"/"+name))
	for _, kind := range []byte{'v', 'p'} {
		if err := deletePrefix(s.meta, b, prefixOf(kind, region, db, name)); err != nil {
			return err
		}
	}
	return b.Commit()
}

// tableVersions appends one page of table versions, newest first.
func (s *Service) tableVersions(region, db, name, token string, limit int) ([]TableVersion, string, error) {
	if _, err := s.getTable(region, db, name); err != nil {
		return nil, "", err
	}
	var all []TableVersion
	err := s.meta.Scan(prefixOf('v', region, db, name), nil, func(_, v []byte) (bool, error) {
		var t Table
		if err := json.Unmarshal(v, &t); err != nil {
			return false, err
		}
		all = append(all, TableVersion{Table: &t, VersionId: t.VersionId})
		return true, nil
	})
	if err != nil {
		return nil, "", err
	}
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	start := 0
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 || n > len(all) {
			return nil, "", errBadToken()
		}
		start = n
	}
	end, next := min(start+limit, len(all)), ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return all[start:end], next, nil
}

func (s *Service) tableVersion(region, db, name, version string) (*TableVersion, error) {
	if _, err := s.getTable(region, db, name); err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(version)
	if err != nil || n < 0 {
		return nil, errVersionNotFound(name, version)
	}
	t, err := getJSON[Table](s.meta, keyVersion(region, db, name, n))
	if isNotFound(err) {
		return nil, errVersionNotFound(name, version)
	}
	if err != nil {
		return nil, err
	}
	return &TableVersion{Table: t, VersionId: t.VersionId}, nil
}

// deleteTableVersion removes an archived version; the current one cannot
// be deleted.
func (s *Service) deleteTableVersion(region, db, name, version string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.getTable(region, db, name)
	if err != nil {
		return err
	}
	if version == cur.VersionId {
		return errInvalid("Cannot delete the current version %s of table %s.", version, name)
	}
	if _, err := s.tableVersion(region, db, name, version); err != nil {
		return err
	}
	n, _ := strconv.Atoi(version)
	return s.meta.Delete(keyVersion(region, db, name, n))
}
