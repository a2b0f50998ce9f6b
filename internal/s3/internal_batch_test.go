package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/blob"
)

// batchObjs are n objects under prefix with bodies "body-<i>".
func batchObjs(prefix string, n int) []InternalObject {
	objs := make([]InternalObject, n)
	for i := range objs {
		body := fmt.Sprintf("body-%d", i)
		objs[i] = InternalObject{Key: fmt.Sprintf("%sk%02d", prefix, i), Body: strings.NewReader(body), Size: int64(len(body))}
	}
	return objs
}

func batchBlobs(t *testing.T, s *Service) int {
	t.Helper()
	n := 0
	if err := s.blobs.List(t.Context(), func(blob.ID) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func keysUnder(t *testing.T, s *Service, bucket, prefix string) []string {
	t.Helper()
	objs, err := s.ListInternal(t.Context(), bucket, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	return keys
}

// All objects of one call become visible, each with its own
// ObjectCreated:Put event, and a replaced object's blob is deleted.
func TestBatchPutVisibleWithEvents(t *testing.T) {
	n := newFakeNotifier(0)
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:Put"}, "out/", ""))
	e.put(t, "bkt", "out/k01", []byte("old"))
	if r := eventOf(t, n.next(t)); r.S3.Object.Key != "out/k01" {
		t.Fatalf("first event %+v", r)
	}
	before := batchBlobs(t, e.svc)
	objs := batchObjs("out/", 5)
	objs[2].ContentType = "application/octet-stream"
	if err := e.svc.PutObjectsInternal(t.Context(), "bkt", objs); err != nil {
		t.Fatal(err)
	}
	for i, o := range objs {
		if got, want := string(e.get(t, "bkt", o.Key)), fmt.Sprintf("body-%d", i); got != want {
			t.Errorf("%s reads %q, want %q", o.Key, got, want)
		}
	}
	if m, _ := e.svc.object("bkt", "out/k02"); m == nil || m.ContentType != "application/octet-stream" {
		t.Errorf("content type: %+v", m)
	}
	if m, _ := e.svc.object("bkt", "out/k00"); m == nil || m.ContentType != defaultCType || m.ETag == "" || m.Checksum == "" {
		t.Errorf("default meta: %+v", m)
	}
	var got []string
	for range objs {
		r := eventOf(t, n.next(t))
		if r.EventName != "ObjectCreated:Put" || r.S3.Object.Size == nil {
			t.Errorf("event %+v", r)
		}
		got = append(got, r.S3.Object.Key)
	}
	sort.Strings(got)
	if want := "out/k00 out/k01 out/k02 out/k03 out/k04"; strings.Join(got, " ") != want {
		t.Errorf("events for %v, want %s", got, want)
	}
	if after := batchBlobs(t, e.svc); after != before+len(objs)-1 {
		t.Errorf("%d blobs after the batch, want %d (the replaced one deleted)", after, before+len(objs)-1)
	}
}

// failingReader fails after its data: a body whose source breaks.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk read failed")
	}
	return n, err
}

// A body failing midway, a duplicate key or a missing bucket leave
// nothing: no object, no event, no blob.
func TestBatchPutAllOrNothingOnError(t *testing.T) {
	n := newFakeNotifier(1 << 30) // keep every event in the outbox
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "", ""))
	blobs := batchBlobs(t, e.svc)

	objs := batchObjs("out/", 4)
	objs[3].Body = &failingReader{objs[3].Body}
	if err := e.svc.PutObjectsInternal(t.Context(), "bkt", objs); err == nil {
		t.Fatal("a failing body was accepted")
	}
	short := batchObjs("out/", 3)
	short[2].Size++ // the body ends early
	if err := e.svc.PutObjectsInternal(t.Context(), "bkt", short); !errors.Is(err, ErrIncompleteBody) {
		t.Fatalf("short body: %v", err)
	}
	dup := batchObjs("out/", 2)
	dup[1].Key = dup[0].Key
	if err := e.svc.PutObjectsInternal(t.Context(), "bkt", dup); !errors.Is(err, ErrDuplicateKey) {
		t.Fatalf("duplicate key: %v", err)
	}
	long := batchObjs("out/", 2)
	long[1].Key = strings.Repeat("k", 1025)
	if err := e.svc.PutObjectsInternal(t.Context(), "bkt", long); !errors.Is(err, ErrKeyTooLong) {
		t.Fatalf("long key: %v", err)
	}
	if err := e.svc.PutObjectsInternal(t.Context(), "nope", batchObjs("out/", 2)); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("missing bucket: %v", err)
	}
	if keys := keysUnder(t, e.svc, "bkt", ""); len(keys) != 0 {
		t.Errorf("failed batches left %v visible", keys)
	}
	if got := batchBlobs(t, e.svc); got != blobs {
		t.Errorf("failed batches left %d blobs, want %d", got, blobs)
	}
	e.svc.Stop(t.Context())
	if l := outboxLen(t, e.svc); l != 0 {
		t.Errorf("failed batches left %d outbox entries", l)
	}
}

// A crash after the blobs were written but before the index batch
// committed leaves no object and no event; the next Start removes the
// orphan blobs. A committed batch survives a crash whole, events included.
func TestBatchPutCrashBeforeCommit(t *testing.T) {
	dir := t.TempDir()
	down := newFakeNotifier(1 << 30)
	svc, crash := openService(t, dir, func(o *Options) { o.Notifier = down })
	srv := httptest.NewServer(testAuth(svc.Handler()))
	e := &testEnv{svc: svc, srv: srv, client: sdkClient(srv.URL, true, nil), db: svc.db}
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "", ""))
	if err := svc.PutObjectsInternal(t.Context(), "bkt", batchObjs("done/", 3)); err != nil {
		t.Fatal(err)
	}
	committed := batchBlobs(t, svc)
	staged, err := svc.stageObjects(t.Context(), batchObjs("torn/", 6))
	if err != nil || len(staged) != 6 {
		t.Fatalf("stage: %d %v", len(staged), err)
	}
	if got := batchBlobs(t, svc); got != committed+6 {
		t.Fatalf("%d blobs staged, want %d", got-committed, 6)
	}
	srv.Close()
	svc.Stop(context.Background()) // the relay only; the index is not touched
	crash()

	svc, closeDB := openService(t, dir, func(o *Options) { o.Notifier = down })
	defer closeDB()
	defer svc.Stop(context.Background())
	if keys := keysUnder(t, svc, "bkt", "torn/"); len(keys) != 0 {
		t.Errorf("uncommitted batch visible: %v", keys)
	}
	if keys := keysUnder(t, svc, "bkt", "done/"); len(keys) != 3 {
		t.Errorf("committed batch after restart: %v", keys)
	}
	if got := batchBlobs(t, svc); got != committed {
		t.Errorf("%d blobs after restart, want %d (orphans collected)", got, committed)
	}
	for _, m := range staged {
		if blobExists(svc, m.Segments[0].Blob) {
			t.Errorf("orphan blob %s survived Start", m.Segments[0].Blob)
		}
	}
	svc.Stop(context.Background())
	if l := outboxLen(t, svc); l != 3 {
		t.Errorf("outbox holds %d entries, want 3 (the committed batch's)", l)
	}
}
