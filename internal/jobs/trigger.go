package jobs

import (
	"context"
	"time"

	"github.com/tarnhq/tarn/internal/cron"
	"github.com/tarnhq/tarn/internal/kv"
)

// triggerRecord is a stored trigger.
type triggerRecord struct {
	Region  string            `json:"region"`
	Trigger Trigger           `json:"trigger"`
	Tags    map[string]string `json:"tags,omitempty"`
	// ScheduleBase is the last slot handled (fired or skipped); a slot
	// after it fires once. Set when the trigger is activated.
	ScheduleBase time.Time `json:"scheduleBase"`
}

func (s *Service) loadTrigger(region, name string) (*triggerRecord, error) {
	rec, err := kv.GetJSON[triggerRecord](s.meta, keyTrigger(region, name))
	if isNotFound(err) {
		return nil, errNotFound("Trigger %s not found", name)
	}
	return rec, err
}

func (s *Service) saveTrigger(rec *triggerRecord) error {
	return putJSON(s.meta, keyTrigger(rec.Region, rec.Trigger.Name), rec)
}

// validateTrigger checks a trigger's definition; the caller holds s.mu.
func (s *Service) validateTrigger(ctx context.Context, region string, t *Trigger) error {
	if err := validName("name", t.Name); err != nil {
		return err
	}
	switch t.Type {
	case typeScheduled:
		if t.Schedule == nil || *t.Schedule == "" {
			return errInvalid("A SCHEDULED trigger needs a Schedule.")
		}
		if _, err := cron.Parse(*t.Schedule); err != nil {
			return errInvalid("Schedule %q is not valid: %v", *t.Schedule, err)
		}
	case typeConditional:
		if t.Predicate == nil || len(t.Predicate.Conditions) == 0 {
			return errInvalid("A CONDITIONAL trigger needs a Predicate with Conditions.")
		}
		switch t.Predicate.Logical {
		case "":
			t.Predicate.Logical = "AND"
		case "AND", "ANY":
		default:
			return errInvalid("Predicate Logical must be AND or ANY.")
		}
		for i := range t.Predicate.Conditions {
			c := &t.Predicate.Conditions[i]
			if c.LogicalOperator == "" {
				c.LogicalOperator = "EQUALS"
			}
			if c.LogicalOperator != "EQUALS" {
				return errInvalid("Condition LogicalOperator must be EQUALS.")
			}
			switch {
			case c.JobName != nil && c.CrawlerName == nil:
				switch c.State {
				case stateSucceeded, stateFailed, stateTimeout, stateStopped, stateError:
				default:
					return errInvalid("Condition State %q is not SUCCEEDED, FAILED, TIMEOUT, STOPPED or ERROR.", c.State)
				}
				if _, err := s.loadJob(region, *c.JobName); err != nil {
					return err
				}
			case c.CrawlerName != nil && c.JobName == nil:
				switch c.CrawlState {
				case "SUCCEEDED", "FAILED", "CANCELLED", "ERROR":
				default:
					return errInvalid("Condition CrawlState %q is not SUCCEEDED, FAILED, CANCELLED or ERROR.", c.CrawlState)
				}
				if err := s.checkCrawler(ctx, region, *c.CrawlerName); err != nil {
					return err
				}
			default:
				return errInvalid("A Condition names either a JobName or a CrawlerName.")
			}
		}
	case typeOnDemand:
		if t.Schedule != nil || t.Predicate != nil {
			return errInvalid("An ON_DEMAND trigger has no Schedule or Predicate.")
		}
	case typeEvent:
		return errInvalid("tarn does not run EVENT triggers (EventBridge); use SCHEDULED, CONDITIONAL or ON_DEMAND.")
	default:
		return errInvalid("Trigger Type must be SCHEDULED, CONDITIONAL, ON_DEMAND or EVENT.")
	}
	if len(t.Actions) == 0 {
		return errInvalid("A trigger needs at least one Action.")
	}
	for _, a := range t.Actions {
		switch {
		case a.JobName != nil && a.CrawlerName == nil:
			if _, err := s.loadJob(region, *a.JobName); err != nil {
				return err
			}
			if a.Timeout != nil && *a.Timeout < 1 {
				return errInvalid("Action Timeout must be at least 1 minute.")
			}
		case a.CrawlerName != nil && a.JobName == nil:
			if err := s.checkCrawler(ctx, region, *a.CrawlerName); err != nil {
				return err
			}
		default:
			return errInvalid("An Action names either a JobName or a CrawlerName.")
		}
	}
	if t.WorkflowName != nil {
		if _, err := s.loadWorkflow(region, *t.WorkflowName); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkCrawler(ctx context.Context, region, name string) error {
	if s.opts.Crawlers == nil {
		return errInvalid("tarn has no crawlers to start or watch here (crawler %s).", name)
	}
	if _, err := s.opts.Crawlers.CrawlerStatus(ctx, region, name); err != nil {
		return errNotFound("Crawler %s not found", name)
	}
	return nil
}
