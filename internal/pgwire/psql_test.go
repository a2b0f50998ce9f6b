package pgwire

import (
	"net"
	"os/exec"
	"strings"
	"testing"
)

// TestPsql runs one psql -c session, when psql is installed.
func TestPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed")
	}
	_, addr := startServer(t, newTestBackend(), nil)
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.CommandContext(t.Context(), psql, "-X", "-A", "-F", ",", "-v", "ON_ERROR_STOP=1",
		"-h", host, "-p", port, "-U", "alice", "-d", "dev", "-c", "series 3", "-c", "insert 2")
	cmd.Env = []string{"PGPASSWORD=s3cret", "PGSSLMODE=prefer", "PGCONNECT_TIMEOUT=10"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	want := "n,label\n1,row 1\n2,row 2\n3,row 3\n(3 rows)\nINSERT 0 2\n"
	if got := string(out); got != want {
		t.Errorf("psql output:\n%s\nwant:\n%s", got, want)
	}
	// An error surfaces with psql's exit status 1 and the server's message.
	cmd = exec.CommandContext(t.Context(), psql, "-X", "-h", host, "-p", port, "-U", "alice", "-d", "dev",
		"-c", `error 42P01 relation "t" does not exist`)
	cmd.Env = []string{"PGPASSWORD=s3cret"}
	out, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `ERROR:  relation "t" does not exist`) {
		t.Errorf("psql error run: %v\n%s", err, out)
	}
}
