package s3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/kv"
)

// blobRefs is the part of every index value that names blobs: objects
// (o/) list segments, parts (p/) name one blob; uploads (u/) are scanned
// too in case they ever hold one. Decoding only these fields keeps the
// collector independent of the rest of each schema.
type blobRefs struct {
	Segments []segment `json:"segments"`
	Blob     blob.ID   `json:"blob"`
}

// collectGarbage deletes every blob that no object or part entry
// references: blobs of a write that crashed before its index commit, or
// of a replaced object whose deletion a crash interrupted. It must run
// before requests are served (Start), since an in-flight PutObject's blob
// is unreferenced until its commit.
func (s *Service) collectGarbage(ctx context.Context) error {
	live := map[blob.ID]bool{}
	for _, fam := range []string{famObject, famUpload, famPart} {
		if err := s.collectRefs(fam, live); err != nil {
			return fmt.Errorf("s3 gc: %w", err)
		}
	}
	var garbage []blob.ID
	err := s.blobs.List(ctx, func(id blob.ID) error {
		if !live[id] {
			garbage = append(garbage, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("s3 gc: list blobs: %w", err)
	}
	for _, id := range garbage {
		if err := s.blobs.Delete(ctx, id); err != nil && !errors.Is(err, blob.ErrNotFound) {
			return fmt.Errorf("s3 gc: delete blob %s: %w", id, err)
		}
	}
	if len(garbage) > 0 {
		s.log.Info("s3: removed unreferenced blobs", "count", len(garbage), "referenced", len(live))
	}
	return nil
}

// collectRefs adds the blobs named by every value under fam to live.
func (s *Service) collectRefs(fam string, live map[blob.ID]bool) error {
	it, err := s.meta.Iter([]byte(fam), kv.PrefixEnd([]byte(fam)))
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		raw, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		var refs blobRefs
		if err := json.Unmarshal(raw, &refs); err != nil {
			key := string(it.Key())
			it.Close()
			return fmt.Errorf("decode %q: %w", key, err)
		}
		for _, sg := range refs.Segments {
			live[sg.Blob] = true
		}
		if refs.Blob != "" {
			live[refs.Blob] = true
		}
	}
	return it.Close()
}
