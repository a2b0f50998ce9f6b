package catalog

import "context"

// StartCrawler starts a crawl of crawler name in region ("" means
// Options.Region), as the StartCrawler operation does: it fails with the
// operation's errors (EntityNotFoundException, CrawlerRunningException).
// Glue triggers and workflows call it.
func (s *Service) StartCrawler(ctx context.Context, region, name string) error {
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	rec, err := s.loadCrawler(s.regionOr(region), name)
	if err != nil {
		return err
	}
	return s.startCrawlLocked(rec)
}

// CrawlerState returns crawler name as GetCrawler would (State, LastCrawl).
func (s *Service) CrawlerState(ctx context.Context, region, name string) (Crawler, error) {
	rec, err := s.loadCrawler(s.regionOr(region), name)
	if err != nil {
		return Crawler{}, err
	}
	return s.view(rec), nil
}
