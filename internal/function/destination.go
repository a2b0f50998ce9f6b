package function

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Destinations (FunctionEventInvokeConfig DestinationConfig, and an event
// source mapping's on-failure destination) are where Lambda sends
// invocation records. tarn runs no SQS, SNS or EventBridge, so it
// supports two kinds:
//
//   - an Amazon S3 bucket, arn:aws:s3:::BUCKET (on failure only, as AWS),
//     written through Options.Objects; the bucket is checked at delivery,
//     and a failed delivery is logged, counted and the record dropped, as
//     AWS does (its DestinationDeliveryFailures metric);
//   - a Lambda function, arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUAL],
//     which must exist when the destination is configured and is invoked
//     asynchronously (durably, through the async queue) with the record as
//     its event.

// ObjectWriter writes destination records into the lake. The platform
// adapts internal/s3 to it: PutObject stores body at bucket/key with
// contentType and answers an error if the bucket does not exist.
type ObjectWriter interface {
	PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error
}

// destKind is what a destination ARN names.
type destKind int

const (
	destS3 destKind = iota + 1
	destLambda
)

// errNoObjects is a delivery failure when Options.Objects is nil.
var errNoObjects = errors.New("function: no object writer configured for S3 destinations")

// parseDestination classifies arn. For S3 it returns the bucket; for
// Lambda the region, name and qualifier of the function.
func parseDestination(arn string) (kind destKind, bucket, region, name, qual string, err error) {
	p := strings.Split(arn, ":")
	if len(p) < 6 || p[0] != "arn" || !strings.HasPrefix(p[1], "aws") {
		return 0, "", "", "", "", errInvalid("The destination ARN %s is invalid.", arn)
	}
	switch p[2] {
	case "s3":
		b := strings.Join(p[5:], ":")
		if p[3] != "" || p[4] != "" || b == "" || strings.ContainsAny(b, "/:") {
			return 0, "", "", "", "", errInvalid("The destination ARN %s is invalid.", arn)
		}
		return destS3, b, "", "", "", nil
	case "lambda":
		n, q, perr := parseName(arn)
		if perr != nil || p[3] == "" || p[4] != accountID {
			return 0, "", "", "", "", errInvalid("The destination ARN %s is invalid.", arn)
		}
		return destLambda, "", p[3], n, q, nil
	case "sqs":
		return 0, "", "", "", "", unsupportedDest(arn, "Amazon SQS")
	case "sns":
		return 0, "", "", "", "", unsupportedDest(arn, "Amazon SNS")
	case "events":
		return 0, "", "", "", "", unsupportedDest(arn, "Amazon EventBridge")
	}
	return 0, "", "", "", "", errInvalid("The destination ARN %s is invalid.", arn)
}

func unsupportedDest(arn, svc string) error {
	return errInvalid("tarn does not run %s, so %s cannot be a destination; tarn supports Amazon S3 bucket (arn:aws:s3:::BUCKET) and AWS Lambda function destinations", svc, arn)
}

// validateDestination checks a DestinationConfig ARN; forESM=true allows
// only S3 bucket ARNs (arn:aws:s3:::bucket) (tarn runs no SQS/SNS), false
// also allows Lambda functions, which must exist (as AWS checks). It
// returns the InvalidParameterValueException error to answer. region is
// the caller's region, used when a Lambda ARN's region is that of another
// region's function (tarn keeps functions per region).
func (s *Service) validateDestination(region, arn string, forESM bool) error {
	kind, _, fregion, name, qual, err := parseDestination(arn)
	if err != nil {
		var ae *apiError
		if forESM && errors.As(err, &ae) && strings.HasPrefix(ae.Message, "tarn does not run") {
			return errInvalid("%s", strings.Replace(ae.Message,
				"tarn supports Amazon S3 bucket (arn:aws:s3:::BUCKET) and AWS Lambda function destinations",
				"tarn supports only Amazon S3 bucket (arn:aws:s3:::BUCKET) destinations for event source mappings", 1))
		}
		return err
	}
	switch kind {
	case destS3:
		if s.opts.Objects == nil {
			return errInvalid("tarn: S3 destinations are not available: this Lambda has no lake to write %s to", arn)
		}
		return nil
	case destLambda:
		if forESM {
			return errInvalid("tarn supports only Amazon S3 bucket (arn:aws:s3:::BUCKET) destinations for event source mappings, not %s", arn)
		}
		if fregion == "" {
			fregion = region
		}
		rec, err := s.load(fregion, name)
		if err != nil {
			return errInvalid("The destination ARN %s is invalid: the function does not exist.", arn)
		}
		if _, err := s.resolve(fregion, name, rec, qual); err != nil {
			return errInvalid("The destination ARN %s is invalid: the function does not exist.", arn)
		}
		return nil
	}
	return errInvalid("The destination ARN %s is invalid.", arn)
}

// sendToDestination delivers record (a JSON document) to the destination:
// an S3 bucket ARN → object at key in that bucket (application/json); a
// Lambda ARN → asynchronous invoke (durable, through the async queue) with
// record as payload, key unused. When it returns nil the record is
// stored; an error is a delivery failure for the caller to log and count.
// region is used for a Lambda ARN that names none.
func (s *Service) sendToDestination(ctx context.Context, region, arn, key string, record []byte) error {
	kind, bucket, fregion, name, qual, err := parseDestination(arn)
	if err != nil {
		return err
	}
	switch kind {
	case destS3:
		if s.opts.Objects == nil {
			return errNoObjects
		}
		if err := s.opts.Objects.PutObject(ctx, bucket, key, record, "application/json"); err != nil {
			return fmt.Errorf("function: destination %s: %w", arn, err)
		}
		return nil
	case destLambda:
		if fregion == "" {
			fregion = region
		}
		if _, err := s.load(fregion, name); err != nil {
			return fmt.Errorf("function: destination %s: %w", arn, err)
		}
		if _, err := s.store(fregion, name, qual, record); err != nil {
			return fmt.Errorf("function: destination %s: %w", arn, err)
		}
		return nil
	}
	return errInvalid("The destination ARN %s is invalid.", arn)
}

// Conditions of an invocation record (requestContext.condition).
const (
	condSuccess  = "Success"
	condRetries  = "RetriesExhausted"
	condEventAge = "EventAgeExceeded"
)

// delivery is a queue entry's pending send of an invocation record.
type delivery struct {
	Destination string          `json:"destination"`
	Key         string          `json:"key,omitempty"` // S3 object key
	Record      json.RawMessage `json:"record"`
}

// invocationRecord is Lambda's asynchronous invocation record.
type invocationRecord struct {
	Version         string          `json:"version"`
	Timestamp       string          `json:"timestamp"`
	RequestContext  requestContext  `json:"requestContext"`
	RequestPayload  json.RawMessage `json:"requestPayload"`
	ResponseContext *responseCtx    `json:"responseContext,omitempty"`
	ResponsePayload json.RawMessage `json:"responsePayload,omitempty"`
}

type requestContext struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

type responseCtx struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion"`
	FunctionError   string `json:"functionError,omitempty"`
}

