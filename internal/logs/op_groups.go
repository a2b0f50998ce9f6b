package logs

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

type createLogGroupInput struct {
	LogGroupName              *string           `json:"logGroupName"`
	KmsKeyID                  string            `json:"kmsKeyId"`
	Tags                      map[string]string `json:"tags"`
	LogGroupClass             string            `json:"logGroupClass"`
	DeletionProtectionEnabled bool              `json:"deletionProtectionEnabled"`
}

type logGroupNameInput struct {
	LogGroupName *string `json:"logGroupName"`
}

type describeLogGroupsInput struct {
	LogGroupNamePrefix  *string  `json:"logGroupNamePrefix"`
	LogGroupNamePattern *string  `json:"logGroupNamePattern"`
	LogGroupIdentifiers []string `json:"logGroupIdentifiers"`
	LogGroupClass       string   `json:"logGroupClass"`
	Limit               *int32   `json:"limit"`
	NextToken           *string  `json:"nextToken"`
}

type logGroupShape struct {
	LogGroupName              string `json:"logGroupName"`
	Arn                       string `json:"arn"`
	LogGroupArn               string `json:"logGroupArn"`
	CreationTime              int64  `json:"creationTime"`
	RetentionInDays           *int32 `json:"retentionInDays,omitempty"`
	MetricFilterCount         int32  `json:"metricFilterCount"`
	StoredBytes               int64  `json:"storedBytes"`
	KmsKeyID                  string `json:"kmsKeyId,omitempty"`
	LogGroupClass             string `json:"logGroupClass"`
	DeletionProtectionEnabled bool   `json:"deletionProtectionEnabled"`
}

type describeLogGroupsOutput struct {
	LogGroups []logGroupShape `json:"logGroups"`
	NextToken *string         `json:"nextToken,omitempty"`
}

type putRetentionPolicyInput struct {
	LogGroupName    *string `json:"logGroupName"`
	RetentionInDays *int32  `json:"retentionInDays"`
}

func validClass(c string) (string, error) {
	switch c {
	case "":
		return "STANDARD", nil
	case "STANDARD", "INFREQUENT_ACCESS", "DELIVERY":
		return c, nil
	}
	return "", errConstraint("logGroupClass", c, "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]")
}

func (s *Service) opCreateLogGroup(ctx context.Context, in *createLogGroupInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if strings.HasPrefix(*in.LogGroupName, "aws/") {
		return nil, errInvalid("Log group names cannot start with 'aws/'.")
	}
	class, err := validClass(in.LogGroupClass)
	if err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.getGroup(region, *in.LogGroupName); err == nil {
		return nil, errGroupExists()
	} else if !isNotFound(err) {
		return nil, err
	}
	g := groupRecord{Name: *in.LogGroupName, CreationTime: s.nowMS(), Class: class, KmsKeyID: in.KmsKeyID,
		Deletion: in.DeletionProtectionEnabled, Tags: in.Tags}
	if err := s.meta.Set(groupKey(region, g.Name), mustJSON(&g)); err != nil {
		return nil, err
	}
	s.cache.setGroup(string(groupKey(region, g.Name)), g)
	return nil, nil
}

// deleteGroupLocked deletes a group, its streams and events in one batch.
// Callers hold mu.
func (s *Service) deleteGroupLocked(region, group string) error {
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, groupKey(region, group))
	sp := streamsPrefix(region, group)
	b.DeleteRange(s.meta, sp, kv.PrefixEnd(sp))
	ep := groupEventsPrefix(region, group)
	b.DeleteRange(s.meta, ep, kv.PrefixEnd(ep))
	err := b.Commit()
	s.cache.evict(string(groupKey(region, group)), string(sp)) // after a failed commit too: reload
	return err
}

