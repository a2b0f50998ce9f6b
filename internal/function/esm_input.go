package function

import (
	"errors"
	"slices"

	"github.com/tarnhq/tarn/internal/function/filter"
)

// esmInput is the body of Create and Update (Update ignores the source
// and starting position, which AWS does not let it change).
type esmInput struct {
	EventSourceArn                 *string            `json:"EventSourceArn"`
	FunctionName                   *string            `json:"FunctionName"`
	Enabled                        *bool              `json:"Enabled"`
	BatchSize                      *int32             `json:"BatchSize"`
	MaximumBatchingWindowInSeconds *int32             `json:"MaximumBatchingWindowInSeconds"`
	StartingPosition               *string            `json:"StartingPosition"`
	StartingPositionTimestamp      *float64           `json:"StartingPositionTimestamp"`
	MaximumRetryAttempts           *int32             `json:"MaximumRetryAttempts"`
	BisectBatchOnFunctionError     *bool              `json:"BisectBatchOnFunctionError"`
	MaximumRecordAgeInSeconds      *int32             `json:"MaximumRecordAgeInSeconds"`
	ParallelizationFactor          *int32             `json:"ParallelizationFactor"`
	TumblingWindowInSeconds        *int32             `json:"TumblingWindowInSeconds"`
	FilterCriteria                 *esmFilterCriteria `json:"FilterCriteria"`
	DestinationConfig              *struct {
		OnFailure *struct {
			Destination *string `json:"Destination"`
		} `json:"OnFailure"`
		OnSuccess *struct {
			Destination *string `json:"Destination"`
		} `json:"OnSuccess"`
	} `json:"DestinationConfig"`
	FunctionResponseTypes *[]string `json:"FunctionResponseTypes"`
}

// unsupported refuses the settings tarn does not run, never ignoring them.
func (in *esmInput) unsupported() error {
	if in.TumblingWindowInSeconds != nil && *in.TumblingWindowInSeconds != 0 {
		return errInvalid("tarn does not support TumblingWindowInSeconds on event source mappings")
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
	if in.ParallelizationFactor != nil {
		if p := *in.ParallelizationFactor; p < 1 || p > maxParallelization {
			return errInvalid("1 validation error detected: Value '%d' at 'parallelizationFactor' failed to satisfy constraint: Member must have value between 1 and %d", p, maxParallelization)
		}
		e.Parallel = *in.ParallelizationFactor
	}
	if in.MaximumRecordAgeInSeconds != nil {
		a := *in.MaximumRecordAgeInSeconds
		if a < -1 || a > maxRecordAge {
			return errInvalid("1 validation error detected: Value '%d' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value between -1 and %d", a, maxRecordAge)
		}
		if a != -1 && a < minRecordAge {
			return errInvalid("MaximumRecordAgeInSeconds must be -1 (infinite) or between %d and %d", minRecordAge, maxRecordAge)
		}
		e.MaxAge = &a
	}
	if in.FunctionResponseTypes != nil {
		var types []string
		for _, t := range *in.FunctionResponseTypes {
			if t != "ReportBatchItemFailures" {
				return errInvalid("1 validation error detected: Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]", t)
			}
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
		e.ResponseTypes = types
	}
	if fc := in.FilterCriteria; fc != nil {
		if len(fc.Filters) > maxFilters {
			return errInvalid("Invalid filter pattern definition. The number of filters in FilterCriteria must not exceed %d.", maxFilters)
		}
		var pats []string
		for i, f := range fc.Filters {
			if f.Pattern == nil {
				return errInvalid("1 validation error detected: Value null at 'filterCriteria.filters.%d.member.pattern' failed to satisfy constraint: Member must not be null", i+1)
			}
			if n := len(*f.Pattern); n > maxFilterPattern {
				return errInvalid("1 validation error detected: Value at 'filterCriteria.filters.%d.member.pattern' failed to satisfy constraint: Member must have length less than or equal to %d", i+1, maxFilterPattern)
			}
			pats = append(pats, *f.Pattern)
		}
		if _, err := filter.Compile(pats); err != nil {
			var pe *filter.PatternError
			if errors.As(err, &pe) {
				return errInvalid("Invalid filter pattern definition. Filter %d: %s", pe.Index+1, pe.Reason)
			}
			return errInvalid("Invalid filter pattern definition.")
		}
		e.Filters = pats
	}
	return nil
}

// applyDestination validates and copies in's DestinationConfig into e.
func (m *Mappings) applyDestination(in *esmInput, e *esmRecord) error {
	dc := in.DestinationConfig
	if dc == nil {
		return nil
	}
	if dc.OnSuccess != nil && dc.OnSuccess.Destination != nil && *dc.OnSuccess.Destination != "" {
		return errInvalid("Unsupported DestinationConfig parameter for given event source mapping type.")
	}
	if dc.OnFailure == nil || dc.OnFailure.Destination == nil || *dc.OnFailure.Destination == "" {
		e.OnFailure = ""
		return nil
	}
	arn := *dc.OnFailure.Destination
	if err := m.fn.validateDestination(e.Region, arn, true); err != nil {
		return err
	}
	e.OnFailure = arn
	return nil
}
