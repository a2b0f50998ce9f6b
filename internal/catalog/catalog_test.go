package catalog

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func parquetSD(loc string, cols ...string) *types.StorageDescriptor {
	sd := &types.StorageDescriptor{Location: aws.String(loc),
		InputFormat:  aws.String(ParquetInputFormat),
		OutputFormat: aws.String(ParquetOutputFormat),
		SerdeInfo:    &types.SerDeInfo{SerializationLibrary: aws.String(ParquetSerDe), Parameters: map[string]string{"serialization.format": "1"}}}
	for i := 0; i+1 < len(cols); i += 2 {
		sd.Columns = append(sd.Columns, types.Column{Name: aws.String(cols[i]), Type: aws.String(cols[i+1])})
	}
	return sd
}

func TestDatabases(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	for i := range 5 {
		if _, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{
			Name: aws.String(fmt.Sprintf("DB%d", i)), Description: aws.String("d"), Parameters: map[string]string{"k": "v"}}}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("db0")}})
	wantCode(t, err, "AlreadyExistsException")
	got, err := c.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("Db3")})
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Database; *d.Name != "db3" || *d.Description != "d" || d.Parameters["k"] != "v" || d.CreateTime == nil || *d.CatalogId != accountID {
		t.Fatalf("database = %+v", d)
	}
	_, err = c.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("nope")})
	wantCode(t, err, "EntityNotFoundException")

	var names []string
	p := glue.NewGetDatabasesPaginator(c, &glue.GetDatabasesInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.DatabaseList) > 2 {
			t.Fatalf("page of %d", len(out.DatabaseList))
		}
		for _, d := range out.DatabaseList {
			names = append(names, *d.Name)
		}
	}
	if fmt.Sprint(names) != "[db0 db1 db2 db3 db4]" {
		t.Fatalf("paged names = %v", names)
	}
	_, err = c.GetDatabases(ctx, &glue.GetDatabasesInput{NextToken: aws.String("forged!")})
	wantCode(t, err, "InvalidInputException")

	if _, err := c.UpdateDatabase(ctx, &glue.UpdateDatabaseInput{Name: aws.String("db1"),
		DatabaseInput: &types.DatabaseInput{Name: aws.String("db1"), Description: aws.String("new"), LocationUri: aws.String("s3://b/db1/")}}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("db1")})
	if *got.Database.Description != "new" || *got.Database.LocationUri != "s3://b/db1/" {
		t.Fatalf("updated = %+v", got.Database)
	}
	// Regions are separate catalogs.
	other := glue.NewFromConfig(aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(h.srv.URL), Credentials: c.Options().Credentials})
	if out, err := other.GetDatabases(ctx, &glue.GetDatabasesInput{}); err != nil || len(out.DatabaseList) != 0 {
		t.Fatalf("eu-west-1 GetDatabases = %v, %v", out, err)
	}
	if _, err := other.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("db0")}}); err != nil {
		t.Fatal(err)
	}
	dbs, err := h.svc.ListDatabases(ctx, "eu-west-1")
	if err != nil || len(dbs) != 1 {
		t.Fatalf("eu-west-1 databases = %v, %v", dbs, err)
	}
	if dbs, _ := h.svc.ListDatabases(ctx, ""); len(dbs) != 5 {
		t.Fatalf("default region databases = %d", len(dbs))
	}
}

