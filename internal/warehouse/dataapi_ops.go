package warehouse

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// The Data API error catalog.
const (
	codeValidation       = "ValidationException"
	codeResourceNotFound = "ResourceNotFoundException"
)

func errValidation(msg string) error { return awsjson.Errorf(codeValidation, "%s", msg) }

func errNoStatement(id string) error {
	return awsjson.Errorf(codeResourceNotFound, "Query does not exist.")
}

// resultPageRows bounds the records of one GetStatementResult page.
const resultPageRows = 10000

func (s *Service) registerDataAPI() {
	a := s.api
	a.Handle("ExecuteStatement", awsjson.Op(s.executeStatement))
	a.Handle("BatchExecuteStatement", awsjson.Op(s.batchExecuteStatement))
	a.Handle("DescribeStatement", awsjson.Op(s.describeStatement))
	a.Handle("GetStatementResult", awsjson.Op(s.getStatementResult))
	a.Handle("ListStatements", awsjson.Op(s.listStatements))
	a.Handle("CancelStatement", awsjson.Op(s.cancelStatement))
	a.Handle("ListDatabases", awsjson.Op(s.listDatabases))
	a.Handle("ListSchemas", awsjson.Op(s.listSchemas))
	a.Handle("ListTables", awsjson.Op(s.listTables))
	a.Handle("DescribeTable", awsjson.Op(s.describeTable))
	// GetStatementResultV2 (CSV result format) is not built.
	a.Unimplemented("GetStatementResultV2")
}

func (s *Service) submit(ctx context.Context, a *apiStatement, args []any) {
	a.Created, a.Updated, a.Status = time.Now(), time.Now(), statusSubmitted
	a.Pid = s.pids.Add(1)
	if a.Database == "" {
		a.Database = DefaultDatabase
	}
	for _, sub := range a.Subs {
		sub.Status, sub.Created, sub.Updated = statusSubmitted, a.Created, a.Created
	}
	rctx, cancel := context.WithCancel(s.bg)
	a.cancel = cancel
	s.stmts.add(a)
	s.bgWG.Add(1)
	go func() {
		defer s.bgWG.Done()
		defer cancel()
		s.run(rctx, a, args)
	}()
}

func checkTarget(cluster, workgroup, database string) error {
	if cluster == "" && workgroup == "" {
		return errValidation("Either ClusterIdentifier or WorkgroupName must be specified.")
	}
	if cluster != "" && workgroup != "" {
		return errValidation("ClusterIdentifier and WorkgroupName cannot be specified together.")
	}
	if database == "" {
		return errValidation("1 validation error detected: Value null at 'database' failed to satisfy constraint: Member must not be null")
	}
	return nil
}

func (s *Service) executeStatement(ctx context.Context, in *executeStatementInput) (*executeStatementOutput, error) {
	if strings.TrimSpace(in.Sql) == "" {
		return nil, errValidation("1 validation error detected: Value null at 'sql' failed to satisfy constraint: Member must not be null")
	}
	if err := checkTarget(in.ClusterIdentifier, in.WorkgroupName, in.Database); err != nil {
		return nil, err
	}
	q, args, err := namedParams(in.Sql, in.Parameters)
	if err != nil {
		return nil, err
	}
	a := &apiStatement{ID: newUUID(), Cluster: in.ClusterIdentifier, Workgroup: in.WorkgroupName, Database: in.Database,
		DbUser: in.DbUser, SecretArn: in.SecretArn, Name: in.StatementName, Params: in.Parameters,
		Subs: []*subExec{{SQL: in.Sql, exec: q}}}
	s.submit(ctx, a, args)
	return &executeStatementOutput{Id: a.ID, ClusterIdentifier: a.Cluster, WorkgroupName: a.Workgroup, Database: in.Database,
		DbUser: in.DbUser, SecretArn: in.SecretArn, CreatedAt: awsjson.Timestamp(a.Created)}, nil
}

func (s *Service) batchExecuteStatement(ctx context.Context, in *batchExecuteStatementInput) (*executeStatementOutput, error) {
	if len(in.Sqls) == 0 || len(in.Sqls) > 40 {
		return nil, errValidation("1 validation error detected: Value at 'sqls' failed to satisfy constraint: Member must have length less than or equal to 40 and greater than or equal to 1")
	}
	if err := checkTarget(in.ClusterIdentifier, in.WorkgroupName, in.Database); err != nil {
		return nil, err
	}
	a := &apiStatement{ID: newUUID(), Cluster: in.ClusterIdentifier, Workgroup: in.WorkgroupName, Database: in.Database,
		DbUser: in.DbUser, SecretArn: in.SecretArn, Name: in.StatementName, Batch: true}
	for _, q := range in.Sqls {
		a.Subs = append(a.Subs, &subExec{SQL: q})
	}
	s.submit(ctx, a, nil)
	return &executeStatementOutput{Id: a.ID, ClusterIdentifier: a.Cluster, WorkgroupName: a.Workgroup, Database: in.Database,
		DbUser: in.DbUser, SecretArn: in.SecretArn, CreatedAt: awsjson.Timestamp(a.Created)}, nil
}

