package tarntest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"
)

// TestWarehouseCopyUnloadAndDataAPI: the warehouse on the platform's
// PostgreSQL port and Data API, authenticated with the platform's key
// pair: Redshift DDL, COPY from the lake, UNLOAD back into it, an
// external schema over a table Athena created, and the same data through
// the Redshift Data API.
func TestWarehouseCopyUnloadAndDataAPI(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	s3c := env.S3()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	csv.WriteString("id,country,amount\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&csv, "%d,%s,%d.50\n", i, []string{"DE", "FR"}[i%2], i)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String("raw/sales/part-0.csv"), Body: bytes.NewReader(csv.Bytes())}); err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("postgres://%s:%s@%s/dev?sslmode=disable", env.Config.AccessKey, env.Config.SecretKey, env.Platform.PGAddr())
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, q := range []string{
		`CREATE TABLE sales (id INT8 IDENTITY(1,1), sale_id INT, country VARCHAR(2) ENCODE zstd, amount DECIMAL(10,2)) DISTSTYLE KEY DISTKEY(country) SORTKEY(sale_id)`,
		`COPY sales (sale_id, country, amount) FROM 's3://lake/raw/sales/' IAM_ROLE 'arn:aws:iam::000000000000:role/r' FORMAT AS CSV IGNOREHEADER 1`,
		`UNLOAD ('SELECT country, sum(amount) AS revenue FROM sales GROUP BY country') TO 's3://lake/unloaded/revenue_' IAM_ROLE 'arn:aws:iam::000000000000:role/r' FORMAT AS PARQUET`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	var n int
	var total string
	if err := conn.QueryRow(ctx, `SELECT count(*), NVL(sum(amount), 0)::VARCHAR FROM sales WHERE DATEDIFF(day, GETDATE(), GETDATE()) = 0`).Scan(&n, &total); err != nil {
		t.Fatal(err)
	}
	if n != 20 || total != "220.00" {
		t.Fatalf("after COPY: %d rows, total %s", n, total)
	}
	objs, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("unloaded/")})
	if err != nil || len(objs.Contents) == 0 || !strings.HasSuffix(aws.ToString(objs.Contents[0].Key), ".parquet") {
		t.Fatalf("UNLOAD wrote %+v, %v", objs, err)
	}

	// The unloaded Parquet as a Glue table (through Athena's DDL), read
	// from the warehouse through an external schema.
	runQuery(t, env.Athena(), "CREATE DATABASE shop", "s3://lake/athena/")
	runQuery(t, env.Athena(), "CREATE EXTERNAL TABLE revenue (country string, revenue decimal(38,2)) STORED AS PARQUET LOCATION 's3://lake/unloaded/'", "s3://lake/athena/")
	if _, err := conn.Exec(ctx, `CREATE EXTERNAL SCHEMA spectrum FROM DATA CATALOG DATABASE 'shop' IAM_ROLE 'arn:aws:iam::000000000000:role/r'`); err != nil {
		t.Fatal(err)
	}
	var de string
	if err := conn.QueryRow(ctx, `SELECT r.revenue::VARCHAR FROM spectrum.revenue r WHERE r.country = 'DE'`).Scan(&de); err != nil {
		t.Fatal(err)
	}
	if de != "115.00" {
		t.Fatalf("external schema: DE revenue %s", de)
	}

	rd := redshiftdata.NewFromConfig(env.AWSConfig())
	st, err := rd.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{Database: aws.String("dev"),
		WorkgroupName: aws.String("default"), Sql: aws.String("SELECT country, count(*) AS n FROM sales GROUP BY country ORDER BY country")})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		d, err := rd.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: st.Id})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == "FINISHED" {
			break
		}
		if d.Status == "FAILED" || time.Now().After(deadline) {
			t.Fatalf("statement %s: %s", d.Status, aws.ToString(d.Error))
		}
		time.Sleep(10 * time.Millisecond)
	}
	res, err := rd.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: st.Id})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 || res.TotalNumRows != 2 {
		t.Fatalf("Data API result: %+v", res.Records)
	}
}
