package logs

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

func TestRetention(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	c := h.client
	h.mkGroup(t, "g")
	h.mkStream(t, "g", "s")
	for _, bad := range []int32{0, 2, 4000} {
		_, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(bad)})
		wantCode(t, err, "InvalidParameterException")
	}
	_, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("nope"), RetentionInDays: aws.Int32(1)})
	wantCode(t, err, "ResourceNotFoundException")
	now := h.clock.ms()
	h.put(t, "g", "s", []int64{now - 1000, now}, []string{"old", "new"})
	h.clock.add(12 * time.Hour)
	h.put(t, "g", "s", []int64{h.clock.ms()}, []string{"newest"})
	if _, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	gs, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || aws.ToInt32(gs.LogGroups[0].RetentionInDays) != 1 {
		t.Fatalf("retention: %v %+v", err, gs)
	}
	h.clock.add(13 * time.Hour) // the first two are now older than a day
	get := func() []string {
		out, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
		if err != nil {
			t.Fatal(err)
		}
		fl, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g")})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := outMsgs(out.Events), filteredMsgs(fl.Events); !slices.Equal(a, b) {
			t.Fatalf("get %v filter %v", a, b)
		}
		return outMsgs(out.Events)
	}
	if got := get(); fmt.Sprint(got) != "[newest]" {
		t.Fatalf("after retention = %v", got)
	}
	if n := countKeys(t, h, pfxEvent); n != 3 {
		t.Fatalf("%d event keys before the sweep, want 3", n)
	}
	if err := h.svc.sweep(); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, h, pfxEvent); n != 1 {
		t.Fatalf("%d event keys after the sweep, want 1", n)
	}
	ds, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil {
		t.Fatal(err)
	}
	if st := ds.LogStreams[0]; aws.ToInt64(st.StoredBytes) != int64(len("newest")) || aws.ToInt64(st.FirstEventTimestamp) != now+12*3600*1000 {
		t.Fatalf("stream after the sweep = %+v", st)
	}
	// Without a policy events are kept forever again (the swept ones are gone).
	if _, err := c.DeleteRetentionPolicy(ctx, &cwl.DeleteRetentionPolicyInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	if got := get(); fmt.Sprint(got) != "[newest]" {
		t.Fatalf("after delete policy = %v", got)
	}
	gs, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || gs.LogGroups[0].RetentionInDays != nil {
		t.Fatalf("retention after delete: %v %+v", err, gs)
	}
}

// TestSweepLoop checks that Start's goroutine sweeps: its first sweep runs
// before it waits, and Stop waits for the goroutine.
func TestSweepLoop(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.mkGroup(t, "g")
	h.mkStream(t, "g", "s")
	h.put(t, "g", "s", []int64{h.clock.ms()}, []string{"x"})
	if _, err := h.client.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	h.clock.add(48 * time.Hour)
	svc, err := New(Options{DB: h.db, Meta: h.svc.meta, Now: h.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := svc.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, h, pfxEvent); n != 0 {
		t.Fatalf("%d event keys after the sweep loop, want 0", n)
	}
}
