package s3

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tarnhq/tarn/internal/blob/fsblob"
	"github.com/tarnhq/tarn/internal/kv"
)

// BenchmarkNotifyCommit is the cost of the outbox on the commit path: an
// index commit with no configuration, with one that does not match the
// key, and with one that matches (the event is built and batched). The
// relay is kept idle (its function always fails) so only commits are timed.
func BenchmarkNotifyCommit(b *testing.B) {
	for _, bc := range []struct{ name, prefix string }{{"none", ""}, {"nomatch", "other/"}, {"match", "k/"}} {
		b.Run(bc.name, func(b *testing.B) {
			e := newNotifyEnvTB(b, newFakeNotifier(1<<30))
			e.mkBucket(b, "bkt")
			if bc.prefix != "" {
				cfg := lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, bc.prefix, "")
				if err := e.putNotify("bkt", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{cfg}}); err != nil {
					b.Fatal(err)
				}
			}
			m, err := e.svc.storeBody(b.Context(), nil, strings.NewReader("v"), 1, &bodyCheck{Algo: defaultChecksum})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				mc := *m
				if err := e.svc.commitObject(b.Context(), objectWrite{bucket: "bkt", key: "k/" + strconv.Itoa(i), meta: &mc}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// newNotifyEnvTB is newNotifyEnv for benchmarks (no checker).
func newNotifyEnvTB(tb testing.TB, n Notifier) *testEnv {
	tb.Helper()
	dir := tb.TempDir()
	db, err := kv.Open(filepath.Join(dir, "meta"), kv.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	blobs, err := fsblob.New(fsblob.Options{Dir: filepath.Join(dir, "lake"), NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := New(Options{DB: db, Meta: db.Space("s3/"), Blobs: blobs, Notifier: n})
	if err != nil {
		tb.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { svc.Stop(context.Background()) })
	srv := httptest.NewServer(testAuth(svc.Handler()))
	tb.Cleanup(srv.Close)
	return &testEnv{svc: svc, srv: srv, client: sdkClient(srv.URL, true, nil), db: db}
}
