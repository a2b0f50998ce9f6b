package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/smithy-go"
)

// Action is what a Change does.
type Action int

// Actions, as printed: "+", "~", "=", "!".
const (
	Unchanged Action = iota // the resource matches the file
	Create                  // the resource is missing and is (or would be) created
	Update                  // fields differ and are (or would be) updated in place
	Replace                 // fields differ that no API updates: left as is, reported
)

// FieldChange is one differing field: its path in the file and the old and
// new values as printed.
type FieldChange struct {
	Field, Old, New string
}

// Change is the outcome (Apply) or the plan (Plan) for one resource.
type Change struct {
	Action Action
	Kind   string // singular: bucket, stream, table, function, ...
	Name   string
	Fields []FieldChange // Update and Replace: what differs
	Line   int           // the resource's line in the file
}

// String is the change as one line: "+ create stream clicks", "~ update
// function enrich (memory_size 128 → 256)", "= stream clicks
// (unchanged)", "! table orders needs replace (key_schema)".
func (c Change) String() string {
	switch c.Action {
	case Create:
		return fmt.Sprintf("+ create %s %s", c.Kind, c.Name)
	case Update:
		return fmt.Sprintf("~ update %s %s (%s)", c.Kind, c.Name, c.fieldList(true))
	case Replace:
		return fmt.Sprintf("! %s %s needs replace (%s); left as is", c.Kind, c.Name, c.fieldList(false))
	}
	return fmt.Sprintf("= %s %s (unchanged)", c.Kind, c.Name)
}

