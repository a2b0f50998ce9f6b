package jobs

import (
	"context"
	"strings"
)

// Tags on jobs, triggers and workflows, by ARN:
// arn:aws:glue:<region>:<account>:job/<name>, trigger/<name>,
// workflow/<name>. They live in the resource's record (set by Create*
// Tags, read by ListJobs/ListTriggers filters) and go with it.
//
// TagResource, UntagResource and GetTags are registered on Handler but
// not listed in Operations: the catalog owns those operation names for
// its ARNs, so the platform routes a request here only when
// OwnsTagARN(the request's ResourceArn) is true.

// OwnsTagARN reports whether arn names a Glue job, trigger or workflow
// (whether or not it exists): a resource whose tags this package keeps.
func OwnsTagARN(arn string) bool {
	_, kind, _, ok := splitARN(arn)
	return ok && (kind == "job" || kind == "trigger" || kind == "workflow")
}

func splitARN(arn string) (region, kind, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "glue" || parts[3] == "" {
		return "", "", "", false
	}
	kind, name, ok = strings.Cut(parts[5], "/")
	return parts[3], kind, name, ok && name != ""
}

// withTags loads the tagged record of arn, lets fn change its tags and,
// when save, writes it back. The caller holds s.mu.
func (s *Service) withTags(arn string, save bool, fn func(map[string]string) (map[string]string, error)) error {
	region, kind, name, ok := splitARN(arn)
	if !ok {
		return errInvalid("Invalid resource ARN: %s", arn)
	}
	switch kind {
	case "job":
		rec, err := s.loadJob(region, name)
		if err != nil {
			return err
		}
		if rec.Tags, err = fn(rec.Tags); err != nil || !save {
			return err
		}
		return putJSON(s.meta, keyJob(region, name), rec)
	case "trigger":
		rec, err := s.loadTrigger(region, name)
		if err != nil {
			return err
		}
		if rec.Tags, err = fn(rec.Tags); err != nil || !save {
			return err
		}
		return s.saveTrigger(rec)
	case "workflow":
		rec, err := s.loadWorkflow(region, name)
		if err != nil {
			return err
		}
		if rec.Tags, err = fn(rec.Tags); err != nil || !save {
			return err
		}
		return putJSON(s.meta, keyWorkflow(region, name), rec)
	}
	return errInvalid("tarn's jobs keep tags on Glue jobs, triggers and workflows only, not %s", arn)
}

type tagResourceInput struct {
	ResourceArn  string            `json:"ResourceArn"`
	TagsToAdd    map[string]string `json:"TagsToAdd"`
	TagsToRemove []string          `json:"TagsToRemove"`
}

func (s *Service) opTagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	if err := validTags(in.TagsToAdd); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return nil, s.withTags(in.ResourceArn, true, func(cur map[string]string) (map[string]string, error) {
		if cur == nil {
			cur = map[string]string{}
		}
		for k, v := range in.TagsToAdd {
			cur[k] = v
		}
		if len(cur) > maxTags {
			return nil, errInvalid("A resource can have at most %d tags.", maxTags)
		}
		return cur, nil
	})
}

func (s *Service) opUntagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return nil, s.withTags(in.ResourceArn, true, func(cur map[string]string) (map[string]string, error) {
		for _, k := range in.TagsToRemove {
			delete(cur, k)
		}
		return cur, nil
	})
}

type getTagsOutput struct {
	Tags map[string]string `json:"Tags"`
}

func (s *Service) opGetTags(ctx context.Context, in *tagResourceInput) (*getTagsOutput, error) {
	out := &getTagsOutput{Tags: map[string]string{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.withTags(in.ResourceArn, false, func(cur map[string]string) (map[string]string, error) {
		for k, v := range cur {
			out.Tags[k] = v
		}
		return cur, nil
	})
	return out, err
}
