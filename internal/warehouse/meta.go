package warehouse

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// tarn's own warehouse metadata (SORTKEYs, external schemas) lives in
// the DuckDB file beside the tables it describes, in pg_internal (as
// Redshift's internal schema is named), so that it commits with them.
const metaDDL = `CREATE SCHEMA IF NOT EXISTS pg_internal;
CREATE TABLE IF NOT EXISTS pg_internal.tarn_meta (kind VARCHAR, name VARCHAR, value VARCHAR, PRIMARY KEY (kind, name));
CREATE TABLE IF NOT EXISTS pg_internal.stl_load_errors (userid INTEGER, slice INTEGER, tbl INTEGER, starttime TIMESTAMP, session INTEGER, query INTEGER,
	filename VARCHAR, line_number BIGINT, colname VARCHAR, type VARCHAR, col_length VARCHAR, position INTEGER, raw_line VARCHAR,
	raw_field_value VARCHAR, err_code INTEGER, err_reason VARCHAR, is_partial INTEGER, start_offset BIGINT);
CREATE OR REPLACE VIEW pg_internal.pg_inherits AS SELECT 0::BIGINT AS inhrelid, 0::BIGINT AS inhparent, 0 AS inhseqno, false AS inhdetachpending WHERE false;
CREATE OR REPLACE VIEW pg_internal.pg_trigger AS SELECT 0::BIGINT AS oid, 0::BIGINT AS tgrelid, ''::VARCHAR AS tgname, 0::BIGINT AS tgfoid, 0 AS tgtype, ''::VARCHAR AS tgenabled, false AS tgisinternal, 0::BIGINT AS tgconstraint, 0::BIGINT AS tgparentid WHERE false;
CREATE OR REPLACE VIEW pg_internal.pg_policy AS SELECT 0::BIGINT AS oid, ''::VARCHAR AS polname, 0::BIGINT AS polrelid, ''::VARCHAR AS polcmd, true AS polpermissive, []::BIGINT[] AS polroles, NULL::VARCHAR AS polqual, NULL::VARCHAR AS polwithcheck WHERE false;
CREATE OR REPLACE VIEW pg_internal.pg_statistic_ext AS SELECT 0::BIGINT AS oid, 0::BIGINT AS stxrelid, ''::VARCHAR AS stxname, 0::BIGINT AS stxnamespace, []::INTEGER[] AS stxkeys, []::VARCHAR[] AS stxkind WHERE false;
CREATE OR REPLACE VIEW pg_internal.pg_publication AS SELECT 0::BIGINT AS oid, ''::VARCHAR AS pubname, false AS puballtables WHERE false;
CREATE OR REPLACE VIEW pg_internal.pg_publication_rel AS SELECT 0::BIGINT AS oid, 0::BIGINT AS prpubid, 0::BIGINT AS prrelid WHERE false;
CREATE OR REPLACE VIEW pg_internal.pg_database AS SELECT 100001::BIGINT AS oid, 'dev' AS datname, 100::BIGINT AS datdba, 6 AS encoding, 'C' AS datcollate, 'C' AS datctype, NULL::VARCHAR[] AS datacl, true AS datallowconn, false AS datistemplate, 0::BIGINT AS dattablespace, -1 AS datconnlimit;
CREATE OR REPLACE VIEW pg_internal.pg_rewrite AS SELECT 0::BIGINT AS oid, ''::VARCHAR AS rulename, 0::BIGINT AS ev_class WHERE false`

// recordLoadError adds a row to stl_load_errors on its own connection
// (it stays when the load's transaction rolls back, as in Redshift).
func (s *Service) recordLoadError(ctx context.Context, pid uint32, table, file string, reason string) {
	_, err := s.db.ExecContext(context.WithoutCancel(ctx), `INSERT INTO pg_internal.stl_load_errors
		(userid, slice, tbl, starttime, session, query, filename, line_number, colname, type, col_length, position, raw_line, raw_field_value, err_code, err_reason, is_partial, start_offset)
		VALUES (100, 0, coalesce((SELECT table_oid FROM duckdb_tables() WHERE table_name = ? LIMIT 1), 0), CAST(get_current_timestamp() AS TIMESTAMP), ?, 0, ?, 0, '', '', '', 0, '', '', 1200, ?, 0, 0)`,
		table, int64(pid), file, reason)
	if err != nil {
		s.log.Warn("warehouse: record load error", "err", err)
	}
}

// missingCatalog are pg_catalog tables psql asks for that DuckDB lacks;
// pg_internal holds empty stand-ins (no inheritance, triggers, policies,
// publications or rules in the warehouse).
var missingCatalog = map[string]bool{"pg_inherits": true, "pg_trigger": true, "pg_policy": true, "pg_statistic_ext": true,
	"pg_publication": true, "pg_publication_rel": true, "pg_rewrite": true, "pg_database": true}

// systemTables are Redshift system tables tarn keeps, named unqualified
// (or with pg_catalog.) by users; they live in pg_internal.
var systemTables = map[string]bool{"stl_load_errors": true}

// extSchema is an external schema: a Glue database.
type extSchema struct {
	Database string `json:"database"`
	Region   string `json:"region"`
	IAMRole  string `json:"iamRole,omitempty"`
}

func (s *Service) loadMeta(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, metaDDL); err != nil {
		return fmt.Errorf("warehouse: meta: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT name, value FROM pg_internal.tarn_meta WHERE kind = 'external'")
	if err != nil {
		return fmt.Errorf("warehouse: meta: %w", err)
	}
	defer rows.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for rows.Next() {
		var name, val string
		if err := rows.Scan(&name, &val); err != nil {
			return err
		}
		var e extSchema
		if err := json.Unmarshal([]byte(val), &e); err != nil {
			return fmt.Errorf("warehouse: external schema %s: %w", name, err)
		}
		s.external[name] = e
	}
	return rows.Err()
}

// setMeta stores a metadata entry through conn (the session's, so it is
// part of its transaction).
func (s *Service) setMeta(ctx context.Context, conn *sql.Conn, kind, name, value string) error {
	_, err := conn.ExecContext(ctx, "INSERT OR REPLACE INTO pg_internal.tarn_meta VALUES (?, ?, ?)", kind, strings.ToLower(name), value)
	return err
}

func (s *Service) deleteMeta(ctx context.Context, conn *sql.Conn, kind, name string) error {
	_, err := conn.ExecContext(ctx, "DELETE FROM pg_internal.tarn_meta WHERE kind = ? AND name = ?", kind, strings.ToLower(name))
	return err
}

// sortKey is the recorded SORTKEY of schema.table, nil when none.
func (s *Service) sortKey(ctx context.Context, conn *sql.Conn, table string) []string {
	var v string
	err := conn.QueryRowContext(ctx, "SELECT value FROM pg_internal.tarn_meta WHERE kind = 'sortkey' AND name = ?", strings.ToLower(table)).Scan(&v)
	if err != nil || v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func (s *Service) isExternal(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.external[name]
	return ok
}

func (s *Service) externalSchema(name string) (extSchema, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.external[name]
	return e, ok
}
