package pgwire

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// TestExchanges replays the message scripts of testdata/*.txt, one
// connection per file (state carries over from case to case), and
// compares the server's answers. Input lines are frontend messages:
//
//	Query SQL
//	Parse NAME SQL            (NAME "" is the unnamed statement)
//	ParseTyped NAME OIDS SQL  (OIDS comma-separated)
//	Bind PORTAL STMT [pf=F,..] [rf=F,..] [PARAM ...]   (NULL, x:HEX for bytes, else text)
//	Describe S|P NAME · Execute PORTAL MAXROWS · Close S|P NAME
//	Sync · Flush · CopyData TEXT · CopyDone · CopyFail MESSAGE · Raw HEX
//
// The output is every backend message up to the ReadyForQuery answering
// the last Sync or Query.
func TestExchanges(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	conns := map[string]*pgproto3.Frontend{}
	top := t
	datadriven.Run(t, "testdata/*.txt", func(t *testing.T, c datadriven.Case) string {
		fe := conns[c.File]
		if fe == nil {
			fe = frontend(top, addr)
			conns[c.File] = fe
		}
		waits := 0
		for _, line := range strings.Split(strings.TrimSuffix(c.Input, "\n"), "\n") {
			m, err := parseScriptLine(line)
			if err != nil {
				t.Fatalf("%s: %v", c.Pos(), err)
			}
			switch m.(type) {
			case *pgproto3.Sync, *pgproto3.Query:
				waits++
			}
			fe.Send(m)
		}
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		for waits > 0 {
			m, err := fe.Receive()
			if err != nil {
				fmt.Fprintf(&out, "receive: %v\n", err)
				break
			}
			if _, ok := m.(*pgproto3.ReadyForQuery); ok {
				waits--
			}
			out.WriteString(renderBackend(m))
			out.WriteByte('\n')
		}
		return out.String()
	})
}

func unquote(s string) string {
	if s == `""` {
		return ""
	}
	return s
}

func parseScriptLine(line string) (pgproto3.FrontendMessage, error) {
	cmd, rest, _ := strings.Cut(line, " ")
	f := strings.Fields(rest)
	need := func(n int) error {
		if len(f) < n {
			return fmt.Errorf("%s needs %d arguments", cmd, n)
		}
		return nil
	}
	switch cmd {
	case "Query":
		return &pgproto3.Query{String: rest}, nil
	case "Parse":
		name, sql, _ := strings.Cut(rest, " ")
		return &pgproto3.Parse{Name: unquote(name), Query: sql}, nil
	case "ParseTyped":
		if err := need(2); err != nil {
			return nil, err
		}
		var oids []uint32
		for _, o := range strings.Split(f[1], ",") {
			n, err := strconv.Atoi(o)
			if err != nil {
				return nil, err
			}
			oids = append(oids, uint32(n))
		}
		_, after, _ := strings.Cut(rest, f[1]+" ")
		return &pgproto3.Parse{Name: unquote(f[0]), Query: after, ParameterOIDs: oids}, nil
	case "Bind":
		if err := need(2); err != nil {
			return nil, err
		}
		m := &pgproto3.Bind{DestinationPortal: unquote(f[0]), PreparedStatement: unquote(f[1])}
		codes := func(s string) []int16 {
			var out []int16
			for _, c := range strings.Split(s, ",") {
				n, _ := strconv.Atoi(c)
				out = append(out, int16(n))
			}
			return out
		}
		for _, a := range f[2:] {
			switch {
			case strings.HasPrefix(a, "pf="):
				m.ParameterFormatCodes = codes(a[3:])
			case strings.HasPrefix(a, "rf="):
				m.ResultFormatCodes = codes(a[3:])
			case a == "NULL":
				m.Parameters = append(m.Parameters, nil)
			case strings.HasPrefix(a, "x:"):
				b, err := hex.DecodeString(a[2:])
				if err != nil {
					return nil, err
				}
				m.Parameters = append(m.Parameters, b)
			default:
				m.Parameters = append(m.Parameters, []byte(a))
			}
		}
		return m, nil
	case "Describe", "Close":
		if err := need(2); err != nil {
			return nil, err
		}
		if cmd == "Close" {
			return &pgproto3.Close{ObjectType: f[0][0], Name: unquote(f[1])}, nil
		}
		return &pgproto3.Describe{ObjectType: f[0][0], Name: unquote(f[1])}, nil
	case "Execute":
		if err := need(2); err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(f[1])
		return &pgproto3.Execute{Portal: unquote(f[0]), MaxRows: uint32(n)}, err
	case "Sync":
		return &pgproto3.Sync{}, nil
	case "Flush":
		return &pgproto3.Flush{}, nil
	case "CopyData":
		return &pgproto3.CopyData{Data: []byte(strings.ReplaceAll(rest, `\n`, "\n"))}, nil
	case "CopyDone":
		return &pgproto3.CopyDone{}, nil
	case "CopyFail":
		return &pgproto3.CopyFail{Message: rest}, nil
	}
	return nil, fmt.Errorf("unknown script command %q", cmd)
}

var oidNames = func() map[uint32]string {
	m := map[uint32]string{}
	for name, oid := range typeByName {
		m[oid] = name
	}
	return m
}()

func renderBackend(m pgproto3.BackendMessage) string {
	switch m := m.(type) {
	case *pgproto3.ParseComplete:
		return "ParseComplete"
	case *pgproto3.BindComplete:
		return "BindComplete"
	case *pgproto3.CloseComplete:
		return "CloseComplete"
	case *pgproto3.NoData:
		return "NoData"
	case *pgproto3.PortalSuspended:
		return "PortalSuspended"
	case *pgproto3.EmptyQueryResponse:
		return "EmptyQueryResponse"
	case *pgproto3.CopyDone:
		return "CopyDone"
	case *pgproto3.ParameterDescription:
		var names []string
		for _, o := range m.ParameterOIDs {
			names = append(names, oidNames[o])
		}
		return "ParameterDescription [" + strings.Join(names, " ") + "]"
	case *pgproto3.RowDescription:
		var cols []string
		for _, f := range m.Fields {
			format := "text"
			if f.Format == 1 {
				format = "binary"
			}
			cols = append(cols, fmt.Sprintf("%s:%s:%d:%s", f.Name, oidNames[f.DataTypeOID], f.DataTypeSize, format))
		}
		return "RowDescription " + strings.Join(cols, " ")
	case *pgproto3.DataRow:
		var vals []string
		for _, v := range m.Values {
			if v == nil {
				vals = append(vals, "NULL")
			} else {
				vals = append(vals, strconv.Quote(string(v)))
			}
		}
		return "DataRow " + strings.Join(vals, " ")
	case *pgproto3.CommandComplete:
		return "CommandComplete " + string(m.CommandTag)
	case *pgproto3.ErrorResponse:
		return fmt.Sprintf("ErrorResponse %s %s %s", m.Severity, m.Code, m.Message)
	case *pgproto3.NoticeResponse:
		return fmt.Sprintf("NoticeResponse %s %s %s", m.Severity, m.Code, m.Message)
	case *pgproto3.ReadyForQuery:
		return "ReadyForQuery " + string(m.TxStatus)
	case *pgproto3.ParameterStatus:
		return "ParameterStatus " + m.Name + "=" + m.Value
	case *pgproto3.CopyInResponse:
		return fmt.Sprintf("CopyInResponse %d %v", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.CopyOutResponse:
		return fmt.Sprintf("CopyOutResponse %d %v", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.CopyData:
		return "CopyData " + strconv.Quote(string(m.Data))
	}
	return fmt.Sprintf("%T", m)
}
