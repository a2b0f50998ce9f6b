package catalog

import (
	"context"
	"encoding/json"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The catalog's Go API (region "" means Options.Region). Handlers and the
// platform's adapters both call it; its errors are the Glue API's
// (errors.Is(err, ErrNotFound), errors.Is(err, ErrAlreadyExists)). Names
// are case-insensitive: Glue folds database and table names to lowercase.

func (s *Service) ts() *awsjson.Timestamp {
	t := awsjson.Timestamp(s.now().UTC())
	return &t
}

// GetDatabase returns the database name of region.
func (s *Service) GetDatabase(ctx context.Context, region, name string) (*Database, error) {
	name, err := validName("name", name)
	if err != nil {
		return nil, err
	}
	d, err := getJSON[Database](s.meta, keyDatabase(s.regionOr(region), name))
	if isNotFound(err) {
		return nil, errDatabaseNotFound(name)
	}
	return d, err
}

// ListDatabases returns every database of region in name order.
func (s *Service) ListDatabases(ctx context.Context, region string) ([]Database, error) {
	var out []Database
	err := s.meta.Scan(prefixOf('d', s.regionOr(region)), nil, func(_, v []byte) (bool, error) {
		var d Database
		if err := json.Unmarshal(v, &d); err != nil {
			return false, err
		}
		out = append(out, d)
		return true, nil
	})
	return out, err
}

// CreateDatabase creates d (Name required) in region.
func (s *Service) CreateDatabase(ctx context.Context, region string, d Database) error {
	name, err := validName("databaseInput.name", d.Name)
	if err != nil {
		return err
	}
	region = s.regionOr(region)
	d.Name, d.CatalogId, d.CreateTime = name, accountID, s.ts()
	if len(d.CreateTableDefaultPermissions) == 0 {
		d.CreateTableDefaultPermissions = []PrincipalPermissions{{
			Principal:   &DataLakePrincipal{DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS"},
			Permissions: []string{"ALL"}}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.meta.Get(keyDatabase(region, name)); err == nil {
		return errDatabaseExists(name)
	} else if !isNotFound(err) {
		return err
	}
	return s.meta.Set(keyDatabase(region, name), mustJSON(d))
}

// updateDatabase replaces the writable fields of database name.
func (s *Service) updateDatabase(region, name string, in DatabaseInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := getJSON[Database](s.meta, keyDatabase(region, name))
	if isNotFound(err) {
		return errDatabaseNotFound(name)
	}
	if err != nil {
		return err
	}
	d.Description, d.LocationUri, d.Parameters = in.Description, in.LocationUri, in.Parameters
	d.TargetDatabase, d.FederatedDatabase = in.TargetDatabase, in.FederatedDatabase
	if len(in.CreateTableDefaultPermissions) > 0 {
		d.CreateTableDefaultPermissions = in.CreateTableDefaultPermissions
	}
	return s.meta.Set(keyDatabase(region, name), mustJSON(d))
}

// DeleteDatabase drops database name with its tables, their versions and
// partitions, in one atomic batch.
func (s *Service) DeleteDatabase(ctx context.Context, region, name string) error {
	name, err := validName("name", name)
	if err != nil {
		return err
	}
	region = s.regionOr(region)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.meta.Get(keyDatabase(region, name)); isNotFound(err) {
		return errDatabaseNotFound(name)
	} else if err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, keyDatabase(region, name))
	for _, kind := range []byte{'t', 'v', 'p'} {
		if err := deletePrefix(s.meta, b, prefixOf(kind, region, name)); err != nil {
			return err
		}
	}
	b.Delete(s.meta, keyTags(region, "database/"+name))
	if err := deletePrefix(s.meta, b, keyTags(region, "table/"+name+"/")); err != nil {
		return err
	}
	return b.Commit()
}

// requireDatabase answers EntityNotFoundException unless db exists.
func (s *Service) requireDatabase(region, db string) error {
	if _, err := s.meta.Get(keyDatabase(region, db)); isNotFound(err) {
		return errDatabaseNotFound(db)
	} else if err != nil {
		return err
	}
	return nil
}
