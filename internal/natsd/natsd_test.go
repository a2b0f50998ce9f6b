package natsd

import (
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

func TestStartPublishRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	run := func(publish bool) uint64 {
		s, err := New(Options{StoreDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := s.Stop(ctx); err != nil {
				t.Error(err)
			}
		}()
		st, err := s.JetStream().CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "t", Subjects: []string{"t.>"}})
		if err != nil {
			t.Fatal(err)
		}
		if publish {
			if _, err := s.JetStream().Publish(ctx, "t.a", make([]byte, 2<<20)); err != nil {
				t.Fatalf("2 MiB publish: %v", err)
			}
		}
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Msgs
	}
	if got := run(true); got != 1 {
		t.Fatalf("msgs = %d, want 1", got)
	}
	if got := run(false); got != 1 {
		t.Fatalf("after restart msgs = %d, want 1", got)
	}
}

func TestNewNeedsStoreOrURL(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New with no StoreDir or URL succeeded")
	}
}
