package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/jackc/pgx/v5"

	"github.com/tarnhq/tarn/internal/sample"
)

// The batch stage's jobs (declared in the demo stack).
const (
	demoSilverJob = "shop-clickstream-silver"
	demoGoldJob   = "shop-daily-gold"
	demoCohortJob = "shop-cohort-retention"
	batchTimeout  = 120 * time.Second
)

// batchChain is the jobs one silver run sets off, in order: each next one
// is started by a CONDITIONAL trigger on the previous one's SUCCEEDED.
var batchChain = []string{demoSilverJob, demoGoldJob, demoCohortJob}

// batchRun is one run of the chain.
type batchRun struct {
	took       []time.Duration // per job of batchChain, until SUCCEEDED
	silverRows int64           // rows in the silver table after the run
}

// batchSummary is what the batch stage reports.
type batchSummary struct {
	lateDay           string
	lateEvents        int
	full, incremental batchRun
	funnelDays        int
	revenue           float64
	cohorts           [][]string // the warehouse's cohort_retention, header first
}

// batchClient runs the Glue jobs and reads their tables through Athena.
type batchClient struct {
	glue  *glue.Client
	sql   *analyticsClient
	pgURL string // the warehouse, for the cohort job's table
}

// warehouse runs a query on the warehouse over the PostgreSQL wire and
// returns its rows as text, the header first.
func (c *batchClient) warehouse(ctx context.Context, q string) ([][]string, error) {
	conn, err := pgx.Connect(ctx, c.pgURL)
	if err != nil {
		return nil, fmt.Errorf("connect to the warehouse: %w", err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var head []string
	for _, f := range rows.FieldDescriptions() {
		head = append(head, f.Name)
	}
	out := [][]string{head}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = ""
			case time.Time:
				row[i] = v.Format("2006-01-02")
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// runChain starts a silver run, as its hourly trigger would, and waits
// for it and for each job the triggers chain after it.
func (c *batchClient) runChain(ctx context.Context) (batchRun, error) {
	var r batchRun
	before := map[string]map[string]bool{}
	for _, job := range batchChain[1:] {
		ids, err := c.runIDs(ctx, job)
		if err != nil {
			return r, err
		}
		before[job] = ids
	}
	start := time.Now()
	st, err := c.glue.StartJobRun(ctx, &glue.StartJobRunInput{JobName: aws.String(demoSilverJob)})
	if err != nil {
		return r, fmt.Errorf("start %s: %w", demoSilverJob, err)
	}
	id := aws.ToString(st.JobRunId)
	for i, job := range batchChain {
		if i > 0 {
			if id, err = c.newRun(ctx, job, before[job]); err != nil {
				return r, err
			}
		}
		if err := c.await(ctx, job, id); err != nil {
			return r, err
		}
		r.took = append(r.took, time.Since(start))
		start = time.Now()
	}
	a, err := c.sql.run(ctx, "SELECT count(*) FROM clickstream_silver")
	if err != nil {
		return r, fmt.Errorf("count the silver table: %w", err)
	}
	r.silverRows, _ = strconv.ParseInt(a.rows[1][0], 10, 64)
	return r, nil
}

// newRun waits for a run of job that is not in before (a trigger's).
func (c *batchClient) newRun(ctx context.Context, job string, before map[string]bool) (string, error) {
	for deadline := time.Now().Add(batchTimeout); ; {
		ids, err := c.runIDs(ctx, job)
		if err != nil {
			return "", err
		}
		for id := range ids {
			if !before[id] {
				return id, nil
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no trigger started %s within %s", job, batchTimeout)
		}
		if err := sleepCtx(ctx, analyticsPoll); err != nil {
			return "", err
		}
	}
}

// runIDs returns the ids of job's runs.
func (c *batchClient) runIDs(ctx context.Context, job string) (map[string]bool, error) {
	ids := map[string]bool{}
	pages := glue.NewGetJobRunsPaginator(c.glue, &glue.GetJobRunsInput{JobName: aws.String(job)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("runs of %s: %w", job, err)
		}
		for _, r := range page.JobRuns {
			ids[aws.ToString(r.Id)] = true
		}
	}
	return ids, nil
}

// await waits for run id of job to succeed.
func (c *batchClient) await(ctx context.Context, job, id string) error {
	for deadline := time.Now().Add(batchTimeout); ; {
		r, err := c.glue.GetJobRun(ctx, &glue.GetJobRunInput{JobName: aws.String(job), RunId: aws.String(id)})
		if err != nil {
			return fmt.Errorf("job run %s of %s: %w", id, job, err)
		}
		switch r.JobRun.JobRunState {
		case gltypes.JobRunStateSucceeded:
			return nil
		case gltypes.JobRunStateFailed, gltypes.JobRunStateError, gltypes.JobRunStateTimeout, gltypes.JobRunStateStopped:
			return fmt.Errorf("job %s run %s %s: %s", job, id, r.JobRun.JobRunState, aws.ToString(r.JobRun.ErrorMessage))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("job %s run %s still %s after %s", job, id, r.JobRun.JobRunState, batchTimeout)
		}
		if err := sleepCtx(ctx, analyticsPoll); err != nil {
			return err
		}
	}
}

// runBatch is the batch stage: a full silver+gold run over the raw zone
// (every day but the last), then the last day lands in the lake (upload)
// and a second, bookmarked run processes only it. The silver table must
// then hold every event once, and the gold tables every day's funnel and
// revenue as the sample has them.
func runBatch(ctx context.Context, out io.Writer, c *batchClient, upload func() error, events []sample.Event, orders []sample.Order, late string, stage func(string, func() error) error) (batchSummary, error) {
	s := batchSummary{lateDay: late}
	for _, e := range events {
		if e.TS.UTC().Format("2006-01-02") == late {
			s.lateEvents++
		}
	}
	if err := stage("batch-full", func() error {
		var err error
		s.full, err = c.runChain(ctx)
		return err
	}); err != nil {
		return s, err
	}
	if err := stage("upload-late", upload); err != nil {
		return s, err
	}
	if err := stage("batch-incr", func() error {
		var err error
		s.incremental, err = c.runChain(ctx)
		return err
	}); err != nil {
		return s, err
	}
	if s.full.silverRows != int64(len(events)-s.lateEvents) || s.incremental.silverRows != int64(len(events)) {
		return s, fmt.Errorf("the silver table holds %d then %d events, want %d then %d (the bookmark reads each file once)",
			s.full.silverRows, s.incremental.silverRows, len(events)-s.lateEvents, len(events))
	}
	return s, stage("batch-chk", func() error {
		if err := c.checkGold(ctx, &s, orders); err != nil {
			return err
		}
		return c.checkCohorts(ctx, &s, events)
	})
}

// checkGold compares the gold tables with the sample: one funnel row per
// day, and each day's revenue.
func (c *batchClient) checkGold(ctx context.Context, s *batchSummary, orders []sample.Order) error {
	want := map[string]float64{}
	for _, o := range orders {
		want[o.TS.UTC().Format("2006-01-02")] += o.Total
	}
	a, err := c.sql.run(ctx, "SELECT dt, revenue FROM daily_revenue ORDER BY dt")
	if err != nil {
		return fmt.Errorf("read daily_revenue: %w", err)
	}
	if len(a.rows)-1 != len(want) {
		return fmt.Errorf("daily_revenue has %d days, the sample %d", len(a.rows)-1, len(want))
	}
	for _, r := range a.rows[1:] {
		v, _ := strconv.ParseFloat(r[1], 64)
		if math.Abs(v-want[r[0]]) > 0.01 {
			return fmt.Errorf("daily_revenue of %s is %.2f, the sample's %.2f", r[0], v, want[r[0]])
		}
		s.revenue += v
	}
	f, err := c.sql.run(ctx, "SELECT count(*), count(DISTINCT dt) FROM daily_funnel")
	if err != nil {
		return fmt.Errorf("read daily_funnel: %w", err)
	}
	if f.rows[1][0] != f.rows[1][1] {
		return fmt.Errorf("daily_funnel has %s rows for %s days: a day was aggregated twice", f.rows[1][0], f.rows[1][1])
	}
	s.funnelDays, _ = strconv.Atoi(f.rows[1][0])
	return nil
}

// checkCohorts reads the warehouse table the cohort job wrote and checks
// each cohort's size (its users on day 0) against the sample.
func (c *batchClient) checkCohorts(ctx context.Context, s *batchSummary, events []sample.Event) error {
	first := map[string]string{}
	for _, e := range events {
		d := e.TS.UTC().Format("2006-01-02")
		if f, ok := first[e.UserID]; !ok || d < f {
			first[e.UserID] = d
		}
	}
	perCohort := map[string]int{}
	for _, d := range first {
		perCohort[d]++
	}
	rows, err := c.warehouse(ctx, "SELECT cohort, users FROM cohort_retention WHERE day_n = 0 ORDER BY cohort")
	if err != nil {
		return fmt.Errorf("read cohort_retention: %w", err)
	}
	rows = rows[1:]
	if len(rows) != len(perCohort) {
		return fmt.Errorf("cohort_retention has %d cohorts, the sample %d", len(rows), len(perCohort))
	}
	for _, r := range rows {
		if n, _ := strconv.Atoi(r[1]); n != perCohort[r[0]] {
			return fmt.Errorf("cohort %s has %s users, the sample %d", r[0], r[1], perCohort[r[0]])
		}
	}
	s.cohorts, err = c.warehouse(ctx, `SELECT cohort,
  max(CASE WHEN day_n = 0 THEN users END) AS day_0, max(CASE WHEN day_n = 1 THEN users END) AS day_1,
  max(CASE WHEN day_n = 2 THEN users END) AS day_2, max(CASE WHEN day_n = 3 THEN users END) AS day_3
FROM cohort_retention GROUP BY cohort ORDER BY cohort`)
	return err
}

// printBatch prints the batch stage's numbers.
func printBatch(w io.Writer, s *batchSummary) {
	fmt.Fprintf(w, "\nBatch: Glue SQL jobs %s -> %s -> %s (CONDITIONAL triggers on SUCCEEDED)\n", demoSilverJob, demoGoldJob, demoCohortJob)
	fmt.Fprintf(w, "  full run     %s: %d events typed and deduplicated into shop.clickstream_silver\n", chainTimes(s.full), s.full.silverRows)
	fmt.Fprintf(w, "  late day     %s lands (%d events); the bookmarked silver and gold runs read only its files:\n", s.lateDay, s.lateEvents)
	fmt.Fprintf(w, "  incremental  %s: +%d events\n", chainTimes(s.incremental), s.incremental.silverRows-s.full.silverRows)
	fmt.Fprintf(w, "  gold         shop.daily_funnel %d days, shop.daily_revenue EUR %.2f (each day equals the sample)\n", s.funnelDays, s.revenue)
	fmt.Fprintf(w, "  cohorts      warehouse table cohort_retention (users first seen on a day, back N days later):\n")
	printRows(w, s.cohorts, 8)
}

// chainTimes is "silver 1.2s, gold 0.4s, cohorts 0.3s".
func chainTimes(r batchRun) string {
	names := []string{"silver", "gold", "cohorts"}
	out := ""
	for i, d := range r.took {
		if i > 0 {
			out += ", "
		}
		out += names[i] + " " + d.Round(time.Millisecond).String()
	}
	return out
}
