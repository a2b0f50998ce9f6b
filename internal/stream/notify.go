package stream

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go"
)

// Notify returns a channel that receives a value (coalesced: it holds at
// most one) whenever a record is stored in the stream streamARN names,
// and stop, which ends the notifications. It is for in-process readers
// that poll the stream (Firehose's Kinesis source): a notification means
// "read now", never a record itself, and none is sent for records stored
// before the call. The channel is never closed; a stream deleted (or
// re-created) simply sends no more. The caller must call stop.
func (s *Service) Notify(ctx context.Context, streamARN string) (<-chan struct{}, func(), error) {
	st, err := s.lookup(ctx, streamRef{StreamARN: streamARN})
	if err != nil {
		return nil, nil, err
	}
	ch := make(chan struct{}, 1)
	sub, err := s.nc.Subscribe(fmt.Sprintf("kinesis.%d.*", st.meta.Epoch), func(*nats.Msg) {
		select {
		case ch <- struct{}{}:
		default: // one is pending already
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("stream: notify %s: %w", streamARN, err)
	}
	return ch, func() { _ = sub.Unsubscribe() }, nil
}
