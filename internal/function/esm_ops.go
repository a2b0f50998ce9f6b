package function

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// esmRecord is a stored mapping.
type esmRecord struct {
	UUID              string     `json:"uuid"`
	Region            string     `json:"region"`
	EventSourceArn    string     `json:"source"`
	FunctionArn       string     `json:"function"`
	Role              string     `json:"role"`
	BatchSize         int32      `json:"batchSize"`
	Window            int32      `json:"window"`
	StartingPosition  string     `json:"startingPosition"`
	StartingTimestamp *time.Time `json:"startingTimestamp,omitempty"`
	Enabled           bool       `json:"enabled"`
	State             string     `json:"state"`
	Reason            string     `json:"reason"`
	LastResult        string     `json:"lastResult"`
	LastModified      time.Time  `json:"lastModified"`
	Created           time.Time  `json:"created"`
	MaxRetries        int32      `json:"maxRetries"`
	Bisect            bool       `json:"bisect"`
}

func (e *esmRecord) kinesis() bool { return strings.HasPrefix(e.EventSourceArn, "arn:aws:kinesis:") }

// esmConfig is Lambda's EventSourceMappingConfiguration (stream fields).
type esmConfig struct {
	UUID                           string         `json:"UUID"`
	EventSourceMappingArn          string         `json:"EventSourceMappingArn"`
	BatchSize                      int32          `json:"BatchSize"`
	MaximumBatchingWindowInSeconds int32          `json:"MaximumBatchingWindowInSeconds"`
	ParallelizationFactor          int32          `json:"ParallelizationFactor"`
	EventSourceArn                 string         `json:"EventSourceArn"`
	FunctionArn                    string         `json:"FunctionArn"`
	LastModified                   float64        `json:"LastModified"`
	LastProcessingResult           string         `json:"LastProcessingResult"`
	State                          string         `json:"State"`
	StateTransitionReason          string         `json:"StateTransitionReason"`
	StartingPosition               string         `json:"StartingPosition"`
	StartingPositionTimestamp      *float64       `json:"StartingPositionTimestamp,omitempty"`
	DestinationConfig              map[string]any `json:"DestinationConfig"`
	MaximumRecordAgeInSeconds      int32          `json:"MaximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError     bool           `json:"BisectBatchOnFunctionError"`
	MaximumRetryAttempts           int32          `json:"MaximumRetryAttempts"`
	TumblingWindowInSeconds        int32          `json:"TumblingWindowInSeconds"`
	FunctionResponseTypes          []string       `json:"FunctionResponseTypes"`
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func (e *esmRecord) config() esmConfig {
	c := esmConfig{UUID: e.UUID, EventSourceMappingArn: "arn:aws:lambda:" + e.Region + ":" + accountID + ":event-source-mapping:" + e.UUID,
		BatchSize: e.BatchSize, MaximumBatchingWindowInSeconds: e.Window, ParallelizationFactor: 1,
		EventSourceArn: e.EventSourceArn, FunctionArn: e.FunctionArn, LastModified: epoch(e.LastModified),
		LastProcessingResult: e.LastResult, State: e.State, StateTransitionReason: e.Reason,
		StartingPosition: e.StartingPosition, DestinationConfig: map[string]any{"OnFailure": map[string]any{}},
		MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: e.Bisect, MaximumRetryAttempts: e.MaxRetries,
		FunctionResponseTypes: []string{}}
	if e.StartingTimestamp != nil {
		ts := epoch(*e.StartingTimestamp)
		c.StartingPositionTimestamp = &ts
	}
	return c
}

// esmInput is the body of Create and Update (Update ignores the source
// and starting position, which AWS does not let it change).
type esmInput struct {
	EventSourceArn                 *string        `json:"EventSourceArn"`
	FunctionName                   *string        `json:"FunctionName"`
	Enabled                        *bool          `json:"Enabled"`
	BatchSize                      *int32         `json:"BatchSize"`
	MaximumBatchingWindowInSeconds *int32         `json:"MaximumBatchingWindowInSeconds"`
	StartingPosition               *string        `json:"StartingPosition"`
	StartingPositionTimestamp      *float64       `json:"StartingPositionTimestamp"`
	MaximumRetryAttempts           *int32         `json:"MaximumRetryAttempts"`
	BisectBatchOnFunctionError     *bool          `json:"BisectBatchOnFunctionError"`
	MaximumRecordAgeInSeconds      *int32         `json:"MaximumRecordAgeInSeconds"`
	ParallelizationFactor          *int32         `json:"ParallelizationFactor"`
	TumblingWindowInSeconds        *int32         `json:"TumblingWindowInSeconds"`
	FilterCriteria                 map[string]any `json:"FilterCriteria"`
	DestinationConfig              map[string]any `json:"DestinationConfig"`
	FunctionResponseTypes          []string       `json:"FunctionResponseTypes"`
}

// unsupported refuses the settings tarn does not run, never ignoring them.
func (in *esmInput) unsupported() error {
	no := func(name string) error {
		return errInvalid("tarn does not support %s on event source mappings", name)
	}
	switch {
	case in.MaximumRecordAgeInSeconds != nil && *in.MaximumRecordAgeInSeconds != -1:
		return no("MaximumRecordAgeInSeconds")
	case in.ParallelizationFactor != nil && *in.ParallelizationFactor != 1:
		return no("ParallelizationFactor")
	case in.TumblingWindowInSeconds != nil && *in.TumblingWindowInSeconds != 0:
		return no("TumblingWindowInSeconds")
	case len(in.FilterCriteria) > 0:
		return no("FilterCriteria")
	case len(in.FunctionResponseTypes) > 0:
		return no("FunctionResponseTypes")
	}
	if of, ok := in.DestinationConfig["OnFailure"].(map[string]any); ok && of["Destination"] != nil {
		return no("DestinationConfig")
	}
	return nil
}

// apply validates and copies the tunables of in into e.
func (in *esmInput) apply(e *esmRecord) error {
	if in.BatchSize != nil {
		if *in.BatchSize < 1 || *in.BatchSize > maxMappingBatchSize {
			return errInvalid("BatchSize must be between 1 and %d", maxMappingBatchSize)
		}
		e.BatchSize = *in.BatchSize
	}
	if in.MaximumBatchingWindowInSeconds != nil {
		if w := *in.MaximumBatchingWindowInSeconds; w < 0 || w > maxBatchingWindow {
			return errInvalid("MaximumBatchingWindowInSeconds must be between 0 and %d", maxBatchingWindow)
		}
		e.Window = *in.MaximumBatchingWindowInSeconds
	}
	if in.MaximumRetryAttempts != nil {
		if r := *in.MaximumRetryAttempts; r < -1 || r > maxMappingRetries {
			return errInvalid("MaximumRetryAttempts must be between -1 and %d", maxMappingRetries)
		}
		e.MaxRetries = *in.MaximumRetryAttempts
	}
	if in.BisectBatchOnFunctionError != nil {
		e.Bisect = *in.BisectBatchOnFunctionError
	}
	if in.Enabled != nil {
		e.Enabled = *in.Enabled
	}
	return nil
}

func (m *Mappings) get(w http.ResponseWriter, r *http.Request) error {
	e, err := m.loadMapping(r.PathValue("uuid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e.config())
	return nil
}

func (m *Mappings) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	max := 100
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			return errInvalid("MaxItems must be between 1 and 10000")
		}
		max = n
	}
	fnName := ""
	if f := q.Get("FunctionName"); f != "" {
		name, _, err := parseName(f)
		if err != nil {
			return err
		}
		fnName = name
	}
	all, err := m.all()
	if err != nil {
		return err
	}
	out := struct {
		EventSourceMappings []esmConfig `json:"EventSourceMappings"`
		NextMarker          string      `json:"NextMarker,omitempty"`
	}{EventSourceMappings: []esmConfig{}}
	marker := q.Get("Marker")
	for _, e := range all {
		if marker != "" && e.UUID <= marker {
			continue
		}
		if src := q.Get("EventSourceArn"); src != "" && src != e.EventSourceArn {
			continue
		}
		if fnName != "" {
			if name, _, _ := parseName(e.FunctionArn); name != fnName {
				continue
			}
		}
		if len(out.EventSourceMappings) == max {
			out.NextMarker = out.EventSourceMappings[max-1].UUID
			break
		}
		out.EventSourceMappings = append(out.EventSourceMappings, e.config())
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
