package sql

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/engine"
)

// worker runs queued queries until ctx ends.
func (s *Service) worker(ctx context.Context) {
	defer s.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-s.queue:
			s.runOne(ctx, id)
		}
	}
}

// runOne moves a QUEUED query to RUNNING, runs it and records its end.
func (s *Service) runOne(wctx context.Context, id string) {
	defer s.wake(id)
	if wctx.Err() != nil {
		return // stopping: the query stays QUEUED for the next Start
	}
	qctx, cancel := context.WithCancel(wctx)
	defer cancel()
	var rec *queryRecord
	_, err := s.update(id, func(r *queryRecord) bool {
		if r.State != stateQueued {
			return false // cancelled while queued
		}
		r.State, r.Started = stateRunning, s.now().UnixMilli()
		s.running[id] = cancel
		c := *r
		rec = &c
		return true
	})
	if err != nil || rec == nil {
		return
	}
	out, runErr := s.safeExecute(qctx, rec)
	s.mu.Lock()
	delete(s.running, id)
	s.mu.Unlock()
	_, err = s.update(id, func(r *queryRecord) bool {
		if out != nil {
			r.ResultLocation, r.Columns, r.Header = out.location, out.cols, out.header
			r.Rows, r.UpdateCount, r.Scanned = out.rows, out.updates, out.scanned
		}
		switch {
		case runErr == nil:
			s.finish(r, stateSucceeded, nil)
		case wctx.Err() != nil:
			s.finish(r, stateFailed, &queryError{Code: "GENERIC_INTERNAL_ERROR", Pos: -1,
				Msg: "tarn stopped while the query ran", Category: 1, Type: 100, Retryable: true})
		case qctx.Err() != nil:
			s.finish(r, stateCancelled, nil)
		default:
			s.finish(r, stateFailed, engineError(r.Query, runErr))
		}
		return true
	})
	if err != nil {
		s.log.Error("athena: record query end", "id", id, "err", err)
	}
}

// safeExecute runs execute, turning a panic (a bug) into a failed query
// instead of a crashed process.
func (s *Service) safeExecute(ctx context.Context, r *queryRecord) (out *outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("athena: query panicked", "id", r.ID, "panic", p)
			out, err = nil, &queryError{Code: "GENERIC_INTERNAL_ERROR", Pos: -1, Msg: fmt.Sprintf("internal error: %v", p), Category: 1, Type: 200}
		}
	}()
	return s.execute(ctx, r)
}

// finish records a terminal state; qe is the error of a FAILED query.
func (s *Service) finish(r *queryRecord, state string, qe *queryError) {
	r.State, r.Completed = state, s.now().UnixMilli()
	if qe != nil {
		r.Reason = qe.Error()
		r.Error = &athenaError{ErrorCategory: qe.Category, ErrorType: qe.Type, Retryable: qe.Retryable, ErrorMessage: r.Reason}
		if r.Error.ErrorCategory == 0 {
			r.Error.ErrorCategory, r.Error.ErrorType = 2, 1000
		}
	}
	if state == stateCancelled {
		r.Reason = "Query was cancelled by user"
	}
}

// outcome is what a run produced.
type outcome struct {
	location string // s3:// of the result file
	cols     []colInfo
	header   bool
	rows     int64
	updates  int64
	scanned  int64
}

// execute runs the query of r: one statement, parameters bound.
func (s *Service) execute(ctx context.Context, r *queryRecord) (*outcome, error) {
	q := r.Query
	if first, _ := splitOne(q); len(first) == 0 || !first[0].Is("PREPARE") { // PREPARE keeps its ?s
		var err error
		if q, err = bindParams(r.Query, r.Params); err != nil {
			return nil, err
		}
	}
	stmts, err := engine.Split(q)
	if err != nil {
		return nil, syntaxError(q, len(q), "unterminated quoted string or comment")
	}
	if len(stmts) != 1 {
		pos := -1
		if len(stmts) > 1 {
			pos = stmts[1].Offset
		}
		return nil, (&queryError{Code: "SYNTAX_ERROR", Pos: pos, Msg: "Only one sql statement is allowed. Got: " + fmt.Sprint(len(stmts))}).at(q)
	}
	x := &exec{s: s, r: r, region: r.Region, db: r.Database, src: q, only: s.fileFilter(r.ID)}
	out, err := x.statement(ctx, stmts[0])
	if err != nil {
		return out, engineError(q, shiftError(err, stmts[0].Offset))
	}
	return out, nil
}

// bindParams replaces the ? placeholders of q, in order, with params (SQL
// literals, as Athena's ExecutionParameters are).
func bindParams(q string, params []string) (string, error) {
	toks, err := engine.Lex(q)
	if err != nil {
		return q, nil // the splitter reports it
	}
	n := 0
	var b strings.Builder
	for _, t := range toks {
		if t.Kind == engine.Param && t.Text == "?" {
			if n >= len(params) {
				return "", &queryError{Code: "INVALID_PARAMETER_USAGE", Pos: t.Pos,
					Msg: fmt.Sprintf("Incorrect number of parameters: expected %d but found %d", countParams(toks), len(params))}
			}
			b.WriteString(params[n])
			n++
			continue
		}
		b.WriteString(t.Text)
	}
	if n != len(params) {
		return "", &queryError{Code: "INVALID_PARAMETER_USAGE", Pos: -1,
			Msg: fmt.Sprintf("Incorrect number of parameters: expected %d but found %d", n, len(params))}
	}
	return b.String(), nil
}

func countParams(toks []engine.Token) int {
	n := 0
	for _, t := range toks {
		if t.Kind == engine.Param && t.Text == "?" {
			n++
		}
	}
	return n
}

// splitOne returns the significant tokens of q's first statement.
func splitOne(q string) ([]engine.Token, error) {
	stmts, err := engine.Split(q)
	if err != nil || len(stmts) == 0 {
		return nil, err
	}
	return stmts[0].Tokens, nil
}

// parseS3 splits s3://bucket/prefix into bucket and prefix (no leading '/').
func parseS3(loc string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(loc, "s3://")
	if !ok {
		rest, ok = strings.CutPrefix(loc, "s3a://")
	}
	if !ok || rest == "" || rest[0] == '/' {
		return "", "", errors.New("sql: not an s3:// location")
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	return bucket, prefix, nil
}

// dirPrefix makes a non-empty prefix end in '/'.
func dirPrefix(p string) string {
	if p != "" && !strings.HasSuffix(p, "/") {
		return p + "/"
	}
	return p
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// Pagination tokens are the opaque base64 of a resume key.
func encodeToken(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("tarn1:" + key))
}

func decodeToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), "tarn1:") {
		return "", errors.New("sql: bad token")
	}
	return string(b[len("tarn1:"):]), nil
}

// scanFrom scans keys with prefix starting at start (inclusive).
func (s *Service) scanFrom(prefix, start string, fn func(key string, v []byte) (bool, error)) error {
	it, err := s.meta.Iter([]byte(start), prefixEnd([]byte(prefix)))
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return err
		}
		more, err := fn(string(it.Key()), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}
