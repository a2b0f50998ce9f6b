package warehouse

import (
	osexec "os/exec"
	"strings"
	"testing"
)

// psql runs psql's meta-commands against the service (skipped when psql
// is not installed).
func psql(t *testing.T, h *harness, cmd string) string {
	t.Helper()
	bin, err := osexec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed")
	}
	c := osexec.CommandContext(t.Context(), bin, "-X", "-v", "ON_ERROR_STOP=1", "-c", cmd, h.url())
	c.Env = []string{"PGPASSWORD=test", "PGCONNECT_TIMEOUT=10"}
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("psql %s: %v\n%s", cmd, err, out)
	}
	return string(out)
}

func TestPsql(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	exec(t, c, "CREATE TABLE orders (id INT NOT NULL, total DECIMAL(12,2), placed TIMESTAMP, note VARCHAR(40)) DISTKEY(id) SORTKEY(placed)")
	for _, tc := range []struct{ cmd, want string }{
		{`\dt`, "orders"},
		{`\d orders`, "numeric(12,2)"},
		{`\dn`, "public"},
		{`\l`, "dev"},
		{"SELECT 1 AS one", "one"},
	} {
		out := psql(t, h, tc.cmd)
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.cmd, tc.want, out)
		}
	}
}