func (c Change) fieldList(values bool) string {
	parts := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		parts[i] = f.Field
		if values {
			parts[i] += " " + orNone(f.Old) + " → " + orNone(f.New)
		}
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// ResourceError is an API error while planning or applying one resource:
// "tarn.yaml:7: streams[0] clicks: ResourceInUseException: ...".
type ResourceError struct {
	File string
	Line int
	Path string // streams[0]
	Name string
	Err  error
}

func (e *ResourceError) Error() string {
	msg := e.Err.Error()
	var api smithy.APIError
	if errors.As(e.Err, &api) {
		msg = api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return fmt.Sprintf("%s:%d: %s %s: %s", e.File, e.Line, e.Path, e.Name, msg)
}

func (e *ResourceError) Unwrap() error { return e.Err }

// ErrNoDashboards is reported for a dashboard when Clients has no
// DashboardAPI.
var ErrNoDashboards = errors.New("dashboards: no dashboards API (tarn's web UI) to apply them to")

// step is one resource's plan: the change and, for Create and Update, the
// calls that make it.
type step struct {
	change Change
	do     func(ctx context.Context) error
}

// resource is one entry of the file.
type resource struct {
	kind, name, path string
	plan             func(ctx context.Context, e *env) (step, error)
}

// env is the state of one Plan or Apply run.
type env struct {
	c      Clients
	s      *Stack
	dryRun bool
	wait   time.Duration // bound on each wait for ACTIVE
}

// Plan describes every resource and returns what Apply would do, changing
// nothing. Resources whose dependencies do not exist yet plan as creates.
func Plan(ctx context.Context, s *Stack, c Clients) ([]Change, error) {
	return run(ctx, s, c, nil, true)
}

// Apply creates or updates every resource in dependency order, waiting for
// each to be usable before the next that needs it, and writes one line per
// resource to out (which may be nil). It stops at the first error, which
// names the file, line and resource; the changes made so far are returned.
func Apply(ctx context.Context, s *Stack, c Clients, out io.Writer) ([]Change, error) {
	return run(ctx, s, c, out, false)
}

// DefaultWait bounds each wait for a resource to become ACTIVE.
const DefaultWait = 2 * time.Minute

func run(ctx context.Context, s *Stack, c Clients, out io.Writer, dry bool) ([]Change, error) {
	e := &env{c: c, s: s, dryRun: dry, wait: DefaultWait}
	var changes []Change
	for _, r := range s.resources() {
		st, err := r.plan(ctx, e)
		if err == nil && !dry && st.do != nil && (st.change.Action == Create || st.change.Action == Update) {
			err = st.do(ctx)
		}
		if err != nil {
			return changes, &ResourceError{File: s.file, Line: s.line(r.path), Path: r.path, Name: r.name, Err: err}
		}
		st.change.Kind, st.change.Name, st.change.Line = r.kind, r.name, s.line(r.path)
		changes = append(changes, st.change)
		if out != nil {
			fmt.Fprintln(out, st.change.String())
		}
	}
	return changes, nil
}

// planner is every resource type: it describes itself and plans.
type planner interface {
	plan(ctx context.Context, e *env) (step, error)
}

// section appends list's entries, named by resourceName, to rs.
func section[T any, P interface {
	*T
	planner
}](rs []resource, sec string, list []T) []resource {
	for i := range list {
		p := P(&list[i])
		rs = append(rs, resource{kind: kindOf(sec), name: resourceName(p), path: fmt.Sprintf("%s[%d]", sec, i), plan: p.plan})
	}
	return rs
}

// resources lists the file's resources in dependency order (the order of
// Stack's fields, which Sections also returns).
func (s *Stack) resources() []resource {
	var rs []resource
	rs = section(rs, "buckets", s.Buckets)
	rs = section(rs, "streams", s.Streams)
	rs = section(rs, "tables", s.Tables)
	rs = section(rs, "functions", s.Functions)
	rs = section(rs, "databases", s.Databases)
	rs = section(rs, "glue_tables", s.GlueTables)
	rs = section(rs, "delivery_streams", s.DeliveryStreams)
	rs = section(rs, "event_source_mappings", s.EventSourceMappings)
	rs = section(rs, "bucket_notifications", s.BucketNotifications)
	rs = section(rs, "crawlers", s.Crawlers)
	rs = section(rs, "jobs", s.Jobs)
	rs = section(rs, "triggers", s.Triggers)
	rs = section(rs, "dashboards", s.Dashboards)
	return rs
}

// kindOf is the singular of a section name.
func kindOf(section string) string {
	switch section {
	case "event_source_mappings":
		return "event_source_mapping"
	case "bucket_notifications":
		return "bucket_notification"
	case "delivery_streams":
		return "delivery_stream"
	}
	return strings.TrimSuffix(section, "s")
}

// resourceName is how a resource is named in messages and uniqueness
// checks.
func resourceName(r any) string {
	switch r := r.(type) {
	case *Bucket:
		return r.Name
	case *Stream:
		return r.Name
	case *Table:
		return r.Name
	case *Function:
		return r.Name
	case *Database:
		return r.Name
	case *GlueTable:
		return r.DatabaseName + "." + r.Name
	case *DeliveryStream:
		return r.Name
	case *EventSourceMapping:
		src := r.EventSourceARN
		switch {
		case r.Stream != "":
			src = "stream/" + r.Stream
		case r.Table != "":
			src = "table/" + r.Table
		}
		return r.FunctionName + "<-" + src
	case *BucketNotification:
		return r.Bucket
	case *Crawler:
		return r.Name
	case *Job:
		return r.Name
	case *Trigger:
		return r.Name
	case *Dashboard:
		return r.Name
	}
	panic(fmt.Sprintf("stack: no name for %T", r))
}

// isNotFound reports whether err is an API's "no such resource".
func isNotFound(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "ResourceNotFoundException", "EntityNotFoundException", "NotFound", "NoSuchBucket", "NoSuchKey":
		return true
	}
	return false
}

// poll calls check until it reports done, an error, or e.wait passes.
func (e *env) poll(ctx context.Context, what string, check func(ctx context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, e.wait)
	defer cancel()
	delay := 20 * time.Millisecond
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Second)
	}
}

// diff collects differing fields.
type diff []FieldChange

func (d *diff) str(field, old, new string) {
	if old != new {
		*d = append(*d, FieldChange{field, old, new})
	}
}

func (d *diff) num(field string, old, new int) {
	if old != new {
		*d = append(*d, FieldChange{field, fmt.Sprint(old), fmt.Sprint(new)})
	}
}

// updateOrSame is Update with d's fields, or Unchanged when d is empty.
func updateOrSame(d diff, do func(ctx context.Context) error) step {
	if len(d) == 0 {
		return step{change: Change{Action: Unchanged}}
	}
	return step{change: Change{Action: Update, Fields: d}, do: do}
}
