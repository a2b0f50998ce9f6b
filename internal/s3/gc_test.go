package s3

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/blob/fsblob"
	"github.com/tarnhq/tarn/internal/kv"
)

func putBlob(t *testing.T, s *Service, data string) blob.ID {
	t.Helper()
	id, _, err := s.blobs.Put(t.Context(), strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func blobExists(s *Service, id blob.ID) bool {
	r, err := s.blobs.Open(context.Background(), id)
	if err != nil {
		return false
	}
	r.Close()
	return true
}

func TestGarbageCollectionAfterCrash(t *testing.T) {
	dir := t.TempDir()
	svc, crash := openService(t, dir, nil)

	// Committed state: an object (one segment), a multipart-style object
	// (two segments) and an uploaded part, all referenced from the index.
	seg1 := putBlob(t, svc, "object bytes")
	mp1, mp2 := putBlob(t, svc, "part one "), putBlob(t, svc, "part two")
	part := putBlob(t, svc, "pending part")
	if err := svc.meta.Set(bucketKey("gc"), mustJSON(bucketMeta{Region: DefaultRegion})); err != nil {
		t.Fatal(err)
	}
	objects := map[string]objectMeta{
		"single": {Segments: []segment{{Blob: seg1, Size: 12}}, Size: 12, ETag: "e"},
		"multi":  {Segments: []segment{{Blob: mp1, Size: 9}, {Blob: mp2, Size: 8}}, Size: 17, ETag: "e-2", PartSizes: []int64{9, 8}},
	}
	for k, m := range objects {
		if err := svc.meta.Set(objectKey("gc", k), mustJSON(m)); err != nil {
			t.Fatal(err)
		}
	}
	partJSON, _ := json.Marshal(map[string]any{"blob": part, "size": 12, "etag": "x"})
	if err := svc.meta.Set(partKey("upload1", 1), partJSON); err != nil {
		t.Fatal(err)
	}
	// Debris of writes a crash interrupted: blobs the index never got.
	stray := []blob.ID{putBlob(t, svc, "crashed put"), putBlob(t, svc, "old version not yet deleted")}
	crash()

	svc, closeDB := openService(t, dir, nil)
	defer closeDB()
	for _, id := range []blob.ID{seg1, mp1, mp2, part} {
		if !blobExists(svc, id) {
			t.Errorf("referenced blob %s was collected", id)
		}
	}
	for _, id := range stray {
		if blobExists(svc, id) {
			t.Errorf("unreferenced blob %s survived Start", id)
		}
	}
	_, rd, err := svc.openObject(t.Context(), "gc", "multi")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got, _ := io.ReadAll(io.NewSectionReader(rd, 0, rd.Size()))
	if !bytes.Equal(got, []byte("part one part two")) {
		t.Errorf("multi-segment object reads %q", got)
	}
}

func TestGarbageCollectionRefusesCorruptIndex(t *testing.T) {
	dir := t.TempDir()
	svc, crash := openService(t, dir, nil)
	id := putBlob(t, svc, "keep me")
	if err := svc.meta.Set(objectKey("b", "k"), []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	crash()
	db, err := kv.Open(filepath.Join(dir, "meta"), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blobs, _ := fsblob.New(fsblob.Options{Dir: filepath.Join(dir, "lake"), NoSync: true})
	svc, _ = New(Options{DB: db, Meta: db.Space("s3/"), Blobs: blobs})
	if err := svc.Start(t.Context()); err == nil {
		t.Error("Start succeeded over an undecodable index entry")
	}
	if !blobExists(svc, id) {
		t.Error("a failed collection deleted blobs")
	}
}

func TestSegmentReader(t *testing.T) {
	env := newTestEnv(t)
	s := env.svc
	parts := []string{"abc", "", "defg", "h", ""}
	var segs []segment
	for _, p := range parts {
		segs = append(segs, segment{Blob: putBlob(t, s, p), Size: int64(len(p))})
	}
	rd, err := s.openSegments(t.Context(), segs)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	const all = "abcdefgh"
	for off := 0; off <= len(all); off++ {
		for n := 0; off+n <= len(all); n++ {
			got, err := io.ReadAll(io.NewSectionReader(rd, int64(off), int64(n)))
			if err != nil || string(got) != all[off:off+n] {
				t.Errorf("read [%d,+%d) = %q, %v", off, n, got, err)
			}
		}
	}
	buf := make([]byte, 4)
	if n, err := rd.ReadAt(buf, 6); n != 2 || err != io.EOF {
		t.Errorf("ReadAt past end = %d, %v", n, err)
	}
}
