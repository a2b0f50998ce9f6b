package logs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/tarnhq/tarn/internal/awsjson"
)

func TestGetLogEvents(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	h.mkGroup(t, "g")
	h.mkStream(t, "g", "s")
	h.mkStream(t, "g", "other")
	now := h.clock.ms()
	var ts []int64
	var msgs []string
	for i := range 25 {
		ts = append(ts, now-25+int64(i))
		msgs = append(msgs, fmt.Sprintf("e%02d", i))
	}
	h.put(t, "g", "s", ts, msgs)
	get := func(in cwl.GetLogEventsInput) *cwl.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := c.GetLogEvents(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// Default: the newest events, in ascending order.
	out := get(cwl.GetLogEventsInput{Limit: aws.Int32(10)})
	if got := outMsgs(out.Events); !slices.Equal(got, msgs[15:]) {
		t.Fatalf("tail = %v", got)
	}
	// Backward paging from there.
	back := get(cwl.GetLogEventsInput{Limit: aws.Int32(10), NextToken: out.NextBackwardToken})
	if got := outMsgs(back.Events); !slices.Equal(got, msgs[5:15]) {
		t.Fatalf("back = %v", got)
	}
	back = get(cwl.GetLogEventsInput{Limit: aws.Int32(10), NextToken: back.NextBackwardToken})
	if got := outMsgs(back.Events); !slices.Equal(got, msgs[:5]) {
		t.Fatalf("back 2 = %v", got)
	}
	end := get(cwl.GetLogEventsInput{Limit: aws.Int32(10), NextToken: back.NextBackwardToken})
	if len(end.Events) != 0 || aws.ToString(end.NextBackwardToken) != aws.ToString(back.NextBackwardToken) {
		t.Fatalf("at the head: %+v", end)
	}
	// Forward from the head until the token comes back unchanged.
	var got []string
	in := cwl.GetLogEventsInput{StartFromHead: aws.Bool(true), Limit: aws.Int32(7)}
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("forward paging does not end")
		}
		out := get(in)
		got = append(got, outMsgs(out.Events)...)
		if !strings.HasPrefix(aws.ToString(out.NextForwardToken), "f/") || !strings.HasPrefix(aws.ToString(out.NextBackwardToken), "b/") {
			t.Fatalf("tokens %s %s", aws.ToString(out.NextForwardToken), aws.ToString(out.NextBackwardToken))
		}
		if in.NextToken != nil && aws.ToString(out.NextForwardToken) == aws.ToString(in.NextToken) {
			if len(out.Events) != 0 {
				t.Fatal("same token with events")
			}
			break
		}
		in.NextToken = out.NextForwardToken
	}
	if !slices.Equal(got, msgs) {
		t.Fatalf("forward = %v", got)
	}
	// The forward token at the end sees events that arrive later.
	h.put(t, "g", "s", []int64{now}, []string{"late"})
	late := get(cwl.GetLogEventsInput{NextToken: in.NextToken})
	if fmt.Sprint(outMsgs(late.Events)) != "[late]" {
		t.Fatalf("tail follow = %v", outMsgs(late.Events))
	}
	// Time range: startTime inclusive, endTime exclusive.
	rng := get(cwl.GetLogEventsInput{StartFromHead: aws.Bool(true), StartTime: aws.Int64(ts[3]), EndTime: aws.Int64(ts[6])})
	if got := outMsgs(rng.Events); !slices.Equal(got, msgs[3:6]) {
		t.Fatalf("range = %v", got)
	}
	if e := rng.Events[0]; aws.ToInt64(e.Timestamp) != ts[3] || aws.ToInt64(e.IngestionTime) != now {
		t.Fatalf("event = %+v", e)
	}
	// Limits and bad tokens.
	for _, l := range []int32{0, 10001} {
		_, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(l)})
		wantCode(t, err, "InvalidParameterException")
	}
	for _, tok := range []string{"f/forged", "nope", "b/" + strings.TrimPrefix(aws.ToString(out.NextForwardToken), "f/")} {
		_, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String(tok)})
		wantCode(t, err, "InvalidParameterException")
	}
	// A token of one stream is refused for another.
	_, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("other"), NextToken: out.NextForwardToken})
	wantCode(t, err, "InvalidParameterException")
	// Tokens expire after 24 hours.
	h.clock.add(25 * time.Hour)
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: out.NextForwardToken})
	wantMessage(t, err, "InvalidParameterException", "expired")
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	// By identifier.
	id, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:g"), LogStreamName: aws.String("s"), Limit: aws.Int32(1)})
	if err != nil || fmt.Sprint(outMsgs(id.Events)) != "[late]" {
		t.Fatalf("by identifier: %v %+v", err, id)
	}
}

