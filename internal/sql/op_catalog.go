package sql

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
)

func checkCatalog(name string) error {
	if name == "" || strings.EqualFold(name, awsDataCatalog) {
		return nil
	}
	return errCatalogNotFound(name)
}

func (s *Service) listDataCatalogs(ctx context.Context, in *pageInput) (*struct {
	DataCatalogsSummary []dataCatalogSummary `json:"DataCatalogsSummary"`
}, error) {
	return &struct {
		DataCatalogsSummary []dataCatalogSummary `json:"DataCatalogsSummary"`
	}{[]dataCatalogSummary{{CatalogName: awsDataCatalog, Type: "GLUE"}}}, nil
}

func (s *Service) getDataCatalog(ctx context.Context, in *catalogInput) (*struct {
	DataCatalog dataCatalogShape `json:"DataCatalog"`
}, error) {
	if in.Name != awsDataCatalog {
		return nil, errInvalid("Catalog %s was not found", in.Name)
	}
	return &struct {
		DataCatalog dataCatalogShape `json:"DataCatalog"`
	}{dataCatalogShape{Name: awsDataCatalog, Description: "AWS Glue Data Catalog", Type: "GLUE",
		Parameters: map[string]string{"catalog-id": accountID}}}, nil
}

func (s *Service) listDatabases(ctx context.Context, in *catalogInput) (*struct {
	DatabaseList []databaseShape `json:"DatabaseList"`
	NextToken    string          `json:"NextToken,omitempty"`
}, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	dbs, err := s.catalog.Databases(ctx, s.regionOf(ctx))
	if err != nil {
		return nil, errInternal(err)
	}
	sort.Strings(dbs)
	start, err := pageStart(in.NextToken, "db")
	if err != nil {
		return nil, err
	}
	max := in.MaxResults
	if max <= 0 || max > 50 {
		max = 50
	}
	out := &struct {
		DatabaseList []databaseShape `json:"DatabaseList"`
		NextToken    string          `json:"NextToken,omitempty"`
	}{DatabaseList: []databaseShape{}}
	for i := start; i < len(dbs); i++ {
		if len(out.DatabaseList) == max {
			out.NextToken = pageToken("db", i)
			break
		}
		out.DatabaseList = append(out.DatabaseList, databaseShape{Name: dbs[i]})
	}
	return out, nil
}

func (s *Service) getDatabase(ctx context.Context, in *catalogInput) (*struct {
	Database databaseShape `json:"Database"`
}, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	dbs, err := s.catalog.Databases(ctx, s.regionOf(ctx))
	if err != nil {
		return nil, errInternal(err)
	}
	for _, d := range dbs {
		if d == in.DatabaseName {
			return &struct {
				Database databaseShape `json:"Database"`
			}{databaseShape{Name: d}}, nil
		}
	}
	return nil, errDatabaseNotFound(in.DatabaseName)
}

// tableMetadata renders a table as Athena's TableMetadata.
func tableMetadata(t *TableDef) tableMetadataShape {
	cols := func(cs []Column) []columnShape {
		out := make([]columnShape, len(cs))
		for i, c := range cs {
			out[i] = columnShape{Name: c.Name, Type: c.Type, Comment: c.Comment}
		}
		return out
	}
	params := map[string]string{"EXTERNAL": "TRUE", "location": t.Location, "classification": t.Format}
	for k, v := range t.Parameters {
		params[k] = v
	}
	switch t.Format {
	case FormatParquet:
		params["inputformat"] = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
		params["outputformat"] = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
		params["serde.serialization.lib"] = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	case FormatJSON:
		params["inputformat"] = "org.apache.hadoop.mapred.TextInputFormat"
		params["outputformat"] = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
		params["serde.serialization.lib"] = "org.openx.data.jsonserde.JsonSerDe"
	default:
		params["inputformat"] = "org.apache.hadoop.mapred.TextInputFormat"
		params["outputformat"] = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
		params["serde.serialization.lib"] = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
		d := t.Delimiter
		if d == "" {
			d = ","
		}
		params["serde.param.field.delim"] = d
	}
	if t.ViewSQL != "" {
		params = map[string]string{"presto_view": "true", "comment": "Presto View"}
	}
	m := tableMetadataShape{Name: t.Name, TableType: "EXTERNAL_TABLE", Columns: cols(t.Columns), PartitionKeys: cols(t.PartitionKeys), Parameters: params}
	if t.ViewSQL != "" {
		m.TableType = "VIRTUAL_VIEW"
	}
	if t.CreateTime != 0 {
		ts := awsjson.Timestamp(msTime(t.CreateTime * 1000))
		m.CreateTime = &ts
	}
	return m
}

