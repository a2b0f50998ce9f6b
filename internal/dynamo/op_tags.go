package dynamo

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

const maxTags = 50

func validateTags(tags []Tag) error {
	for i, t := range tags {
		if len(t.Key) < 1 || len(t.Key) > 128 {
			return errConstraint(t.Key, "tags."+itoa(i+1)+".member.key", "Member must have length less than or equal to 128, Member must have length greater than or equal to 1")
		}
		if len(t.Value) > 256 {
			return errConstraint(t.Value, "tags."+itoa(i+1)+".member.value", "Member must have length less than or equal to 256")
		}
		if strings.HasPrefix(t.Key, "aws:") {
			return errValidation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use")
		}
	}
	return nil
}

// mergeTags sets tags over old (same key: new value), keeping the order of
// first appearance.
func mergeTags(old, tags []Tag) []Tag {
	out := append([]Tag(nil), old...)
	for _, t := range tags {
		i := slices.IndexFunc(out, func(o Tag) bool { return o.Key == t.Key })
		if i >= 0 {
			out[i].Value = t.Value
		} else {
			out = append(out, t)
		}
	}
	return out
}

// tableForArn resolves a resource ARN of a table (tags).
func (s *Service) tableForArn(arn string) (*table, error) {
	region, name, ok := parseTableArn(arn)
	if !ok {
		return nil, errValidation("Invalid TableArn: Invalid ResourceArn provided as input %s", arn)
	}
	t := s.lookup(region, name)
	if t == nil {
		return nil, apiErr(codeResourceNotFound, "Requested resource not found: ResourcArn: %s not found", arn)
	}
	return t, nil
}

func (s *Service) tagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	if in.ResourceArn == "" {
		return nil, errNull("resourceArn")
	}
	if in.Tags == nil {
		return nil, errNull("tags")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	t, err := s.tableForArn(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	nd := t.desc.Load().clone()
	nd.Tags = mergeTags(nd.Tags, in.Tags)
	if len(nd.Tags) > maxTags {
		return nil, errLimit("The number of tags exceeds the limit of %d for resource %s", maxTags, in.ResourceArn)
	}
	return nil, s.publish(t, nd)
}

func (s *Service) untagResource(ctx context.Context, in *untagResourceInput) (*struct{}, error) {
	if in.ResourceArn == "" {
		return nil, errNull("resourceArn")
	}
	if in.TagKeys == nil {
		return nil, errNull("tagKeys")
	}
	t, err := s.tableForArn(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	nd := t.desc.Load().clone()
	nd.Tags = slices.DeleteFunc(nd.Tags, func(tg Tag) bool { return slices.Contains(in.TagKeys, tg.Key) })
	return nil, s.publish(t, nd)
}

func (s *Service) listTagsOfResource(ctx context.Context, in *listTagsInput) (*listTagsOut, error) {
	if in.ResourceArn == "" {
		return nil, errNull("resourceArn")
	}
	t, err := s.tableForArn(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags := t.desc.Load().Tags
	if tags == nil {
		tags = []Tag{}
	}
	return &listTagsOut{Tags: tags}, nil
}

func (s *Service) updateTimeToLive(ctx context.Context, in *updateTTLInput) (*updateTTLOut, error) {
	if in.TimeToLiveSpecification == nil {
		return nil, errNull("timeToLiveSpecification")
	}
	spec := in.TimeToLiveSpecification
	if spec.AttributeName == "" {
		return nil, errNull("timeToLiveSpecification.attributeName")
	}
	if spec.Enabled == nil {
		return nil, errNull("timeToLiveSpecification.enabled")
	}
	t, _, err := s.tableForAdmin(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	d := t.desc.Load()
	if *spec.Enabled && d.TTLOn {
		return nil, errValidation("TimeToLive is already enabled")
	}
	if !*spec.Enabled && !d.TTLOn {
		return nil, errValidation("TimeToLive is already disabled")
	}
	if !*spec.Enabled && spec.AttributeName != d.TTLAttr {
		return nil, errValidation("TimeToLive is active on a different AttributeName: current AttributeName is %s", d.TTLAttr)
	}
	nd := d.clone()
	nd.TTLOn = *spec.Enabled
	nd.TTLAttr = spec.AttributeName
	nd.TTLReady = false
	b := s.db.NewBatch()
	defer b.Close()
	p := tablePrefix(d.ID)
	b.DeleteRange(s.ttlSp, p, kv.PrefixEnd(p))
	b.Set(s.metaSp, tableMetaKey(nd.Region, nd.Name), marshalDesc(nd))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	t.desc.Store(nd)
	if nd.TTLOn {
		s.goBG(func() { s.ttlBackfill(s.bgCtx, t) })
	}
	return &updateTTLOut{TimeToLiveSpecification: spec}, nil
}

func (s *Service) describeTimeToLive(ctx context.Context, in *tableNameInput) (*describeTTLOut, error) {
	_, d, err := s.tableForAdmin(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	if !d.TTLOn {
		return &describeTTLOut{TimeToLiveDescription: &TimeToLiveDescription{TimeToLiveStatus: "DISABLED"}}, nil
	}
	return &describeTTLOut{TimeToLiveDescription: &TimeToLiveDescription{TimeToLiveStatus: "ENABLED", AttributeName: d.TTLAttr}}, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