func TestGetLogEventsPageBytes(t *testing.T) {
	h := newHarness(t)
	h.mkGroup(t, "g")
	h.mkStream(t, "g", "s")
	now := h.clock.ms()
	big := strings.Repeat("x", 400000)
	for i := range 3 {
		h.put(t, "g", "s", []int64{now - int64(3-i)}, []string{big})
	}
	out, err := h.client.GetLogEvents(t.Context(), &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 2 { // 3 × 400 KB exceeds the 1 MB page
		t.Fatalf("page holds %d events, want 2", len(out.Events))
	}
}

func TestFilterLogEvents(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	h.mkGroup(t, "g")
	for _, s := range []string{"a", "b", "c"} {
		h.mkStream(t, "g", s)
	}
	now := h.clock.ms()
	h.put(t, "g", "b", []int64{now - 10, now - 8, now - 6}, []string{"ERROR b1", "INFO b2", `{"level":"error","n":7}`})
	h.put(t, "g", "a", []int64{now - 10, now - 9, now - 5}, []string{"ERROR a1", "WARN a2", `{"level":"info","n":3}`})
	h.put(t, "g", "c", []int64{now - 7}, []string{"127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 404 2326"})
	filter := func(in cwl.FilterLogEventsInput) *cwl.FilterLogEventsOutput {
		t.Helper()
		in.LogGroupName = aws.String("g")
		out, err := c.FilterLogEvents(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := filter(cwl.FilterLogEventsInput{})
	want := []string{"ERROR a1", "ERROR b1", "WARN a2", "INFO b2", "127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 404 2326",
		`{"level":"info","n":3}`, `{"level":"error","n":7}`}
	want[5], want[6] = want[6], want[5] // b's JSON (now-6) precedes a's (now-5)
	if got := filteredMsgs(all.Events); !slices.Equal(got, want) {
		t.Fatalf("all = %q", got)
	}
	e := all.Events[0]
	if aws.ToString(e.LogStreamName) != "a" || aws.ToInt64(e.Timestamp) != now-10 || aws.ToInt64(e.IngestionTime) != now || aws.ToString(e.EventId) == "" {
		t.Fatalf("event = %+v", e)
	}
	ids := map[string]bool{}
	for _, e := range all.Events {
		ids[aws.ToString(e.EventId)] = true
	}
	if len(ids) != len(all.Events) || len(all.SearchedLogStreams) != 3 || !aws.ToBool(all.SearchedLogStreams[0].SearchedCompletely) {
		t.Fatalf("ids %d searched %+v", len(ids), all.SearchedLogStreams)
	}
	cases := []struct {
		in   cwl.FilterLogEventsInput
		want string
	}{
		{cwl.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}, "[ERROR a1 ERROR b1]"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String("?WARN ?INFO")}, "[WARN a2 INFO b2]"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String("ERROR -b1")}, "[ERROR a1]"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ $.n > 5 }`)}, `[{"level":"error","n":7}]`},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ $.level = "in*" || $.n = 7 }`)}, `[{"level":"error","n":7} {"level":"info","n":3}]`},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`[ip, id, user, timestamp, request, status = 404, size > 1000]`)}, "[127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 404 2326]"},
		{cwl.FilterLogEventsInput{LogStreamNames: []string{"b"}, FilterPattern: aws.String("ERROR")}, "[ERROR b1]"},
		{cwl.FilterLogEventsInput{LogStreamNamePrefix: aws.String("a"), StartTime: aws.Int64(now - 9), EndTime: aws.Int64(now - 5)}, `[WARN a2 {"level":"info","n":3}]`},
	}
	for _, tc := range cases {
		if got := fmt.Sprint(filteredMsgs(filter(tc.in).Events)); got != tc.want {
			t.Errorf("%s: got %s, want %s", aws.ToString(tc.in.FilterPattern), got, tc.want)
		}
	}
	// Paging, one event a page, visits every event once in order.
	var got []string
	var tok *string
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("paging does not end")
		}
		out := filter(cwl.FilterLogEventsInput{Limit: aws.Int32(2), NextToken: tok})
		got = append(got, filteredMsgs(out.Events)...)
		if tok = out.NextToken; tok == nil {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages = %q", got)
	}
	_, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String(`{ $.a = `)})
	wantMessage(t, err, "InvalidParameterException", "Invalid filter pattern")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("forged")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestTags(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	h.mkGroup(t, "g")
	arn := "arn:aws:logs:us-east-1:000000000000:log-group:g"
	if _, err := c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"a": "1", "b": "2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TagLogGroup(ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"c": "3"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &cwl.UntagResourceInput{ResourceArn: aws.String(arn + ":*"), TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagLogGroup(ctx, &cwl.UntagLogGroupInput{LogGroupName: aws.String("g"), Tags: []string{"c"}}); err != nil {
		t.Fatal(err)
	}
	lt, err := c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || fmt.Sprint(lt.Tags) != "map[b:2]" {
		t.Fatalf("tags: %v %+v", err, lt)
	}
	old, err := c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
	if err != nil || fmt.Sprint(old.Tags) != "map[b:2]" {
		t.Fatalf("legacy tags: %v %+v", err, old)
	}
	_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn + "x")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:s3:::bucket")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"aws:x": "1"}})
	wantCode(t, err, "InvalidParameterException")
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprint("k", i)] = "v"
	}
	_, err = c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: many})
	wantCode(t, err, "TooManyTagsException")
}

