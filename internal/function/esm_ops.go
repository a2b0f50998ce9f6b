package function

import (
	"net/http"
	"slices"
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
	// Filters are FilterCriteria's patterns, as given.
	Filters []string `json:"filters,omitempty"`
	// ResponseTypes is FunctionResponseTypes.
	ResponseTypes []string `json:"responseTypes,omitempty"`
	// Parallel is ParallelizationFactor; 0 (records before it existed) is 1.
	Parallel int32 `json:"parallel,omitempty"`
	// MaxAge is MaximumRecordAgeInSeconds; nil is -1.
	MaxAge *int32 `json:"maxAge,omitempty"`
	// OnFailure is DestinationConfig.OnFailure.Destination.
	OnFailure string `json:"onFailure,omitempty"`
}

func (e *esmRecord) parallel() int {
	if e.Parallel < 1 {
		return 1
	}
	return int(e.Parallel)
}

func (e *esmRecord) maxAge() int32 {
	if e.MaxAge == nil {
		return -1
	}
	return *e.MaxAge
}

func (e *esmRecord) reportItemFailures() bool {
	return slices.Contains(e.ResponseTypes, "ReportBatchItemFailures")
}

func (e *esmRecord) kinesis() bool { return strings.HasPrefix(e.EventSourceArn, "arn:aws:kinesis:") }

// esmConfig is Lambda's EventSourceMappingConfiguration (stream fields).
type esmConfig struct {
	UUID                           string             `json:"UUID"`
	EventSourceMappingArn          string             `json:"EventSourceMappingArn"`
	BatchSize                      int32              `json:"BatchSize"`
	MaximumBatchingWindowInSeconds int32              `json:"MaximumBatchingWindowInSeconds"`
	ParallelizationFactor          int32              `json:"ParallelizationFactor"`
	EventSourceArn                 string             `json:"EventSourceArn"`
	FunctionArn                    string             `json:"FunctionArn"`
	LastModified                   float64            `json:"LastModified"`
	LastProcessingResult           string             `json:"LastProcessingResult"`
	State                          string             `json:"State"`
	StateTransitionReason          string             `json:"StateTransitionReason"`
	StartingPosition               string             `json:"StartingPosition"`
	StartingPositionTimestamp      *float64           `json:"StartingPositionTimestamp,omitempty"`
	DestinationConfig              esmDestinations    `json:"DestinationConfig"`
	FilterCriteria                 *esmFilterCriteria `json:"FilterCriteria,omitempty"`
	MaximumRecordAgeInSeconds      int32              `json:"MaximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError     bool               `json:"BisectBatchOnFunctionError"`
	MaximumRetryAttempts           int32              `json:"MaximumRetryAttempts"`
	TumblingWindowInSeconds        int32              `json:"TumblingWindowInSeconds"`
	FunctionResponseTypes          []string           `json:"FunctionResponseTypes"`
}

// esmDestinations is DestinationConfig as mappings answer it: OnFailure
// is always present, {} when no destination is set.
type esmDestinations struct {
	OnFailure esmDestination `json:"OnFailure"`
}

type esmDestination struct {
	Destination string `json:"Destination,omitempty"`
}

// esmFilterCriteria is FilterCriteria, in requests and responses.
type esmFilterCriteria struct {
	Filters []esmFilter `json:"Filters"`
}

type esmFilter struct {
	Pattern *string `json:"Pattern"`
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func (e *esmRecord) config() esmConfig {
	c := esmConfig{UUID: e.UUID, EventSourceMappingArn: "arn:aws:lambda:" + e.Region + ":" + accountID + ":event-source-mapping:" + e.UUID,
		BatchSize: e.BatchSize, MaximumBatchingWindowInSeconds: e.Window, ParallelizationFactor: int32(e.parallel()),
		EventSourceArn: e.EventSourceArn, FunctionArn: e.FunctionArn, LastModified: epoch(e.LastModified),
		LastProcessingResult: e.LastResult, State: e.State, StateTransitionReason: e.Reason,
		StartingPosition: e.StartingPosition, DestinationConfig: esmDestinations{OnFailure: esmDestination{Destination: e.OnFailure}},
		MaximumRecordAgeInSeconds: e.maxAge(), BisectBatchOnFunctionError: e.Bisect, MaximumRetryAttempts: e.MaxRetries,
		FunctionResponseTypes: append([]string{}, e.ResponseTypes...)}
	if len(e.Filters) > 0 {
		c.FilterCriteria = &esmFilterCriteria{}
		for _, p := range e.Filters {
			c.FilterCriteria.Filters = append(c.FilterCriteria.Filters, esmFilter{Pattern: &p})
		}
	}
	if e.StartingTimestamp != nil {
		ts := epoch(*e.StartingTimestamp)
		c.StartingPositionTimestamp = &ts
	}
	return c
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