func (s *Service) getTableMetadata(ctx context.Context, in *catalogInput) (*struct {
	TableMetadata tableMetadataShape `json:"TableMetadata"`
}, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	t, err := s.catalog.Table(ctx, s.regionOf(ctx), in.DatabaseName, in.TableName)
	switch {
	case errors.Is(err, ErrDatabaseNotFound):
		return nil, errDatabaseNotFound(in.DatabaseName)
	case errors.Is(err, ErrTableNotFound):
		return nil, errTableNotFound(in.DatabaseName, in.TableName)
	case err != nil:
		return nil, errInternal(err)
	}
	return &struct {
		TableMetadata tableMetadataShape `json:"TableMetadata"`
	}{tableMetadata(t)}, nil
}

// likePattern compiles Athena's ListTableMetadata Expression (a Hive
// pattern: * any run, | alternatives) to a regexp.
func likePattern(expr string) (*regexp.Regexp, error) {
	alts := strings.Split(expr, "|")
	for i, a := range alts {
		alts[i] = strings.ReplaceAll(regexp.QuoteMeta(strings.TrimSpace(a)), `\*`, ".*")
	}
	return regexp.Compile("(?i)^(" + strings.Join(alts, "|") + ")$")
}

func (s *Service) listTableMetadata(ctx context.Context, in *catalogInput) (*struct {
	TableMetadataList []tableMetadataShape `json:"TableMetadataList"`
	NextToken         string               `json:"NextToken,omitempty"`
}, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	tables, err := s.catalog.Tables(ctx, s.regionOf(ctx), in.DatabaseName)
	if errors.Is(err, ErrDatabaseNotFound) {
		return nil, errDatabaseNotFound(in.DatabaseName)
	}
	if err != nil {
		return nil, errInternal(err)
	}
	var re *regexp.Regexp
	if in.Expression != "" {
		if re, err = likePattern(in.Expression); err != nil {
			return nil, errInvalid("Invalid Expression %s", in.Expression)
		}
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	max := in.MaxResults
	if max == 0 {
		max = 50
	}
	if max < 0 || max > 50 {
		return nil, errValidation("maxResults", max, "Member must have value less than or equal to 50")
	}
	start, err := pageStart(in.NextToken, "tm")
	if err != nil {
		return nil, err
	}
	out := &struct {
		TableMetadataList []tableMetadataShape `json:"TableMetadataList"`
		NextToken         string               `json:"NextToken,omitempty"`
	}{TableMetadataList: []tableMetadataShape{}}
	n := 0
	for i := range tables {
		if re != nil && !re.MatchString(tables[i].Name) {
			continue
		}
		if n < start {
			n++
			continue
		}
		if len(out.TableMetadataList) == max {
			out.NextToken = pageToken("tm", n)
			break
		}
		out.TableMetadataList = append(out.TableMetadataList, tableMetadata(&tables[i]))
		n++
	}
	return out, nil
}

func (s *Service) listEngineVersions(ctx context.Context, in *pageInput) (*struct {
	EngineVersions []engineVersion `json:"EngineVersions"`
}, error) {
	return &struct {
		EngineVersions []engineVersion `json:"EngineVersions"`
	}{[]engineVersion{{SelectedEngineVersion: "AUTO", EffectiveEngineVersion: engineVersionV3}, {SelectedEngineVersion: engineVersionV3, EffectiveEngineVersion: engineVersionV3}}}, nil
}
