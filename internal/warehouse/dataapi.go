package warehouse

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// Data API statement states.
const (
	statusSubmitted = "SUBMITTED"
	statusStarted   = "STARTED"
	statusFinished  = "FINISHED"
	statusFailed    = "FAILED"
	statusAborted   = "ABORTED"
)

// apiStatement is one ExecuteStatement or BatchExecuteStatement. mu
// guards everything that changes while it runs.
type apiStatement struct {
	ID        string         `json:"id"`
	Cluster   string         `json:"cluster,omitempty"`
	Workgroup string         `json:"workgroup,omitempty"`
	Database  string         `json:"database"`
	DbUser    string         `json:"dbUser,omitempty"`
	SecretArn string         `json:"secretArn,omitempty"`
	Name      string         `json:"name,omitempty"`
	Batch     bool           `json:"batch,omitempty"`
	Params    []sqlParameter `json:"params,omitempty"`
	Pid       uint32         `json:"pid"`
	Created   time.Time      `json:"created"`

	mu      sync.Mutex
	Status  string     `json:"status"`
	Error   string     `json:"error,omitempty"`
	Updated time.Time  `json:"updated"`
	Subs    []*subExec `json:"subs"`
	cancel  context.CancelFunc
}

// subExec is one SQL statement of a run, with its result kept in memory
// (results do not survive a restart; the history does).
type subExec struct {
	SQL      string        `json:"sql"` // as the caller wrote it
	exec     string        // with :name parameters as $n; "" means SQL
	Status   string        `json:"status"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
	HasRows  bool          `json:"hasRows"`
	Rows     int64         `json:"rows"`
	Created  time.Time     `json:"created"`
	Updated  time.Time     `json:"updated"`
	cols     []pgwire.Column
	data     [][]any
	size     int64
}

// statementStore holds the statements of the Data API; Meta, when set,
// keeps their history across restarts.
type statementStore struct {
	meta kv.Space
	mu   sync.Mutex
	byID map[string]*apiStatement
}

func newStatementStore(meta kv.Space) *statementStore {
	st := &statementStore{meta: meta, byID: map[string]*apiStatement{}}
	if meta.DB() == nil {
		return st
	}
	it, err := meta.Iter([]byte("stmt/"), kv.PrefixEnd([]byte("stmt/")))
	if err != nil {
		return st
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			continue
		}
		a := &apiStatement{}
		if json.Unmarshal(v, a) == nil {
			if a.Status == statusSubmitted || a.Status == statusStarted {
				a.Status, a.Error = statusAborted, "Query was interrupted by a restart"
			}
			st.byID[a.ID] = a
		}
	}
	return st
}

func (st *statementStore) add(a *apiStatement) {
	st.mu.Lock()
	st.byID[a.ID] = a
	st.mu.Unlock()
	st.save(a)
}

func (st *statementStore) get(id string) (*apiStatement, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	a, ok := st.byID[id]
	return a, ok
}

// save writes a's descriptor (not its rows) to Meta.
func (st *statementStore) save(a *apiStatement) {
	if st.meta.DB() == nil {
		return
	}
	a.mu.Lock()
	b, err := json.Marshal(a)
	a.mu.Unlock()
	if err == nil {
		st.meta.Set([]byte("stmt/"+a.ID), b)
	}
}

// list returns the statements, newest first.
func (st *statementStore) list() []*apiStatement {
	st.mu.Lock()
	out := make([]*apiStatement, 0, len(st.byID))
	for _, a := range st.byID {
		out = append(out, a)
	}
	st.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuidString(b[:])
}

// namedParams rewrites :name parameters to $n in their order of first
// use; it fails for a parameter that has no value or a value never used.
func namedParams(q string, params []sqlParameter) (string, []any, error) {
	if len(params) == 0 {
		return q, nil, nil
	}
	toks, err := engine.Lex(q)
	if err != nil {
		return "", nil, err
	}
	vals := map[string]string{}
	for _, p := range params {
		vals[p.Name] = p.Value
	}
	index := map[string]int{}
	var args []any
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == engine.Punct && t.Text == ":" && i+1 < len(toks) && toks[i+1].Kind == engine.Ident && toks[i+1].Pos == t.Pos+1 {
			name := toks[i+1].Text
			v, ok := vals[name]
			if !ok {
				return "", nil, errValidation(fmt.Sprintf("Parameter %s is not bound", name))
			}
			n, seen := index[name]
			if !seen {
				args = append(args, v)
				n = len(args)
				index[name] = n
			}
			fmt.Fprintf(&b, "$%d", n)
			i++
			continue
		}
		b.WriteString(t.Text)
	}
	for name := range vals {
		if _, ok := index[name]; !ok {
			return "", nil, errValidation(fmt.Sprintf("Parameter %s is not used in the SQL", name))
		}
	}
	return b.String(), args, nil
}

// run executes a's statements on a session of their own (a batch in
// one transaction, as the Data API runs it).
func (s *Service) run(ctx context.Context, a *apiStatement, args []any) {
	defer s.stmts.save(a)
	user := a.DbUser
	if user == "" {
		user = "awsuser"
	}
	se, err := s.newSession(ctx, user, a.Database, a.Pid)
	a.mu.Lock()
	now := time.Now()
	if err != nil {
		a.Status, a.Error, a.Updated = statusFailed, err.Error(), now
		a.mu.Unlock()
		return
	}
	a.Status, a.Updated = statusStarted, now
	a.mu.Unlock()
	defer se.Close()
	if a.Batch {
		if _, err := se.begin(ctx, nil); err != nil {
			a.finish(statusFailed, err.Error())
			return
		}
	}
	for k, sub := range a.Subs {
		a.mu.Lock()
		sub.Status, sub.Updated = statusStarted, time.Now()
		a.mu.Unlock()
		start := time.Now()
		var sargs []any
		if k == 0 {
			sargs = args
		}
		q := sub.exec
		if q == "" {
			q = sub.SQL
		}
		cols, data, tag, err := runOne(ctx, se, q, sargs)
		a.mu.Lock()
		sub.Duration, sub.Updated = time.Since(start), time.Now()
		if err != nil {
			msg := errText(err)
			status := statusFailed
			if ctx.Err() != nil {
				status, msg = statusAborted, "Query was cancelled by the user"
			}
			sub.Status, sub.Error = status, msg
			for _, rest := range a.Subs[k+1:] {
				rest.Status = statusAborted
			}
			a.mu.Unlock()
			if a.Batch {
				se.rollback(context.Background(), nil)
			}
			a.finish(status, msg)
			return
		}
		sub.Status, sub.cols, sub.data, sub.HasRows = statusFinished, cols, data, cols != nil
		sub.Rows = int64(len(data))
		if cols == nil {
			sub.Rows = tagCount(tag)
		}
		for _, r := range data {
			for _, v := range r {
				sub.size += int64(len(fmt.Sprint(v)))
			}
		}
		a.mu.Unlock()
	}
	if a.Batch {
		if _, err := se.commit(ctx, nil); err != nil {
			a.finish(statusFailed, errText(err))
			return
		}
	}
	a.finish(statusFinished, "")
}

func (a *apiStatement) finish(status, msg string) {
	a.mu.Lock()
	a.Status, a.Error, a.Updated = status, msg, time.Now()
	a.mu.Unlock()
}

// errText is the error as DescribeStatement reports it.
func errText(err error) string {
	if pe, ok := err.(*pgwire.Error); ok {
		return "ERROR: " + pe.Message
	}
	return "ERROR: " + err.Error()
}

func tagCount(tag string) int64 {
	i := strings.LastIndexByte(tag, ' ')
	if i < 0 {
		return -1
	}
	var n int64
	if _, err := fmt.Sscan(tag[i+1:], &n); err != nil {
		return -1
	}
	return n
}

// runOne prepares and executes one statement on se and reads its rows.
func runOne(ctx context.Context, se *session, q string, args []any) ([]pgwire.Column, [][]any, string, error) {
	stmts, err := engine.Split(q)
	if err != nil || len(stmts) != 1 {
		return nil, nil, "", errValidation("Multiple statements are not supported in ExecuteStatement; use BatchExecuteStatement")
	}
	st, err := se.Prepare(ctx, stmts[0].Text, nil)
	if err != nil {
		return nil, nil, "", err
	}
	defer st.Close()
	r, err := st.Execute(ctx, args)
	if err != nil {
		return nil, nil, "", err
	}
	defer r.Close()
	cols := st.Describe().Columns
	var data [][]any
	if cols != nil {
		for {
			row := make([]any, len(cols))
			ok, err := r.Next(ctx, row)
			if err != nil {
				return nil, nil, "", err
			}
			if !ok {
				break
			}
			data = append(data, row)
		}
		if data == nil {
			data = [][]any{}
		}
	}
	return cols, data, r.Tag(), nil
}
