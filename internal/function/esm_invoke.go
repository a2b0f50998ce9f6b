package function

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// invokeResult is one invocation of a batch: err for an invoke that did
// not run (throttled, function gone), functionError for a function error,
// failedAt the index of the first record a partial batch response reports
// failed (-1: none; 0 with neither error: the whole batch failed).
type invokeResult struct {
	err           error
	status        int
	functionError string
	requestID     string
	failedAt      int
}

func (r invokeResult) ok() bool { return r.err == nil && r.functionError == "" && r.failedAt < 0 }

// invokeBatch runs the function on items.
func (m *Mappings) invokeBatch(ctx context.Context, e *esmRecord, items []batchItem) invokeResult {
	payload := batchPayload(items)
	out, err := m.fn.Invoke(ctx, e.Region, e.FunctionArn, "", payload)
	if err != nil {
		res := invokeResult{err: err, status: http.StatusInternalServerError, failedAt: -1}
		var ae *apiError
		if errors.As(err, &ae) {
			res.status = ae.Status
		}
		return res
	}
	res := invokeResult{status: http.StatusOK, functionError: out.FunctionError, requestID: out.RequestID, failedAt: -1}
	if res.functionError == "" && e.reportItemFailures() {
		res.failedAt = failedAt(out.Payload, items)
		if res.failedAt == 0 {
			res.failedAt = -1
			res.functionError = "" // a whole-batch failure without a function error
			res.err = errBatchFailed
		}
	}
	return res
}

// errBatchFailed is a partial batch response that fails the whole batch.
var errBatchFailed = errors.New("function: the batch item failures fail the whole batch")

func batchPayload(items []batchItem) []byte {
	recs := make([]json.RawMessage, len(items))
	for i, it := range items {
		recs[i] = it.event
	}
	b, _ := json.Marshal(struct {
		Records []json.RawMessage `json:"Records"`
	}{recs})
	return b
}

// failedAt reads a ReportBatchItemFailures response: -1 when every record
// succeeded (no response, null, {}, an empty or null batchItemFailures),
// else the index of the lowest failed record, 0 for an answer that fails
// the whole batch (invalid JSON, an itemIdentifier empty, null, misnamed
// or not in the batch), as Lambda reads it.
func failedAt(payload []byte, items []batchItem) int {
	if len(payload) == 0 {
		return -1
	}
	var resp any
	if err := json.Unmarshal(payload, &resp); err != nil {
		return 0
	}
	if resp == nil {
		return -1
	}
	obj, ok := resp.(map[string]any)
	if !ok {
		return 0
	}
	raw, ok := obj["batchItemFailures"]
	if !ok || raw == nil {
		return -1
	}
	list, ok := raw.([]any)
	if !ok {
		return 0
	}
	if len(list) == 0 {
		return -1
	}
	low := len(items)
	for _, f := range list {
		fo, ok := f.(map[string]any)
		if !ok {
			return 0
		}
		id, ok := fo["itemIdentifier"].(string)
		if !ok || id == "" {
			return 0
		}
		i := -1
		for j, it := range items {
			if it.seq == id {
				i = j
				break
			}
		}
		if i < 0 {
			return 0
		}
		low = min(low, i)
	}
	return low
}

// fitPayload keeps the leading items whose event fits Lambda's 6 MB
// synchronous payload (at least one: a larger record fails its invoke and
// is retried or dropped like any failing batch).
func fitPayload(items []batchItem) []batchItem {
	size := len(`{"Records":[]}`)
	for i, it := range items {
		size += len(it.event) + 1
		if size > maxSyncPayload && i > 0 {
			return items[:i]
		}
	}
	return items
}
