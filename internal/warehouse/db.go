package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/tarnhq/tarn/internal/engine"
)

// openDB opens the warehouse's DuckDB file with the sandbox of DESIGN §7,
// the same settings engine.Open applies (see internal/engine/engine.go):
// extensions never installed or loaded, files readable only under dirs
// and the scratch directory, configuration locked. The warehouse needs
// what engine.Engine does not offer yet: a dedicated connection per
// session (transactions, temp macros, search_path), so it opens the file
// itself; when engine gains a Conn API this moves there.
//
// Settings that must hold for every connection are global (TimeZone UTC,
// integer_division as in Redshift); lock_configuration is set last.
func openDB(ctx context.Context, path, scratch string, dirs []string, memLimit string, threads int) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Join(scratch, "temp"), 0o755); err != nil {
		return nil, fmt.Errorf("warehouse: scratch dir: %w", err)
	}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("warehouse: data dir: %w", err)
		}
	}
	conn, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("warehouse: open %s: %w", path, err)
	}
	db := sql.OpenDB(conn)
	allowed := []string{engine.Quote(slash(scratch))}
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			db.Close()
			return nil, err
		}
		allowed = append(allowed, engine.Quote(slash(abs)))
	}
	settings := []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
		"SET allowed_directories = [" + strings.Join(allowed, ", ") + "]",
		"SET temp_directory = " + engine.Quote(filepath.Join(scratch, "temp")),
		"SET extension_directory = " + engine.Quote(filepath.Join(scratch, "extensions")),
		"SET GLOBAL TimeZone = 'UTC'",
		"SET GLOBAL integer_division = true", // Redshift: 5/2 = 2
		"CREATE SCHEMA IF NOT EXISTS public",
	}
	if threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", threads))
	}
	if memLimit != "" {
		settings = append(settings, "SET memory_limit = "+engine.Quote(memLimit))
	}
	settings = append(settings, "SET enable_external_access = false", "SET lock_configuration = true")
	c, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("warehouse: connect: %w", err)
	}
	defer c.Close()
	for _, s := range settings {
		if _, err := c.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, fmt.Errorf("warehouse: %s: %w", s, err)
		}
	}
	return db, nil
}

func slash(d string) string {
	return strings.TrimSuffix(d, string(filepath.Separator)) + string(filepath.Separator)
}
