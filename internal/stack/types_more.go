package stack

// Function is a Lambda function whose code is a local folder, a local zip
// or an S3 object.
type Function struct {
	Name        string            `yaml:"name" req:"" doc:"FunctionName."`
	Runtime     string            `yaml:"runtime" req:"" doc:"e.g. python3.12, nodejs20.x, provided.al2023."`
	Handler     string            `yaml:"handler" doc:"e.g. app.handler; not needed for provided.* runtimes."`
	Code        Code              `yaml:"code" req:""`
	Role        string            `yaml:"role" doc:"Execution role ARN. Default arn:aws:iam::000000000000:role/tarn."`
	Description string            `yaml:"description"`
	Environment map[string]string `yaml:"environment" doc:"Environment.Variables (short form: the map itself)."`
	Timeout     int               `yaml:"timeout" min:"1" max:"900" doc:"Seconds. Default 3."`
	MemorySize  int               `yaml:"memory_size" min:"128" max:"10240" doc:"MiB. Default 128."`
}

// Code is where a function's code comes from: exactly one of path, zip or
// s3_bucket with s3_key. Paths are relative to the stack file.
type Code struct {
	Path            string `yaml:"path" doc:"A local folder, zipped by tarn apply (files sorted, fixed times, so an unchanged folder has an unchanged CodeSha256)."`
	Zip             string `yaml:"zip" doc:"A local .zip file."`
	S3Bucket        string `yaml:"s3_bucket"`
	S3Key           string `yaml:"s3_key"`
	S3ObjectVersion string `yaml:"s3_object_version"`
}

// EventSourceMapping feeds a Kinesis or DynamoDB stream to a function.
// One mapping per function and source.
type EventSourceMapping struct {
	FunctionName                   string `yaml:"function_name" req:"" doc:"The function's name."`
	EventSourceARN                 string `yaml:"event_source_arn" doc:"Kinesis stream ARN or DynamoDB stream ARN; or give stream or table."`
	Stream                         string `yaml:"stream" doc:"Short form: a Kinesis stream's name."`
	Table                          string `yaml:"table" doc:"Short form: a DynamoDB table's name (its latest stream)."`
	StartingPosition               string `yaml:"starting_position" enum:"TRIM_HORIZON,LATEST" doc:"Default LATEST. Changing it needs a replace."`
	BatchSize                      int    `yaml:"batch_size" min:"1" max:"10000" doc:"Default 100."`
	MaximumBatchingWindowInSeconds int    `yaml:"maximum_batching_window_in_seconds" min:"0" max:"300"`
	Enabled                        *bool  `yaml:"enabled" doc:"Default true."`
}

// BucketNotification is a bucket's whole Lambda notification
// configuration (PutBucketNotificationConfiguration replaces it).
type BucketNotification struct {
	Bucket                       string               `yaml:"bucket" req:""`
	LambdaFunctionConfigurations []LambdaNotification `yaml:"lambda_function_configurations" req:""`
}

// LambdaNotification is one LambdaFunctionConfiguration.
type LambdaNotification struct {
	ID                string          `yaml:"id" doc:"Default: the function name."`
	LambdaFunctionARN string          `yaml:"lambda_function_arn" doc:"The function's ARN; or give function."`
	Function          string          `yaml:"function" doc:"Short form: the function's name."`
	Events            []string        `yaml:"events" req:"" doc:"e.g. s3:ObjectCreated:*."`
	Filter            *KeyFilterOuter `yaml:"filter"`
	Prefix            string          `yaml:"prefix" doc:"Short form of a prefix filter rule."`
	Suffix            string          `yaml:"suffix" doc:"Short form of a suffix filter rule."`
}

// KeyFilterOuter is NotificationConfigurationFilter.
type KeyFilterOuter struct {
	Key KeyFilter `yaml:"key"`
}

// KeyFilter is S3KeyFilter.
type KeyFilter struct {
	FilterRules []FilterRule `yaml:"filter_rules"`
}

