package logs

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestPutLogEventsLimits(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	now := h.clock.ms()
	ev := func(ts int64, msg string) types.InputLogEvent {
		return types.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(msg)}
	}
	put := func(evs ...types.InputLogEvent) (*cwl.PutLogEventsOutput, error) {
		return c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: evs,
			SequenceToken: aws.String("ignored")})
	}
	_, err := put(ev(now, "x"))
	wantMessage(t, err, "ResourceNotFoundException", "log group")
	h.mkGroup(t, "g")
	_, err = put(ev(now, "x"))
	wantMessage(t, err, "ResourceNotFoundException", "log stream")
	h.mkStream(t, "g", "s")

	out, err := put(ev(now-10, "a"), ev(now, "b"))
	if err != nil || out.NextSequenceToken == nil || out.RejectedLogEventsInfo != nil {
		t.Fatalf("put: %v %+v", err, out)
	}
	_, err = put(ev(now, "b"), ev(now-1, "a"))
	wantMessage(t, err, "InvalidParameterException", "must be in chronological order")
	_, err = put(ev(now-25*3600*1000, "a"), ev(now, "b"))
	wantMessage(t, err, "InvalidParameterException", "24 hours")

	many := make([]types.InputLogEvent, maxBatchEvents+1)
	for i := range many {
		many[i] = ev(now, "m")
	}
	_, err = put(many...)
	wantCode(t, err, "InvalidParameterException")
	if _, err := put(many[:maxBatchEvents]...); err != nil {
		t.Fatalf("10,000 events: %v", err)
	}
	// Batch size counts message bytes + 26 per event: 1,048,576 exactly is fine.
	big := strings.Repeat("é", (maxBatchBytes-2*eventOverhead)/4) // 2 bytes a rune
	rest := maxBatchBytes - 2*eventOverhead - len(big)
	if _, err := put(ev(now, big), ev(now, big[:rest])); err != nil {
		t.Fatalf("batch of exactly 1 MiB: %v", err)
	}
	_, err = put(ev(now, big), ev(now, big[:rest]+"x"))
	wantMessage(t, err, "InvalidParameterException", "Upload too large")
	_, err = put(ev(now, strings.Repeat("x", maxEventBytes-eventOverhead+1)))
	wantMessage(t, err, "InvalidParameterException", "too large")

	// Too old, expired and too new events are reported and not stored.
	if _, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	day := int64(24 * 3600 * 1000)
	out, err = put(ev(now-15*day, "tooold"), ev(now-2*day, "expired"), ev(now-day/2, "kept1"), ev(now, "kept2"), ev(now+3*3600*1000, "toonew"))
	if err != nil {
		t.Fatal(err)
	}
	r := out.RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 0 || aws.ToInt32(r.ExpiredLogEventEndIndex) != 1 || aws.ToInt32(r.TooNewLogEventStartIndex) != 4 {
		t.Fatalf("rejected = %+v", r)
	}
	fl, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("?kept1 ?kept2 ?tooold ?expired ?toonew")})
	if err != nil {
		t.Fatal(err)
	}
	if got := filteredMsgs(fl.Events); fmt.Sprint(got) != "[kept1 kept2]" {
		t.Fatalf("stored = %v", got)
	}
}

func TestPutGoAPI(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	base := h.clock.now()
	// Put creates the group and the stream; times may be unordered.
	if err := h.svc.Put(ctx, "", "/aws/lambda/f", "2026/03/01/[$LATEST]abc", []Event{
		{Time: base, Message: "START"}, {Time: base.Add(-time.Second), Message: "earlier"}}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.Put(ctx, "", "bad group", "s", nil); err == nil {
		t.Fatal("Put accepted an invalid group name")
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				msg := fmt.Sprintf("w%d-%d", w, i)
				if err := h.svc.Put(ctx, "", "/aws/lambda/f", fmt.Sprintf("s%d", w%3), []Event{{Time: base, Message: msg}}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	out, err := h.client.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("/aws/lambda/f"),
		LogStreamName: aws.String("2026/03/01/[$LATEST]abc"), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if got := outMsgs(out.Events); fmt.Sprint(got) != "[earlier START]" {
		t.Fatalf("events = %v", got)
	}
	if aws.ToInt64(out.Events[0].IngestionTime) != h.clock.ms() {
		t.Fatalf("ingestion = %d", aws.ToInt64(out.Events[0].IngestionTime))
	}
	total := 0
	p := cwl.NewFilterLogEventsPaginator(h.client, &cwl.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/f"), LogStreamNamePrefix: aws.String("s"), Limit: aws.Int32(17)})
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += len(pg.Events)
	}
	if total != 200 {
		t.Fatalf("concurrent Puts stored %d events, want 200", total)
	}
	ds, err := h.client.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("/aws/lambda/f"), LogStreamNamePrefix: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	sum := int64(0)
	for _, s := range ds.LogStreams {
		sum += aws.ToInt64(s.StoredBytes)
	}
	if sum != int64(8*25*len("w0-0"))+int64(8*15) { // w0-0..w7-9 are 4 bytes, w0-10.. 5 bytes
		t.Fatalf("stored bytes = %d", sum)
	}
}

func TestRestart(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.mkGroup(t, "g")
	h.mkStream(t, "g", "s")
	now := h.clock.ms()
	h.put(t, "g", "s", []int64{now - 2, now - 1}, []string{"one", "two"})
	if _, err := h.client.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.TagLogGroup(ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	first, err := h.client.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	h.reopen(t)
	// The token of before the restart still works: the key is stored.
	next, err := h.client.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: first.NextForwardToken})
	if err != nil {
		t.Fatal(err)
	}
	if got := outMsgs(next.Events); fmt.Sprint(got) != "[two]" {
		t.Fatalf("after restart = %v", got)
	}
	gs, err := h.client.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || len(gs.LogGroups) != 1 || aws.ToInt32(gs.LogGroups[0].RetentionInDays) != 30 || aws.ToInt64(gs.LogGroups[0].StoredBytes) != 6 {
		t.Fatalf("groups after restart: %v %+v", err, gs)
	}
	tags, err := h.client.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
	if err != nil || tags.Tags["k"] != "v" {
		t.Fatalf("tags after restart: %v %+v", err, tags)
	}
	// New events after the restart follow the old ones.
	h.put(t, "g", "s", []int64{now - 1}, []string{"three"})
	all, err := h.client.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if err != nil || fmt.Sprint(outMsgs(all.Events)) != "[one two three]" {
		t.Fatalf("after restart: %v %v", err, outMsgs(all.Events))
	}
}
