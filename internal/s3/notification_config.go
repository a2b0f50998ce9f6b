package s3

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// notifyMeta is a bucket's stored configuration. Created is the creation
// time of the bucket it was set on: a configuration left behind by a
// deleted bucket does not apply to a new bucket of the same name.
type notifyMeta struct {
	Created time.Time      `json:"created"`
	Lambdas []lambdaConfig `json:"lambdas"`
}

var (
	errAmbiguous = ErrInvalidArgument.With("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.")
	errBadEvent  = ErrInvalidArgument.With("The event is not supported for notifications")
	errBadRule   = ErrInvalidArgument.With("filter rule name must be either prefix or suffix")
	errBadARN    = ErrInvalidArgument.With("The ARN is not well formed")
	errNoDest    = ErrInvalidArgument.With("Unable to validate the following destination configurations")
	errDupID     = ErrInvalidArgument.With("Configuration IDs must be unique")
)

// validateNotification checks cfg as S3 does and fills in missing Ids.
// Destinations tarn cannot deliver to are NotImplemented, naming them.
func (s *Service) validateNotification(c *call, cfg *notificationConfiguration) error {
	switch {
	case len(cfg.Queues) > 0:
		return ErrNotImplemented.With("tarn cannot deliver S3 notifications to QueueConfigurations (tarn has no SQS); only LambdaFunctionConfigurations are supported.")
	case len(cfg.Topics) > 0:
		return ErrNotImplemented.With("tarn cannot deliver S3 notifications to TopicConfigurations (tarn has no SNS); only LambdaFunctionConfigurations are supported.")
	case cfg.EventBridge != nil:
		return ErrNotImplemented.With("tarn cannot deliver S3 notifications to EventBridgeConfiguration (tarn has no EventBridge); only LambdaFunctionConfigurations are supported.")
	case len(cfg.Lambdas) > 0 && s.notifier == nil:
		return ErrNotImplemented.With("tarn's Lambda is not wired to S3 in this build: LambdaFunctionConfigurations cannot be delivered.")
	}
	ids := map[string]bool{}
	for i := range cfg.Lambdas {
		l := &cfg.Lambdas[i]
		l.Function = strings.TrimSpace(l.Function)
		if l.ID == "" {
			l.ID = newConfigID()
		}
		if ids[l.ID] {
			return errDupID
		}
		ids[l.ID] = true
		if l.Function == "" || len(l.Events) == 0 {
			return ErrMalformedXML
		}
		if !lambdaARN.MatchString(l.Function) {
			return errBadARN.WithExtra("ArgumentName", "CloudFunction").WithExtra("ArgumentValue", l.Function)
		}
		for j, e := range l.Events {
			e = strings.TrimSpace(e)
			l.Events[j] = e
			if otherEvents.MatchString(e) {
				return ErrNotImplemented.With("tarn does not produce the S3 event " + e + "; only s3:ObjectCreated:* and s3:ObjectRemoved:* events are supported.")
			}
			if !notifyEvents[e] {
				return errBadEvent.WithExtra("ArgumentName", "Event").WithExtra("ArgumentValue", e)
			}
		}
		if err := checkRules(l.Filter); err != nil {
			return err
		}
	}
	if err := checkOverlap(cfg.Lambdas); err != nil {
		return err
	}
	if s.functions != nil && !strings.EqualFold(c.r.Header.Get("x-amz-skip-destination-validation"), "true") {
		for _, l := range cfg.Lambdas {
			if !s.functions.FunctionExists(c.r.Context(), l.Function) {
				return errNoDest.WithExtra("ArgumentName1", l.Function).
					WithExtra("ArgumentValue1", "Not authorized to invoke function ["+l.Function+"]")
			}
		}
	}
	return nil
}

// checkRules allows at most one prefix and one suffix rule (names are
// case-insensitive, as in S3) and normalizes the names to lowercase.
func checkRules(f *notifyFilter) error {
	if f == nil {
		return nil
	}
	seen := map[string]bool{}
	for i, r := range f.Rules {
		n := strings.ToLower(strings.TrimSpace(r.Name))
		if n != "prefix" && n != "suffix" {
			return errBadRule.WithExtra("ArgumentName", "FilterRule").WithExtra("ArgumentValue", r.Name)
		}
		if seen[n] {
			return ErrInvalidArgument.With("Cannot specify more than one "+n+" rule in a filter.").
				WithExtra("ArgumentName", "FilterRule").WithExtra("ArgumentValue", n)
		}
		if len(r.Value) > 1024 {
			return ErrInvalidArgument.With("The FilterRule value is too long").WithExtra("ArgumentName", "FilterRule").WithExtra("ArgumentValue", n)
		}
		seen[n] = true
		f.Rules[i].Name = n
	}
	return nil
}

// checkOverlap refuses two configurations that one event could fire
// together: overlapping event types, overlapping prefixes (one a prefix
// of the other) and overlapping suffixes (one a suffix of the other).
func checkOverlap(ls []lambdaConfig) error {
	for i := range ls {
		for j := i + 1; j < len(ls); j++ {
			pi, si := ls[i].keyRange()
			pj, sj := ls[j].keyRange()
			if !(strings.HasPrefix(pi, pj) || strings.HasPrefix(pj, pi)) ||
				!(strings.HasSuffix(si, sj) || strings.HasSuffix(sj, si)) {
				continue
			}
			for _, a := range ls[i].Events {
				for _, b := range ls[j].Events {
					if eventsOverlap(a, b) {
						return errAmbiguous
					}
				}
			}
		}
	}
	return nil
}

// newConfigID is the Id S3 gives a configuration sent without one: an
// opaque base64 string.
func newConfigID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(b[:])))
}

// putBucketNotification is PutBucketNotificationConfiguration: the
// document replaces the bucket's configuration (an empty one removes it).
func (s *Service) putBucketNotification(c *call) error {
	var cfg notificationConfiguration
	if err := readXML(c.r, &cfg); err != nil {
		return err
	}
	if err := s.validateNotification(c, &cfg); err != nil {
		return err
	}
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	bm, err := s.bucket(c.bucket)
	if err != nil {
		return err
	}
	if len(cfg.Lambdas) == 0 {
		err = s.meta.Delete(notifyKey(c.bucket))
	} else {
		err = s.meta.Set(notifyKey(c.bucket), mustJSON(notifyMeta{Created: bm.Created, Lambdas: cfg.Lambdas}))
	}
	if err != nil {
		return err
	}
	c.w.WriteHeader(200)
	return nil
}

// getBucketNotification is GetBucketNotificationConfiguration.
func (s *Service) getBucketNotification(c *call) error {
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	nm, err := s.notifyConfig(c.bucket)
	if err != nil {
		return err
	}
	out := notificationConfiguration{NS: xmlNS}
	if nm != nil {
		out.Lambdas = nm.Lambdas
	}
	return writeXML(c.w, out)
}

// notifyConfig returns bucket's configuration, or nil when it has none.
func (s *Service) notifyConfig(bucket string) (*notifyMeta, error) {
	var nm notifyMeta
	err := getJSON(s.meta, notifyKey(bucket), &nm)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	bm, err := s.bucket(bucket)
	if errors.Is(err, ErrNoSuchBucket) || err == nil && !bm.Created.Equal(nm.Created) {
		return nil, nil // left by a deleted bucket of the same name
	}
	if err != nil {
		return nil, err
	}
	return &nm, nil
}
