package sql

import (
	"errors"
	"fmt"
	"testing"
)

func TestPreviewParquet(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	h.run(t, "shop", `CREATE TABLE sales_pq WITH (format = 'PARQUET', external_location = 's3://lake/curated/pq/') AS SELECT id, region FROM sales ORDER BY id`)
	files, _ := h.lake.Files(t.Context(), "lake", "curated/pq/")
	if len(files) != 1 {
		t.Fatalf("files %+v", files)
	}
	cols, types, rows, err := h.svc.Preview(t.Context(), "lake", files[0].Key, 2)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(cols, types) != "[id region] [bigint varchar]" || len(rows) != 2 {
		t.Fatalf("preview %v %v %v", cols, types, rows)
	}
	if _, _, _, err := h.svc.Preview(t.Context(), "lake", "curated/none.parquet", 2); !errors.Is(err, ErrNoSuchObject) {
		t.Fatalf("missing object: %v", err)
	}
	if _, _, _, err := h.svc.Preview(t.Context(), "lake", "raw/sales/part-0.csv", 2); !errors.Is(err, ErrNotParquet) {
		t.Fatalf("a CSV object: %v", err)
	}
}
