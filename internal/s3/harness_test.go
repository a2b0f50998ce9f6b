package s3

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/blob/fsblob"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/request"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// testEnv is one S3 service on a fresh data dir behind an httptest server,
// and an SDK client pointed at it (path style).
type testEnv struct {
	svc    *Service
	srv    *httptest.Server
	client *s3.Client
	db     *kv.DB
}

func newTestEnv(t *testing.T) *testEnv { return newTestEnvWith(t, nil) }

// newTestEnvWith is newTestEnv with the service's Options adjusted by
// mutate (nil for none).
func newTestEnvWith(t *testing.T, mutate func(*Options)) *testEnv {
	t.Helper()
	svc, closeDB := openService(t, t.TempDir(), mutate)
	t.Cleanup(closeDB)
	srv := httptest.NewServer(testAuth(svc.Handler()))
	t.Cleanup(srv.Close)
	// No aws-chunked bodies: this harness does not decode them (the
	// platform's sigv4 does; tarntest covers the SDK defaults).
	return &testEnv{svc: svc, srv: srv, client: sdkClient(srv.URL, true, nil), db: svc.db}
}

// openService opens (or reopens) a service on dir, as a platform restart
// would, and runs Start. mutate (may be nil) adjusts its Options. The
// returned func closes the database without any orderly shutdown of the
// service (a crash, as far as S3 can tell).
func openService(t *testing.T, dir string, mutate func(*Options)) (*Service, func()) {
	t.Helper()
	db, err := kv.Open(filepath.Join(dir, "meta"), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := fsblob.New(fsblob.Options{Dir: filepath.Join(dir, "lake"), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{DB: db, Meta: db.Space("s3/"), Blobs: blobs}
	if mutate != nil {
		mutate(&opts)
	}
	svc, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return svc, func() { db.Close() }
}

// testAuth stands in for the platform: it attaches a request Info and an
// Auth as platform's routes do. (Signature verification is tested in
// sigv4 and end to end through tarntest; here every signed request passes.)
func testAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := request.NewInfo("s3")
		ctx := request.With(r.Context(), info)
		w.Header().Set("x-amz-request-id", info.ID)
		a := &sigv4.Auth{AccessKey: "test", Region: "us-east-1", Service: "s3", DecodedLength: -1}
		if r.Header.Get("Authorization") == "" && r.URL.Query().Get("X-Amz-Signature") == "" {
			a = &sigv4.Auth{Anonymous: true, DecodedLength: -1}
		}
		next.ServeHTTP(w, r.WithContext(sigv4.WithAuth(ctx, a)))
	})
}