func (s *Service) opDeleteLogGroup(ctx context.Context, in *logGroupNameInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.getGroup(region, *in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if g.Deletion {
		return nil, errInvalidOperation("Log group %s has deletion protection enabled.", g.Name)
	}
	return nil, s.deleteGroupLocked(region, g.Name)
}

func (s *Service) opDescribeLogGroups(ctx context.Context, in *describeLogGroupsInput) (*describeLogGroupsOutput, error) {
	limit, err := pageLimit(in.Limit, maxDescribeLimit, maxDescribeLimit)
	if err != nil {
		return nil, err
	}
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, errInvalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	if in.LogGroupIdentifiers != nil && (in.LogGroupNamePrefix != nil || in.LogGroupNamePattern != nil) {
		return nil, errInvalid("LogGroupIdentifiers and LogGroup name prefix/pattern are mutually exclusive parameters.")
	}
	if in.LogGroupNamePrefix != nil {
		if err := validGroupName("logGroupNamePrefix", *in.LogGroupNamePrefix); err != nil {
			return nil, err
		}
	}
	region := s.regionOf(ctx)
	var after string
	scope := region
	if in.NextToken != nil {
		d, err := s.open(kindGroups, scope, *in.NextToken)
		if err != nil {
			return nil, err
		}
		after = string(d)
	}
	idents := map[string]bool{}
	for _, id := range in.LogGroupIdentifiers {
		g, err := resolveGroup(nil, &id)
		if err != nil {
			return nil, err
		}
		idents[g] = true
	}
	base := groupsPrefix(region)
	lo := base
	if in.LogGroupNamePrefix != nil {
		lo = append(append([]byte(nil), base...), *in.LogGroupNamePrefix...)
	}
	hi := kv.PrefixEnd(lo)
	if after != "" {
		lo = append(append(append([]byte(nil), base...), after...), 0)
	}
	it, err := s.meta.Iter(lo, hi)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := &describeLogGroupsOutput{LogGroups: []logGroupShape{}}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var g groupRecord
		if err := json.Unmarshal(v, &g); err != nil {
			return nil, err
		}
		if in.LogGroupNamePattern != nil && !strings.Contains(g.Name, *in.LogGroupNamePattern) ||
			len(in.LogGroupIdentifiers) > 0 && !idents[g.Name] || in.LogGroupClass != "" && g.Class != in.LogGroupClass {
			continue
		}
		if len(out.LogGroups) == limit {
			last := out.LogGroups[limit-1].LogGroupName
			tok := s.seal(kindGroups, scope, []byte(last))
			out.NextToken = &tok
			break
		}
		shape, err := s.groupShape(region, &g)
		if err != nil {
			return nil, err
		}
		out.LogGroups = append(out.LogGroups, shape)
	}
	return out, nil
}

// groupShape renders a group; storedBytes sums its streams'.
func (s *Service) groupShape(region string, g *groupRecord) (logGroupShape, error) {
	streams, err := s.listStreams(region, g.Name, "")
	if err != nil {
		return logGroupShape{}, err
	}
	var stored int64
	for _, st := range streams {
		stored += st.StoredBytes
	}
	arn := groupARN(region, g.Name)
	shape := logGroupShape{LogGroupName: g.Name, Arn: arn + ":*", LogGroupArn: arn, CreationTime: g.CreationTime,
		StoredBytes: stored, KmsKeyID: g.KmsKeyID, LogGroupClass: g.Class, DeletionProtectionEnabled: g.Deletion}
	if shape.LogGroupClass == "" {
		shape.LogGroupClass = "STANDARD"
	}
	if g.Retention > 0 {
		r := g.Retention
		shape.RetentionInDays = &r
	}
	return shape, nil
}

// updateGroup applies fn to a group's record under mu and stores it.
func (s *Service) updateGroup(region, group string, fn func(g *groupRecord) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.getGroup(region, group)
	if err != nil {
		return err
	}
	if err := fn(g); err != nil {
		return err
	}
	if err := s.meta.Set(groupKey(region, group), mustJSON(g)); err != nil {
		s.cache.evict(string(groupKey(region, group)), "")
		return err
	}
	s.cache.setGroup(string(groupKey(region, group)), *g)
	return nil
}

func (s *Service) opPutRetentionPolicy(ctx context.Context, in *putRetentionPolicyInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	if in.RetentionInDays == nil {
		return nil, errRequired("retentionInDays")
	}
	if !validRetention(*in.RetentionInDays) {
		return nil, errConstraint("retentionInDays", *in.RetentionInDays, retentionConstraint)
	}
	return nil, s.updateGroup(s.regionOf(ctx), *in.LogGroupName, func(g *groupRecord) error {
		g.Retention = *in.RetentionInDays
		return nil
	})
}

func (s *Service) opDeleteRetentionPolicy(ctx context.Context, in *logGroupNameInput) (*struct{}, error) {
	if in.LogGroupName == nil {
		return nil, errRequired("logGroupName")
	}
	if err := validGroupName("logGroupName", *in.LogGroupName); err != nil {
		return nil, err
	}
	return nil, s.updateGroup(s.regionOf(ctx), *in.LogGroupName, func(g *groupRecord) error {
		g.Retention = 0
		return nil
	})
}

// pageLimit checks an optional limit in [1, max] and returns it or def.
func pageLimit(l *int32, max, def int) (int, error) {
	if l == nil {
		return def, nil
	}
	if *l < 1 {
		return 0, errConstraint("limit", *l, "Member must have value greater than or equal to 1")
	}
	if int(*l) > max {
		return 0, errConstraint("limit", *l, "Member must have value less than or equal to "+itoa(max))
	}
	return int(*l), nil
}
