package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/sample"
)

// The warehouse stage: the curated table is COPYed into the Redshift-style
// warehouse and a report runs over the PostgreSQL wire, as a BI tool would.
const demoWarehouseRole = "arn:aws:iam::000000000000:role/tarn-demo-redshift"

// warehouseSummary is what the warehouse stage reports.
type warehouseSummary struct {
	pgAddr string
	loaded int64
	took   time.Duration
	report [][]string
}

// warehouseReport loads s3://shop-raw/curated/daily_sales/ with COPY and
// runs the revenue-by-country report, in Redshift's SQL, over pgx.
func warehouseReport(ctx context.Context, pgAddr string, cfg config.Config, orders []sample.Order) (warehouseSummary, error) {
	s := warehouseSummary{pgAddr: pgAddr}
	url := fmt.Sprintf("postgres://%s:%s@%s/dev?sslmode=disable", cfg.AccessKey, cfg.SecretKey, pgAddr)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return s, fmt.Errorf("connect to the warehouse: %w", err)
	}
	defer conn.Close(context.Background())
	start := time.Now()
	for _, q := range []string{
		`DROP TABLE IF EXISTS ` + demoDailySales,
		`CREATE TABLE ` + demoDailySales + ` (dt VARCHAR(10), country CHAR(2), orders BIGINT, revenue DECIMAL(12,2))
		 DISTSTYLE ALL SORTKEY (dt)`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return s, fmt.Errorf("warehouse: %w", err)
		}
	}
	tag, err := conn.Exec(ctx, fmt.Sprintf(`COPY %s FROM 's3://%s/%s%s/' IAM_ROLE '%s' FORMAT AS PARQUET`,
		demoDailySales, demoBucket, demoCuratedPfx, demoDailySales, demoWarehouseRole))
	if err != nil {
		return s, fmt.Errorf("warehouse COPY: %w", err)
	}
	s.loaded = tag.RowsAffected()
	rows, err := conn.Query(ctx, `
SELECT country, SUM(orders) AS orders, SUM(revenue) AS revenue,
       ROUND(100.0 * SUM(revenue) / SUM(SUM(revenue)) OVER (), 1) AS share_pct,
       MIN(dt) || ' .. ' || MAX(dt) AS days
FROM `+demoDailySales+` GROUP BY country ORDER BY revenue DESC`, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return s, fmt.Errorf("warehouse report: %w", err)
	}
	s.report = [][]string{{"country", "orders", "revenue", "share_pct", "days"}}
	var total float64
	for rows.Next() {
		// The simple protocol answers text, as psql shows it.
		vals := rows.RawValues()
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = string(v)
		}
		f, _ := strconv.ParseFloat(row[2], 64)
		total += f
		s.report = append(s.report, row)
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("warehouse report: %w", err)
	}
	s.took = time.Since(start)
	var want float64
	for _, o := range orders {
		want += o.Total
	}
	if math.Abs(total-want) > 0.01*float64(len(s.report)) {
		return s, fmt.Errorf("the warehouse's revenue %.2f differs from the sample's %.2f", total, want)
	}
	return s, nil
}

// printWarehouse prints the warehouse stage.
func printWarehouse(w io.Writer, s *warehouseSummary) {
	fmt.Fprintf(w, "\nWarehouse: COPY s3://%s/%s%s/ -> %s (%d rows) -> report over the PostgreSQL wire (postgres://%s/dev) in %s\n",
		demoBucket, demoCuratedPfx, demoDailySales, demoDailySales, s.loaded, s.pgAddr, s.took.Round(time.Millisecond))
	printRows(w, s.report, 8)
}
