package emr

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/emr/types"

	"github.com/tarnhq/tarn/internal/engine"
)

// duckRunner runs step statements on a real sandboxed DuckDB engine:
// reads through Query, the rest through Exec.
type duckRunner struct{ e *engine.Engine }

func (d duckRunner) Exec(ctx context.Context, req SQLRequest) (SQLResult, error) {
	stmts, err := engine.Split(req.Statement)
	if err != nil {
		return SQLResult{}, err
	}
	if len(stmts) == 1 && engine.Classify(stmts[0]) == engine.Read {
		rows, err := d.e.Query(ctx, req.Statement)
		if err != nil {
			return SQLResult{}, err
		}
		defer rows.Close()
		var n int64
		for rows.Next() {
			n++
		}
		return SQLResult{QueryID: "duck", Rows: n}, rows.Err()
	}
	st, err := d.e.Exec(ctx, req.Statement)
	return SQLResult{QueryID: "duck", Rows: st.Rows}, err
}

func TestDuckDBRunner(t *testing.T) {
	e, err := engine.Open(t.Context(), engine.Options{ScratchDir: t.TempDir(), Threads: 1, Connections: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	h := &harness{dir: t.TempDir(), sql: duckRunner{e}, lake: &memLake{objs: map[string][]byte{}}, clock: &clock{}}
	h.open(t)
	h.lake.put("s3://scripts/etl.sql", `CREATE TABLE sales AS SELECT * FROM (VALUES (1, 'a;b'), (2, 'c')) v(id, note);
-- load more
INSERT INTO sales VALUES (${next}, '${note}');
SELECT count(*) FROM sales;`)
	id := h.run(t, "duck", true,
		sqlStep("etl", types.ActionOnFailureContinue, "spark-sql", "-d", "next=3", "-d", "note=x", "-f", "s3://scripts/etl.sql"),
		sqlStep("broken", types.ActionOnFailureContinue, "hive", "-e", "SELECT * FROM no_such_table"))
	ids := h.stepIDs(t, id)
	h.waitStep(t, id, ids[1], types.StepStateFailed)
	if st := h.step(t, id, ids[0]); st.Status.State != types.StepStateCompleted {
		t.Fatalf("etl = %+v", st.Status.FailureDetails)
	}
	rows, err := e.Query(t.Context(), "SELECT string_agg(note, ',' ORDER BY id) FROM sales")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for rows.Next() {
		if err := rows.Scan(&got); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	if got != "a;b,c,x" {
		t.Fatalf("sales = %q", got)
	}
	fd := h.step(t, id, ids[1]).Status.FailureDetails
	if !strings.Contains(*fd.Message, "SELECT * FROM no_such_table") || !strings.Contains(*fd.Message, "no_such_table") ||
		!strings.Contains(*fd.Message, "on tarn's engine") {
		t.Fatalf("failure = %+v", fd)
	}
}