// asyncObjectKey is where an S3 destination keeps a record, as AWS names
// it: aws/lambda/async/FUNCTION/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-UUID.
func asyncObjectKey(function string, t time.Time) string {
	t = t.UTC()
	return "aws/lambda/async/" + function + "/" + t.Format("2006/01/02/2006-01-02T15.04.05") + "-" + newID()
}

// done ends the invocation q with cond: without a destination for cond the
// entry is deleted (a failure logged); with one, the entry becomes, in one
// Set of the same key, the delivery of q's invocation record.
func (s *Service) done(key []byte, q *queued, rec *record, cond string) {
	onSuccess, onFailure := rec.destinations(q.Qualifier)
	dest := onFailure
	if cond == condSuccess {
		dest = onSuccess
	}
	if dest == "" {
		if cond != condSuccess {
			s.log.Warn("function: asynchronous invocation failed, no OnFailure destination", "function", q.Name,
				"requestId", q.RequestID, "condition", cond, "attempts", q.Invokes, "payload", string(q.Response))
		}
		_ = s.meta.Delete(key)
		return
	}
	now := s.now()
	r := invocationRecord{Version: "1.0", Timestamp: now.UTC().Format("2006-01-02T15:04:05.000Z"),
		RequestContext: requestContext{RequestID: q.RequestID, FunctionArn: s.arn(q.Region, q.Name) + ":" + qualKey(q.Qualifier),
			Condition: cond, ApproximateInvokeCount: q.Invokes},
		RequestPayload: rawOrNull(q.Payload)}
	if q.Invokes > 0 {
		r.ResponseContext = &responseCtx{StatusCode: 200, ExecutedVersion: q.Version, FunctionError: q.FunctionError}
		r.ResponsePayload = rawOrNull(q.Response)
	}
	b, err := json.Marshal(r)
	if err != nil {
		s.log.Error("function: invocation record", "function", q.Name, "err", err)
		_ = s.meta.Delete(key)
		return
	}
	d := &queued{Region: q.Region, Name: q.Name, Qualifier: q.Qualifier, RequestID: q.RequestID, Enqueued: q.Enqueued,
		Deliver: &delivery{Destination: dest, Record: b}}
	if k, _, _, _, _, err := parseDestination(dest); err == nil && k == destS3 {
		d.Deliver.Key = asyncObjectKey(q.Name, now)
	}
	v, err := json.Marshal(d)
	if err == nil {
		err = s.meta.Set(key, v)
	}
	if err != nil {
		s.log.Error("function: queue invocation record", "function", q.Name, "err", err)
		return
	}
	s.wake()
}

