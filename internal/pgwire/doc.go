// Package pgwire is the server side of the PostgreSQL frontend/backend
// protocol, version 3.0, over github.com/jackc/pgx/v5/pgproto3 for the
// message codecs. It knows no SQL: a Backend authenticates users and
// opens a Session per connection; the Session splits, prepares and runs
// statements and reports the transaction state. tarn's Redshift-style
// warehouse is such a Backend.
//
// What the server does itself:
//
//   - startup: SSLRequest ('S' and a TLS handshake when Options.TLSConfig
//     is set, else 'N'; the packets before TLS are read unbuffered),
//     GSSENCRequest ('N'), CancelRequest, protocol 3.2 and _pq_ options
//     negotiated down to 3.0 (NegotiateProtocolVersion), a startup
//     timeout, MaxConnections (53300);
//   - authentication: SCRAM-SHA-256 (the default; SCRAM-SHA-256-PLUS with
//     tls-server-end-point binding over TLS), cleartext or md5, against the
//     plaintext secret Backend.Password returns. A wrong password and an
//     unknown user both fail with FATAL 28P01 "password authentication
//     failed for user ...";
//   - ParameterStatus at startup (server_version, UTF8 encodings,
//     DateStyle ISO, MDY, TimeZone UTC, integer_datetimes, ...), then
//     BackendKeyData and ReadyForQuery;
//   - simple query: Session.Split, then per statement RowDescription,
//     DataRows, CommandComplete (EmptyQueryResponse for none); the first
//     ErrorResponse ends the query;
//   - extended query: named and unnamed statements and portals, Parse,
//     Bind (parameters decoded from text or binary by type, see
//     Description), Describe of statements and portals, Execute with a
//     row limit (PortalSuspended; the next Execute continues the same
//     Result), Close, Sync, Flush; after an error every message up to
//     Sync is skipped. Portals are dropped when a Sync or Query finds the
//     session outside a transaction block;
//   - results encoded per column type in text or binary as Bind asks
//     (encode.go lists the Go values accepted);
//   - cancel: a CancelRequest with a connection's process id and secret
//     cancels the context of the statement running there; the error the
//     client gets is 57014 "canceling statement due to user request";
//   - errors: a session's *Error goes out with its SQLSTATE and fields,
//     any other error as XX000; NoticeResponse and ParameterStatus through
//     StartupInfo.Client;
//   - COPY FROM STDIN / TO STDOUT when a Result implements CopyInResult or
//     CopyOutResult;
//   - Batcher hears where implicit transactions end (Query end, Sync);
//   - oversized messages (Options.MaxMessageSize) end the connection with
//     FATAL 08P01; Close ends sessions with FATAL 57P01.
//
// A client that hangs up while a statement runs (in Statement.Execute or
// between rows) gets the statement's context cancelled (watch.go), like
// PostgreSQL's client_connection_check_interval; COPY is not watched.
//
// Not done: the function-call sub-protocol answers 0A000; replication
// and GSSAPI/SSPI authentication are absent.
//
// Concurrency: each connection runs on its own goroutine and calls its
// Session from there only. Server methods are safe for concurrent use.
// Lock order: Server.mu, then conn.mu (conn.mu guards only the cancel
// func of the running statement).
package pgwire
