package warehouse

import (
	"strings"
	"testing"
)

func TestExecInProcess(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	for _, q := range []string{"CREATE TABLE jobs_t (id int, v varchar(10))", "INSERT INTO jobs_t VALUES (1, 'a'), (2, 'b'), (3, 'c')"} {
		if _, err := h.svc.Exec(ctx, "", q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if n, err := h.svc.Exec(ctx, "", "DELETE FROM jobs_t WHERE id > 1"); err != nil || n != 2 {
		t.Fatalf("DELETE: %d %v", n, err)
	}
	if n, err := h.svc.Exec(ctx, "", "SELECT * FROM jobs_t"); err != nil || n != 1 {
		t.Fatalf("SELECT: %d %v", n, err)
	}
	if _, err := h.svc.Exec(ctx, "", "SELECT nope FROM jobs_t"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("bad column: %v", err)
	}
}
