package pgwire

import (
	"context"
	"io"
)

// Backend is what a Server serves: it knows the users and opens one
// Session per authenticated connection. Its methods are called
// concurrently from many connections.
type Backend interface {
	// Password returns the secret of user, the plaintext password the
	// client must prove it knows (SCRAM-SHA-256 derives its verifier
	// from it). ok is false for an unknown user; the client then gets
	// the same error as for a wrong password.
	Password(ctx context.Context, user string) (secret string, ok bool)
	// Open starts the session of an authenticated connection. An error
	// ends the connection with a FATAL ErrorResponse (its *Error code,
	// else XX000). ctx ends when the connection does.
	Open(ctx context.Context, info StartupInfo) (Session, error)
}

// StartupInfo describes a connection that passed authentication.
type StartupInfo struct {
	User     string
	Database string            // the "database" startup parameter, defaulting to User as PostgreSQL does
	Params   map[string]string // every startup parameter as sent, user and database included
	// ProcessID is the connection's BackendKeyData process id, unique
	// among the server's live connections (what pg_backend_pid() reports).
	ProcessID  uint32
	RemoteAddr string
	TLS        bool
	// Client sends messages outside of results (notices, parameter
	// changes). Use it only from inside a call the server makes on this
	// session (Open included): it is not safe for concurrent use.
	// ParameterStatus messages sent from Open follow the server's
	// defaults, so a session may report what the client asked for in its
	// startup parameters (TimeZone, DateStyle, ...).
	Client Client
}

// Client is the side channel from a session to its client. Messages are
// buffered and go out with the next flush of the connection.
type Client interface {
	// Notice sends a NoticeResponse. e.Severity defaults to "NOTICE".
	Notice(e *Error)
	// ParameterStatus reports a run-time parameter's new value
	// (e.g. after SET TimeZone), as PostgreSQL does for GUC_REPORT ones.
	ParameterStatus(name, value string)
}

// Session is the SQL side of one connection. The server calls it from
// the connection's goroutine only, one call at a time; ctx of a call that
// runs a statement is cancelled by a CancelRequest or a server shutdown.
type Session interface {
	// Split cuts a simple-protocol Query string into its statements, in
	// order. Zero statements (only blanks or comments) answers
	// EmptyQueryResponse. Each statement is then prepared and run in
	// turn, so a statement may depend on the ones before it; the first
	// error ends the query.
	Split(ctx context.Context, sql string) ([]string, error)
	// Prepare parses one statement. paramOIDs are the types the client
	// gave in Parse (0 or missing: unspecified); the returned
	// Statement's Describe must give the type of every parameter,
	// keeping the client's where it gave one (Bind then expects exactly
	// that many parameters, as PostgreSQL does).
	Prepare(ctx context.Context, sql string, paramOIDs []uint32) (Statement, error)
	// TxStatus is the transaction state reported in ReadyForQuery.
	// BEGIN, COMMIT and a failed transaction block are the session's
	// business; the server only reports them (and closes every portal
	// when a Sync or Query finds the session TxIdle, as PostgreSQL
	// drops portals at transaction end).
	TxStatus() TxStatus
	// Close ends the session; called once, when the connection ends.
	Close() error
}

// Statement is a prepared statement. The server may Execute it many
// times (once per portal; portals of one statement may be open at the
// same time) and closes it once.
type Statement interface {
	// Describe tells the parameter types and result columns. It is
	// called after Prepare and must not change afterwards.
	Describe() Description
	// Execute runs the statement with params decoded as documented on
	// Description.ParamOIDs. ctx lives as long as the portal, which may
	// be fetched over several Execute messages; it is cancelled by a
	// CancelRequest that arrives while the portal runs.
	Execute(ctx context.Context, params []any) (Result, error)
	Close() error
}

