package catalog

import (
	"context"
	"encoding/json"
	"sort"
)

type crawlerInput struct {
	Name                         string              `json:"Name"`
	Role                         *string             `json:"Role"`
	Targets                      *CrawlerTargets     `json:"Targets"`
	DatabaseName                 *string             `json:"DatabaseName"`
	Description                  *string             `json:"Description"`
	Classifiers                  []string            `json:"Classifiers"`
	RecrawlPolicy                *RecrawlPolicy      `json:"RecrawlPolicy"`
	SchemaChangePolicy           *SchemaChangePolicy `json:"SchemaChangePolicy"`
	LineageConfiguration         json.RawMessage     `json:"LineageConfiguration"`
	TablePrefix                  *string             `json:"TablePrefix"`
	Schedule                     *string             `json:"Schedule"`
	Configuration                *string             `json:"Configuration"`
	CrawlerSecurityConfiguration *string             `json:"CrawlerSecurityConfiguration"`
	LakeFormationConfiguration   json.RawMessage     `json:"LakeFormationConfiguration"`
	Tags                         map[string]string   `json:"Tags"`
}

// apply copies the given fields onto c.
func (in *crawlerInput) apply(c *Crawler) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Role, in.Role)
	set(&c.DatabaseName, in.DatabaseName)
	set(&c.Description, in.Description)
	set(&c.TablePrefix, in.TablePrefix)
	set(&c.Configuration, in.Configuration)
	set(&c.CrawlerSecurityConfiguration, in.CrawlerSecurityConfiguration)
	if in.Targets != nil {
		c.Targets = in.Targets
	}
	if in.Classifiers != nil {
		c.Classifiers = in.Classifiers
	}
	if in.RecrawlPolicy != nil {
		c.RecrawlPolicy = in.RecrawlPolicy
	}
	if in.SchemaChangePolicy != nil {
		c.SchemaChangePolicy = in.SchemaChangePolicy
	}
	if len(in.LineageConfiguration) > 0 {
		c.LineageConfiguration = in.LineageConfiguration
	}
	if len(in.LakeFormationConfiguration) > 0 {
		c.LakeFormationConfiguration = in.LakeFormationConfiguration
	}
}

func (s *Service) opCreateCrawler(ctx context.Context, in *crawlerInput) (*struct{}, error) {
	if err := validCrawlerName(in.Name); err != nil {
		return nil, err
	}
	if in.Role == nil || *in.Role == "" {
		return nil, errRequired("role")
	}
	if in.Targets == nil {
		return nil, errRequired("targets")
	}
	now := s.now().UTC()
	rec := &crawlerRecord{Region: s.regionOf(ctx), Crawler: Crawler{Name: in.Name, State: stateReady, Version: 1,
		CreationTime: tsOf(now), LastUpdated: tsOf(now)}}
	in.apply(&rec.Crawler)
	if err := validateConfig(&rec.Crawler); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	defaultPolicies(&rec.Crawler)
	if in.Schedule != nil {
		if err := s.setSchedule(rec, *in.Schedule); err != nil {
			return nil, err
		}
	}
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	if _, err := s.meta.Get(keyCrawler(rec.Region, in.Name)); err == nil {
		return nil, errCrawlerExists(in.Name)
	} else if !isNotFound(err) {
		return nil, err
	}
	if err := s.saveCrawler(rec); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return nil, s.addTags(rec.Region, "crawler/"+in.Name, in.Tags)
}

type crawlerNameInput struct {
	Name string `json:"Name"`
}

type getCrawlerOutput struct {
	Crawler *Crawler `json:"Crawler"`
}

func (s *Service) opGetCrawler(ctx context.Context, in *crawlerNameInput) (*getCrawlerOutput, error) {
	if err := validCrawlerName(in.Name); err != nil {
		return nil, err
	}
	rec, err := s.loadCrawler(s.regionOf(ctx), in.Name)
	if err != nil {
		return nil, err
	}
	c := s.view(rec)
	return &getCrawlerOutput{Crawler: &c}, nil
}

