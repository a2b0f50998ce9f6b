package function

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// EventInvokeConfig is Lambda's FunctionEventInvokeConfig: how
// asynchronous invocations of one qualifier are retried and aged out, and
// where their records go.
type EventInvokeConfig struct {
	FunctionArn              string             `json:"FunctionArn"`
	LastModified             float64            `json:"LastModified"` // epoch seconds, as the REST-JSON timestamp
	MaximumRetryAttempts     *int32             `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int32             `json:"MaximumEventAgeInSeconds,omitempty"`
	DestinationConfig        *DestinationConfig `json:"DestinationConfig,omitempty"`
}

// DestinationConfig is Lambda's DestinationConfig: AWS answers both
// members, empty ({}) when unset.
type DestinationConfig struct {
	OnSuccess *Destination `json:"OnSuccess,omitempty"`
	OnFailure *Destination `json:"OnFailure,omitempty"`
}

// Destination is Lambda's OnSuccess / OnFailure shape.
type Destination struct {
	Destination *string `json:"Destination,omitempty"`
}

// arn is the destination's ARN, "" when unset.
func (d *Destination) arn() string {
	if d == nil || d.Destination == nil {
		return ""
	}
	return *d.Destination
}

const maxEventAge = 21600 // seconds: AWS's default and maximum

func qualKey(q string) string {
	if q == "" {
		return "$LATEST"
	}
	return q
}

// retryPolicy returns the retries and maximum event age for qual.
func (rec *record) retryPolicy(qual string) (int, time.Duration) {
	retries, age := asyncRetries, time.Duration(maxEventAge)*time.Second
	if c, ok := rec.EventConfig[qualKey(qual)]; ok {
		if c.MaximumRetryAttempts != nil {
			retries = int(*c.MaximumRetryAttempts)
		}
		if c.MaximumEventAgeInSeconds != nil {
			age = time.Duration(*c.MaximumEventAgeInSeconds) * time.Second
		}
	}
	return retries, age
}

// destinations returns the OnSuccess and OnFailure ARNs for qual ("" when
// unset).
func (rec *record) destinations(qual string) (onSuccess, onFailure string) {
	if c, ok := rec.EventConfig[qualKey(qual)]; ok && c.DestinationConfig != nil {
		return c.DestinationConfig.OnSuccess.arn(), c.DestinationConfig.OnFailure.arn()
	}
	return "", ""
}

type eventConfigInput struct {
	MaximumRetryAttempts     *int32             `json:"MaximumRetryAttempts"`
	MaximumEventAgeInSeconds *int32             `json:"MaximumEventAgeInSeconds"`
	DestinationConfig        *DestinationConfig `json:"DestinationConfig"`
}

// checkEventConfig validates in as AWS does: range constraints first (all of them,
// in one message), then the destinations.
func (s *Service) checkEventConfig(region string, in *eventConfigInput) error {
	var msgs []string
	if a := in.MaximumRetryAttempts; a != nil && *a < 0 {
		msgs = append(msgs, fmt.Sprintf("Value '%d' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0", *a))
	} else if a != nil && *a > asyncRetries {
		msgs = append(msgs, fmt.Sprintf("Value '%d' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2", *a))
	}
	if a := in.MaximumEventAgeInSeconds; a != nil && *a < 60 {
		msgs = append(msgs, fmt.Sprintf("Value '%d' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60", *a))
	} else if a != nil && *a > maxEventAge {
		msgs = append(msgs, fmt.Sprintf("Value '%d' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600", *a))
	}
	if d := in.DestinationConfig; d != nil {
		for _, m := range []struct {
			field string
			arn   string
		}{{"destinationConfig.onSuccess.destination", d.OnSuccess.arn()}, {"destinationConfig.onFailure.destination", d.OnFailure.arn()}} {
			if len(m.arn) > 350 {
				msgs = append(msgs, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 350", m.arn, m.field))
			}
		}
	}
	switch len(msgs) {
	case 0:
	case 1:
		return errf("ValidationException", http.StatusBadRequest, "1 validation error detected: %s", msgs[0])
	default:
		return errf("ValidationException", http.StatusBadRequest, "%d validation errors detected: %s", len(msgs), strings.Join(msgs, "; "))
	}
	if d := in.DestinationConfig; d != nil {
		if a := d.OnSuccess.arn(); a != "" {
			if k, _, _, _, _, err := parseDestination(a); err == nil && k == destS3 {
				return errInvalid("The destination ARN %s is not supported for OnSuccess: Amazon S3 destinations are supported on failure only.", a)
			}
			if err := s.validateDestination(region, a, false); err != nil {
				return err
			}
		}
		if a := d.OnFailure.arn(); a != "" {
			if err := s.validateDestination(region, a, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// putEventConfig is PutFunctionEventInvokeConfig (PUT: replaces the
// qualifier's configuration) and UpdateFunctionEventInvokeConfig (POST:
// merges the given fields into an existing one; a Destination "" clears
// that destination).
func (s *Service) putEventConfig(w http.ResponseWriter, r *http.Request) error {
	var in eventConfigInput
	if err := decode(r, &in); err != nil {
		return err
	}
	name, qual, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	region := s.region(r.Context())
	if err := s.checkEventConfig(region, &in); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	if _, err := s.resolve(region, name, rec, qual); err != nil {
		return err
	}
	arn := s.arn(region, name) + ":" + qualKey(qual)
	c, exists := rec.EventConfig[qualKey(qual)]
	if r.Method == http.MethodPost && !exists { // UpdateFunctionEventInvokeConfig
		return errNotFound("The function %s doesn't have an EventInvokeConfig", arn)
	}
	if r.Method == http.MethodPut { // Put replaces, Update merges
		c = EventInvokeConfig{}
	}
	c.FunctionArn = arn
	c.LastModified = float64(s.now().UnixMilli()) / 1000
	if in.MaximumRetryAttempts != nil {
		c.MaximumRetryAttempts = in.MaximumRetryAttempts
	}
	if in.MaximumEventAgeInSeconds != nil {
		c.MaximumEventAgeInSeconds = in.MaximumEventAgeInSeconds
	}
	c = c.shaped()
	if d := in.DestinationConfig; d != nil {
		if d.OnSuccess != nil {
			c.DestinationConfig.OnSuccess = d.OnSuccess
		}
		if d.OnFailure != nil {
			c.DestinationConfig.OnFailure = d.OnFailure
		}
	}
	c = c.shaped()
	if rec.EventConfig == nil {
		rec.EventConfig = map[string]EventInvokeConfig{}
	}
	rec.EventConfig[qualKey(qual)] = c
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// shaped is c as AWS answers it: DestinationConfig and both of its
// members present, {} when unset.
func (c EventInvokeConfig) shaped() EventInvokeConfig {
	d := DestinationConfig{}
	if c.DestinationConfig != nil {
		d = *c.DestinationConfig
	}
	if d.OnSuccess.arn() == "" {
		d.OnSuccess = &Destination{}
	}
	if d.OnFailure.arn() == "" {
		d.OnFailure = &Destination{}
	}
	c.DestinationConfig = &d
	return c
}

func (s *Service) eventConfigOf(r *http.Request) (region, name, qual string, rec *record, err error) {
	if name, qual, err = parseName(r.PathValue("name")); err != nil {
		return
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	region = s.region(r.Context())
	rec, err = s.load(region, name)
	return
}

func (s *Service) getEventConfig(w http.ResponseWriter, r *http.Request) error {
	region, name, qual, rec, err := s.eventConfigOf(r)
	if err != nil {
		return err
	}
	c, ok := rec.EventConfig[qualKey(qual)]
	if !ok {
		return errNotFound("The function %s:%s doesn't have an EventInvokeConfig", s.arn(region, name), qualKey(qual))
	}
	writeJSON(w, http.StatusOK, c.shaped())
	return nil
}

func (s *Service) deleteEventConfig(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	region, name, qual, rec, err := s.eventConfigOf(r)
	if err != nil {
		return err
	}
	if _, ok := rec.EventConfig[qualKey(qual)]; !ok {
		return errNotFound("The function %s:%s doesn't have an EventInvokeConfig", s.arn(region, name), qualKey(qual))
	}
	delete(rec.EventConfig, qualKey(qual))
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listEventConfigs is ListFunctionEventInvokeConfigs: the function's
// configurations in qualifier order, MaxItems (1-50, default 50) a page,
// Marker the last qualifier of the previous page.
func (s *Service) listEventConfigs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	max := 50
	if m := q.Get("MaxItems"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 50 {
			return errf("ValidationException", http.StatusBadRequest, "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50", m)
		}
		max = n
	}
	_, _, _, rec, err := s.eventConfigOf(r)
	if err != nil {
		return err
	}
	quals := make([]string, 0, len(rec.EventConfig))
	for k := range rec.EventConfig {
		quals = append(quals, k)
	}
	sort.Strings(quals)
	out := []EventInvokeConfig{}
	next, last := "", ""
	marker := q.Get("Marker")
	for _, k := range quals {
		if marker != "" && k <= marker {
			continue
		}
		if len(out) == max {
			next = last
			break
		}
		out = append(out, rec.EventConfig[k].shaped())
		last = k
	}
	resp := map[string]any{"FunctionEventInvokeConfigs": out}
	if next != "" {
		resp["NextMarker"] = next
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
