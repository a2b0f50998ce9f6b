package jobs

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// SQL jobs: a .sql script split into statements (quotes, comments and
// dollar quotes respected), ${name} replaced by the run's --name
// argument, each statement run in order through Options.SQL.
//
// Reserved arguments: --database (default "default"), --engine (athena,
// the default, or warehouse), --job-bookmark-option.

var placeholder = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}`)

// substitute replaces ${name} by args["--name"]; a name with no argument
// is an error naming it.
func substitute(stmt string, args map[string]string) (string, error) {
	var missing []string
	out := placeholder.ReplaceAllStringFunc(stmt, func(m string) string {
		name := m[2 : len(m)-1]
		v, ok := args["--"+name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no argument --%s for ${%s}", missing[0], missing[0])
	}
	return out, nil
}

func (s *Service) runSQL(ctx context.Context, rec *runRecord, script string, bm *bookmarkRun) error {
	if s.opts.SQL == nil {
		return errors.New("tarn has no SQL engine for SQL jobs")
	}
	stmts, err := engine.Split(script)
	if err != nil {
		return fmt.Errorf("split the script: %w", err)
	}
	if len(stmts) == 0 {
		return errors.New("the SQL script holds no statement")
	}
	eng := rec.Merged["--engine"]
	switch eng {
	case "":
		eng = "athena"
	case "athena", "warehouse":
	default:
		return fmt.Errorf("--engine %q is not athena or warehouse", eng)
	}
	db := rec.Merged["--database"]
	if db == "" {
		db = "default"
	}
	var files func(bucket, key string) bool
	if bm != nil {
		files = bm.accept
	}
	s.logOut(rec, fmt.Sprintf("SQL job %s: %d statements on %s, database %s", rec.Run.JobName, len(stmts), eng, db))
	for i, st := range stmts {
		text, err := substitute(st.Text, rec.Merged)
		if err != nil {
			return fmt.Errorf("statement %d: %w", i+1, err)
		}
		res, err := s.opts.SQL.Exec(ctx, SQLRequest{Region: rec.Region, Database: db, Engine: eng, Statement: text, Files: files})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("statement %d failed: %v", i+1, err)
		}
		line := fmt.Sprintf("statement %d: %d rows", i+1, res.Rows)
		if res.QueryID != "" {
			line += " (query " + res.QueryID + ")"
		}
		s.logOut(rec, line+": "+oneLine(text))
	}
	return nil
}

// oneLine shortens a statement for a log line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
