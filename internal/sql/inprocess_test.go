package sql

import (
	"context"
	"errors"
	"testing"
)

// Exec runs a statement in-process, waits for it, and limits table reads
// to the files its filter accepts.
func TestExecInProcess(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	h.lake.putString(t, "lake", "raw/sales/part-1.csv", "id,region,amount,day\n100,north,5.0,2024-01-04\n")
	count := func(dir string, files func(bucket, key string) bool) int64 {
		t.Helper()
		out, err := h.svc.Exec(t.Context(), ExecInput{Database: "shop", OutputLocation: outLoc,
			Query: "CREATE TABLE counted WITH (format = 'PARQUET', external_location = 's3://lake/counted/" + dir + "/') AS SELECT id FROM sales", Files: files})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Exec(t.Context(), ExecInput{Database: "shop", OutputLocation: outLoc, Query: "DROP TABLE counted"}); err != nil {
			t.Fatal(err)
		}
		return out.UpdateCount
	}
	all := count("all", nil)
	var seen []string
	one := count("one", func(bucket, key string) bool {
		seen = append(seen, bucket+"/"+key)
		return key == "raw/sales/part-1.csv"
	})
	if one != 1 || all <= one {
		t.Fatalf("rows: all %d, filtered %d (filter saw %v)", all, one, seen)
	}
	_, err := h.svc.Exec(t.Context(), ExecInput{Database: "shop", OutputLocation: outLoc, Query: "SELECT nope FROM sales"})
	if !errors.Is(err, ErrQueryFailed) {
		t.Fatalf("failing query: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := h.svc.Exec(ctx, ExecInput{Database: "shop", OutputLocation: outLoc, Query: "SELECT 1"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
