package function

import (
	"context"
	"encoding/json"
)

// The Go entry points for triggers (S3 notifications, event source
// mappings), wired by the platform. function is a name, name:qualifier or
// ARN; qualifier ("" means $LATEST, or a version or alias) overrides the
// one in function; region "" means Options.Region. Errors are the same
// Lambda errors the HTTP API answers (ResourceNotFoundException,
// ResourceConflictException while Pending, TooManyRequestsException at
// the concurrency limit), matchable with errors.Is against ErrNotFound,
// ErrConflict, ErrThrottled.

// Sentinels for errors.Is on errors from Invoke and Enqueue.
var (
	ErrNotFound  error = &apiError{Type: "ResourceNotFoundException"}
	ErrConflict  error = &apiError{Type: "ResourceConflictException"}
	ErrThrottled error = &apiError{Type: "TooManyRequestsException"}
)

// Invoke runs payload synchronously (RequestResponse). A function error is
// reported in Output.FunctionError with Lambda's error payload, not as err.
func (s *Service) Invoke(ctx context.Context, region, function, qualifier string, payload []byte) (Output, error) {
	region, v, arn, limit, err := s.target(region, function, qualifier, payload)
	if err != nil {
		return Output{}, err
	}
	return s.invokeVersion(ctx, region, v, arn, payload, limit)
}

// Enqueue queues payload as an asynchronous (Event) invocation, durably:
// when it returns nil the event survives a restart and is run with the
// function's retry policy. It returns the invocation's request id.
func (s *Service) Enqueue(region, function, qualifier string, payload []byte) (string, error) {
	region, v, _, _, err := s.target(region, function, qualifier, payload)
	if err != nil {
		return "", err
	}
	name, qual := v.Config.FunctionName, qualifier
	if qual == "" {
		_, qual, _ = parseName(function)
	}
	return s.store(region, name, qual, payload)
}

func (s *Service) target(region, function, qualifier string, payload []byte) (string, *version, string, int, error) {
	if region == "" {
		region = s.opts.Region
	}
	name, qual, err := parseName(function)
	if err != nil {
		return "", nil, "", 0, err
	}
	if qualifier != "" {
		qual = qualifier
	}
	if !json.Valid(payload) {
		return "", nil, "", 0, errf("InvalidRequestContentException", 400, "Could not parse request body into json")
	}
	rec, err := s.load(region, name)
	if err != nil {
		return "", nil, "", 0, err
	}
	v, err := s.resolve(region, name, rec, qual)
	if err != nil {
		return "", nil, "", 0, err
	}
	if st := v.Config.State; st != "Active" {
		return "", nil, "", 0, errConflict("The operation cannot be performed at this time. The function is currently in the following state: %s", st)
	}
	limit := s.opts.MaxEnvironments
	if rec.Reserved != nil {
		limit = int(*rec.Reserved)
	}
	arn := s.arn(region, name)
	if qual != "" && qual != "$LATEST" {
		arn += ":" + qual
	}
	return region, v, arn, limit, nil
}

// Exists reports whether function (a name, name:qualifier or ARN)
// resolves to a version; region "" means Options.Region, or the ARN's.
func (s *Service) Exists(region, function string) bool {
	_, _, _, _, err := s.target(region, function, "", []byte("{}"))
	return err == nil
}
