package tarntest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	attypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/sample"
)

// The data and the platform plumbing of the Glue job benchmarks
// (jobs_bench_test.go): the sample clickstream as JSON Lines, one file per
// dt= day, a DDL-created source table over it, a Parquet silver table per
// run, and a SQL job that fills it.

const (
	jobBenchDays   = 7    // days of a full run; the incremental pair adds one
	jobBenchPerDay = 3000 // sample events per day
	jobBenchDupe   = 50   // every 50th event is delivered twice (at least once)
)

// clickDay is one day of the benchmark clickstream.
type clickDay struct {
	day    string // UTC date, the dt= value
	body   []byte // JSON Lines, duplicates included
	rows   int    // lines in body
	unique int    // distinct event_id
}

// clickstream is jobBenchDays+1 days of sample events, one JSON Lines
// file per day; every jobBenchDupe-th event of a day is written a second
// time at the end of the day's file, so the job's dedup has work to do.
func clickstream(b testing.TB) []clickDay {
	b.Helper()
	events, _ := sample.Generate(sample.Options{Rows: (jobBenchDays + 1) * jobBenchPerDay, Days: jobBenchDays + 1})
	parts := sample.PartitionByDay(events, 0)
	if len(parts) != jobBenchDays+1 {
		b.Fatalf("sample spread over %d days, want %d", len(parts), jobBenchDays+1)
	}
	out := make([]clickDay, len(parts))
	for i, p := range parts {
		evs := p.Parts[0]
		d := clickDay{day: p.Day, unique: len(evs)}
		for _, e := range evs {
			d.body = sample.AppendJSONLine(d.body, e)
		}
		for j := 0; j < len(evs); j += jobBenchDupe {
			d.body = sample.AppendJSONLine(d.body, evs[j])
		}
		d.rows = bytes.Count(d.body, []byte("\n"))
		out[i] = d
	}
	return out
}

// sumRows is the lines and distinct events of days.
func sumRows(days []clickDay) (rows, unique int) {
	for _, d := range days {
		rows += d.rows
		unique += d.unique
	}
	return rows, unique
}

// rawColumns are the source table's columns: the sample's JSON keys, ts
// still text, the numbers as JSON carries them.
const rawColumns = `event_id string, ts string, session_id string, user_id string, event_type string, page string,
	product_id string, category string, price double, quantity int, search_query string, order_id string,
	device string, country string, referrer string`

// silverColumns are the silver table's typed columns (dt is its partition).
const silverColumns = `event_id string, ts timestamp, session_id string, user_id string, event_type string, page string,
	product_id string, category string, price decimal(10,2), quantity int, search_query string, order_id string,
	device string, country string, referrer string`

// silverSelect is the job's transform in Athena's dialect: one row per
// event_id (the first by ts), typed columns, dt last for the partition.
const silverSelect = `SELECT event_id, ts, session_id, user_id, event_type, page, product_id, category, price, quantity,
  search_query, order_id, device, country, referrer, dt
FROM (
  SELECT event_id, CAST(from_iso8601_timestamp(ts) AS timestamp) AS ts, session_id, user_id, event_type, page,
    product_id, category, CAST(price AS decimal(10,2)) AS price, quantity, search_query, order_id,
    device, country, referrer, dt,
    row_number() OVER (PARTITION BY event_id ORDER BY ts) AS rn
  FROM ${source}
) AS d
WHERE rn = 1`

// silverScript is the job's script: ${source} and ${silver} are run
// arguments, so one job can fill a fresh table per run.
const silverScript = "-- bronze clickstream to silver: dedup, typed, Parquet by day\nINSERT INTO ${silver}\n" + silverSelect + ";\n"

// jobBench is one platform set up for the job benchmarks: bucket "lake",
// database "clicks", the script at s3://lake/scripts/silver.sql.
type jobBench struct {
	s3c *s3.Client
	gl  *glue.Client
	at  *athena.Client
}

func newJobBench(b *testing.B) *jobBench {
	b.Helper()
	env := Start(b, WithDurability(benchDurability()))
	jb := &jobBench{s3c: env.S3(), gl: env.Glue(), at: env.Athena()}
	if _, err := jb.s3c.CreateBucket(b.Context(), &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		b.Fatal(err)
	}
	jb.put(b, "scripts/silver.sql", []byte(silverScript))
	jb.query(b, "CREATE DATABASE IF NOT EXISTS clicks")
	return jb
}

func (jb *jobBench) put(b *testing.B, key string, body []byte) {
	b.Helper()
	if _, err := jb.s3c.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key),
		Body: bytes.NewReader(body)}); err != nil {
		b.Fatal(err)
	}
}

// source puts days under s3://lake/raw/<table>/dt=<day>/ and creates the
// partitioned JSON table over them (partitions found by MSCK REPAIR).
func (jb *jobBench) source(b *testing.B, table string, days []clickDay) {
	b.Helper()
	jb.putDays(b, table, days)
	jb.query(b, "CREATE EXTERNAL TABLE "+table+" ("+rawColumns+") PARTITIONED BY (dt string)"+
		" ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/raw/"+table+"/'")
	jb.query(b, "MSCK REPAIR TABLE "+table)
}

