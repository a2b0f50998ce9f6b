package catalog

import (
	"context"
	"strings"
)

// Tags on databases, tables and crawlers, by ARN:
// arn:aws:glue:<region>:<account>:database/<db>, table/<db>/<table>,
// crawler/<name>. They are kept under g\0<region>\0<resource> (the ARN's
// part after the account) and go when the resource goes.

const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

func keyTags(region, resource string) []byte { return keyJoin('g', region, resource) }

// parseARN returns the region and resource of a Glue ARN whose resource
// exists.
func (s *Service) parseARN(arn string) (region, resource string, err error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "glue" || parts[3] == "" {
		return "", "", errInvalid("Invalid resource ARN: %s", arn)
	}
	region, resource = parts[3], parts[5]
	kind, rest, _ := strings.Cut(resource, "/")
	switch kind {
	case "database":
		if _, err := s.GetDatabase(context.Background(), region, rest); err != nil {
			return "", "", err
		}
		resource = "database/" + strings.ToLower(rest)
	case "table":
		db, t, ok := strings.Cut(rest, "/")
		if !ok {
			return "", "", errInvalid("Invalid resource ARN: %s", arn)
		}
		if _, err := s.GetTable(context.Background(), region, db, t); err != nil {
			return "", "", err
		}
		resource = "table/" + strings.ToLower(db) + "/" + strings.ToLower(t)
	case "crawler":
		if _, err := s.loadCrawler(region, rest); err != nil {
			return "", "", err
		}
	default:
		return "", "", errTagResource(arn)
	}
	return region, resource, nil
}

func errTagResource(arn string) error {
	return errInvalid("tarn keeps tags on Glue databases, tables and crawlers only, not %s", arn)
}

func (s *Service) tags(region, resource string) (map[string]string, error) {
	m, err := getJSON[map[string]string](s.meta, keyTags(region, resource))
	if isNotFound(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	return *m, nil
}

// addTags merges add into the resource's tags.
func (s *Service) addTags(region, resource string, add map[string]string) error {
	if len(add) == 0 {
		return nil
	}
	if err := validTags(add); err != nil {
		return err
	}
	cur, err := s.tags(region, resource)
	if err != nil {
		return err
	}
	for k, v := range add {
		cur[k] = v
	}
	if len(cur) > maxTags {
		return errInvalid("A resource can have at most %d tags.", maxTags)
	}
	return s.meta.Set(keyTags(region, resource), mustJSON(cur))
}

// validTags checks tags before anything is written.
func validTags(tags map[string]string) error {
	if len(tags) > maxTags {
		return errInvalid("A resource can have at most %d tags.", maxTags)
	}
	for k, v := range tags {
		if k == "" || len(k) > maxTagKeyLen || len(v) > maxTagValueLen || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return errInvalid("Invalid tag: key %q, value %q.", k, v)
		}
	}
	return nil
}

type tagResourceInput struct {
	ResourceArn  string            `json:"ResourceArn"`
	TagsToAdd    map[string]string `json:"TagsToAdd"`
	TagsToRemove []string          `json:"TagsToRemove"`
}

func (s *Service) opTagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	region, res, err := s.parseARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return nil, s.addTags(region, res, in.TagsToAdd)
}

func (s *Service) opUntagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	region, res, err := s.parseARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.tags(region, res)
	if err != nil {
		return nil, err
	}
	for _, k := range in.TagsToRemove {
		delete(cur, k)
	}
	return nil, s.meta.Set(keyTags(region, res), mustJSON(cur))
}

type getTagsOutput struct {
	Tags map[string]string `json:"Tags"`
}

func (s *Service) opGetTags(ctx context.Context, in *tagResourceInput) (*getTagsOutput, error) {
	region, res, err := s.parseARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t, err := s.tags(region, res)
	if err != nil {
		return nil, err
	}
	return &getTagsOutput{Tags: t}, nil
}

// tagsMatch reports whether have holds every tag of want.
func tagsMatch(have, want map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}
