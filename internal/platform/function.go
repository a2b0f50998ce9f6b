package platform

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tarnhq/tarn/internal/function"
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
