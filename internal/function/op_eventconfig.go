package function

import (
	"net/http"
	"time"
)

// EventInvokeConfig is Lambda's FunctionEventInvokeConfig: how
// asynchronous invocations of one qualifier are retried and aged out.
type EventInvokeConfig struct {
	FunctionArn              string  `json:"FunctionArn"`
	LastModified             float64 `json:"LastModified"` // epoch seconds, as the REST-JSON timestamp
	MaximumRetryAttempts     *int32  `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int32  `json:"MaximumEventAgeInSeconds,omitempty"`
	DestinationConfig        any     `json:"DestinationConfig,omitempty"`
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

func (s *Service) putEventConfig(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		MaximumRetryAttempts     *int32 `json:"MaximumRetryAttempts"`
		MaximumEventAgeInSeconds *int32 `json:"MaximumEventAgeInSeconds"`
		DestinationConfig        any    `json:"DestinationConfig"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.DestinationConfig != nil {
		if m, ok := in.DestinationConfig.(map[string]any); !ok || len(m) > 0 {
			return errInvalid("tarn: asynchronous invocation destinations are not supported yet")
		}
	}
	if a := in.MaximumRetryAttempts; a != nil && (*a < 0 || *a > 2) {
		return errInvalid("1 validation error detected: Value '%d' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2", *a)
	}
	if a := in.MaximumEventAgeInSeconds; a != nil && (*a < 60 || *a > maxEventAge) {
		return errInvalid("1 validation error detected: Value '%d' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600", *a)
	}
	name, qual, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	region := s.region(r.Context())
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
	writeJSON(w, http.StatusOK, c)
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

func (s *Service) listEventConfigs(w http.ResponseWriter, r *http.Request) error {
	_, _, _, rec, err := s.eventConfigOf(r)
	if err != nil {
		return err
	}
	out := []EventInvokeConfig{}
	for _, c := range rec.EventConfig {
		out = append(out, c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"FunctionEventInvokeConfigs": out})
	return nil
}
