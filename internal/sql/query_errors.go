package sql

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/tarnhq/tarn/internal/engine"
)

// queryError is a failed query's error as Athena reports it in
// StateChangeReason and AthenaError: "CODE: line L:C: message".
type queryError struct {
	Code      string // Trino error name, e.g. TABLE_NOT_FOUND
	Pos       int    // byte offset in the user's query; -1 when unknown
	Msg       string
	Category  int // AthenaError.ErrorCategory: 1 system, 2 user, 3 other
	Type      int // AthenaError.ErrorType
	Retryable bool
	line, col int
}

func (e *queryError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("%s: line %d:%d: %s", e.Code, e.line, e.col, e.Msg)
	}
	return e.Code + ": " + e.Msg
}

// at fixes the error's line and column from its offset in src.
func (e *queryError) at(src string) *queryError {
	if e.Pos >= 0 && e.line == 0 {
		e.line, e.col = lineCol(src, e.Pos)
	}
	if e.Category == 0 {
		e.Category, e.Type = 2, 1000 // user error
	}
	return e
}

func lineCol(src string, pos int) (int, int) {
	if pos > len(src) {
		pos = len(src)
	}
	before := src[:pos]
	line := strings.Count(before, "\n") + 1
	col := pos - strings.LastIndexByte(before, '\n')
	return line, col
}

func syntaxError(src string, pos int, msg string) error {
	return &queryError{Code: "SYNTAX_ERROR", Pos: pos, Msg: msg}
}

func tableNotFound(ref tableRef, db string) error {
	return &queryError{Code: "TABLE_NOT_FOUND", Pos: ref.Pos,
		Msg: fmt.Sprintf("Table 'awsdatacatalog.%s.%s' does not exist", db, ref.Name)}
}

func schemaNotFound(ref tableRef, db string) error {
	return &queryError{Code: "SCHEMA_NOT_FOUND", Pos: ref.Pos, Msg: fmt.Sprintf("Schema '%s' does not exist", db)}
}

var (
	reColumn   = regexp.MustCompile(`Referenced column "([^"]+)" not found`)
	reFunction = regexp.MustCompile(`(?:Scalar|Table|Aggregate) Function with name "?([^" ]+)"? does not exist`)
	reNear     = regexp.MustCompile(`syntax error at or near "([^"]*)"`)
)

// engineError maps an engine (DuckDB) error of the translated query to
// Athena's shape, locating it in the user's query src where it can.
func engineError(src string, err error) *queryError {
	var qe *queryError
	if errors.As(err, &qe) {
		return qe.at(src)
	}
	if errors.Is(err, engine.ErrTimeout) {
		return &queryError{Code: "EXCEEDED_TIME_LIMIT", Pos: -1, Msg: "Query exceeded maximum allowed time limit", Category: 1, Type: 206}
	}
	if errors.Is(err, engine.ErrRefused) {
		return (&queryError{Code: "NOT_SUPPORTED", Pos: -1, Msg: "Only one read-only statement may run here"}).at(src)
	}
	msg := err.Error()
	first := msg
	if i := strings.Index(first, "\n"); i >= 0 {
		first = first[:i]
	}
	find := func(word string, call bool) int {
		toks, _ := engine.Lex(src)
		for i, t := range toks {
			if strings.EqualFold(t.Value(), word) && (t.Kind == engine.Ident || t.Kind == engine.QuotedIdent || t.Kind == engine.Punct) {
				if call {
					if n := firstSig(toks, i+1); n < 0 || toks[n].Text != "(" {
						continue
					}
				}
				return t.Pos
			}
		}
		return -1
	}
	var de *duckdb.Error
	typ := duckdb.ErrorTypeInvalid
	if errors.As(err, &de) {
		typ = de.Type
	}
	switch {
	case reColumn.MatchString(first):
		col := reColumn.FindStringSubmatch(first)[1]
		if i := strings.LastIndexByte(col, '.'); i >= 0 {
			col = col[i+1:]
		}
		return (&queryError{Code: "COLUMN_NOT_FOUND", Pos: find(col, false),
			Msg: fmt.Sprintf("Column '%s' cannot be resolved or requester is not authorized to access requested resources", col)}).at(src)
	case reFunction.MatchString(first):
		fn := reFunction.FindStringSubmatch(first)[1]
		return (&queryError{Code: "FUNCTION_NOT_FOUND", Pos: find(fn, true), Msg: fmt.Sprintf("Function '%s' not registered", fn)}).at(src)
	case typ == duckdb.ErrorTypeParser || typ == duckdb.ErrorTypeSyntax:
		pos := -1
		if m := reNear.FindStringSubmatch(first); m != nil {
			pos = find(m[1], false)
			return (&queryError{Code: "SYNTAX_ERROR", Pos: pos, Msg: fmt.Sprintf("mismatched input '%s'", m[1])}).at(src)
		}
		return (&queryError{Code: "SYNTAX_ERROR", Pos: pos, Msg: stripKind(first)}).at(src)
	case typ == duckdb.ErrorTypeBinder && strings.Contains(first, "No function matches"):
		return (&queryError{Code: "FUNCTION_NOT_FOUND", Pos: -1, Msg: stripKind(first)}).at(src)
	case typ == duckdb.ErrorTypeBinder || typ == duckdb.ErrorTypeMismatchType:
		return (&queryError{Code: "TYPE_MISMATCH", Pos: -1, Msg: stripKind(first)}).at(src)
	case typ == duckdb.ErrorTypeConversion || typ == duckdb.ErrorTypeInvalidInput:
		return (&queryError{Code: "INVALID_CAST_ARGUMENT", Pos: -1, Msg: stripKind(first), Type: 1001, Category: 2}).at(src)
	case typ == duckdb.ErrorTypeDivideByZero:
		return (&queryError{Code: "DIVISION_BY_ZERO", Pos: -1, Msg: "Division by zero", Type: 1001, Category: 2}).at(src)
	case typ == duckdb.ErrorTypeOutOfMemory:
		return &queryError{Code: "EXCEEDED_LOCAL_MEMORY_LIMIT", Pos: -1, Msg: "Query exhausted resources at this scale factor", Category: 1, Type: 0}
	case typ == duckdb.ErrorTypePermission:
		return (&queryError{Code: "PERMISSION_DENIED", Pos: -1, Msg: stripKind(first)}).at(src)
	}
	return (&queryError{Code: "GENERIC_USER_ERROR", Pos: -1, Msg: stripKind(first)}).at(src)
}

// stripKind drops DuckDB's "Binder Error: " style prefix.
func stripKind(s string) string {
	if i := strings.Index(s, " Error: "); i >= 0 && i < 30 {
		return s[i+len(" Error: "):]
	}
	return s
}
