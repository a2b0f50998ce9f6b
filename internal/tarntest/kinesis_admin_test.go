package tarntest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func TestKinesisReshardErrors(t *testing.T) {
	env := Start(t)
	// The SDK retries LimitExceededException as throttling; answer at once.
	c := env.Kinesis(func(o *kinesis.Options) { o.RetryMaxAttempts = 1 })
	ctx := t.Context()
	createStream(t, c, "e", 3)
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("od"),
		StreamModeDetails: &types.StreamModeDetails{StreamMode: types.StreamModeOnDemand}}); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, "od")
	createStream(t, c, "big", 300)
	split := func(stream, shard, key string) error {
		_, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: aws.String(shard), NewStartingHashKey: aws.String(key)})
		return err
	}
	merge := func(a, b string) error {
		_, err := c.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String("e"), ShardToMerge: aws.String(a), AdjacentShardToMerge: aws.String(b)})
		return err
	}
	update := func(stream string, n int32, typ types.ScalingType) error {
		_, err := c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(stream), TargetShardCount: aws.Int32(n), ScalingType: typ})
		return err
	}
	// shard 0 of 3 is [0, 113427455640312821154458202477256070484]
	const s0End = "113427455640312821154458202477256070484"
	for _, tc := range []struct {
		name string
		err  error
		code string
		msg  string
	}{
		{"split at start+1", split("e", "shardId-000000000000", "1"), "InvalidArgumentException", "is not both greater than one plus the shard's StartingHashKey 0"},
		{"split at end", split("e", "shardId-000000000000", s0End), "InvalidArgumentException", "less than the shard's EndingHashKey " + s0End},
		{"split outside", split("e", "shardId-000000000000", "200000000000000000000000000000000000000"), "InvalidArgumentException", ""},
		{"split bad key", split("e", "shardId-000000000000", "-5"), "ValidationException", ""},
		{"split no shard", split("e", "shardId-000000000009", "5"), "ResourceNotFoundException", ""},
		{"split no stream", split("nope", "shardId-000000000000", "5"), "ResourceNotFoundException", ""},
		{"split on-demand", split("od", "shardId-000000000000", "5"), "ValidationException", ""},
		{"merge not adjacent", merge("shardId-000000000000", "shardId-000000000002"), "InvalidArgumentException", "are not an adjacent pair"},
		{"merge itself", merge("shardId-000000000001", "shardId-000000000001"), "InvalidArgumentException", ""},
		{"merge no shard", merge("shardId-000000000001", "shardId-000000000007"), "ResourceNotFoundException", ""},
		{"update over double", update("e", 7, types.ScalingTypeUniformScaling), "LimitExceededException", "cannot scale up over double"},
		{"update below half", update("e", 1, types.ScalingTypeUniformScaling), "LimitExceededException", "cannot scale down below half"},
		{"update zero", update("e", 0, types.ScalingTypeUniformScaling), "ValidationException", ""},
		{"update scaling type", update("e", 4, "LINEAR"), "ValidationException", ""},
		{"update shard quota", update("big", 600, types.ScalingTypeUniformScaling), "LimitExceededException", "shard limit"},
		{"update on-demand", update("od", 8, types.ScalingTypeUniformScaling), "ValidationException", ""},
	} {
		if got := apiCode(tc.err); got != tc.code || !strings.Contains(fmt.Sprint(tc.err), tc.msg) {
			t.Errorf("%s: %v, want %s %q", tc.name, tc.err, tc.code, tc.msg)
		}
	}
	// A closed shard can be neither split nor merged again.
	if err := merge("shardId-000000000001", "shardId-000000000000"); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, "e") // MergeShards answers UPDATING; the merge is applied in the background
	if err := split("e", "shardId-000000000000", "5"); apiCode(err) != "InvalidArgumentException" || !strings.Contains(err.Error(), "already been merged or split") {
		t.Errorf("split a closed shard: %v", err)
	}
	if err := merge("shardId-000000000003", "shardId-000000000001"); apiCode(err) != "InvalidArgumentException" {
		t.Errorf("merge a closed shard: %v", err)
	}
	// The merged shard 3 has ShardToMerge (1) as ParentShardId even though
	// the adjacent shard (0) holds the lower hash keys.
	sh := shardsByID(t, c, "e")
	if p, a := aws.ToString(sh["shardId-000000000003"].ParentShardId), aws.ToString(sh["shardId-000000000003"].AdjacentParentShardId); p != "shardId-000000000001" || a != "shardId-000000000000" {
		t.Errorf("merged lineage %s %s", p, a)
	}
	if *sh["shardId-000000000003"].HashKeyRange.StartingHashKey != "0" {
		t.Errorf("merged range %+v", sh["shardId-000000000003"].HashKeyRange)
	}
	// UpdateShardCount to the uniform split it already has is a no-op.
	before := len(shardsByID(t, c, "big"))
	if err := update("big", 300, types.ScalingTypeUniformScaling); err != nil || len(shardsByID(t, c, "big")) != before {
		t.Errorf("no-op UpdateShardCount: %v", err)
	}
	if _, err := c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("big"), EnforceConsumerDeletion: aws.Bool(true)}); err != nil {
		t.Errorf("DeleteStream EnforceConsumerDeletion: %v", err)
	}
}