type pageInput struct {
	MaxResults *int              `json:"MaxResults"`
	NextToken  string            `json:"NextToken"`
	Tags       map[string]string `json:"Tags"`
}

// crawlerPage is one page of the region's crawler records by name.
func (s *Service) crawlerPage(ctx context.Context, in *pageInput) ([]*crawlerRecord, string, error) {
	limit, err := pageSize("maxResults", in.MaxResults, maxCrawlersPage)
	if err != nil {
		return nil, "", err
	}
	var recs []*crawlerRecord
	next, err := page(s.meta, prefixOf('c', s.regionOf(ctx)), in.NextToken, limit, func(_, v []byte) (bool, error) {
		rec := new(crawlerRecord)
		if err := json.Unmarshal(v, rec); err != nil {
			return false, err
		}
		recs = append(recs, rec)
		return true, nil
	})
	return recs, next, err
}

type getCrawlersOutput struct {
	Crawlers  []Crawler `json:"Crawlers"`
	NextToken string    `json:"NextToken,omitempty"`
}

func (s *Service) opGetCrawlers(ctx context.Context, in *pageInput) (*getCrawlersOutput, error) {
	recs, next, err := s.crawlerPage(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &getCrawlersOutput{Crawlers: []Crawler{}, NextToken: next}
	for _, r := range recs {
		out.Crawlers = append(out.Crawlers, s.view(r))
	}
	return out, nil
}

type batchGetCrawlersInput struct {
	CrawlerNames []string `json:"CrawlerNames"`
}

type batchGetCrawlersOutput struct {
	Crawlers         []Crawler `json:"Crawlers"`
	CrawlersNotFound []string  `json:"CrawlersNotFound"`
}

func (s *Service) opBatchGetCrawlers(ctx context.Context, in *batchGetCrawlersInput) (*batchGetCrawlersOutput, error) {
	if len(in.CrawlerNames) > 100 {
		return nil, errMaxResults("crawlerNames", len(in.CrawlerNames), 100)
	}
	out := &batchGetCrawlersOutput{Crawlers: []Crawler{}, CrawlersNotFound: []string{}}
	for _, n := range in.CrawlerNames {
		rec, err := s.loadCrawler(s.regionOf(ctx), n)
		if err != nil {
			if _, ok := asAWS(err); !ok {
				return nil, err
			}
			out.CrawlersNotFound = append(out.CrawlersNotFound, n)
			continue
		}
		out.Crawlers = append(out.Crawlers, s.view(rec))
	}
	return out, nil
}

type listCrawlersOutput struct {
	CrawlerNames []string `json:"CrawlerNames"`
	NextToken    string   `json:"NextToken,omitempty"`
}

// opListCrawlers lists names; Tags keeps the crawlers carrying them all.
func (s *Service) opListCrawlers(ctx context.Context, in *pageInput) (*listCrawlersOutput, error) {
	recs, next, err := s.crawlerPage(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &listCrawlersOutput{CrawlerNames: []string{}, NextToken: next}
	for _, r := range recs {
		if len(in.Tags) > 0 {
			have, err := s.tags(r.Region, "crawler/"+r.Crawler.Name)
			if err != nil {
				return nil, err
			}
			if !tagsMatch(have, in.Tags) {
				continue
			}
		}
		out.CrawlerNames = append(out.CrawlerNames, r.Crawler.Name)
	}
	return out, nil
}

func (s *Service) opUpdateCrawler(ctx context.Context, in *crawlerInput) (*struct{}, error) {
	if err := validCrawlerName(in.Name); err != nil {
		return nil, err
	}
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	rec, err := s.loadCrawler(s.regionOf(ctx), in.Name)
	if err != nil {
		return nil, err
	}
	if rec.Crawler.State != stateReady {
		return nil, errCrawlerRunning(in.Name)
	}
	c := rec.Crawler
	in.apply(&c)
	if err := validateConfig(&c); err != nil {
		return nil, err
	}
	defaultPolicies(&c)
	c.Version++
	c.LastUpdated = tsOf(s.now().UTC())
	rec.Crawler = c
	if in.Schedule != nil {
		if err := s.setSchedule(rec, *in.Schedule); err != nil {
			return nil, err
		}
	}
	return nil, s.saveCrawler(rec)
}

func (s *Service) opDeleteCrawler(ctx context.Context, in *crawlerNameInput) (*struct{}, error) {
	if err := validCrawlerName(in.Name); err != nil {
		return nil, err
	}
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	region := s.regionOf(ctx)
	rec, err := s.loadCrawler(region, in.Name)
	if err != nil {
		return nil, err
	}
	if rec.Crawler.State != stateReady {
		return nil, errCrawlerRunning(in.Name)
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, keyCrawler(region, in.Name))
	b.Delete(s.meta, keyTags(region, "crawler/"+in.Name))
	return nil, b.Commit()
}

func (s *Service) opStartCrawler(ctx context.Context, in *crawlerNameInput) (*struct{}, error) {
	if err := validCrawlerName(in.Name); err != nil {
		return nil, err
	}
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	rec, err := s.loadCrawler(s.regionOf(ctx), in.Name)
	if err != nil {
		return nil, err
	}
	return nil, s.startCrawlLocked(rec)
}

func (s *Service) opStopCrawler(ctx context.Context, in *crawlerNameInput) (*struct{}, error) {
	if err := validCrawlerName(in.Name); err != nil {
		return nil, err
	}
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	region := s.regionOf(ctx)
	rec, err := s.loadCrawler(region, in.Name)
	if err != nil {
		return nil, err
	}
	switch rec.Crawler.State {
	case stateReady:
		return nil, errCrawlerNotRunning(in.Name)
	case stateStopping:
		return nil, errCrawlerStopping(in.Name)
	}
	rec.Crawler.State = stateStopping
	if err := s.saveCrawler(rec); err != nil {
		return nil, err
	}
	if run := s.runs[runKey(region, in.Name)]; run != nil {
		run.stopped = true
		run.cancel()
	}
	return nil, nil
}

type crawlerMetricsInput struct {
	CrawlerNameList []string `json:"CrawlerNameList"`
	MaxResults      *int     `json:"MaxResults"`
	NextToken       string   `json:"NextToken"`
}

type crawlerMetricsOutput struct {
	CrawlerMetricsList []CrawlerMetrics `json:"CrawlerMetricsList"`
	NextToken          string           `json:"NextToken,omitempty"`
}

func (s *Service) opGetCrawlerMetrics(ctx context.Context, in *crawlerMetricsInput) (*crawlerMetricsOutput, error) {
	out := &crawlerMetricsOutput{CrawlerMetricsList: []CrawlerMetrics{}}
	if len(in.CrawlerNameList) == 0 {
		recs, next, err := s.crawlerPage(ctx, &pageInput{MaxResults: in.MaxResults, NextToken: in.NextToken})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out.CrawlerMetricsList = append(out.CrawlerMetricsList, s.metrics(r))
		}
		out.NextToken = next
		return out, nil
	}
	if len(in.CrawlerNameList) > 100 {
		return nil, errMaxResults("crawlerNameList", len(in.CrawlerNameList), 100)
	}
	names := append([]string(nil), in.CrawlerNameList...)
	sort.Strings(names)
	for _, n := range names {
		rec, err := s.loadCrawler(s.regionOf(ctx), n)
		if err != nil {
			if _, ok := asAWS(err); ok {
				continue // Glue leaves unknown names out
			}
			return nil, err
		}
		out.CrawlerMetricsList = append(out.CrawlerMetricsList, s.metrics(rec))
	}
	return out, nil
}
