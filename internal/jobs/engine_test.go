package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/tarnhq/tarn/internal/engine"
)

// duckRunner runs SQL job statements on a real DuckDB (warehouse-style:
// every statement through Exec).
type duckRunner struct{ e *engine.Engine }

func (d duckRunner) Exec(ctx context.Context, req SQLRequest) (SQLResult, error) {
	st, err := d.e.Exec(ctx, req.Statement)
	if err != nil {
		return SQLResult{}, err
	}
	return SQLResult{Rows: st.Rows}, nil
}

func TestSQLJobOnDuckDB(t *testing.T) {
	e, err := engine.Open(t.Context(), engine.Options{ScratchDir: t.TempDir(), Threads: 1, Connections: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	h := &harness{dir: t.TempDir(), lake: &memLake{objs: map[string][]byte{}}, logs: &memLogs{}, crawlers: &fakeCrawlers{st: map[string]CrawlerStatus{}},
		clock: &clock{t: testStart}, minute: time.Minute, runner: duckRunner{e}}
	h.sql = &fakeSQL{lake: h.lake}
	h.open(t)
	h.createJob(t, "load", "glueetl", ".sql", `
CREATE TABLE sales (day VARCHAR, amount INTEGER);
INSERT INTO sales VALUES ('${day}', 10), ('${day}', 32);  -- two rows
INSERT INTO sales SELECT 'x;y', sum(amount) FROM sales;
`, nil)
	run := h.wait(t, "load", h.start(t, "load", map[string]string{"--day": "2026-03-01"}))
	if run.JobRunState != types.JobRunStateSucceeded {
		t.Fatalf("run = %v %v", run.JobRunState, *run.ErrorMessage)
	}
	rows, err := e.Query(t.Context(), "SELECT count(*), max(amount), min(day) FROM sales")
	if err != nil {
		t.Fatal(err)
	}
	var n, max int
	var day string
	if !rows.Next() {
		t.Fatal("no row")
	}
	if err := rows.Scan(&n, &max, &day); err != nil {
		t.Fatal(err)
	}
	rows.Close() // the engine's one connection

	if n != 3 || max != 42 || day != "2026-03-01" {
		t.Fatalf("sales = %d rows, max %d, min day %s", n, max, day)
	}
	// A DuckDB error fails the run naming the statement.
	h.createJob(t, "bad", "glueetl", ".sql", "SELECT 1; INSERT INTO nope VALUES (1)", nil)
	run = h.wait(t, "bad", h.start(t, "bad", nil))
	if run.JobRunState != types.JobRunStateFailed || !strings.Contains(aws.ToString(run.ErrorMessage), "statement 2 failed: Catalog Error") {
		t.Fatalf("bad run = %v %q", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
}
