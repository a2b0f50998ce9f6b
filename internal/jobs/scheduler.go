package jobs

import (
	"context"
	"time"

	"github.com/tarnhq/tarn/internal/cron"
	"github.com/tarnhq/tarn/internal/kv"
)

// The scheduler fires SCHEDULED triggers and watches crawlers. Each
// trigger's ScheduleBase is durable: a tick fires a trigger when the
// first slot after its base has come, after moving the base to the latest
// slot that has come in a synced write. So a slot fires at most once, also
// across restarts; slots missed while tarn was down fire once, at the
// next tick.

const maxCatchUp = 100000

func (s *Service) schedulerLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.tick()
		select {
		case <-s.stopCh:
			return
		case <-t.C:
		}
	}
}

// tick fires due schedules at Options.Now and polls watched crawlers; it
// returns the names of the triggers it fired (for tests).
func (s *Service) tick() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping() {
		return nil
	}
	ctx, cancel := context.WithTimeout(s.baseCtx, time.Minute)
	defer cancel()
	now := s.now().UTC()
	trs, err := kv.ScanJSON[triggerRecord](s.meta, []byte{'t', 0})
	if err != nil {
		s.log.Error("jobs: scheduler: list triggers", "err", err)
		return nil
	}
	var fired []string
	for _, tr := range trs {
		t := &tr.Trigger
		if t.Type != typeScheduled || t.State != trigActivated || t.Schedule == nil {
			continue
		}
		spec, err := cron.Parse(*t.Schedule)
		if err != nil {
			continue // validated when set
		}
		slot := spec.Next(tr.ScheduleBase)
		if slot.IsZero() || slot.After(now) {
			continue
		}
		for range maxCatchUp {
			n := spec.Next(slot)
			if n.IsZero() || n.After(now) {
				break
			}
			slot = n
		}
		tr.ScheduleBase = slot
		if err := s.saveTrigger(tr); err != nil {
			s.log.Error("jobs: scheduler: save trigger", "trigger", t.Name, "err", err)
			continue
		}
		if err := s.fireLocked(ctx, tr, nil, nil); err != nil {
			s.log.Warn("jobs: scheduled trigger", "trigger", t.Name, "err", err)
		}
		fired = append(fired, t.Name)
	}
	s.pollCrawlersLocked(ctx)
	return fired
}