func (jb *jobBench) putDays(b *testing.B, table string, days []clickDay) {
	b.Helper()
	for _, d := range days {
		jb.put(b, "raw/"+table+"/dt="+d.day+"/part-0.json", d.body)
	}
}

// addDay puts one more day under table and adds its partition.
func (jb *jobBench) addDay(b *testing.B, table string, d clickDay) {
	b.Helper()
	jb.putDays(b, table, []clickDay{d})
	jb.query(b, "ALTER TABLE "+table+" ADD PARTITION (dt = '"+d.day+"')")
}

// silver creates an empty silver table at s3://lake/silver/<table>/.
func (jb *jobBench) silver(b *testing.B, table string) {
	b.Helper()
	jb.query(b, "CREATE EXTERNAL TABLE "+table+" ("+silverColumns+") PARTITIONED BY (dt string) STORED AS PARQUET"+
		" LOCATION 's3://lake/silver/"+table+"/'")
}

// createJob creates the glueetl SQL job, bookmarked or not.
func (jb *jobBench) createJob(b *testing.B, name string, bookmark bool) {
	b.Helper()
	opt := "job-bookmark-disable"
	if bookmark {
		opt = "job-bookmark-enable"
	}
	if _, err := jb.gl.CreateJob(b.Context(), &glue.CreateJobInput{Name: aws.String(name), Role: aws.String("arn:aws:iam::000000000000:role/glue"),
		Command:          &gltypes.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://lake/scripts/silver.sql")},
		DefaultArguments: map[string]string{"--database": "clicks", "--job-bookmark-option": opt}}); err != nil {
		b.Fatal(err)
	}
}

// run starts a run of job from source into silver and waits (polling
// GetJobRun every 5ms, as a client would) until it SUCCEEDED.
func (jb *jobBench) run(b *testing.B, job, source, silver string) {
	b.Helper()
	ctx := b.Context()
	st, err := jb.gl.StartJobRun(ctx, &glue.StartJobRunInput{JobName: aws.String(job),
		Arguments: map[string]string{"--source": source, "--silver": silver}})
	if err != nil {
		b.Fatal(err)
	}
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		r, err := jb.gl.GetJobRun(ctx, &glue.GetJobRunInput{JobName: aws.String(job), RunId: st.JobRunId})
		if err != nil {
			b.Fatal(err)
		}
		switch r.JobRun.JobRunState {
		case gltypes.JobRunStateSucceeded:
			return
		case gltypes.JobRunStateFailed, gltypes.JobRunStateError, gltypes.JobRunStateTimeout, gltypes.JobRunStateStopped:
			b.Fatalf("job run %s: %s", r.JobRun.JobRunState, aws.ToString(r.JobRun.ErrorMessage))
		}
	}
	b.Fatal("job run did not finish in 60s")
}

// checkSilver fails unless table holds want rows, each event once.
func (jb *jobBench) checkSilver(b *testing.B, table string, want int) {
	b.Helper()
	got := jb.query(b, "SELECT count(*), count(DISTINCT event_id) FROM "+table)
	if w := fmt.Sprint([]string{fmt.Sprint(want), fmt.Sprint(want)}); fmt.Sprint(got) != w {
		b.Fatalf("%s holds (rows, distinct events) %v, want %s", table, got, w)
	}
}

// query runs one Athena statement in database clicks and returns the
// first result row (nil when there is none).
func (jb *jobBench) query(b *testing.B, q string) []string {
	b.Helper()
	ctx := b.Context()
	st, err := jb.at.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String(q),
		QueryExecutionContext: &attypes.QueryExecutionContext{Database: aws.String("clicks")},
		ResultConfiguration:   &attypes.ResultConfiguration{OutputLocation: aws.String("s3://lake/athena-results/")}})
	if err != nil {
		b.Fatal(err)
	}
	for end := time.Now().Add(60 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		g, err := jb.at.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: st.QueryExecutionId})
		if err != nil {
			b.Fatal(err)
		}
		s := g.QueryExecution.Status
		if s.State == attypes.QueryExecutionStateSucceeded {
			break
		}
		if s.State == attypes.QueryExecutionStateFailed || s.State == attypes.QueryExecutionStateCancelled {
			b.Fatalf("%s: %s: %s", strings.Fields(q)[0], s.State, aws.ToString(s.StateChangeReason))
		}
		if time.Now().After(end) {
			b.Fatalf("%s still %s after 60s", strings.Fields(q)[0], s.State)
		}
	}
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q)), "SELECT") {
		return nil
	}
	res, err := jb.at.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: st.QueryExecutionId})
	if err != nil {
		b.Fatal(err)
	}
	if len(res.ResultSet.Rows) < 2 {
		return nil
	}
	var row []string
	for _, d := range res.ResultSet.Rows[1].Data {
		row = append(row, aws.ToString(d.VarCharValue))
	}
	return row
}
