package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/kv"
)

// previewUI is a testUI whose Service has the given Preview seam.
func previewUI(t *testing.T, fn func(context.Context, string, string, int) (Preview, error)) *testUI {
	t.Helper()
	u := newTestUI(t, nil)
	u.srv.Close()
	u.db.Close()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Options{Secret: secrets, Meta: db.Space("ui/"), Preview: fn})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u.svc, u.db, u.srv = svc, db, httptest.NewServer(svc.Handler())
	u.c.Jar = jar
	return u
}

func TestPreview(t *testing.T) {
	var gotBucket, gotKey string
	var gotLimit int
	u := previewUI(t, func(_ context.Context, bucket, key string, limit int) (Preview, error) {
		gotBucket, gotKey, gotLimit = bucket, key, limit
		switch key {
		case "bad.parquet":
			return Preview{}, fmt.Errorf("read: %w: not a Parquet file", ErrNoPreview)
		case "boom.parquet":
			return Preview{}, fmt.Errorf("engine down")
		}
		rows := make([][]any, 0, limit+5)
		for i := range limit + 5 {
			rows = append(rows, []any{i, "x"})
		}
		return Preview{Columns: []string{"id", "name"}, Types: []string{"BIGINT", "VARCHAR"}, Rows: rows}, nil
	})
	if code, _, _ := u.do(t, "GET", "/_tarn/ui/api/preview?bucket=lake&key=a.parquet", "", false); code != 401 {
		t.Fatalf("without a session: %d, want 401", code)
	}
	u.signIn(t)
	code, body, _ := u.do(t, "GET", "/_tarn/ui/api/preview?bucket=lake&key=dir/a%20b.parquet", "", false)
	if code != 200 {
		t.Fatalf("preview: %d %s", code, body)
	}
	var p Preview
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if gotBucket != "lake" || gotKey != "dir/a b.parquet" || gotLimit != PreviewLimit {
		t.Errorf("seam got %q %q %d", gotBucket, gotKey, gotLimit)
	}
	if strings.Join(p.Columns, ",") != "id,name" || strings.Join(p.Types, ",") != "BIGINT,VARCHAR" || len(p.Rows) != PreviewLimit {
		t.Errorf("preview = %v %v %d rows", p.Columns, p.Types, len(p.Rows))
	}
	for _, c := range []struct {
		query string
		code  int
		msg   string
	}{
		{"bucket=lake&key=bad.parquet", 422, "not a Parquet file"},
		{"bucket=lake&key=boom.parquet", 500, "engine down"},
		{"bucket=lake", 400, "required"},
		{"bucket=a/b&key=x", 400, "required"},
	} {
		code, body, _ := u.do(t, "GET", "/_tarn/ui/api/preview?"+c.query, "", false)
		if code != c.code || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %d %s, want %d %q", c.query, code, body, c.code, c.msg)
		}
	}
}

func TestPreviewWithoutSeam(t *testing.T) {
	u := newTestUI(t, nil)
	u.signIn(t)
	code, body, _ := u.do(t, "GET", "/_tarn/ui/api/preview?bucket=lake&key=a.parquet", "", false)
	if code != 501 || !strings.Contains(body, "not available") {
		t.Errorf("no seam: %d %s, want 501", code, body)
	}
}

func TestProxyServicesIncludeLogsAndEMR(t *testing.T) {
	for _, s := range []string{"logs", "elasticmapreduce"} {
		if !isProxyService(s) {
			t.Errorf("%s not reachable through the proxy", s)
		}
	}
}