// lookup finds a statement or one sub-statement ("id:2").
func (s *Service) lookup(id string) (*apiStatement, int, error) {
	if id == "" {
		return nil, 0, errValidation("1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null")
	}
	base, n, sub := strings.Cut(id, ":")
	a, ok := s.stmts.get(base)
	if !ok {
		return nil, 0, errNoStatement(id)
	}
	if !sub {
		return a, -1, nil
	}
	k, err := strconv.Atoi(n)
	if err != nil || k < 1 || k > len(a.Subs) || !a.Batch {
		return nil, 0, errNoStatement(id)
	}
	return a, k - 1, nil
}

func (s *Service) describeStatement(ctx context.Context, in *idInput) (*describeStatementOutput, error) {
	a, k, err := s.lookup(in.Id)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	out := &describeStatementOutput{Id: in.Id, ClusterIdentifier: a.Cluster, WorkgroupName: a.Workgroup, Database: a.Database,
		DbUser: a.DbUser, SecretArn: a.SecretArn, QueryParameters: a.Params, Status: a.Status, Error: a.Error,
		RedshiftPid: int64(a.Pid), CreatedAt: awsjson.Timestamp(a.Created), UpdatedAt: awsjson.Timestamp(a.Updated), ResultFormat: "JSON"}
	var d time.Duration
	for j, sub := range a.Subs {
		d += sub.Duration
		if a.Batch {
			out.SubStatements = append(out.SubStatements, subStatement{Id: fmt.Sprintf("%s:%d", a.ID, j+1), QueryString: sub.SQL,
				Status: sub.Status, Error: sub.Error, Duration: sub.Duration.Nanoseconds(), HasResultSet: sub.HasRows,
				ResultRows: sub.Rows, ResultSize: sub.size, RedshiftQueryId: int64(a.Pid)*100 + int64(j),
				CreatedAt: awsjson.Timestamp(sub.Created), UpdatedAt: awsjson.Timestamp(sub.Updated)})
		}
	}
	out.Duration = d.Nanoseconds()
	if a.Status != statusFinished {
		out.Duration = -1
	}
	if k >= 0 {
		sub := a.Subs[k]
		out.QueryString, out.Status, out.Error, out.Duration = sub.SQL, sub.Status, sub.Error, sub.Duration.Nanoseconds()
		out.HasResultSet, out.ResultRows, out.ResultSize, out.SubStatements = sub.HasRows, sub.Rows, sub.size, nil
		return out, nil
	}
	if a.Batch {
		qs := make([]string, len(a.Subs))
		for j, sub := range a.Subs {
			qs[j] = sub.SQL
		}
		out.QueryString = strings.Join(qs, "; ")
		return out, nil
	}
	sub := a.Subs[0]
	out.QueryString, out.HasResultSet, out.ResultRows, out.ResultSize = sub.SQL, sub.HasRows, sub.Rows, sub.size
	if a.Status != statusFinished {
		out.ResultRows = -1
	}
	return out, nil
}

func (s *Service) getStatementResult(ctx context.Context, in *idInput) (*getStatementResultOutput, error) {
	a, k, err := s.lookup(in.Id)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if k < 0 {
		if a.Batch {
			return nil, errValidation("Query does not have result. Please check query status with DescribeStatement. For a batch, use the Id of a sub-statement (Id:N).")
		}
		k = 0
	}
	sub := a.Subs[k]
	if sub.Status != statusFinished || !sub.HasRows || sub.data == nil {
		return nil, errValidation("Query does not have result. Please check query status with DescribeStatement.")
	}
	start := 0
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		id, off, ok := strings.Cut(string(b), "/")
		n, err2 := strconv.Atoi(off)
		if err != nil || !ok || id != in.Id || err2 != nil || n < 0 || n > len(sub.data) {
			return nil, errValidation("Invalid NextToken.")
		}
		start = n
	}
	out := &getStatementResultOutput{TotalNumRows: int64(len(sub.data)), Records: [][]field{}}
	for _, c := range sub.cols {
		out.ColumnMetadata = append(out.ColumnMetadata, colMeta(c))
	}
	end := min(len(sub.data), start+resultPageRows)
	for _, row := range sub.data[start:end] {
		rec := make([]field, len(row))
		for j, v := range row {
			rec[j] = toField(sub.cols[j].TypeOID, v)
		}
		out.Records = append(out.Records, rec)
	}
	if end < len(sub.data) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s/%d", in.Id, end)))
	}
	return out, nil
}