// FilterRule is one prefix or suffix rule.
type FilterRule struct {
	Name  string `yaml:"name" req:"" enum:"prefix,suffix,Prefix,Suffix"`
	Value string `yaml:"value" req:""`
}

// Crawler is a Glue crawler over S3 paths.
type Crawler struct {
	Name               string              `yaml:"name" req:""`
	Role               string              `yaml:"role" doc:"Default arn:aws:iam::000000000000:role/tarn."`
	DatabaseName       string              `yaml:"database_name" req:""`
	Description        string              `yaml:"description"`
	Targets            CrawlerTargets      `yaml:"targets" req:""`
	TablePrefix        string              `yaml:"table_prefix"`
	Schedule           string              `yaml:"schedule" doc:"cron(...) expression."`
	SchemaChangePolicy *SchemaChangePolicy `yaml:"schema_change_policy"`
	Configuration      string              `yaml:"configuration" doc:"The crawler's JSON configuration string."`
}

// CrawlerTargets lists what a crawler reads.
type CrawlerTargets struct {
	S3Targets []S3Target `yaml:"s3_targets" req:""`
}

// S3Target is one S3 path.
type S3Target struct {
	Path       string   `yaml:"path" req:"" doc:"s3://bucket/prefix/"`
	Exclusions []string `yaml:"exclusions"`
}

// SchemaChangePolicy says what a crawler does on change.
type SchemaChangePolicy struct {
	UpdateBehavior string `yaml:"update_behavior" enum:"LOG,UPDATE_IN_DATABASE"`
	DeleteBehavior string `yaml:"delete_behavior" enum:"LOG,DELETE_FROM_DATABASE,DEPRECATE_IN_DATABASE"`
}

// Job is a Glue job.
type Job struct {
	Name             string            `yaml:"name" req:""`
	Role             string            `yaml:"role" doc:"Default arn:aws:iam::000000000000:role/tarn."`
	Description      string            `yaml:"description"`
	Command          JobCommand        `yaml:"command" req:""`
	DefaultArguments map[string]string `yaml:"default_arguments"`
	GlueVersion      string            `yaml:"glue_version"`
	WorkerType       string            `yaml:"worker_type"`
	NumberOfWorkers  int               `yaml:"number_of_workers" min:"1"`
	MaxRetries       int               `yaml:"max_retries" min:"0" max:"10"`
	Timeout          int               `yaml:"timeout" min:"1" doc:"Minutes."`
}

// JobCommand is the job's script.
type JobCommand struct {
	Name           string `yaml:"name" doc:"glueetl (default), pythonshell, gluestreaming or glueray."`
	ScriptLocation string `yaml:"script_location" req:"" doc:"s3://bucket/key.py"`
	PythonVersion  string `yaml:"python_version"`
}

// Trigger starts jobs and crawlers.
type Trigger struct {
	Name            string          `yaml:"name" req:""`
	Type            string          `yaml:"type" req:"" enum:"SCHEDULED,CONDITIONAL,ON_DEMAND,EVENT" doc:"Changing it needs a replace."`
	Description     string          `yaml:"description"`
	Schedule        string          `yaml:"schedule" doc:"cron(...) for SCHEDULED."`
	Predicate       *Predicate      `yaml:"predicate" doc:"For CONDITIONAL."`
	Actions         []TriggerAction `yaml:"actions" req:""`
	StartOnCreation bool            `yaml:"start_on_creation"`
}

// Predicate is a trigger's condition.
type Predicate struct {
	Logical    string      `yaml:"logical" enum:"AND,ANY"`
	Conditions []Condition `yaml:"conditions" req:""`
}

