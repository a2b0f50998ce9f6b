package logs

import (
	"context"
	"maps"
	"unicode/utf8"
)

type tagResourceInput struct {
	ResourceArn *string           `json:"resourceArn"`
	Tags        map[string]string `json:"tags"`
}

type untagResourceInput struct {
	ResourceArn *string  `json:"resourceArn"`
	TagKeys     []string `json:"tagKeys"`
}

type resourceArnInput struct {
	ResourceArn *string `json:"resourceArn"`
}

type tagsOutput struct {
	Tags map[string]string `json:"tags"`
}

type tagLogGroupInput struct {
	LogGroupName *string           `json:"logGroupName"`
	Tags         map[string]string `json:"tags"`
}

type untagLogGroupInput struct {
	LogGroupName *string  `json:"logGroupName"`
	Tags         []string `json:"tags"`
}

// validTags checks tag keys (1-128 characters, not "aws:") and values
// (0-256 characters) and the count.
func validTags(tags map[string]string) error {
	if len(tags) > maxTags {
		return errTooManyTags()
	}
	for k, v := range tags {
		if err := validTagKey(k); err != nil {
			return err
		}
		if utf8.RuneCountInString(v) > 256 {
			return errConstraint("tags", v, "Member must have length less than or equal to 256")
		}
	}
	return nil
}

func validTagKey(k string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
		return errConstraint("tagKeys", k, "Member must have length between 1 and 128")
	}
	if len(k) >= 4 && k[:4] == "aws:" {
		return errInvalid("Tag keys prefixed with 'aws:' are reserved.")
	}
	return nil
}

// tagGroup merges tags into a group's (region, name).
func (s *Service) tagGroup(region, group string, tags map[string]string) error {
	if err := validTags(tags); err != nil {
		return err
	}
	return s.updateGroup(region, group, func(g *groupRecord) error {
		merged := maps.Clone(g.Tags)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, tags)
		if len(merged) > maxTags {
			return errTooManyTags()
		}
		g.Tags = merged
		return nil
	})
}

func (s *Service) untagGroup(region, group string, keys []string) error {
	for _, k := range keys {
		if err := validTagKey(k); err != nil {
			return err
		}
	}
	return s.updateGroup(region, group, func(g *groupRecord) error {
		g.Tags = maps.Clone(g.Tags)
		for _, k := range keys {
			delete(g.Tags, k)
		}
		return nil
	})
}

func (s *Service) groupTags(region, group string) (*tagsOutput, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, err := s.getGroup(region, group)
	if err != nil {
		return nil, err
	}
	t := g.Tags
	if t == nil {
		t = map[string]string{}
	}
	return &tagsOutput{Tags: t}, nil
}

// arnGroup resolves a resource ARN to a log group; only log groups carry
// tags in tarn (destinations and the like are not built).
func (s *Service) arnGroup(arn *string) (region, group string, err error) {
	if arn == nil {
		return "", "", errRequired("resourceArn")
	}
	region, group, ok := parseGroupARN(*arn)
	if !ok {
		return "", "", errInvalid("Invalid ARN: %s", *arn)
	}
	if err := validGroupName("resourceArn", group); err != nil {
		return "", "", err
	}
	return region, group, nil
}

// notFoundAs keeps a ResourceNotFoundException about a group but names
// the ARN, as the resource-tagging API does.
func notFoundAs(err error, arn string) error {
	if isNotFound(err) {
		return errArnNotFound(arn)
	}
	return err
}

func (s *Service) opTagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	region, group, err := s.arnGroup(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	return nil, notFoundAs(s.tagGroup(region, group, in.Tags), *in.ResourceArn)
}

func (s *Service) opUntagResource(ctx context.Context, in *untagResourceInput) (*struct{}, error) {
	region, group, err := s.arnGroup(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	return nil, notFoundAs(s.untagGroup(region, group, in.TagKeys), *in.ResourceArn)
}

func (s *Service) opListTagsForResource(ctx context.Context, in *resourceArnInput) (*tagsOutput, error) {
	region, group, err := s.arnGroup(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out, err := s.groupTags(region, group)
	return out, notFoundAs(err, *in.ResourceArn)
}

func (s *Service) opTagLogGroup(ctx context.Context, in *tagLogGroupInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	return nil, s.tagGroup(s.regionOf(ctx), *in.LogGroupName, in.Tags)
}

func (s *Service) opUntagLogGroup(ctx context.Context, in *untagLogGroupInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	return nil, s.untagGroup(s.regionOf(ctx), *in.LogGroupName, in.Tags)
}

func (s *Service) opListTagsLogGroup(ctx context.Context, in *logGroupNameInput) (*tagsOutput, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	return s.groupTags(s.regionOf(ctx), *in.LogGroupName)
}
