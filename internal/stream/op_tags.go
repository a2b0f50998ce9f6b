package stream

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Tag limits, as AWS's.
const (
	maxTags        = 50 // per stream, and per request
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

var tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// validTags checks tags to be added to stream name, which has existing
// tags already (counting only keys not among the new ones).
func validTags(name string, tags map[string]string, existing int) error {
	if len(tags) > maxTags {
		return errValidation("tags", len(tags), "Member must have length less than or equal to 50")
	}
	for k, v := range tags {
		if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKeyLen {
			return errValidation("tags", k, "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]")
		}
		if utf8.RuneCountInString(v) > maxTagValueLen {
			return errValidation("tags", v, "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]")
		}
		if !tagPattern.MatchString(k) || !tagPattern.MatchString(v) {
			return errTagChars(name)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return errTagReserved(k, name)
		}
	}
	if existing+len(tags) > maxTags {
		return errTooManyTags(name)
	}
	return nil
}

func validTagKeys(keys []string) error {
	if len(keys) < 1 || len(keys) > maxTags {
		return errValidation("tagKeys", keys, "Member must have length between 1 and 50")
	}
	for _, k := range keys {
		if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKeyLen {
			return errValidation("tagKeys", keys, "Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]")
		}
	}
	return nil
}

// addTags adds or overwrites tags (AddTagsToStream, TagResource).
func (s *Service) addTags(ctx context.Context, ref streamRef, tags map[string]string) error {
	if len(tags) < 1 {
		return errValidation("tags", "{}", "Member must have length greater than or equal to 1")
	}
	return s.change(ctx, ref, func(m *streamMeta) error {
		existing := 0
		for k := range m.Tags {
			if _, ok := tags[k]; !ok {
				existing++
			}
		}
		if err := validTags(m.Name, tags, existing); err != nil {
			return err
		}
		if m.Tags == nil {
			m.Tags = map[string]string{}
		}
		for k, v := range tags {
			m.Tags[k] = v
		}
		return nil
	})
}

// removeTags removes keys; absent keys are ignored, as on AWS.
func (s *Service) removeTags(ctx context.Context, ref streamRef, keys []string) error {
	if err := validTagKeys(keys); err != nil {
		return err
	}
	return s.change(ctx, ref, func(m *streamMeta) error {
		for _, k := range keys {
			delete(m.Tags, k)
		}
		return nil
	})
}

// sortedTags is m's tags in key order.
func sortedTags(m *streamMeta) []tag {
	out := make([]tag, 0, len(m.Tags))
	for k, v := range m.Tags {
		out = append(out, tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (s *Service) addTagsToStream(ctx context.Context, in *addTagsInput) (*struct{}, error) {
	return nil, s.addTags(ctx, in.streamRef, in.Tags)
}

func (s *Service) removeTagsFromStream(ctx context.Context, in *removeTagsInput) (*struct{}, error) {
	return nil, s.removeTags(ctx, in.streamRef, in.TagKeys)
}

// ListTagsForStream pages through the tags in key order after
// ExclusiveStartTagKey, Limit (1..50, default 50) at a time.
func (s *Service) listTagsForStream(ctx context.Context, in *listTagsForStreamInput) (*listTagsForStreamOutput, error) {
	limit := maxTags
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > maxTags {
			return nil, errValidation("limit", *in.Limit, "Member must have value between 1 and 50")
		}
		limit = *in.Limit
	}
	st, err := s.lookup(ctx, in.streamRef)
	if err != nil {
		return nil, err
	}
	out := &listTagsForStreamOutput{Tags: []tag{}}
	for _, t := range sortedTags(&st.meta) {
		if t.Key <= in.ExclusiveStartTagKey && in.ExclusiveStartTagKey != "" {
			continue
		}
		if len(out.Tags) == limit {
			out.HasMoreTags = true
			break
		}
		out.Tags = append(out.Tags, t)
	}
	return out, nil
}

// resourceRef names the stream a resource ARN refers to; only stream
// ARNs are resources tarn has (no consumers yet).
func resourceRef(arn string) (streamRef, error) {
	if arn == "" {
		return streamRef{}, errValidation("resourceARN", "null", "Member must not be null")
	}
	if strings.Contains(arn, "/consumer/") {
		return streamRef{}, errInvalid("Resource %s is a stream consumer; tarn does not implement consumers yet.", arn)
	}
	return streamRef{StreamARN: arn}, nil
}

func (s *Service) tagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	ref, err := resourceRef(in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return nil, s.addTags(ctx, ref, in.Tags)
}

func (s *Service) untagResource(ctx context.Context, in *untagResourceInput) (*struct{}, error) {
	ref, err := resourceRef(in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return nil, s.removeTags(ctx, ref, in.TagKeys)
}

func (s *Service) listTagsForResource(ctx context.Context, in *listTagsForResourceInput) (*listTagsForResourceOutput, error) {
	ref, err := resourceRef(in.ResourceARN)
	if err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, ref)
	if err != nil {
		return nil, err
	}
	return &listTagsForResourceOutput{Tags: sortedTags(&st.meta)}, nil
}
