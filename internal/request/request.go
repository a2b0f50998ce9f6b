// Package request carries per-request facts through a context: the request
// id every response reports, and the operation name the serving service
// resolved (for metrics and logs). The platform's middleware creates the
// Info; services read the ID and name their operation.
package request

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync/atomic"
)

// Info describes one request. Operation may be set by the handler
// goroutine while the middleware reads it after the handler returns, so it
// is atomic.
type Info struct {
	ID        string // request id, 16 uppercase hex digits like S3's
	Service   string // routed service name, e.g. "s3"
	operation atomic.Value
}

// NewInfo returns an Info with a fresh request id.
func NewInfo(service string) *Info {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Info{ID: strings.ToUpper(hex.EncodeToString(b[:])), Service: service}
}

// Operation returns the operation name set by SetOperation, or "".
func (i *Info) Operation() string {
	s, _ := i.operation.Load().(string)
	return s
}

type ctxKey struct{}

// With returns a copy of ctx carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, ctxKey{}, info)
}

// From returns the Info of ctx, or nil.
func From(ctx context.Context) *Info {
	i, _ := ctx.Value(ctxKey{}).(*Info)
	return i
}

// ID returns the request id of ctx, or "" outside a request.
func ID(ctx context.Context) string {
	if i := From(ctx); i != nil {
		return i.ID
	}
	return ""
}

// SetOperation records the AWS operation name (e.g. "PutObject") that
// ctx's request resolved to. A no-op outside a request.
func SetOperation(ctx context.Context, name string) {
	if i := From(ctx); i != nil {
		i.operation.Store(name)
	}
}