// Condition is one job or crawler state.
type Condition struct {
	LogicalOperator string `yaml:"logical_operator" enum:"EQUALS" doc:"Default EQUALS."`
	JobName         string `yaml:"job_name"`
	State           string `yaml:"state" enum:"STARTING,RUNNING,STOPPING,STOPPED,SUCCEEDED,FAILED,TIMEOUT,ERROR,WAITING,EXPIRED"`
	CrawlerName     string `yaml:"crawler_name"`
	CrawlState      string `yaml:"crawl_state" enum:"RUNNING,CANCELLING,CANCELLED,SUCCEEDED,FAILED,ERROR"`
}

// TriggerAction is one job or crawler to start.
type TriggerAction struct {
	JobName     string            `yaml:"job_name"`
	CrawlerName string            `yaml:"crawler_name"`
	Arguments   map[string]string `yaml:"arguments"`
	Timeout     int               `yaml:"timeout" min:"1" doc:"Minutes."`
}

// Dashboard is a named set of SQL tiles for tarn's web UI, in the UI's
// own shape (its JSON names are the UI's dashboards API).
type Dashboard struct {
	Name    string            `yaml:"name" json:"name" req:"" doc:"1-64 of a-z, 0-9, _ and -."`
	Title   string            `yaml:"title" json:"title,omitempty"`
	Filters []DashboardFilter `yaml:"filters" json:"filters,omitempty" doc:"Controls whose values tiles use as {{name}} (a date_range gives {{name_start}} and {{name_end}})."`
	Tiles   []Tile            `yaml:"tiles" json:"tiles" req:""`
}

// DashboardFilter is a dashboard control.
type DashboardFilter struct {
	Name     string `yaml:"name" json:"name" req:""`
	Type     string `yaml:"type" json:"type" req:"" enum:"date_range,dropdown"`
	Label    string `yaml:"label" json:"label,omitempty"`
	Query    string `yaml:"query" json:"query,omitempty" doc:"A dropdown's options: the first column of this SQL."`
	Engine   string `yaml:"engine" json:"engine,omitempty" enum:"athena,warehouse" doc:"Default athena."`
	Database string `yaml:"database" json:"database,omitempty"`
	Default  string `yaml:"default" json:"default,omitempty" doc:"A dropdown's initial value, or a date range's length (7d, 30d, 24h)."`
}

// Tile is one query and how to draw it.
type Tile struct {
	ID             string     `yaml:"id" json:"id" req:"" doc:"Unique in the dashboard: 1-64 of A-Z, a-z, 0-9, _ and -."`
	Title          string     `yaml:"title" json:"title,omitempty"`
	SQL            string     `yaml:"sql" json:"sql" req:"" doc:"Athena SQL over the Glue catalog (or the warehouse's SQL)."`
	Engine         string     `yaml:"engine" json:"engine,omitempty" enum:"athena,warehouse" doc:"Default athena."`
	Database       string     `yaml:"database" json:"database,omitempty"`
	Chart          string     `yaml:"chart" json:"chart" req:"" enum:"line,area,bar,stacked_bar,pie,scatter,heatmap,kpi,table"`
	X              string     `yaml:"x" json:"x,omitempty" doc:"Column for the x axis or pie labels."`
	Y              []string   `yaml:"y" json:"y,omitempty" doc:"Columns for the values."`
	Series         string     `yaml:"series" json:"series,omitempty" doc:"Column that splits the values into series."`
	RefreshSeconds int        `yaml:"refresh_seconds" json:"refresh_seconds,omitempty" min:"0" doc:"Auto-refresh period; 0 means none."`
	Layout         TileLayout `yaml:"layout" json:"layout" doc:"Place on a 12-column grid; default w 6, h 4."`
}

// TileLayout places a tile on the UI's 12-column grid.
type TileLayout struct {
	X int `yaml:"x" json:"x" min:"0" max:"11"`
	Y int `yaml:"y" json:"y" min:"0"`
	W int `yaml:"w" json:"w" min:"0" max:"12"`
	H int `yaml:"h" json:"h" min:"0" max:"24"`
}
