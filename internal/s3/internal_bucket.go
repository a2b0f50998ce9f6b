package s3

import "errors"

// EnsureBucket creates bucket name in region if it does not exist, as the
// services that keep their own assets in the lake do (Glue's
// aws-glue-assets-ACCOUNT-REGION); an existing bucket is left as it is.
func (s *Service) EnsureBucket(region, name string) error {
	if !validBucketName(name) {
		return ErrInvalidBucketName
	}
	s.bucketsMu.RLock()
	_, err := s.bucket(name)
	s.bucketsMu.RUnlock()
	if !errors.Is(err, ErrNoSuchBucket) {
		return err // there already (the common case: no writer is held up)
	}
	s.bucketsMu.Lock()
	defer s.bucketsMu.Unlock()
	_, err = s.bucket(name)
	if !errors.Is(err, ErrNoSuchBucket) {
		return err
	}
	return s.meta.Set(bucketKey(name), mustJSON(bucketMeta{Created: s.now().UTC().Truncate(1e9), Region: region}))
}
