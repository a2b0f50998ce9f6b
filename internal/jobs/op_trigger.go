package jobs

import (
	"context"
	"encoding/json"

	"github.com/tarnhq/tarn/internal/kv"
)

type createTriggerInput struct {
	Trigger
	StartOnCreation bool              `json:"StartOnCreation"`
	Tags            map[string]string `json:"Tags"`
}

func (s *Service) opCreateTrigger(ctx context.Context, in *createTriggerInput) (*nameOutput, error) {
	t := in.Trigger
	t.State, t.Id = trigCreated, nil
	region := s.regionOf(ctx)
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	if in.StartOnCreation && t.Type == typeOnDemand {
		return nil, errInvalid("StartOnCreation is not supported for ON_DEMAND triggers.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.validateTrigger(ctx, region, &t); err != nil {
		return nil, err
	}
	if _, err := s.meta.Get(keyTrigger(region, t.Name)); err == nil {
		return nil, errExists("Trigger with name %s already submitted with different configuration or exists.", t.Name)
	} else if !isNotFound(err) {
		return nil, err
	}
	t.Id = ptr(t.Name)
	rec := &triggerRecord{Region: region, Trigger: t, Tags: in.Tags}
	if in.StartOnCreation && t.Type != typeOnDemand {
		rec.Trigger.State = trigActivated
		rec.ScheduleBase = s.now().UTC()
	}
	if err := s.saveTrigger(rec); err != nil {
		return nil, err
	}
	return &nameOutput{Name: t.Name}, nil
}

type triggerNameInput struct {
	Name string `json:"Name"`
}

type triggerOutput struct {
	Trigger *Trigger `json:"Trigger"`
}

func (s *Service) opGetTrigger(ctx context.Context, in *triggerNameInput) (*triggerOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	rec, err := s.loadTrigger(s.regionOf(ctx), in.Name)
	if err != nil {
		return nil, err
	}
	return &triggerOutput{Trigger: &rec.Trigger}, nil
}

type triggersInput struct {
	pageInput
	DependentJobName string `json:"DependentJobName"`
}

func startsJob(t *Trigger, job string) bool {
	for _, a := range t.Actions {
		if str(a.JobName) == job {
			return true
		}
	}
	return false
}

type getTriggersOutput struct {
	Triggers  []Trigger `json:"Triggers"`
	NextToken string    `json:"NextToken,omitempty"`
}

func (s *Service) listTriggers(ctx context.Context, in *triggersInput, tags bool, fn func(*triggerRecord)) (string, error) {
	return page(s.meta, kv.KeyPrefix('t', s.regionOf(ctx)), in.NextToken, pageLimit(in.MaxResults, 100, 1000), func(_, v []byte) (bool, error) {
		var rec triggerRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		if in.DependentJobName != "" && !startsJob(&rec.Trigger, in.DependentJobName) || tags && !tagsMatch(rec.Tags, in.Tags) {
			return false, nil
		}
		fn(&rec)
		return true, nil
	})
}

func (s *Service) opGetTriggers(ctx context.Context, in *triggersInput) (*getTriggersOutput, error) {
	out := &getTriggersOutput{Triggers: []Trigger{}}
	next, err := s.listTriggers(ctx, in, false, func(r *triggerRecord) { out.Triggers = append(out.Triggers, r.Trigger) })
	out.NextToken = next
	return out, err
}

type listTriggersOutput struct {
	TriggerNames []string `json:"TriggerNames"`
	NextToken    string   `json:"NextToken,omitempty"`
}

func (s *Service) opListTriggers(ctx context.Context, in *triggersInput) (*listTriggersOutput, error) {
	out := &listTriggersOutput{TriggerNames: []string{}}
	next, err := s.listTriggers(ctx, in, true, func(r *triggerRecord) { out.TriggerNames = append(out.TriggerNames, r.Trigger.Name) })
	out.NextToken = next
	return out, err
}

type batchGetTriggersInput struct {
	TriggerNames []string `json:"TriggerNames"`
}

type batchGetTriggersOutput struct {
	Triggers         []Trigger `json:"Triggers"`
	TriggersNotFound []string  `json:"TriggersNotFound"`
}

func (s *Service) opBatchGetTriggers(ctx context.Context, in *batchGetTriggersInput) (*batchGetTriggersOutput, error) {
	if len(in.TriggerNames) == 0 {
		return nil, errRequired("triggerNames")
	}
	out := &batchGetTriggersOutput{Triggers: []Trigger{}, TriggersNotFound: []string{}}
	region := s.regionOf(ctx)
	for _, n := range in.TriggerNames {
		rec, err := s.loadTrigger(region, n)
		if err != nil {
			out.TriggersNotFound = append(out.TriggersNotFound, n)
			continue
		}
		out.Triggers = append(out.Triggers, rec.Trigger)
	}
	return out, nil
}

type updateTriggerInput struct {
	Name          string   `json:"Name"`
	TriggerUpdate *Trigger `json:"TriggerUpdate"`
}

// opUpdateTrigger changes the members given; Type, state and workflow stay.
func (s *Service) opUpdateTrigger(ctx context.Context, in *updateTriggerInput) (*triggerOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	if in.TriggerUpdate == nil {
		return nil, errRequired("triggerUpdate")
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.loadTrigger(region, in.Name)
	if err != nil {
		return nil, err
	}
	t, u := rec.Trigger, in.TriggerUpdate
	if u.Description != nil {
		t.Description = u.Description
	}
	if u.Schedule != nil {
		t.Schedule = u.Schedule
	}
	if u.Predicate != nil {
		t.Predicate = u.Predicate
	}
	if u.Actions != nil {
		t.Actions = u.Actions
	}
	if u.EventBatchingCondition != nil {
		t.EventBatchingCondition = u.EventBatchingCondition
	}
	if err := s.validateTrigger(ctx, region, &t); err != nil {
		return nil, err
	}
	rec.Trigger = t
	if err := s.saveTrigger(rec); err != nil {
		return nil, err
	}
	return &triggerOutput{Trigger: &rec.Trigger}, nil
}

func (s *Service) opDeleteTrigger(ctx context.Context, in *triggerNameInput) (*nameOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.meta.Delete(keyTrigger(region, in.Name)); err != nil {
		return nil, err
	}
	return &nameOutput{Name: in.Name}, nil
}

// opStartTrigger activates a SCHEDULED or CONDITIONAL trigger (its first
// slot is the first after now); an ON_DEMAND trigger fires at once (in a
// workflow, as a new workflow run).
func (s *Service) opStartTrigger(ctx context.Context, in *triggerNameInput) (*nameOutput, error) {
	return s.withTrigger(ctx, in.Name, func(rec *triggerRecord) error {
		if rec.Trigger.Type == typeOnDemand {
			return s.fireLocked(ctx, rec, nil, nil)
		}
		if rec.Trigger.State == trigActivated {
			return nil
		}
		rec.Trigger.State = trigActivated
		rec.ScheduleBase = s.now().UTC()
		return s.saveTrigger(rec)
	})
}

func (s *Service) opStopTrigger(ctx context.Context, in *triggerNameInput) (*nameOutput, error) {
	return s.withTrigger(ctx, in.Name, func(rec *triggerRecord) error {
		if rec.Trigger.Type == typeOnDemand {
			return errInvalid("An ON_DEMAND trigger cannot be stopped.")
		}
		rec.Trigger.State = trigDeactivated
		return s.saveTrigger(rec)
	})
}

// withTrigger validates name, loads the trigger of the request's region
// and runs fn on it with s.mu held; it answers the name when fn succeeds.
func (s *Service) withTrigger(ctx context.Context, name string, fn func(rec *triggerRecord) error) (*nameOutput, error) {
	if err := validName("name", name); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.loadTrigger(region, name)
	if err != nil {
		return nil, err
	}
	if err := fn(rec); err != nil {
		return nil, err
	}
	return &nameOutput{Name: name}, nil
}