func TestTablesAndVersions(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	if _, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("sales")}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("nodb"), TableInput: &types.TableInput{Name: aws.String("t")}})
	wantCode(t, err, "EntityNotFoundException")
	for _, n := range []string{"orders", "order_items", "customers", "Returns"} {
		if _, err := c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &types.TableInput{
			Name: aws.String(n), TableType: aws.String("EXTERNAL_TABLE"), StorageDescriptor: parquetSD("s3://lake/"+n+"/", "id", "bigint"),
			PartitionKeys: []types.Column{{Name: aws.String("dt"), Type: aws.String("string")}},
			Parameters:    map[string]string{"classification": "parquet"}}}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &types.TableInput{Name: aws.String("ORDERS")}})
	wantCode(t, err, "AlreadyExistsException")

	got, err := c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	tb := got.Table
	if *tb.DatabaseName != "sales" || *tb.VersionId != "0" || *tb.TableType != "EXTERNAL_TABLE" || tb.CreateTime == nil ||
		*tb.StorageDescriptor.SerdeInfo.SerializationLibrary != ParquetSerDe || *tb.PartitionKeys[0].Name != "dt" {
		t.Fatalf("table = %+v", tb)
	}
	_, err = c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("nope")})
	wantCode(t, err, "EntityNotFoundException")

	for _, tc := range []struct{ expr, want string }{
		{"order*", "[order_items orders]"}, {"*s", "[customers order_items orders returns]"},
		{"customers|returns", "[customers returns]"}, {"", "[customers order_items orders returns]"}, {"x*", "[]"},
	} {
		out, err := c.GetTables(ctx, &glue.GetTablesInput{DatabaseName: aws.String("sales"), Expression: aws.String(tc.expr)})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, t := range out.TableList {
			names = append(names, *t.Name)
		}
		if fmt.Sprint(names) != tc.want && !(tc.want == "[]" && names == nil) {
			t.Errorf("GetTables(%q) = %v, want %s", tc.expr, names, tc.want)
		}
	}
	var paged []string
	p := glue.NewGetTablesPaginator(c, &glue.GetTablesInput{DatabaseName: aws.String("sales"), MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, t := range out.TableList {
			paged = append(paged, *t.Name)
		}
	}
	if len(paged) != 4 {
		t.Fatalf("paged tables = %v", paged)
	}
	_, err = c.GetTables(ctx, &glue.GetTablesInput{DatabaseName: aws.String("sales"), MaxResults: aws.Int32(101)})
	wantCode(t, err, "InvalidInputException")

	// UpdateTable keeps versions.
	for i := 1; i <= 3; i++ {
		if _, err := c.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String("sales"), TableInput: &types.TableInput{
			Name: aws.String("orders"), StorageDescriptor: parquetSD("s3://lake/orders/", "id", "bigint", fmt.Sprintf("c%d", i), "string")}}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String("sales"), VersionId: aws.String("1"),
		TableInput: &types.TableInput{Name: aws.String("orders")}})
	wantCode(t, err, "ConcurrentModificationException")
	vs, err := c.GetTableVersions(ctx, &glue.GetTableVersionsInput{DatabaseName: aws.String("sales"), TableName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs.TableVersions {
		ids = append(ids, *v.VersionId)
	}
	if fmt.Sprint(ids) != "[3 2 1 0]" {
		t.Fatalf("versions = %v", ids)
	}
	v1, err := c.GetTableVersion(ctx, &glue.GetTableVersionInput{DatabaseName: aws.String("sales"), TableName: aws.String("orders"), VersionId: aws.String("1")})
	if err != nil || *v1.TableVersion.Table.StorageDescriptor.Columns[1].Name != "c1" {
		t.Fatalf("version 1 = %+v, %v", v1, err)
	}
	if _, err := c.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String("sales"), SkipArchive: aws.Bool(true), VersionId: aws.String("3"),
		TableInput: &types.TableInput{Name: aws.String("orders"), StorageDescriptor: parquetSD("s3://lake/orders/", "id", "bigint")}}); err != nil {
		t.Fatal(err)
	}
	vs, _ = c.GetTableVersions(ctx, &glue.GetTableVersionsInput{DatabaseName: aws.String("sales"), TableName: aws.String("orders")})
	ids = nil
	for _, v := range vs.TableVersions {
		ids = append(ids, *v.VersionId)
	}
	if fmt.Sprint(ids) != "[4 2 1 0]" {
		t.Fatalf("versions after SkipArchive = %v", ids)
	}
	_, err = c.GetTableVersion(ctx, &glue.GetTableVersionInput{DatabaseName: aws.String("sales"), TableName: aws.String("orders"), VersionId: aws.String("3")})
	wantCode(t, err, "EntityNotFoundException")

	bd, err := c.BatchDeleteTable(ctx, &glue.BatchDeleteTableInput{DatabaseName: aws.String("sales"), TablesToDelete: []string{"customers", "ghost"}})
	if err != nil || len(bd.Errors) != 1 || *bd.Errors[0].TableName != "ghost" || *bd.Errors[0].ErrorDetail.ErrorCode != "EntityNotFoundException" {
		t.Fatalf("BatchDeleteTable = %+v, %v", bd, err)
	}
	if _, err := c.DeleteTable(ctx, &glue.DeleteTableInput{DatabaseName: aws.String("sales"), Name: aws.String("returns")}); err != nil {
		t.Fatal(err)
	}
	tables, err := h.svc.ListTables(ctx, "", "sales")
	if err != nil || len(tables) != 2 {
		t.Fatalf("tables = %v, %v", tables, err)
	}
	// DeleteDatabase drops tables, versions and partitions.
	if _, err := c.CreatePartition(ctx, &glue.CreatePartitionInput{DatabaseName: aws.String("sales"), TableName: aws.String("order_items"),
		PartitionInput: &types.PartitionInput{Values: []string{"2024-01-01"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteDatabase(ctx, &glue.DeleteDatabaseInput{Name: aws.String("sales")}); err != nil {
		t.Fatal(err)
	}
	n := 0
	h.svc.meta.Scan(nil, nil, func(k, _ []byte) (bool, error) { n++; return true, nil })
	if n != 0 {
		t.Fatalf("%d keys left after DeleteDatabase", n)
	}
}

func TestPartitions(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	db, tb := aws.String("lake"), aws.String("events")
	c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: db}})
	if _, err := c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: db, TableInput: &types.TableInput{Name: tb,
		StorageDescriptor: parquetSD("s3://lake/events/", "id", "bigint"),
		PartitionKeys:     []types.Column{{Name: aws.String("year"), Type: aws.String("int")}, {Name: aws.String("month"), Type: aws.String("string")}}}}); err != nil {
		t.Fatal(err)
	}
	var in []types.PartitionInput
	for _, ym := range [][2]string{{"2023", "12"}, {"2024", "01"}, {"2024", "02"}, {"2024", "03"}, {"2025", "01"}} {
		in = append(in, types.PartitionInput{Values: ym[:], StorageDescriptor: parquetSD("s3://lake/events/year=" + ym[0] + "/month=" + ym[1] + "/")})
	}
	in = append(in, types.PartitionInput{Values: []string{"2024"}}, in[0])
	out, err := c.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: db, TableName: tb, PartitionInputList: in})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) != 2 || *out.Errors[0].ErrorDetail.ErrorCode != "InvalidInputException" || *out.Errors[1].ErrorDetail.ErrorCode != "AlreadyExistsException" {
		t.Fatalf("BatchCreatePartition errors = %+v", out.Errors)
	}
	_, err = c.CreatePartition(ctx, &glue.CreatePartitionInput{DatabaseName: db, TableName: tb, PartitionInput: &in[1]})
	wantCode(t, err, "AlreadyExistsException")

	gp, err := c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2024", "02"}})
	if err != nil || *gp.Partition.StorageDescriptor.Location != "s3://lake/events/year=2024/month=02/" || *gp.Partition.TableName != "events" || gp.Partition.CreationTime == nil {
		t.Fatalf("GetPartition = %+v, %v", gp, err)
	}
	_, err = c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2030", "01"}})
	wantCode(t, err, "EntityNotFoundException")

	values := func(expr string, max int32) []string {
		t.Helper()
		var got []string
		in := &glue.GetPartitionsInput{DatabaseName: db, TableName: tb}
		if expr != "" {
			in.Expression = aws.String(expr)
		}
		if max > 0 {
			in.MaxResults = aws.Int32(max)
		}
		p := glue.NewGetPartitionsPaginator(c, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range out.Partitions {
				got = append(got, p.Values[0]+"/"+p.Values[1])
			}
		}
		return got
	}
	if got := fmt.Sprint(values("", 2)); got != "[2023/12 2024/01 2024/02 2024/03 2025/01]" {
		t.Fatalf("all = %s", got)
	}
	if got := fmt.Sprint(values("year = 2024 AND month >= '02'", 1)); got != "[2024/02 2024/03]" {
		t.Fatalf("filtered = %s", got)
	}
	if got := fmt.Sprint(values("year BETWEEN 2024 AND 2025 AND NOT month IN ('01')", 0)); got != "[2024/02 2024/03]" {
		t.Fatalf("filtered = %s", got)
	}
	_, err = c.GetPartitions(ctx, &glue.GetPartitionsInput{DatabaseName: db, TableName: tb, Expression: aws.String("nokey = 1")})
	wantCode(t, err, "InvalidInputException")

	bg, err := c.BatchGetPartition(ctx, &glue.BatchGetPartitionInput{DatabaseName: db, TableName: tb,
		PartitionsToGet: []types.PartitionValueList{{Values: []string{"2024", "01"}}, {Values: []string{"1999", "01"}}}})
	if err != nil || len(bg.Partitions) != 1 {
		t.Fatalf("BatchGetPartition = %+v, %v", bg, err)
	}
	if _, err := c.UpdatePartition(ctx, &glue.UpdatePartitionInput{DatabaseName: db, TableName: tb, PartitionValueList: []string{"2024", "01"},
		PartitionInput: &types.PartitionInput{Values: []string{"2024", "01"}, Parameters: map[string]string{"x": "y"},
			StorageDescriptor: parquetSD("s3://lake/elsewhere/")}}); err != nil {
		t.Fatal(err)
	}
	gp, _ = c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2024", "01"}})
	if gp.Partition.Parameters["x"] != "y" || *gp.Partition.StorageDescriptor.Location != "s3://lake/elsewhere/" {
		t.Fatalf("updated partition = %+v", gp.Partition)
	}
	if _, err := c.DeletePartition(ctx, &glue.DeletePartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2023", "12"}}); err != nil {
		t.Fatal(err)
	}
	bd, err := c.BatchDeletePartition(ctx, &glue.BatchDeletePartitionInput{DatabaseName: db, TableName: tb,
		PartitionsToDelete: []types.PartitionValueList{{Values: []string{"2024", "02"}}, {Values: []string{"2023", "12"}}}})
	if err != nil || len(bd.Errors) != 1 || *bd.Errors[0].ErrorDetail.ErrorCode != "EntityNotFoundException" {
		t.Fatalf("BatchDeletePartition = %+v, %v", bd, err)
	}
	if got := fmt.Sprint(values("", 0)); got != "[2024/01 2024/03 2025/01]" {
		t.Fatalf("after deletes = %s", got)
	}
	// The Go API: AddPartitions leaves existing ones untouched.
	err = h.svc.AddPartitions(ctx, "", "lake", "events", []Partition{{Values: []string{"2024", "01"}}, {Values: []string{"2026", "01"}}})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := h.svc.GetPartitions(ctx, "", "lake", "events")
	if err != nil || len(ps) != 4 || ps[0].Parameters["x"] != "y" {
		t.Fatalf("GetPartitions = %+v, %v", ps, err)
	}
	if ps, err := h.svc.FilterPartitions(ctx, "", "lake", "events", "year >= 2025"); err != nil || len(ps) != 2 {
		t.Fatalf("FilterPartitions = %+v, %v", ps, err)
	}
	if err := h.svc.DeletePartitions(ctx, "", "lake", "events", [][]string{{"2026", "01"}, {"1999", "01"}}); err != nil {
		t.Fatal(err)
	}
	if ps, _ := h.svc.GetPartitions(ctx, "", "lake", "events"); len(ps) != 3 {
		t.Fatalf("after DeletePartitions: %d", len(ps))
	}
	if _, err := h.svc.GetTable(ctx, "", "lake", "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetTable missing: %v", err)
	}
	if err := h.svc.CreateTable(ctx, "", "lake", Table{Name: "events"}); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("CreateTable existing: %v", err)
	}
}