// rawOrNull is b as a JSON value: b itself when it is JSON, else a string.
func rawOrNull(b []byte) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	if json.Valid(b) {
		return b
	}
	s, _ := json.Marshal(string(b))
	return s
}

// deliver sends a delivery entry's record. A Lambda destination becomes,
// in one Set of the same key, an asynchronous invocation of that function
// with the record as event; an S3 destination is one PutObject. A failure
// is logged, counted (DestinationDeliveryFailures) and the record dropped,
// as AWS drops it.
func (s *Service) deliver(key []byte, q *queued) {
	d := q.Deliver
	kind, _, fregion, name, qual, err := parseDestination(d.Destination)
	if err == nil && kind == destLambda {
		if fregion == "" {
			fregion = q.Region
		}
		if _, err = s.load(fregion, name); err == nil && len(d.Record) > maxAsyncPayload {
			err = fmt.Errorf("function: invocation record of %d bytes exceeds the %d bytes asynchronous limit", len(d.Record), maxAsyncPayload)
		}
		if err == nil {
			n := &queued{Region: fregion, Name: name, Qualifier: qual, Payload: d.Record, RequestID: newID(), Enqueued: s.now()}
			var b []byte
			if b, err = json.Marshal(n); err == nil {
				if err = s.meta.Set(key, b); err == nil {
					s.wake()
					return
				}
			}
		}
	} else if err == nil {
		err = s.sendToDestination(s.bg, q.Region, d.Destination, d.Key, d.Record)
		if err == nil {
			_ = s.meta.Delete(key)
			return
		}
		if s.bg.Err() != nil {
			return // stopping: delivered after the next Start
		}
	}
	s.log.Warn("function: could not deliver invocation record", "function", q.Name, "requestId", q.RequestID,
		"destination", d.Destination, "err", err)
	s.countDeliveryFailure(q.Region, q.Name)
	_ = s.meta.Delete(key)
}

func failuresKey(region, name string) []byte { return []byte("dlf/" + region + "/" + name) }

// countDeliveryFailure adds one to function name's
// DestinationDeliveryFailures (durable, in Meta under "dlf/REGION/NAME").
// The caller must not hold s.mu.
func (s *Service) countDeliveryFailure(region, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.DestinationDeliveryFailures(region, name) + 1
	if err := s.meta.Set(failuresKey(region, name), strconv.AppendInt(nil, n, 10)); err != nil {
		s.log.Error("function: count delivery failure", "function", name, "err", err)
	}
}

// DestinationDeliveryFailures is how many invocation records of function
// name (in region; "" means Options.Region) could not be delivered to
// their destination: Lambda's DestinationDeliveryFailures metric, summed.
func (s *Service) DestinationDeliveryFailures(region, name string) int64 {
	if region == "" {
		region = s.opts.Region
	}
	b, err := s.meta.Get(failuresKey(region, name))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n
}

// deadLetterConfig is Lambda's DeadLetterConfig input.
type deadLetterConfig struct {
	TargetArn *string `json:"TargetArn"`
}

// checkDeadLetter refuses a DeadLetterConfig TargetArn: AWS accepts only
// an SQS queue or SNS topic there, and tarn runs neither. An absent or
// empty TargetArn (which clears it) passes.
func checkDeadLetter(d *deadLetterConfig) error {
	if d == nil || d.TargetArn == nil || *d.TargetArn == "" {
		return nil
	}
	return errInvalid("tarn does not run Amazon SQS or Amazon SNS, so %s cannot be a dead-letter queue; "+
		"configure an OnFailure destination (PutFunctionEventInvokeConfig) with an Amazon S3 bucket or AWS Lambda function instead", *d.TargetArn)
}
