package s3

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

func TestInternalReadListsOpensAndLocates(t *testing.T) {
	e := newTestEnv(t)
	ctx := t.Context()
	e.mkBucket(t, "lake")
	// More than one index page, so ListInternal pages through the scan.
	n := internalListPage + 7
	for i := range n {
		body := fmt.Sprintf("row %d\n", i)
		if err := e.svc.PutObjectInternal(ctx, "lake", fmt.Sprintf("t/dt=1/%05d.csv", i), strings.NewReader(body), int64(len(body)), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.PutObjectInternal(ctx, "lake", "u/x", strings.NewReader("x"), 1, ""); err != nil {
		t.Fatal(err)
	}
	objs, err := e.svc.ListInternal(ctx, "lake", "t/")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != n || objs[0].Key != "t/dt=1/00000.csv" || objs[n-1].Key != fmt.Sprintf("t/dt=1/%05d.csv", n-1) {
		t.Fatalf("listed %d objects, first %+v", len(objs), objs[0])
	}
	rd, info, err := e.svc.OpenInternal(ctx, "lake", "t/dt=1/00003.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(io.NewSectionReader(rd, 0, rd.Size()))
	rd.Close()
	if string(got) != "row 3\n" || info.Size != 6 {
		t.Fatalf("read %q, info %+v", got, info)
	}
	path, _, ok, err := e.svc.LocalPath("lake", "t/dt=1/00003.csv")
	if err != nil || !ok {
		t.Fatalf("LocalPath: ok=%v err=%v", ok, err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "row 3\n" {
		t.Fatalf("local file %q: %q %v", path, b, err)
	}
	if _, err := e.svc.ListInternal(ctx, "nope", ""); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("missing bucket: %v", err)
	}
	if _, _, err := e.svc.OpenInternal(ctx, "lake", "t/none"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("missing key: %v", err)
	}
}