func TestUnimplemented(t *testing.T) {
	h := newHarness(t)
	for _, call := range []func() error{
		func() error {
			_, err := h.client.CreateJob(t.Context(), &glue.CreateJobInput{Name: aws.String("j"), Role: aws.String("r"), Command: &types.JobCommand{}})
			return err
		},
		func() error { _, err := h.client.GetConnections(t.Context(), &glue.GetConnectionsInput{}); return err },
	} {
		wantCode(t, call(), "UnknownOperationException")
	}
}

func TestRestartDurability(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	if err := h.svc.CreateDatabase(ctx, "", Database{Name: "d"}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.CreateTable(ctx, "", "d", Table{Name: "t", PartitionKeys: []Column{{Name: "dt", Type: "string"}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.UpdateTable(ctx, "", "d", Table{Name: "t", Description: "v1", PartitionKeys: []Column{{Name: "dt", Type: "string"}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.AddPartitions(ctx, "", "d", "t", []Partition{{Values: []string{"2024-01-01"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://b/x/")}}}}); err != nil {
		t.Fatal(err)
	}
	h.reopen(t)
	tb, err := h.svc.GetTable(ctx, "", "d", "t")
	if err != nil || tb.Description != "v1" || tb.VersionId != "1" {
		t.Fatalf("table after restart = %+v, %v", tb, err)
	}
	ps, err := h.svc.GetPartitions(ctx, "", "d", "t")
	if err != nil || len(ps) != 1 {
		t.Fatalf("partitions after restart = %v, %v", ps, err)
	}
	cr, err := h.client.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("c")})
	if err != nil || cr.Crawler.State != types.CrawlerStateReady {
		t.Fatalf("crawler after restart = %+v, %v", cr, err)
	}
}

func TestTags(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	if _, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("d")},
		Tags: map[string]string{"team": "bi"}}); err != nil {
		t.Fatal(err)
	}
	h.svc.CreateTable(ctx, "", "d", Table{Name: "t"})
	dbARN, tARN := "arn:aws:glue:us-east-1:000000000000:database/d", "arn:aws:glue:us-east-1:000000000000:table/d/t"
	if _, err := c.TagResource(ctx, &glue.TagResourceInput{ResourceArn: aws.String(tARN), TagsToAdd: map[string]string{"a": "1", "b": "2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &glue.UntagResourceInput{ResourceArn: aws.String(tARN), TagsToRemove: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	for arn, want := range map[string]string{dbARN: "map[team:bi]", tARN: "map[b:2]"} {
		out, err := c.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String(arn)})
		if err != nil || fmt.Sprint(out.Tags) != want {
			t.Fatalf("GetTags(%s) = %v, %v", arn, out, err)
		}
	}
	_, err := c.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String("arn:aws:glue:us-east-1:000000000000:table/d/none")})
	wantCode(t, err, "EntityNotFoundException")
	s3 := &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://b/")}}}
	c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("x"), Role: aws.String("r"), Targets: s3, Tags: map[string]string{"env": "prod"}})
	c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("y"), Role: aws.String("r"), Targets: s3})
	out, err := c.ListCrawlers(ctx, &glue.ListCrawlersInput{Tags: map[string]string{"env": "prod"}})
	if err != nil || fmt.Sprint(out.CrawlerNames) != "[x]" {
		t.Fatalf("ListCrawlers by tag = %v, %v", out, err)
	}
	_, err = c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("e")}, Tags: map[string]string{"aws:x": "1"}})
	wantCode(t, err, "InvalidInputException")
	if _, err := h.svc.GetDatabase(ctx, "", "e"); err == nil {
		t.Fatal("database created despite invalid tags")
	}
}

func TestConcurrentCreates(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	if err := h.svc.CreateDatabase(ctx, "", Database{Name: "d"}); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := h.client.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("d"), TableInput: &types.TableInput{Name: aws.String("t")}})
			errs <- err
		}()
	}
	ok := 0
	for range 8 {
		if err := <-errs; err == nil {
			ok++
		} else {
			wantCode(t, err, "AlreadyExistsException")
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent creates succeeded", ok)
	}
}