// Description is what Describe reports about a statement.
type Description struct {
	// ParamOIDs has one type per parameter ($1 ...). Bind decodes each
	// parameter, text or binary, into a Go value by its type:
	//   bool: bool; int2: int16; int4: int32; int8: int64; oid: uint32
	//   float4: float32; float8: float64
	//   numeric: string, decimal text [+-]digits[.digits][e[+-]N] (as the
	//     client wrote it; from binary as PostgreSQL prints it) or "NaN"
	//   date, timestamp, timestamptz: time.Time (UTC; a timestamp's
	//     wall clock is read as UTC)
	//   bytea: []byte
	//   text, varchar, bpchar, name, json, unknown and 0 (unspecified):
	//     string (valid UTF-8)
	//   any other type: string, its text form (a binary parameter of a
	//     type pgtype knows, e.g. uuid or interval, is converted to text;
	//     one it does not know fails Bind with 0A000)
	// A NULL is nil. Text input is checked as PostgreSQL does (22P02,
	// 22003, 22007, 22008 on bad values).
	ParamOIDs []uint32
	// Columns describes the result rows; nil for a statement that
	// returns none (Describe answers NoData).
	Columns []Column
	// Empty marks a statement with no command (blanks or comments
	// only): Execute answers EmptyQueryResponse without calling
	// Statement.Execute.
	Empty bool
}

// Column is one field of RowDescription.
type Column struct {
	Name         string
	TableOID     uint32 // 0 unless the column is a plain table column
	ColumnAttr   int16
	TypeOID      uint32
	TypeSize     int16 // 0 means the usual size of TypeOID (-1 for variable length)
	TypeModifier int32 // -1 for none; 0 is sent as -1
}

// Result is a running statement, a cursor over its rows. The server
// reads it to the end or until the client stops fetching, then closes it.
type Result interface {
	// Next fills row (one slot per column) with the next row's values
	// and reports whether there was one. Values are encoded by the
	// column's TypeOID in the format Bind asked for (see encode.go for
	// the Go types accepted: nil, bool, ints, floats, string, []byte,
	// time.Time and anything pgtype encodes). The row is encoded before
	// the next call, so the session may reuse what the values point to.
	// For a statement without columns Next is not called.
	Next(ctx context.Context, row []any) (bool, error)
	// Tag is the CommandComplete tag ("SELECT 3", "INSERT 0 1",
	// "CREATE TABLE"), asked once after the rows are done.
	Tag() string
	// Close releases the result; called exactly once.
	Close() error
}

// TxStatus is the transaction status byte of ReadyForQuery.
type TxStatus byte

// Transaction states.
const (
	TxIdle    TxStatus = 'I' // not in a transaction block
	TxInBlock TxStatus = 'T' // in a transaction block
	TxFailed  TxStatus = 'E' // in a failed transaction block
)

// Aborter is an optional ability of a Session: AbortTx is called when
// the server itself fails a message (a bad Bind parameter, an unknown
// portal) while the session is in a transaction block, so the session
// can mark the block failed as PostgreSQL does.
type Aborter interface {
	AbortTx()
}

// Batcher is an optional ability of a Session: EndBatch is called where
// PostgreSQL ends an implicit transaction, after the statements of a
// simple Query and at each Sync of the extended protocol, before
// ReadyForQuery (and before TxStatus is read for it). failed reports
// that an error was sent in the batch; Split (for a Query) or the first
// message after the previous ReadyForQuery starts the next one. An
// error from EndBatch (a failed implicit COMMIT) goes to the client.
type Batcher interface {
	EndBatch(ctx context.Context, failed bool) error
}

// CopyFormat describes a COPY data stream: text (or csv) when Binary is
// false; Columns is the number of columns copied.
type CopyFormat struct {
	Binary  bool
	Columns int
}

// CopyInResult is an optional ability of a Result: COPY ... FROM STDIN.
// The server answers CopyInResponse and calls ReadCopy with a reader of
// the client's CopyData bytes; the reader returns io.EOF at CopyDone and
// a 57014 *Error at CopyFail. After ReadCopy returns nil the server
// sends CommandComplete with Tag.
type CopyInResult interface {
	Result
	CopyIn() CopyFormat
	ReadCopy(ctx context.Context, r io.Reader) error
}

// CopyOutResult is an optional ability of a Result: COPY ... TO STDOUT.
// The server answers CopyOutResponse and calls WriteCopy; each Write
// becomes CopyData (a COPY text row per Write is customary). Then
// CopyDone and CommandComplete with Tag.
type CopyOutResult interface {
	Result
	CopyOut() CopyFormat
	WriteCopy(ctx context.Context, w io.Writer) error
}
