package warehouse

import (
	"context"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// runFunc executes a statement tarn answers itself.
type runFunc func(ctx context.Context, params []any) (pgwire.Result, error)

// stmt is a prepared statement: either SQL that runs on DuckDB (sql) or
// a statement tarn answers itself (run).
type stmt struct {
	se    *session
	desc  pgwire.Description
	sql   string   // translated, for DuckDB
	pre   []string // run before sql (IDENTITY sequences)
	tag   string   // command tag word(s): "SELECT", "INSERT 0", "CREATE TABLE", ...
	rows  bool     // returns rows
	conv  []converter
	table string // CREATE TABLE: the table, and its SORTKEY
	sort  []string
	run   runFunc
	// txEnd marks COMMIT/ROLLBACK, which run in a failed block.
	txEnd bool
}

func (st *stmt) Describe() pgwire.Description { return st.desc }
func (st *stmt) Close() error                 { return nil }

// refusedWords start statements that would leave the sandbox or change
// the engine.
var refusedWords = map[string]bool{
	"ATTACH": true, "DETACH": true, "INSTALL": true, "LOAD": true, "PRAGMA": true, "EXPORT": true, "IMPORT": true,
	"CALL": true, "FORCE": true, "USE": true, "CHECKPOINT": true, "SUMMARIZE": true, "DESCRIBE": true, "PIVOT": true,
	"UNPIVOT": true, "FROM": true, "UPDATE_EXTENSIONS": true,
}

// Prepare classifies and translates one statement. An error inside a
// transaction block fails the block, as in PostgreSQL.
func (se *session) Prepare(ctx context.Context, q string, paramOIDs []uint32) (pgwire.Statement, error) {
	se.settle()
	st, err := se.prepare(ctx, q, paramOIDs)
	if err != nil {
		return nil, se.fail(err)
	}
	if se.tx == pgwire.TxFailed && st.run == nil && !st.desc.Empty {
		return nil, pgwire.Errorf(pgwire.CodeInFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	return st, nil
}

func (se *session) prepare(ctx context.Context, q string, paramOIDs []uint32) (*stmt, error) {
	stmts, err := engine.Split(q)
	if err != nil {
		return nil, pgwire.Errorf(pgwire.CodeSyntaxError, "unterminated quoted string or comment")
	}
	if len(stmts) == 0 {
		return &stmt{se: se, desc: pgwire.Description{Empty: true}}, nil
	}
	if len(stmts) > 1 {
		return nil, pgwire.Errorf(pgwire.CodeSyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	sig := stmts[0].Tokens
	st := &stmt{se: se}
	w0 := sig[0].Upper()
	w1 := ""
	if len(sig) > 1 {
		w1 = sig[1].Upper()
	}
	switch {
	case sig[0].Kind != engine.Ident && sig[0].Text != "(":
		return nil, errSyntax(sig[0].Text)
	case refusedWords[w0], w0 == "SET" && w1 == "GLOBAL",
		w0 == "CREATE" && (w1 == "SECRET" || w1 == "MACRO" || w1 == "FUNCTION" || w1 == "PERSISTENT" || w1 == "TYPE" ||
			((w1 == "OR" || w1 == "TEMP" || w1 == "TEMPORARY") && len(sig) > 3 && (sig[3].Is("MACRO") || sig[3].Is("SECRET") || sig[2].Is("MACRO") || sig[2].Is("SECRET")))):
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "%s is not supported in the warehouse", strings.ToUpper(strings.Join(words(sig, 2), " ")))
	case w0 == "BEGIN" || w0 == "START":
		st.run = se.begin
	case w0 == "COMMIT" || w0 == "END":
		st.run, st.txEnd = se.commit, true
	case w0 == "ROLLBACK" || w0 == "ABORT":
		st.run, st.txEnd = se.rollback, true
	case w0 == "SET" || w0 == "RESET":
		st.run, err = se.prepareSet(sig)
	case w0 == "SHOW":
		err = se.prepareShow(st, sig)
	case w0 == "DISCARD":
		st.run = tagOnly("DISCARD ALL")
	case w0 == "VACUUM" || w0 == "ANALYZE" || w0 == "GRANT" || w0 == "REVOKE" || w0 == "DEALLOCATE":
		// Storage is DuckDB's (no vacuum or statistics to keep); every
		// user has every privilege.
		st.run = tagOnly(w0)
	case w0 == "COPY":
		st.run, err = se.prepareCopy(sig)
	case w0 == "UNLOAD":
		st.run, err = se.prepareUnload(sig)
	case w0 == "CREATE" && w1 == "EXTERNAL":
		st.run, err = se.prepareExternalSchema(sig)
	case w0 == "DROP" && w1 == "SCHEMA" && se.s.isExternal(lastIdent(sig)):
		st.run = se.dropExternalSchema(lastIdent(sig))
	default:
		err = se.preparePass(ctx, st, q, sig, paramOIDs)
	}
	if err != nil {
		return nil, err
	}
	if st.desc.ParamOIDs == nil {
		st.desc.ParamOIDs = paramOIDs
	}
	return st, nil
}

func words(sig []engine.Token, n int) []string {
	var out []string
	for _, t := range sig {
		if len(out) == n || t.Kind != engine.Ident {
			break
		}
		out = append(out, t.Text)
	}
	return out
}

func lastIdent(sig []engine.Token) string {
	for i := len(sig) - 1; i >= 0; i-- {
		if sig[i].Kind == engine.Ident || sig[i].Kind == engine.QuotedIdent {
			if sig[i].Is("CASCADE") || sig[i].Is("RESTRICT") {
				continue
			}
			return identName(sig[i])
		}
	}
	return ""
}

// tagOnly answers a statement with its tag and nothing else.
func tagOnly(tag string) runFunc {
	return func(context.Context, []any) (pgwire.Result, error) { return &result{tag: tag}, nil }
}

func (se *session) begin(ctx context.Context, _ []any) (pgwire.Result, error) {
	if se.tx == pgwire.TxIdle {
		if _, err := se.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return nil, pgError(err)
		}
		se.tx = pgwire.TxInBlock
	}
	return &result{tag: "BEGIN"}, nil
}

func (se *session) commit(ctx context.Context, _ []any) (pgwire.Result, error) {
	switch se.tx {
	case pgwire.TxIdle:
		return &result{tag: "COMMIT"}, nil
	case pgwire.TxFailed:
		se.conn.ExecContext(ctx, "ROLLBACK")
		se.tx = pgwire.TxIdle
		return &result{tag: "ROLLBACK"}, nil
	}
	se.tx = pgwire.TxIdle
	if _, err := se.conn.ExecContext(ctx, "COMMIT"); err != nil {
		se.conn.ExecContext(ctx, "ROLLBACK")
		return nil, pgError(err)
	}
	return &result{tag: "COMMIT"}, nil
}

func (se *session) rollback(ctx context.Context, _ []any) (pgwire.Result, error) {
	if se.tx != pgwire.TxIdle {
		se.conn.ExecContext(ctx, "ROLLBACK")
		se.tx = pgwire.TxIdle
	}
	return &result{tag: "ROLLBACK"}, nil
}

// Execute runs the statement on the session's connection.
func (st *stmt) Execute(ctx context.Context, params []any) (pgwire.Result, error) {
	se := st.se
	se.settle()
	if se.tx == pgwire.TxFailed && !st.txEnd {
		return nil, pgwire.Errorf(pgwire.CodeInFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if st.run != nil {
		r, err := st.run(ctx, params)
		if err != nil {
			return nil, se.fail(err)
		}
		return r, nil
	}
	r, err := st.exec(ctx, params)
	if err != nil {
		return nil, se.fail(err)
	}
	return r, nil
}
