package catalog

import (
	"encoding/json"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// Crawler wire shapes.

// CrawlerTargets are what a crawler reads; tarn crawls S3Targets only
// (the other kinds are refused at CreateCrawler/UpdateCrawler).
type CrawlerTargets struct {
	S3Targets       []S3Target      `json:"S3Targets,omitempty"`
	JdbcTargets     json.RawMessage `json:"JdbcTargets,omitempty"`
	MongoDBTargets  json.RawMessage `json:"MongoDBTargets,omitempty"`
	DynamoDBTargets json.RawMessage `json:"DynamoDBTargets,omitempty"`
	CatalogTargets  json.RawMessage `json:"CatalogTargets,omitempty"`
	DeltaTargets    json.RawMessage `json:"DeltaTargets,omitempty"`
	IcebergTargets  json.RawMessage `json:"IcebergTargets,omitempty"`
	HudiTargets     json.RawMessage `json:"HudiTargets,omitempty"`
}

// S3Target is one s3://bucket/prefix path with glob Exclusions.
type S3Target struct {
	Path             string   `json:"Path,omitempty"`
	Exclusions       []string `json:"Exclusions,omitempty"`
	ConnectionName   string   `json:"ConnectionName,omitempty"`
	SampleSize       *int     `json:"SampleSize,omitempty"`
	EventQueueArn    string   `json:"EventQueueArn,omitempty"`
	DlqEventQueueArn string   `json:"DlqEventQueueArn,omitempty"`
}

// SchemaChangePolicy says what a crawl does with changed and vanished
// tables.
type SchemaChangePolicy struct {
	UpdateBehavior string `json:"UpdateBehavior,omitempty"` // UPDATE_IN_DATABASE | LOG
	DeleteBehavior string `json:"DeleteBehavior,omitempty"` // DELETE_FROM_DATABASE | DEPRECATE_IN_DATABASE | LOG
}

// RecrawlPolicy says which folders a re-crawl reads.
type RecrawlPolicy struct {
	RecrawlBehavior string `json:"RecrawlBehavior,omitempty"` // CRAWL_EVERYTHING | CRAWL_NEW_FOLDERS_ONLY | CRAWL_EVENT_MODE
}

// Schedule is a crawler's cron schedule.
type Schedule struct {
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	State              string `json:"State,omitempty"` // SCHEDULED | NOT_SCHEDULED | TRANSITIONING
}

// LastCrawlInfo is the outcome of the latest crawl.
type LastCrawlInfo struct {
	Status        string             `json:"Status,omitempty"` // SUCCEEDED | CANCELLED | FAILED
	ErrorMessage  string             `json:"ErrorMessage,omitempty"`
	LogGroup      string             `json:"LogGroup,omitempty"`
	LogStream     string             `json:"LogStream,omitempty"`
	MessagePrefix string             `json:"MessagePrefix,omitempty"`
	StartTime     *awsjson.Timestamp `json:"StartTime,omitempty"`
}

// Crawler is the GetCrawler shape.
type Crawler struct {
	Name                         string              `json:"Name"`
	Role                         string              `json:"Role,omitempty"`
	Targets                      *CrawlerTargets     `json:"Targets,omitempty"`
	DatabaseName                 string              `json:"DatabaseName,omitempty"`
	Description                  string              `json:"Description,omitempty"`
	Classifiers                  []string            `json:"Classifiers"`
	RecrawlPolicy                *RecrawlPolicy      `json:"RecrawlPolicy,omitempty"`
	SchemaChangePolicy           *SchemaChangePolicy `json:"SchemaChangePolicy,omitempty"`
	LineageConfiguration         json.RawMessage     `json:"LineageConfiguration,omitempty"`
	State                        string              `json:"State"`
	TablePrefix                  string              `json:"TablePrefix,omitempty"`
	Schedule                     *Schedule           `json:"Schedule,omitempty"`
	CrawlElapsedTime             int64               `json:"CrawlElapsedTime"`
	CreationTime                 *awsjson.Timestamp  `json:"CreationTime,omitempty"`
	LastUpdated                  *awsjson.Timestamp  `json:"LastUpdated,omitempty"`
	LastCrawl                    *LastCrawlInfo      `json:"LastCrawl,omitempty"`
	Version                      int64               `json:"Version"`
	Configuration                string              `json:"Configuration,omitempty"`
	CrawlerSecurityConfiguration string              `json:"CrawlerSecurityConfiguration,omitempty"`
	LakeFormationConfiguration   json.RawMessage     `json:"LakeFormationConfiguration,omitempty"`
}

// CrawlerMetrics is the GetCrawlerMetrics shape.
type CrawlerMetrics struct {
	CrawlerName          string  `json:"CrawlerName"`
	TimeLeftSeconds      float64 `json:"TimeLeftSeconds"`
	StillEstimating      bool    `json:"StillEstimating"`
	LastRuntimeSeconds   float64 `json:"LastRuntimeSeconds"`
	MedianRuntimeSeconds float64 `json:"MedianRuntimeSeconds"`
	TablesCreated        int     `json:"TablesCreated"`
	TablesUpdated        int     `json:"TablesUpdated"`
	TablesDeleted        int     `json:"TablesDeleted"`
}

// Crawler states and outcomes.
const (
	stateReady    = "READY"
	stateRunning  = "RUNNING"
	stateStopping = "STOPPING"

	crawlSucceeded = "SUCCEEDED"
	crawlCancelled = "CANCELLED"
	crawlFailed    = "FAILED"

	scheduled    = "SCHEDULED"
	notScheduled = "NOT_SCHEDULED"

	updateInDatabase = "UPDATE_IN_DATABASE"
	behaviorLog      = "LOG"
	deleteFromDB     = "DELETE_FROM_DATABASE"
	deprecateInDB    = "DEPRECATE_IN_DATABASE"
	crawlEverything  = "CRAWL_EVERYTHING"
	crawlNewFolders  = "CRAWL_NEW_FOLDERS_ONLY"
	crawlEventMode   = "CRAWL_EVENT_MODE"
)

// crawlerRecord is what Pebble holds for one crawler: the wire shape and
// tarn's bookkeeping.
type crawlerRecord struct {
	Crawler Crawler `json:"crawler"`
	Region  string  `json:"region"`
	// ScheduleBase is the last schedule slot that fired (or when the
	// schedule was set): the scheduler fires the first slot after it, so
	// a slot never fires twice, across restarts too.
	ScheduleBase time.Time `json:"scheduleBase"`
	// RunStart is when the running crawl started.
	RunStart time.Time `json:"runStart"`
	// Runtimes are the durations of the latest crawls in seconds (up to
	// maxRuntimes), for the median.
	Runtimes []float64 `json:"runtimes,omitempty"`
	Created  int       `json:"created"`
	Updated  int       `json:"updated"`
	Deleted  int       `json:"deleted"`
}

const maxRuntimes = 20
