package catalog

import (
	"time"

	"github.com/tarnhq/tarn/internal/cron"
)

// The scheduler fires crawlers on their cron schedules. Each crawler's
// ScheduleBase is durable: a tick fires a crawler when the first slot
// after its base has come, and moves the base to the latest slot that has
// come, in the same write that starts the crawl. So a slot fires at most
// once, also across restarts; slots missed while tarn was down fire once
// at the next tick. A slot that comes while the crawler runs is skipped,
// as Glue skips it.

// maxCatchUp bounds the slots a tick walks to find the latest one.
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

// tick fires every due schedule at Options.Now; it returns the names of
// the crawlers it started (for tests).
func (s *Service) tick() []string {
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	select {
	case <-s.stopCh:
		return nil
	default:
	}
	now := s.now().UTC()
	var all []*crawlerRecord
	err := s.meta.Scan([]byte{'c', 0}, nil, func(_, v []byte) (bool, error) {
		rec, err := decodeCrawler(v)
		if err != nil {
			return false, err
		}
		all = append(all, rec)
		return true, nil
	})
	if err != nil {
		s.log.Error("scheduler: list crawlers", "err", err)
		return nil
	}
	var started []string
	for _, rec := range all {
		sc := rec.Crawler.Schedule
		if sc == nil || sc.State != scheduled {
			continue
		}
		spec, err := cron.Parse(sc.ScheduleExpression)
		if err != nil {
			continue // validated when set
		}
		slot := spec.Next(rec.ScheduleBase)
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
		rec.ScheduleBase = slot
		if rec.Crawler.State != stateReady {
			if err := s.saveCrawler(rec); err != nil {
				s.log.Error("scheduler: save", "crawler", rec.Crawler.Name, "err", err)
			}
			s.log.Info("scheduler: crawler still running, slot skipped", "crawler", rec.Crawler.Name, "slot", slot)
			continue
		}
		if err := s.startCrawlLocked(rec); err != nil { // saves ScheduleBase with RUNNING
			s.log.Error("scheduler: start crawler", "crawler", rec.Crawler.Name, "err", err)
			rec.Crawler.State = stateReady
			if err := s.saveCrawler(rec); err != nil {
				s.log.Error("scheduler: save", "crawler", rec.Crawler.Name, "err", err)
			}
			continue
		}
		started = append(started, rec.Crawler.Name)
	}
	return started
}