func TestKinesisRetentionPeriod(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	ctx := t.Context()
	createStream(t, c, "r", 1)
	inc := func(h int32) error {
		_, err := c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("r"), RetentionPeriodHours: aws.Int32(h)})
		return err
	}
	dec := func(h int32) error {
		_, err := c.DecreaseStreamRetentionPeriod(ctx, &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String("r"), RetentionPeriodHours: aws.Int32(h)})
		return err
	}
	retention := func() int32 {
		d, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("r")})
		if err != nil {
			t.Fatal(err)
		}
		return *d.StreamDescriptionSummary.RetentionPeriodHours
	}
	if err := inc(48); err != nil || retention() != 48 {
		t.Fatalf("increase to 48: %v, now %d", err, retention())
	}
	for _, tc := range []struct {
		name string
		err  error
		msg  string
	}{
		{"increase to less", inc(24), "can not be shorter than existing retention period (48 hours)"},
		{"decrease to more", dec(100), "can not be longer than existing retention period (48 hours)"},
		{"increase too far", inc(8761), "Maximum allowed retention period is 8760 hours"},
		{"decrease too far", dec(23), "Minimum allowed retention period is 24 hours"},
	} {
		if apiCode(tc.err) != "InvalidArgumentException" || !strings.Contains(tc.err.Error(), tc.msg) {
			t.Errorf("%s: %v", tc.name, tc.err)
		}
	}
	if err := inc(48); err != nil {
		t.Errorf("increase to the same period: %v", err)
	}
	if err := dec(24); err != nil || retention() != 24 {
		t.Fatalf("decrease to 24: %v", err)
	}
	if _, err := c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("none"), RetentionPeriodHours: aws.Int32(48)}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("unknown stream: %v", err)
	}
	if err := inc(8760); err != nil || retention() != 8760 {
		t.Fatalf("increase to 8760: %v", err)
	}
}

