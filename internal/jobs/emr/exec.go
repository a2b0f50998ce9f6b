package emr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/engine"
)

const (
	commandRunner = "command-runner.jar"
	// noSpark is the message of steps tarn cannot run without Spark Connect.
	noSpark = "tarn runs spark-sql and hive SQL steps (command-runner.jar spark-sql / hive / hive-script) on its own engine; " +
		"%s needs a Spark cluster: configure a Spark Connect endpoint for tarn to submit PySpark scripts to it"
	logTimeout = 30 * time.Second
	maxLogSize = 8 << 20
)

// errStep is a step failure with EMR's FailureDetails reason.
type errStep struct{ reason, msg string }

func (e *errStep) Error() string { return e.msg }

func stepFail(reason, format string, args ...any) error {
	return &errStep{reason: reason, msg: fmt.Sprintf(format, args...)}
}

// output collects a step's stdout and stderr, bounded.
type output struct{ stdout, stderr limited }

type limited struct{ bytes.Buffer }

func (l *limited) Write(p []byte) (int, error) {
	if room := maxLogSize - l.Len(); room < len(p) {
		if room > 0 {
			l.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return l.Buffer.Write(p)
}

// execute runs j's step to its end and returns how it ended. It writes
// the step's logs under the cluster's LogUri.
func (s *Service) execute(c *cluster, j *job) result {
	var out output
	err := s.runStep(j, &out)
	var res result
	if err != nil {
		var es *errStep
		if !errors.As(err, &es) {
			es = &errStep{reason: "Unknown Error.", msg: err.Error()}
		}
		fmt.Fprintf(&out.stderr, "%s\n", es.msg)
		res = result{err: err, failure: FailureDetails{Reason: es.reason, Message: es.msg,
			LogFile: logFile(j.logURI, j.cluster, j.step.Id)}}
	}
	s.writeLogs(j, &out)
	return res
}

func (s *Service) runStep(j *job, out *output) error {
	cfg := j.step.Config
	if path.Base(cfg.Jar) != commandRunner {
		return stepFail("Unsupported step", noSpark, "the JAR step "+cfg.Jar)
	}
	if len(cfg.Args) == 0 {
		return stepFail("Invalid step arguments", "command-runner.jar needs a command, e.g. [\"spark-sql\", \"-f\", \"s3://bucket/query.sql\"]")
	}
	var sc *sqlScript
	var err error
	switch cmd, rest := cfg.Args[0], cfg.Args[1:]; cmd {
	case "spark-sql":
		sc, err = parseSQLArgs("spark-sql", rest)
	case "hive":
		sc, err = parseSQLArgs("hive", rest)
	case "hive-script":
		sc, err = parseHiveScript(rest)
	case "spark-submit":
		return s.runSparkSubmit(j, rest, out)
	default:
		return stepFail("Unsupported step", noSpark, "the command "+cmd)
	}
	if err != nil {
		return stepFail("Invalid step arguments", "%v", err)
	}
	return s.runSQL(j, sc, out)
}

// runSQL runs the -i files, then the -e text or -f file, one statement at
// a time through the SQLRunner. SET k=v and USE db are applied by the
// step itself, as the Hive and Spark SQL CLIs do.
func (s *Service) runSQL(j *job, sc *sqlScript, out *output) error {
	if s.sql == nil {
		return stepFail("No SQL engine", "tarn has no SQL engine configured for EMR steps; this %s step cannot run", sc.tool)
	}
	var scripts []string
	for _, uri := range append(append([]string(nil), sc.inits...), sc.file) {
		if uri == "" {
			continue
		}
		body, err := s.readScript(j.ctx, uri)
		if err != nil {
			return err
		}
		scripts = append(scripts, string(body))
	}
	if sc.inline != "" {
		scripts = append(scripts, sc.inline)
	}
	var stmts []engine.Statement
	for _, text := range scripts {
		part, err := engine.Split(text)
		if err != nil {
			return stepFail("Invalid SQL", "%s: the script cannot be split into statements: %v", sc.tool, err)
		}
		stmts = append(stmts, part...)
	}
	db := sc.database
	if db == "" {
		db = "default"
	}
	for i, st := range stmts {
		text := sc.substitute(st.Text)
		fmt.Fprintf(&out.stdout, "-- statement %d of %d\n%s;\n", i+1, len(stmts), text)
		if handled, err := sc.local(text, &db); handled {
			if err != nil {
				return stepFail(fmt.Sprintf("Statement %d of %d failed", i+1, len(stmts)), "statement %d (%s) failed: %v", i+1, snippet(text), err)
			}
			fmt.Fprintf(&out.stdout, "OK (applied by the step)\n")
			continue
		}
		res, err := s.sql.Exec(j.ctx, SQLRequest{Region: j.region, Database: db, Engine: "athena", Statement: text})
		if err != nil {
			return stepFail(fmt.Sprintf("Statement %d of %d failed", i+1, len(stmts)),
				"statement %d (%s) failed on tarn's engine: %v", i+1, snippet(text), err)
		}
		fmt.Fprintf(&out.stdout, "OK: query %s, %d rows\n", res.QueryID, res.Rows)
	}
	return nil
}

// local applies SET and USE statements to the script's state; it
// reports whether st was one of them.
func (sc *sqlScript) local(st string, db *string) (bool, error) {
	f := strings.Fields(st)
	if len(f) == 0 {
		return false, nil
	}
	switch strings.ToUpper(f[0]) {
	case "USE":
		if len(f) != 2 {
			return true, errors.New("USE takes one database name")
		}
		*db = strings.Trim(f[1], "`\"")
		return true, nil
	case "SET":
		rest := strings.TrimSpace(st[len(f[0]):])
		k, v, ok := strings.Cut(rest, "=")
		if !ok { // SET or SET -v prints settings: nothing to do
			return true, nil
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if name, found := strings.CutPrefix(k, "hivevar:"); found {
			sc.vars[name] = v
		} else {
			sc.conf[strings.TrimPrefix(k, "hiveconf:")] = v
		}
		return true, nil
	}
	return false, nil
}

// readScript reads an s3:// script through the lake.
func (s *Service) readScript(ctx context.Context, uri string) ([]byte, error) {
	bucket, key, ok := parseS3(uri)
	if !ok || key == "" {
		return nil, stepFail("Invalid step arguments", "the script %s is not an s3://bucket/key URI; tarn reads step scripts from its S3 lake", uri)
	}
	if s.lake == nil {
		return nil, stepFail("No lake", "tarn has no lake configured to read the script %s", uri)
	}
	b, err := s.lake.Get(ctx, bucket, key)
	if err != nil {
		return nil, stepFail("Script not found", "cannot read the script %s: %v", uri, err)
	}
	return b, nil
}

// snippet is a statement shortened for messages.
func snippet(st string) string {
	st = strings.Join(strings.Fields(st), " ")
	if len(st) > 120 {
		st = st[:117] + "..."
	}
	return st
}
