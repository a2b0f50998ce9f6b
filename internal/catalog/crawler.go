package catalog

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/cron"
	"github.com/tarnhq/tarn/internal/kv"
)

// crawlRun is a running crawl.
type crawlRun struct {
	cancel  context.CancelFunc
	stopped bool // StopCrawler asked: the crawl ends CANCELLED
}

func runKey(region, name string) string { return region + "/" + name }

func (s *Service) loadCrawler(region, name string) (*crawlerRecord, error) {
	rec, err := getJSON[crawlerRecord](s.meta, keyCrawler(region, name))
	if isNotFound(err) {
		return nil, errCrawlerNotFound(name)
	}
	return rec, err
}

func (s *Service) saveCrawler(rec *crawlerRecord) error {
	return s.meta.Set(keyCrawler(rec.Region, rec.Crawler.Name), mustJSON(rec))
}

// listCrawlers returns every crawler record of region in name order.
func (s *Service) listCrawlers(region string) ([]*crawlerRecord, error) {
	return kv.ScanJSON[crawlerRecord](s.meta, prefixOf('c', region))
}

// recoverCrawlers ends crawls a crash interrupted: such a crawler is
// READY again and its last crawl FAILED.
func (s *Service) recoverCrawlers() error {
	var recs []*crawlerRecord
	err := s.meta.Scan([]byte{'c', 0}, nil, func(_, v []byte) (bool, error) {
		rec := new(crawlerRecord)
		if err := json.Unmarshal(v, rec); err != nil {
			return false, err
		}
		if rec.Crawler.State != stateReady {
			recs = append(recs, rec)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		rec.Crawler.State = stateReady
		rec.Crawler.LastCrawl = &LastCrawlInfo{Status: crawlFailed, ErrorMessage: "The crawl was interrupted: tarn restarted while it ran.",
			StartTime: tsOf(rec.RunStart)}
		if err := s.saveCrawler(rec); err != nil {
			return err
		}
	}
	return nil
}

func tsOf(t time.Time) *awsjson.Timestamp {
	if t.IsZero() {
		return nil
	}
	v := awsjson.Timestamp(t)
	return &v
}

// startCrawl moves a READY crawler to RUNNING and starts its crawl.
// Callers hold crawlMu.
func (s *Service) startCrawlLocked(rec *crawlerRecord) error {
	name := rec.Crawler.Name
	switch rec.Crawler.State {
	case stateRunning:
		return errCrawlerRunning(name)
	case stateStopping:
		return errCrawlerStopping(name)
	}
	if s.lake == nil {
		return errInvalid("Crawler %s cannot run: tarn has no data lake configured for crawlers.", name)
	}
	now := s.now().UTC()
	rec.Crawler.State, rec.RunStart = stateRunning, now
	if err := s.saveCrawler(rec); err != nil {
		return err
	}
	base := s.baseCtx
	if base == nil {
		base = context.Background()
	}
	ctx, cancel := context.WithCancel(base)
	run := &crawlRun{cancel: cancel}
	s.runs[runKey(rec.Region, name)] = run
	snapshot := *rec
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		res, err := s.crawl(ctx, &snapshot)
		s.finishCrawl(&snapshot, run, res, err)
	}()
	return nil
}

// finishCrawl records the outcome: READY, LastCrawl and the metrics.
func (s *Service) finishCrawl(snap *crawlerRecord, run *crawlRun, res crawlResult, crawlErr error) {
	s.crawlMu.Lock()
	defer s.crawlMu.Unlock()
	delete(s.runs, runKey(snap.Region, snap.Crawler.Name))
	rec, err := s.loadCrawler(snap.Region, snap.Crawler.Name)
	if err != nil { // deleted while running (not allowed) or storage failure
		s.log.Error("crawler finished but its record is gone", "crawler", snap.Crawler.Name, "err", err)
		return
	}
	end := s.now().UTC()
	elapsed := end.Sub(rec.RunStart)
	last := &LastCrawlInfo{Status: crawlSucceeded, StartTime: tsOf(rec.RunStart),
		LogGroup: "/aws-glue/crawlers", LogStream: rec.Crawler.Name}
	switch {
	case run.stopped:
		last.Status = crawlCancelled
	case crawlErr != nil && s.baseCtx != nil && s.baseCtx.Err() != nil:
		last.Status, last.ErrorMessage = crawlFailed, "The crawl was interrupted: tarn stopped while it ran."
	case crawlErr != nil:
		last.Status, last.ErrorMessage = crawlFailed, crawlErr.Error()
	}
	rec.Crawler.State, rec.Crawler.LastCrawl = stateReady, last
	rec.Crawler.CrawlElapsedTime = 0
	rec.Created, rec.Updated, rec.Deleted = res.created, res.updated, res.deleted
	rec.Runtimes = append(rec.Runtimes, elapsed.Seconds())
	if len(rec.Runtimes) > maxRuntimes {
		rec.Runtimes = rec.Runtimes[len(rec.Runtimes)-maxRuntimes:]
	}
	if err := s.saveCrawler(rec); err != nil {
		s.log.Error("save crawler outcome", "crawler", rec.Crawler.Name, "err", err)
	}
	s.log.Info("crawl finished", "crawler", rec.Crawler.Name, "status", last.Status, "created", res.created,
		"updated", res.updated, "deleted", res.deleted, "error", last.ErrorMessage)
}

// view is the wire Crawler of a record at time now (CrawlElapsedTime of a
// running crawl).
func (s *Service) view(rec *crawlerRecord) Crawler {
	c := rec.Crawler
	if c.State != stateReady && !rec.RunStart.IsZero() {
		c.CrawlElapsedTime = s.now().Sub(rec.RunStart).Milliseconds()
	}
	if c.Classifiers == nil {
		c.Classifiers = []string{}
	}
	return c
}

func (s *Service) metrics(rec *crawlerRecord) CrawlerMetrics {
	m := CrawlerMetrics{CrawlerName: rec.Crawler.Name, TablesCreated: rec.Created, TablesUpdated: rec.Updated, TablesDeleted: rec.Deleted}
	if n := len(rec.Runtimes); n > 0 {
		m.LastRuntimeSeconds = rec.Runtimes[n-1]
		sorted := slices.Clone(rec.Runtimes)
		sort.Float64s(sorted)
		if n%2 == 1 {
			m.MedianRuntimeSeconds = sorted[n/2]
		} else {
			m.MedianRuntimeSeconds = (sorted[n/2-1] + sorted[n/2]) / 2
		}
	}
	if rec.Crawler.State != stateReady {
		if len(rec.Runtimes) == 0 {
			m.StillEstimating = true
		} else {
			m.TimeLeftSeconds = max(0, m.MedianRuntimeSeconds-s.now().Sub(rec.RunStart).Seconds())
		}
	}
	return m
}

func validCrawlerName(name string) error {
	if _, err := validName("name", name); err != nil {
		return err
	}
	return nil
}

// validateConfig checks what CreateCrawler and UpdateCrawler accept.
func validateConfig(c *Crawler) error {
	if c.Targets != nil {
		t := c.Targets
		for _, raw := range []json.RawMessage{t.JdbcTargets, t.MongoDBTargets, t.DynamoDBTargets, t.CatalogTargets, t.DeltaTargets, t.IcebergTargets, t.HudiTargets} {
			if len(raw) > 0 && string(raw) != "[]" && string(raw) != "null" {
				return errInvalid("tarn crawlers support S3Targets only.")
			}
		}
		for _, st := range t.S3Targets {
			if _, _, err := parseS3Path(st.Path); err != nil {
				return err
			}
			for _, ex := range st.Exclusions {
				if _, err := compileGlob(ex); err != nil {
					return errInvalid("Invalid exclusion pattern %s.", ex)
				}
			}
		}
	}
	if p := c.SchemaChangePolicy; p != nil {
		if p.UpdateBehavior != "" && p.UpdateBehavior != updateInDatabase && p.UpdateBehavior != behaviorLog {
			return errInvalid("1 validation error detected: Value '%s' at 'schemaChangePolicy.updateBehavior' failed to satisfy constraint: Member must satisfy enum value set: [LOG, UPDATE_IN_DATABASE]", p.UpdateBehavior)
		}
		switch p.DeleteBehavior {
		case "", deleteFromDB, deprecateInDB, behaviorLog:
		default:
			return errInvalid("1 validation error detected: Value '%s' at 'schemaChangePolicy.deleteBehavior' failed to satisfy constraint: Member must satisfy enum value set: [LOG, DELETE_FROM_DATABASE, DEPRECATE_IN_DATABASE]", p.DeleteBehavior)
		}
	}
	if p := c.RecrawlPolicy; p != nil {
		switch p.RecrawlBehavior {
		case "", crawlEverything:
		case crawlNewFolders:
			if sp := c.SchemaChangePolicy; sp == nil || sp.UpdateBehavior != behaviorLog || sp.DeleteBehavior != behaviorLog {
				return errInvalid("The SchemaChangePolicy for Crawler recrawl behavior CRAWL_NEW_FOLDERS_ONLY should be UpdateBehavior LOG and DeleteBehavior LOG.")
			}
		case crawlEventMode:
			return errInvalid("tarn does not support RecrawlBehavior CRAWL_EVENT_MODE (it needs S3 event queues).")
		default:
			return errInvalid("1 validation error detected: Value '%s' at 'recrawlPolicy.recrawlBehavior' failed to satisfy constraint: Member must satisfy enum value set: [CRAWL_EVERYTHING, CRAWL_NEW_FOLDERS_ONLY, CRAWL_EVENT_MODE]", p.RecrawlBehavior)
		}
	}
	if len(c.Classifiers) > 0 { // CreateClassifier is not built, so none exists
		return awsjson.Errorf(codeEntityNotFound, "Classifier %s not found.", c.Classifiers[0])
	}
	if _, err := parseCrawlerConfig(c.Configuration); err != nil {
		return err
	}
	if c.TablePrefix != "" && len(c.TablePrefix) > 128 {
		return errInvalid("1 validation error detected: Value '%s' at 'tablePrefix' failed to satisfy constraint: Member must have length less than or equal to 128", c.TablePrefix)
	}
	return nil
}

// setSchedule validates expr and sets the crawler's schedule ("" removes
// it); a new schedule is SCHEDULED from now.
func (s *Service) setSchedule(rec *crawlerRecord, expr string) error {
	if expr == "" {
		rec.Crawler.Schedule = nil
		return nil
	}
	if _, err := cron.Parse(expr); err != nil {
		return errInvalid("Invalid schedule expression: %s (%v)", expr, err)
	}
	rec.Crawler.Schedule = &Schedule{ScheduleExpression: expr, State: scheduled}
	rec.ScheduleBase = s.now().UTC()
	return nil
}

func defaultPolicies(c *Crawler) {
	if c.SchemaChangePolicy == nil {
		c.SchemaChangePolicy = &SchemaChangePolicy{}
	}
	if c.SchemaChangePolicy.UpdateBehavior == "" {
		c.SchemaChangePolicy.UpdateBehavior = updateInDatabase
	}
	if c.SchemaChangePolicy.DeleteBehavior == "" {
		c.SchemaChangePolicy.DeleteBehavior = deprecateInDB
	}
	if c.RecrawlPolicy == nil || c.RecrawlPolicy.RecrawlBehavior == "" {
		c.RecrawlPolicy = &RecrawlPolicy{RecrawlBehavior: crawlEverything}
	}
	if len(c.LineageConfiguration) == 0 {
		c.LineageConfiguration = json.RawMessage(`{"CrawlerLineageSettings":"DISABLE"}`)
	}
}

func decodeCrawler(v []byte) (*crawlerRecord, error) {
	rec := new(crawlerRecord)
	if err := json.Unmarshal(v, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// crawlerConfig is the part of a crawler's Configuration JSON tarn
// honours: CrawlerOutput.Partitions.AddOrUpdateBehavior InheritFromTable
// (partitions take the table's columns) and CrawlerOutput.Tables
// .AddOrUpdateBehavior MergeNewColumns (a re-crawl adds columns but
// never drops or retypes existing ones), Grouping (see grouping).
type crawlerConfig struct {
	Version  float64 `json:"Version"`
	Grouping struct {
		TableGroupingPolicy     string `json:"TableGroupingPolicy"`
		TableLevelConfiguration int    `json:"TableLevelConfiguration"`
	} `json:"Grouping"`
	CrawlerOutput struct {
		Partitions struct {
			AddOrUpdateBehavior string `json:"AddOrUpdateBehavior"`
		} `json:"Partitions"`
		Tables struct {
			AddOrUpdateBehavior string `json:"AddOrUpdateBehavior"`
		} `json:"Tables"`
	} `json:"CrawlerOutput"`
}

func parseCrawlerConfig(s string) (*crawlerConfig, error) {
	c := &crawlerConfig{}
	if strings.TrimSpace(s) == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), c); err != nil {
		return nil, errInvalid("Crawler configuration not valid: %v", err)
	}
	return c, nil
}