func TestKinesisTags(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	ctx := t.Context()
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("t"), ShardCount: aws.Int32(1),
		Tags: map[string]string{"team": "data", "env": "dev"}}); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, "t")
	list := func(start string, limit int32) (*kinesis.ListTagsForStreamOutput, error) {
		in := &kinesis.ListTagsForStreamInput{StreamName: aws.String("t")}
		if start != "" {
			in.ExclusiveStartTagKey = aws.String(start)
		}
		if limit != 0 {
			in.Limit = aws.Int32(limit)
		}
		return c.ListTagsForStream(ctx, in)
	}
	keys := func(out *kinesis.ListTagsForStreamOutput) string {
		var ks []string
		for _, tg := range out.Tags {
			ks = append(ks, *tg.Key+"="+aws.ToString(tg.Value))
		}
		return strings.Join(ks, ",") + fmt.Sprintf(" more=%v", *out.HasMoreTags)
	}
	if _, err := c.AddTagsToStream(ctx, &kinesis.AddTagsToStreamInput{StreamName: aws.String("t"),
		Tags: map[string]string{"env": "prod", "cost": "", "app": "clicks"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		start string
		limit int32
		want  string
	}{
		{"", 0, "app=clicks,cost=,env=prod,team=data more=false"},
		{"", 2, "app=clicks,cost= more=true"},
		{"cost", 2, "env=prod,team=data more=false"},
		{"env", 1, "team=data more=false"},
	} {
		out, err := list(tc.start, tc.limit)
		if err != nil || keys(out) != tc.want {
			t.Errorf("ListTagsForStream(%q, %d) = %v %v, want %s", tc.start, tc.limit, out, err, tc.want)
		}
	}
	if _, err := c.RemoveTagsFromStream(ctx, &kinesis.RemoveTagsFromStreamInput{StreamName: aws.String("t"), TagKeys: []string{"cost", "absent"}}); err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/t"
	if _, err := c.TagResource(ctx, &kinesis.TagResourceInput{ResourceARN: aws.String(arn), Tags: map[string]string{"owner": "me"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &kinesis.UntagResourceInput{ResourceARN: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	res, err := c.ListTagsForResource(ctx, &kinesis.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	if err != nil || len(res.Tags) != 3 || *res.Tags[0].Key != "app" || *res.Tags[2].Key != "owner" {
		t.Fatalf("ListTagsForResource: %+v %v", res, err)
	}

	many := func(n int, prefix string) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[fmt.Sprintf("%s%02d", prefix, i)] = "v"
		}
		return m
	}
	add := func(tags map[string]string) error {
		_, err := c.AddTagsToStream(ctx, &kinesis.AddTagsToStreamInput{StreamName: aws.String("t"), Tags: tags})
		return err
	}
	if err := add(many(47, "k")); err != nil { // 3 + 47 = 50, the limit
		t.Fatalf("up to 50 tags: %v", err)
	}
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"51st tag", add(map[string]string{"one-more": "x"}), "InvalidArgumentException"},
		{"51 in one call", add(many(51, "n")), "ValidationException"},
		{"no tags", add(map[string]string{}), "ValidationException"},
		{"long key", add(map[string]string{strings.Repeat("k", 129): "v"}), "ValidationException"},
		{"long value", add(map[string]string{"app": strings.Repeat("v", 257)}), "ValidationException"},
		{"bad chars", add(map[string]string{"a*b": "v"}), "InvalidArgumentException"},
		{"aws prefix", add(map[string]string{"aws:x": "v"}), "InvalidArgumentException"},
		{"create with 51", func() error {
			_, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("t2"), ShardCount: aws.Int32(1), Tags: many(51, "c")})
			return err
		}(), "ValidationException"},
		{"list limit 0", func() error {
			_, err := c.ListTagsForStream(ctx, &kinesis.ListTagsForStreamInput{StreamName: aws.String("t"), Limit: aws.Int32(0)})
			return err
		}(), "ValidationException"},
		{"list limit 51", func() error { _, err := list("", 51); return err }(), "ValidationException"},
		{"remove none", func() error {
			_, err := c.RemoveTagsFromStream(ctx, &kinesis.RemoveTagsFromStreamInput{StreamName: aws.String("t"), TagKeys: []string{}})
			return err
		}(), "ValidationException"},
		{"unknown stream", func() error {
			_, err := c.ListTagsForStream(ctx, &kinesis.ListTagsForStreamInput{StreamName: aws.String("none")})
			return err
		}(), "ResourceNotFoundException"},
	} {
		if got := apiCode(tc.err); got != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.code)
		}
	}
	// Overwriting existing keys does not count against the limit.
	if err := add(map[string]string{"app": "v2", "k00": "v2"}); err != nil {
		t.Errorf("overwrite at the limit: %v", err)
	}
}