func (s *Service) listStatements(ctx context.Context, in *listStatementsInput) (*listStatementsOutput, error) {
	max := int(in.MaxResults)
	if max <= 0 || max > 100 {
		max = 100
	}
	all := s.stmts.list()
	start := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(in.NextToken)
		if err != nil || n < 0 || n > len(all) {
			return nil, errValidation("Invalid NextToken.")
		}
		start = n
	}
	out := &listStatementsOutput{Statements: []statementData{}}
	for i := start; i < len(all); i++ {
		a := all[i]
		a.mu.Lock()
		d := statementData{Id: a.ID, IsBatchStatement: a.Batch, StatementName: a.Name, SecretArn: a.SecretArn, Status: a.Status,
			QueryParameters: a.Params, CreatedAt: awsjson.Timestamp(a.Created), UpdatedAt: awsjson.Timestamp(a.Updated), ResultFormat: "JSON"}
		if a.Batch {
			for _, sub := range a.Subs {
				d.QueryStrings = append(d.QueryStrings, sub.SQL)
			}
		} else if len(a.Subs) > 0 {
			d.QueryString = a.Subs[0].SQL
		}
		a.mu.Unlock()
		if in.StatementName != "" && !strings.HasPrefix(d.StatementName, in.StatementName) {
			continue
		}
		if in.Status != "" && in.Status != "ALL" && d.Status != in.Status {
			continue
		}
		if len(out.Statements) == max {
			out.NextToken = strconv.Itoa(i)
			break
		}
		out.Statements = append(out.Statements, d)
	}
	return out, nil
}

func (s *Service) cancelStatement(ctx context.Context, in *idInput) (*cancelStatementOutput, error) {
	a, _, err := s.lookup(in.Id)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	status, cancel := a.Status, a.cancel
	a.mu.Unlock()
	if status != statusSubmitted && status != statusStarted {
		return nil, errValidation(fmt.Sprintf("Could not cancel a query that is already in %s state with ID: %s", status, in.Id))
	}
	if cancel != nil {
		cancel()
	}
	return &cancelStatementOutput{Status: true}, nil
}

func colMeta(c pgwire.Column) columnMetadata {
	m := columnMetadata{Name: c.Name, Label: c.Name, Nullable: 1, TypeName: typeNameOf(c.TypeOID)}
	switch c.TypeOID {
	case pgwire.OIDInt2:
		m.IsSigned, m.Length, m.Precision = true, 0, 5
	case pgwire.OIDInt4:
		m.IsSigned, m.Precision = true, 10
	case pgwire.OIDInt8:
		m.IsSigned, m.Precision = true, 19
	case pgwire.OIDFloat4:
		m.IsSigned, m.Precision, m.Scale = true, 8, 8
	case pgwire.OIDFloat8:
		m.IsSigned, m.Precision, m.Scale = true, 17, 17
	case pgwire.OIDNumeric:
		m.IsSigned = true
		if c.TypeModifier > 4 {
			m.Precision, m.Scale = (c.TypeModifier-4)>>16, (c.TypeModifier-4)&0xffff
		}
	case pgwire.OIDVarchar, pgwire.OIDText, pgwire.OIDBPChar:
		m.IsCaseSensitive, m.Length, m.Precision = true, 256, 256
	}
	return m
}

func typeNameOf(oid uint32) string {
	switch oid {
	case pgwire.OIDBool:
		return "bool"
	case pgwire.OIDInt2:
		return "int2"
	case pgwire.OIDInt4:
		return "int4"
	case pgwire.OIDInt8:
		return "int8"
	case pgwire.OIDFloat4:
		return "float4"
	case pgwire.OIDFloat8:
		return "float8"
	case pgwire.OIDNumeric:
		return "numeric"
	case pgwire.OIDDate:
		return "date"
	case pgwire.OIDTime:
		return "time"
	case pgwire.OIDTimestamp:
		return "timestamp"
	case pgwire.OIDTimestamptz:
		return "timestamptz"
	case pgwire.OIDBytea:
		return "varbyte"
	case pgwire.OIDInterval:
		return "interval"
	case pgwire.OIDVarchar:
		return "varchar"
	}
	return "text"
}

// toField renders a value in the Field union by its column type.
func toField(oid uint32, v any) field {
	if v == nil {
		t := true
		return field{IsNull: &t}
	}
	switch x := v.(type) {
	case bool:
		return field{BooleanValue: &x}
	case int8, int16, int32, int64, int, uint8, uint16, uint32:
		n, _ := strconv.ParseInt(fmt.Sprint(x), 10, 64)
		return field{LongValue: &n}
	case float32:
		f := float64(x)
		return field{DoubleValue: &f}
	case float64:
		return field{DoubleValue: &x}
	case []byte:
		return field{BlobValue: x}
	case time.Time:
		var s string
		switch oid {
		case pgwire.OIDDate:
			s = x.Format("2006-01-02")
		case pgwire.OIDTime:
			s = x.Format("15:04:05.999999")
		case pgwire.OIDTimestamptz:
			s = x.UTC().Format("2006-01-02 15:04:05.999999") + "+00"
		default:
			s = x.Format("2006-01-02 15:04:05.999999")
		}
		return field{StringValue: &s}
	}
	s := fmt.Sprint(textValue(v))
	return field{StringValue: &s}
}
