package stream

import (
	"context"
	"fmt"
)

// Retention limits (hours), as AWS's.
const (
	minRetentionHours = 24
	maxRetentionHours = 8760
)

// IncreaseStreamRetentionPeriod raises the retention; asking for less
// than the current period is an error, the same period is a no-op.
func (s *Service) increaseRetention(ctx context.Context, in *retentionInput) (*struct{}, error) {
	return nil, s.setRetention(ctx, in, func(hours int, m *streamMeta) error {
		if hours < m.RetentionHours {
			return errRetentionShorter(hours, m.Name, m.RetentionHours)
		}
		return nil
	})
}

// DecreaseStreamRetentionPeriod lowers the retention; records older than
// the new period stop being readable at once (JetStream drops them).
func (s *Service) decreaseRetention(ctx context.Context, in *retentionInput) (*struct{}, error) {
	return nil, s.setRetention(ctx, in, func(hours int, m *streamMeta) error {
		if hours > m.RetentionHours {
			return errRetentionLonger(hours, m.Name, m.RetentionHours)
		}
		return nil
	})
}

// setRetention stores the new period and sets the JetStream stream's
// MaxAge to it. The metadata is the truth: Start re-applies it to
// JetStream, so a crash between the two writes heals on restart.
func (s *Service) setRetention(ctx context.Context, in *retentionInput, check func(hours int, m *streamMeta) error) error {
	if in.RetentionPeriodHours == nil {
		return errValidation("retentionPeriodHours", "null", "Member must not be null")
	}
	hours := *in.RetentionPeriodHours
	if _, _, err := s.resolve(ctx, in.streamRef); err != nil {
		return err
	}
	if hours < minRetentionHours || hours > maxRetentionHours {
		return errRetentionRange(hours)
	}
	return s.change(ctx, in.streamRef, func(m *streamMeta) error {
		if err := check(hours, m); err != nil {
			return err
		}
		if hours == m.RetentionHours {
			return nil
		}
		m.RetentionHours = hours
		if _, err := s.js.UpdateStream(ctx, m.streamConfig()); err != nil {
			return fmt.Errorf("set jetstream max age: %w", err)
		}
		return nil
	})
}
