// Package engine is tarn's sandboxed embedded SQL engine: one DuckDB
// database (in memory, or in a file for the warehouse) opened with the
// sandbox of DESIGN §7 set on its first connection before anything else
// runs: external access off except for the directories the caller names
// and the engine's own scratch directory, extensions never installed or
// loaded automatically, and the configuration locked so SQL cannot undo
// any of it. Every query has a timeout, and cancelling its context really
// interrupts DuckDB.
//
// The package also holds the SQL lexer shared by the dialects built on it
// (Lex), the statement splitter (Split) and classifier (Classify), and the
// read-only gate (Engine.Query), which prepares a statement with Prepare —
// never PrepareContext, which would run all but the last of several
// statements — and refuses everything that is not one plain read.
package engine
