package logs

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestLogGroups(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	_, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn"),
		Tags: map[string]string{"team": "data"}, LogGroupClass: types.LogGroupClassInfrequentAccess})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn")})
	wantCode(t, err, "ResourceAlreadyExistsException")
	for _, bad := range []string{"has space", "a:b", "star*", "aws/reserved", strings.Repeat("x", 513)} {
		_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(bad)})
		wantCode(t, err, "InvalidParameterException")
	}
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("ok"), LogGroupClass: "GOLD"})
	wantCode(t, err, "InvalidParameterException")
	h.mkGroup(t, strings.Repeat("x", 512)) // the longest name
	for i := range 7 {
		h.mkGroup(t, fmt.Sprintf("app/%d", i))
	}
	h.mkGroup(t, "other/App")

	out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.LogGroups) != 1 {
		t.Fatalf("groups = %+v", out.LogGroups)
	}
	g := out.LogGroups[0]
	wantArn := "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/fn"
	if aws.ToString(g.Arn) != wantArn+":*" || aws.ToString(g.LogGroupArn) != wantArn || aws.ToInt64(g.CreationTime) != h.clock.ms() ||
		g.LogGroupClass != types.LogGroupClassInfrequentAccess || aws.ToInt32(g.MetricFilterCount) != 0 || g.StoredBytes == nil || g.RetentionInDays != nil {
		t.Fatalf("group = %+v", g)
	}

	// Paging: 7 app/ groups, 3 a page.
	var names []string
	var tok *string
	pages := 0
	for {
		out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("app/"), Limit: aws.Int32(3), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range out.LogGroups {
			names = append(names, *g.LogGroupName)
		}
		if tok = out.NextToken; tok == nil {
			break
		}
	}
	if pages != 3 || len(names) != 7 || !slices.IsSorted(names) {
		t.Fatalf("pages %d names %v", pages, names)
	}
	// The paginator agrees.
	p := cwl.NewDescribeLogGroupsPaginator(c, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(2)})
	total := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += len(out.LogGroups)
	}
	if total != 10 {
		t.Fatalf("paginator saw %d groups, want 10", total)
	}
	// Pattern: case-sensitive substring.
	out, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("App")})
	if err != nil || len(out.LogGroups) != 1 || *out.LogGroups[0].LogGroupName != "other/App" {
		t.Fatalf("pattern: %v %+v", err, out)
	}
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("a"), LogGroupNamePrefix: aws.String("a")})
	wantCode(t, err, "InvalidParameterException")
	for _, l := range []int32{0, 51} {
		_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(l)})
		wantCode(t, err, "InvalidParameterException")
	}
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{NextToken: aws.String("forged")})
	wantCode(t, err, "InvalidParameterException")

	// Regions are separate.
	west := cwl.NewFromConfig(aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(h.srv.URL), Credentials: c.Options().Credentials})
	out, err = west.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 0 {
		t.Fatalf("us-west-2 groups: %v %+v", err, out)
	}

	if _, err := c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("app/0")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("app/0")})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestLogStreams(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	wantCode(t, err, "ResourceNotFoundException")
	h.mkGroup(t, "g")
	for _, n := range []string{"c", "a", "b", "d/with spaces [and] brackets"} {
		h.mkStream(t, "g", n)
	}
	_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a")})
	wantCode(t, err, "ResourceAlreadyExistsException")
	for _, bad := range []string{"x:y", "x*", strings.Repeat("s", 513)} {
		_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String(bad)})
		wantCode(t, err, "InvalidParameterException")
	}
	t0 := h.clock.ms()
	h.put(t, "g", "c", []int64{t0 - 3000}, []string{"old"})
	h.put(t, "g", "a", []int64{t0 - 1000, t0}, []string{"new", "newer!"})

	out, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil {
		t.Fatal(err)
	}
	if got := streamNames(out.LogStreams); !slices.Equal(got, []string{"a", "b", "c", "d/with spaces [and] brackets"}) {
		t.Fatalf("streams = %v", got)
	}
	a := out.LogStreams[0]
	if aws.ToInt64(a.FirstEventTimestamp) != t0-1000 || aws.ToInt64(a.LastEventTimestamp) != t0 || aws.ToInt64(a.LastIngestionTime) != t0 ||
		aws.ToInt64(a.CreationTime) != t0 || aws.ToString(a.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:a" ||
		a.UploadSequenceToken == nil || aws.ToInt64(a.StoredBytes) != 9 {
		t.Fatalf("stream a = %+v", a)
	}
	if b := out.LogStreams[1]; b.FirstEventTimestamp != nil || b.LastEventTimestamp != nil {
		t.Fatalf("empty stream b = %+v", b)
	}
	// By last event time, newest first; by identifier (an ARN).
	out, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:g:*"),
		OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if got := streamNames(out.LogStreams); !slices.Equal(got[:2], []string{"a", "c"}) {
		t.Fatalf("by time = %v", got)
	}
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("a")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	// Prefix and paging, descending by name.
	var got []string
	var tok *string
	for {
		out, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(1), Descending: aws.Bool(true), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, streamNames(out.LogStreams)...)
		if tok = out.NextToken; tok == nil {
			break
		}
	}
	if !slices.Equal(got, []string{"d/with spaces [and] brackets", "c", "b", "a"}) {
		t.Fatalf("descending pages = %v", got)
	}
	// A token of one ordering is refused by another.
	out, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(1)})
	if err != nil || out.NextToken == nil {
		t.Fatal(err)
	}
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Descending: aws.Bool(true), NextToken: out.NextToken})
	wantCode(t, err, "InvalidParameterException")
	out, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogStreamNamePrefix: aws.String("b")})
	if err != nil || !slices.Equal(streamNames(out.LogStreams), []string{"b"}) {
		t.Fatalf("prefix: %v %v", err, out)
	}

	if _, err := c.DeleteLogStream(ctx, &cwl.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteLogStream(ctx, &cwl.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a")})
	wantCode(t, err, "ResourceNotFoundException")
	// Recreated, the stream is empty: its events went with it.
	h.mkStream(t, "g", "a")
	ev, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a")})
	if err != nil || len(ev.Events) != 0 {
		t.Fatalf("recreated stream: %v %+v", err, ev)
	}
	// Deleting the group deletes its streams and events.
	if _, err := c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	h.mkGroup(t, "g")
	out, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil || len(out.LogStreams) != 0 {
		t.Fatalf("streams after group re-creation: %v %+v", err, out)
	}
	if n := countKeys(t, h, pfxEvent); n != 0 {
		t.Fatalf("%d event keys left after DeleteLogGroup", n)
	}
}

func streamNames(ss []types.LogStream) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, aws.ToString(s.LogStreamName))
	}
	return out
}

// countKeys counts the keys under prefix of the service's space.
func countKeys(t testing.TB, h *harness, prefix string) int {
	t.Helper()
	it, err := h.svc.meta.Iter([]byte(prefix), []byte(prefix[:len(prefix)-1]+string(rune(prefix[len(prefix)-1]+1))))
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n
}
