package tpch

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// LoadWarehouse creates the eight tables in a Redshift-style warehouse
// (tarn's, over the PostgreSQL wire) and loads each with COPY ... FORMAT
// AS PARQUET from the table's folder under location (s3://bucket/prefix,
// where UploadParquet put the files), as a Redshift user would.
func LoadWarehouse(ctx context.Context, conn *pgx.Conn, location, iamRole string) error {
	location = strings.TrimSuffix(location, "/")
	for i := len(tableDefs) - 1; i >= 0; i-- {
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+tableDefs[i].Name); err != nil {
			return fmt.Errorf("tpch: warehouse drop %s: %w", tableDefs[i].Name, err)
		}
	}
	for _, t := range tableDefs {
		if _, err := conn.Exec(ctx, t.CreateTable()); err != nil {
			return fmt.Errorf("tpch: warehouse create %s: %w", t.Name, err)
		}
		q := fmt.Sprintf("COPY %s FROM '%s/%s/' IAM_ROLE '%s' FORMAT AS PARQUET", t.Name, location, t.Name, iamRole)
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("tpch: warehouse %s: %w", q, err)
		}
	}
	return nil
}
