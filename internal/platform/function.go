package platform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tarnhq/tarn/internal/function"
	"github.com/tarnhq/tarn/internal/logs"
	"github.com/tarnhq/tarn/internal/s3"
)

// maxFunctionCode bounds a deployment package read from the lake (Lambda's
// limit for a zip uploaded through S3 is 50 MB).
const maxFunctionCode = 50 << 20

// functionCode lets CreateFunction and UpdateFunctionCode take
// Code.S3Bucket/S3Key from the lake.
type functionCode struct{ s3 *s3.Service }

var _ function.CodeSource = functionCode{}

func (c functionCode) GetObject(ctx context.Context, bucket, key, versionID string) ([]byte, error) {
	if versionID != "" {
		return nil, fmt.Errorf("tarn's lake is unversioned: S3ObjectVersion %q cannot be read", versionID)
	}
	rd, info, err := c.s3.OpenInternal(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if info.Size > maxFunctionCode {
		return nil, fmt.Errorf("s3://%s/%s is %d bytes, over Lambda's %d for a zip from S3", bucket, key, info.Size, maxFunctionCode)
	}
	return io.ReadAll(io.NewSectionReader(rd, 0, rd.Size()))
}

// functionEvents delivers S3 event notifications to Lambda as
// asynchronous (Event) invocations, queued durably by the function
// service, and validates notification destinations.
type functionEvents struct{ fn *function.Service }

var (
	_ s3.Notifier        = functionEvents{}
	_ s3.FunctionChecker = functionEvents{}
)

func (f functionEvents) Deliver(ctx context.Context, functionARN string, event []byte) error {
	_, err := f.fn.Enqueue("", functionARN, "", event)
	if errors.Is(err, function.ErrNotFound) {
		return fmt.Errorf("%w: %w", s3.ErrDestinationGone, err)
	}
	return err
}

func (f functionEvents) FunctionExists(ctx context.Context, arn string) bool {
	return f.fn.Exists("", arn)
}

// functionObjects writes Lambda destination records into the lake. The
// function service (and its durable async queue) starts before S3, so a
// write waits until the lake is ready (or ctx ends: the record then stays
// queued for the next start).
type functionObjects struct {
	s3      *s3.Service
	readyCh chan struct{}
}

var _ function.ObjectWriter = (*functionObjects)(nil)

func newFunctionObjects() *functionObjects { return &functionObjects{readyCh: make(chan struct{})} }

// ready hands over the started lake; call once.
func (o *functionObjects) ready(s *s3.Service) {
	o.s3 = s
	close(o.readyCh)
}

func (o *functionObjects) PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	select {
	case <-o.readyCh:
	case <-ctx.Done():
		return ctx.Err()
	}
	return o.s3.PutObjectInternal(ctx, bucket, key, bytes.NewReader(body), int64(len(body)), contentType)
}

// functionLogs stores invocation logs in CloudWatch Logs.
type functionLogs struct{ logs *logs.Service }

var _ function.LogSink = functionLogs{}

func (l functionLogs) PutLogs(ctx context.Context, region, group, stream string, events []function.LogEvent) error {
	evs := make([]logs.Event, len(events))
	for i, e := range events {
		evs[i] = logs.Event{Time: e.Time, Message: e.Message}
	}
	return l.logs.Put(ctx, region, group, stream, evs)
}
