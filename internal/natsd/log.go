package natsd

import (
	"context"
	"fmt"
	"log/slog"
)

// slogAdapter is the NATS server's Logger over slog. The embedded server's
// notices (its start-up banner among them) are Debug, so tarn's own log
// keeps one ready line; warnings and errors keep their levels.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) logf(level slog.Level, format string, v []any) {
	if a.l.Enabled(context.Background(), level) {
		a.l.Log(context.Background(), level, fmt.Sprintf(format, v...), "component", "nats")
	}
}

func (a slogAdapter) Noticef(format string, v ...any) { a.logf(slog.LevelDebug, format, v) }
func (a slogAdapter) Warnf(format string, v ...any)   { a.logf(slog.LevelWarn, format, v) }
func (a slogAdapter) Fatalf(format string, v ...any)  { a.logf(slog.LevelError, format, v) }
func (a slogAdapter) Errorf(format string, v ...any)  { a.logf(slog.LevelError, format, v) }
func (a slogAdapter) Debugf(format string, v ...any)  { a.logf(slog.LevelDebug, format, v) }
func (a slogAdapter) Tracef(format string, v ...any)  { a.logf(slog.LevelDebug, format, v) }
