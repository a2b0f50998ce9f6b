package catalog

import "context"

type crawlerScheduleInput struct {
	CrawlerName string  `json:"CrawlerName"`
	Schedule    *string `json:"Schedule"`
}

func (s *Service) opStartCrawlerSchedule(ctx context.Context, in *crawlerScheduleInput) (*struct{}, error) {
	return nil, s.changeSchedule(ctx, in.CrawlerName, func(rec *crawlerRecord) error {
		sc := rec.Crawler.Schedule
		if sc == nil || sc.ScheduleExpression == "" {
			return errNoSchedule(in.CrawlerName)
		}
		if sc.State == scheduled {
			return errSchedulerRunning(in.CrawlerName)
		}
		sc.State, rec.ScheduleBase = scheduled, s.now().UTC()
		return nil
	})
}

func (s *Service) opStopCrawlerSchedule(ctx context.Context, in *crawlerScheduleInput) (*struct{}, error) {
	return nil, s.changeSchedule(ctx, in.CrawlerName, func(rec *crawlerRecord) error {
		sc := rec.Crawler.Schedule
		if sc == nil || sc.State != scheduled {
			return errSchedulerNotRunning(in.CrawlerName)
		}
		sc.State = notScheduled
		return nil
	})
}

func (s *Service) opUpdateCrawlerSchedule(ctx context.Context, in *crawlerScheduleInput) (*struct{}, error) {
	return nil, s.changeSchedule(ctx, in.CrawlerName, func(rec *crawlerRecord) error {
		expr := ""
		if in.Schedule != nil {
			expr = *in.Schedule
		}
		return s.setSchedule(rec, expr)
	})
}

func (s *Service) changeSchedule(ctx context.Context, name string, fn func(*crawlerRecord) error) error {
	if name == "" {
		return errRequired("crawlerName")
	}
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	rec, err := s.loadCrawler(s.regionOf(ctx), name)
	if err != nil {
		return err
	}
	if err := fn(rec); err != nil {
		return err
	}
	return s.saveCrawler(rec)
}