func TestUnimplemented(t *testing.T) {
	h := newHarness(t)
	_, err := h.client.StartQuery(t.Context(), &cwl.StartQueryInput{QueryString: aws.String("fields @message"), StartTime: aws.Int64(0), EndTime: aws.Int64(1)})
	wantMessage(t, err, "UnknownOperationException", "StartQuery")
	_, err = h.client.PutMetricFilter(t.Context(), &cwl.PutMetricFilterInput{LogGroupName: aws.String("g"), FilterName: aws.String("f"),
		FilterPattern: aws.String(""), MetricTransformations: nil})
	if err == nil {
		t.Fatal("PutMetricFilter succeeded")
	}
}

// TestStorageFailure checks that failures of tarn's own answer
// ServiceUnavailableException and client errors pass through.
func TestStorageFailure(t *testing.T) {
	h := newHarness(t)
	fail := op(h.svc, func(ctx context.Context, in *struct{}) (*struct{}, error) { return nil, errors.New("disk on fire") })
	_, err := fail(t.Context(), func(any) error { return nil })
	var ae *awsjson.Error
	if !errors.As(err, &ae) || ae.Code != "ServiceUnavailableException" || ae.Status != 500 || strings.Contains(ae.Message, "fire") {
		t.Fatalf("err = %v", err)
	}
	pass := op(h.svc, func(ctx context.Context, in *struct{}) (*struct{}, error) { return nil, errGroupNotFound() })
	if _, err := pass(t.Context(), func(any) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}
