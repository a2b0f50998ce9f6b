package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// session is one warehouse connection (a pgwire session, or one Data
// API statement run): a dedicated DuckDB connection, so that BEGIN ...
// COMMIT is a DuckDB transaction and search_path is per session.
// Used from one goroutine at a time.
type session struct {
	s        *Service
	conn     *sql.Conn
	user     string
	database string
	pid      uint32
	tx       pgwire.TxStatus
	params   map[string]string // client parameters set with SET
	path     []string          // search_path
	client   pgwire.Client     // notices; nil for Data API runs
	open     *streamResult     // a result still reading from conn
	implicit bool              // a multi-statement Query runs in an implicit transaction
}

var (
	_ pgwire.Session = (*session)(nil)
	_ pgwire.Aborter = (*session)(nil)
	_ pgwire.Batcher = (*session)(nil)
)

func (s *Service) newSession(ctx context.Context, user, database string, pid uint32) (*session, error) {
	if database == "" {
		database = DefaultDatabase
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	se := &session{s: s, conn: conn, user: user, database: database, pid: pid, tx: pgwire.TxIdle,
		params: map[string]string{}, path: []string{"$user", "public"}}
	if err := se.applyPath(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return se, nil
}

// applyPath sets DuckDB's search_path from the session's (schemas that
// do not exist, such as "$user", are skipped, as PostgreSQL does).
func (se *session) applyPath(ctx context.Context) error {
	var keep []string
	for _, p := range se.path {
		if p == "$user" || p == "" {
			continue
		}
		keep = append(keep, p)
	}
	if len(keep) == 0 {
		keep = []string{"public"}
	}
	_, err := se.conn.ExecContext(ctx, "SET search_path = "+engine.Quote(strings.Join(keep, ",")))
	return err
}

func (se *session) schema() string {
	for _, p := range se.path {
		if p != "$user" && p != "" {
			return p
		}
	}
	return "public"
}

func (se *session) tctx() tctx {
	return tctx{user: se.user, database: se.database, schema: se.schema()}
}

// Split cuts a Query into statements with the engine's lexer.
func (se *session) Split(ctx context.Context, q string) ([]string, error) {
	stmts, err := engine.Split(q)
	if err != nil {
		return nil, pgwire.Errorf(pgwire.CodeSyntaxError, "unterminated quoted string or comment")
	}
	out := make([]string, len(stmts))
	control := false
	for i, s := range stmts {
		out[i] = s.Text
		switch s.Tokens[0].Upper() {
		case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "VACUUM":
			control = true
		}
	}
	// As in PostgreSQL, the statements of one Query form one implicit
	// transaction (unless they manage transactions themselves).
	if len(stmts) > 1 && !control && se.tx == pgwire.TxIdle {
		se.settle()
		if _, err := se.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return nil, pgError(err)
		}
		se.implicit = true
	}
	return out, nil
}

// EndBatch commits (or, after an error, rolls back) the implicit
// transaction of a multi-statement Query.
func (se *session) EndBatch(ctx context.Context, failed bool) error {
	if !se.implicit {
		return nil
	}
	se.implicit = false
	se.settle()
	if failed {
		_, err := se.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return pgError(err)
	}
	if _, err := se.conn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		se.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return pgError(err)
	}
	return nil
}

func (se *session) TxStatus() pgwire.TxStatus { return se.tx }

// AbortTx marks the transaction block failed.
func (se *session) AbortTx() {
	if se.tx == pgwire.TxInBlock {
		se.tx = pgwire.TxFailed
	}
}

// Close rolls back an open transaction and returns the connection.
func (se *session) Close() error {
	if se.open != nil {
		se.open.finish()
	}
	if se.tx != pgwire.TxIdle || se.implicit {
		se.conn.ExecContext(context.Background(), "ROLLBACK")
	}
	// The next session sets its own search_path on this connection.
	return se.conn.Close()
}

// fail records a statement error for the transaction state and maps it
// to the client's SQLSTATE.
func (se *session) fail(err error) error {
	se.AbortTx()
	return pgError(err)
}

// pgError maps a DuckDB error to a PostgreSQL one.
func pgError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgwire.Error
	if errors.As(err, &pe) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	msg := err.Error()
	code := pgwire.CodeInternalError
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(msg, "Parser Error"):
		code = pgwire.CodeSyntaxError
	case strings.Contains(msg, "Catalog Error") && (strings.Contains(msg, "Table with name") || strings.Contains(msg, "View with name")):
		code = pgwire.CodeUndefinedTable
		if i := strings.Index(msg, "with name "); i >= 0 {
			rest := msg[i+len("with name "):]
			if j := strings.Index(rest, " does not exist"); j >= 0 {
				return &pgwire.Error{Code: code, Message: `relation "` + rest[:j] + `" does not exist`, Detail: firstLine(msg)}
			}
		}
	case strings.Contains(msg, "Catalog Error") && strings.Contains(msg, "already exists"):
		code = "42P07"
	case strings.Contains(msg, "Catalog Error") && strings.Contains(msg, "Function with name"):
		code = pgwire.CodeUndefinedFunction
	case strings.Contains(msg, "Catalog Error") && strings.Contains(msg, "Schema with name"):
		code = "3F000"
	case strings.Contains(msg, "Binder Error") && strings.Contains(low, "column"):
		code = pgwire.CodeUndefinedColumn
	case strings.Contains(msg, "Constraint Error") && strings.Contains(low, "not null"):
		code = "23502"
	case strings.Contains(msg, "Constraint Error"):
		code = "23505"
	case strings.Contains(msg, "Conversion Error") || strings.Contains(msg, "Invalid Input Error"):
		code = pgwire.CodeInvalidTextRepresentation
	case strings.Contains(msg, "Out of Range Error"):
		code = pgwire.CodeNumericValueOutOfRange
	case strings.Contains(msg, "Division by zero") || strings.Contains(low, "division by zero"):
		code = "22012"
	case strings.Contains(msg, "TransactionContext Error") && strings.Contains(low, "conflict"):
		code = "40001" // serialization failure: retry the transaction
	case strings.Contains(msg, "TransactionContext Error") && strings.Contains(msg, "aborted"):
		code = pgwire.CodeInFailedTransaction
	case errors.Is(err, engine.ErrTimeout):
		code = pgwire.CodeQueryCanceled
		msg = "Query cancelled on user's request: statement timeout"
	}
	return &pgwire.Error{Code: code, Message: firstLine(msg)}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
