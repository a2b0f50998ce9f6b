package catalog

import (
	"context"
	"encoding/json"
	"strings"
)

type createDatabaseInput struct {
	CatalogId     string            `json:"CatalogId"`
	DatabaseInput *DatabaseInput    `json:"DatabaseInput"`
	Tags          map[string]string `json:"Tags"`
}

func (s *Service) opCreateDatabase(ctx context.Context, in *createDatabaseInput) (*struct{}, error) {
	if in.DatabaseInput == nil {
		return nil, errRequired("databaseInput")
	}
	d, region := in.DatabaseInput, s.regionOf(ctx)
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	if err := s.CreateDatabase(ctx, region, Database{Name: d.Name, Description: d.Description,
		LocationUri: d.LocationUri, Parameters: d.Parameters, CreateTableDefaultPermissions: d.CreateTableDefaultPermissions,
		TargetDatabase: d.TargetDatabase, FederatedDatabase: d.FederatedDatabase}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return nil, s.addTags(region, "database/"+strings.ToLower(d.Name), in.Tags)
}

type nameInput struct {
	CatalogId string `json:"CatalogId"`
	Name      string `json:"Name"`
}

type getDatabaseOutput struct {
	Database *Database `json:"Database"`
}

func (s *Service) opGetDatabase(ctx context.Context, in *nameInput) (*getDatabaseOutput, error) {
	d, err := s.GetDatabase(ctx, s.regionOf(ctx), in.Name)
	if err != nil {
		return nil, err
	}
	return &getDatabaseOutput{Database: d}, nil
}

type getDatabasesInput struct {
	CatalogId         string `json:"CatalogId"`
	MaxResults        *int   `json:"MaxResults"`
	NextToken         string `json:"NextToken"`
	ResourceShareType string `json:"ResourceShareType"`
}

type getDatabasesOutput struct {
	DatabaseList []Database `json:"DatabaseList"`
	NextToken    string     `json:"NextToken,omitempty"`
}

func (s *Service) opGetDatabases(ctx context.Context, in *getDatabasesInput) (*getDatabasesOutput, error) {
	limit, err := pageSize("maxResults", in.MaxResults, maxDatabasesPage)
	if err != nil {
		return nil, err
	}
	out := &getDatabasesOutput{DatabaseList: []Database{}}
	out.NextToken, err = page(s.meta, prefixOf('d', s.regionOf(ctx)), in.NextToken, limit, func(_, v []byte) (bool, error) {
		var d Database
		if err := json.Unmarshal(v, &d); err != nil {
			return false, err
		}
		out.DatabaseList = append(out.DatabaseList, d)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type updateDatabaseInput struct {
	CatalogId     string         `json:"CatalogId"`
	Name          string         `json:"Name"`
	DatabaseInput *DatabaseInput `json:"DatabaseInput"`
}

func (s *Service) opUpdateDatabase(ctx context.Context, in *updateDatabaseInput) (*struct{}, error) {
	name, err := validName("name", in.Name)
	if err != nil {
		return nil, err
	}
	if in.DatabaseInput == nil {
		return nil, errRequired("databaseInput")
	}
	return nil, s.updateDatabase(s.regionOf(ctx), name, *in.DatabaseInput)
}

func (s *Service) opDeleteDatabase(ctx context.Context, in *nameInput) (*struct{}, error) {
	return nil, s.DeleteDatabase(ctx, s.regionOf(ctx), in.Name)
}
