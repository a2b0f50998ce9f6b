package jobs

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// Wire shapes of the Glue API (service/glue v1.175.1 types), only the
// members tarn reads or writes; unknown members a client sends for a job
// (CodeGenConfigurationNodes, SourceControlDetails, ...) are kept as
// given in Extra and echoed back.

// JobCommand is the job's command.
type JobCommand struct {
	Name           string `json:"Name,omitempty"`
	PythonVersion  string `json:"PythonVersion,omitempty"`
	Runtime        string `json:"Runtime,omitempty"`
	ScriptLocation string `json:"ScriptLocation,omitempty"`
}

// ExecutionProperty bounds concurrent runs.
type ExecutionProperty struct {
	MaxConcurrentRuns int32 `json:"MaxConcurrentRuns"`
}

// NotificationProperty is kept and echoed.
type NotificationProperty struct {
	NotifyDelayAfter *int32 `json:"NotifyDelayAfter,omitempty"`
}

// Job is a Glue job definition.
type Job struct {
	Name                      string                `json:"Name"`
	Description               *string               `json:"Description,omitempty"`
	Role                      string                `json:"Role,omitempty"`
	Command                   *JobCommand           `json:"Command,omitempty"`
	DefaultArguments          map[string]string     `json:"DefaultArguments,omitempty"`
	NonOverridableArguments   map[string]string     `json:"NonOverridableArguments,omitempty"`
	ExecutionProperty         *ExecutionProperty    `json:"ExecutionProperty,omitempty"`
	MaxRetries                int32                 `json:"MaxRetries"`
	Timeout                   *int32                `json:"Timeout,omitempty"`
	AllocatedCapacity         int32                 `json:"AllocatedCapacity,omitempty"`
	MaxCapacity               *float64              `json:"MaxCapacity,omitempty"`
	WorkerType                string                `json:"WorkerType,omitempty"`
	NumberOfWorkers           *int32                `json:"NumberOfWorkers,omitempty"`
	GlueVersion               *string               `json:"GlueVersion,omitempty"`
	ExecutionClass            string                `json:"ExecutionClass,omitempty"`
	JobMode                   string                `json:"JobMode,omitempty"`
	JobRunQueuingEnabled      *bool                 `json:"JobRunQueuingEnabled,omitempty"`
	LogUri                    *string               `json:"LogUri,omitempty"`
	SecurityConfiguration     *string               `json:"SecurityConfiguration,omitempty"`
	NotificationProperty      *NotificationProperty `json:"NotificationProperty,omitempty"`
	MaintenanceWindow         *string               `json:"MaintenanceWindow,omitempty"`
	Connections               json.RawMessage       `json:"Connections,omitempty"`
	CodeGenConfigurationNodes json.RawMessage       `json:"CodeGenConfigurationNodes,omitempty"`
	SourceControlDetails      json.RawMessage       `json:"SourceControlDetails,omitempty"`
	CreatedOn                 *awsjson.Timestamp    `json:"CreatedOn,omitempty"`
	LastModifiedOn            *awsjson.Timestamp    `json:"LastModifiedOn,omitempty"`
}

// JobRun is one attempt of a job.
type JobRun struct {
	Id                    string                `json:"Id"`
	Attempt               int32                 `json:"Attempt"`
	PreviousRunId         *string               `json:"PreviousRunId,omitempty"`
	TriggerName           *string               `json:"TriggerName,omitempty"`
	JobName               string                `json:"JobName"`
	JobMode               string                `json:"JobMode,omitempty"`
	StartedOn             *awsjson.Timestamp    `json:"StartedOn,omitempty"`
	LastModifiedOn        *awsjson.Timestamp    `json:"LastModifiedOn,omitempty"`
	CompletedOn           *awsjson.Timestamp    `json:"CompletedOn,omitempty"`
	JobRunState           string                `json:"JobRunState"`
	Arguments             map[string]string     `json:"Arguments,omitempty"`
	ErrorMessage          *string               `json:"ErrorMessage,omitempty"`
	PredecessorRuns       []Predecessor         `json:"PredecessorRuns,omitempty"`
	AllocatedCapacity     int32                 `json:"AllocatedCapacity,omitempty"`
	ExecutionTime         int32                 `json:"ExecutionTime"`
	Timeout               *int32                `json:"Timeout,omitempty"`
	MaxCapacity           *float64              `json:"MaxCapacity,omitempty"`
	WorkerType            string                `json:"WorkerType,omitempty"`
	NumberOfWorkers       *int32                `json:"NumberOfWorkers,omitempty"`
	SecurityConfiguration *string               `json:"SecurityConfiguration,omitempty"`
	LogGroupName          string                `json:"LogGroupName,omitempty"`
	NotificationProperty  *NotificationProperty `json:"NotificationProperty,omitempty"`
	GlueVersion           *string               `json:"GlueVersion,omitempty"`
	ExecutionClass        string                `json:"ExecutionClass,omitempty"`
}

// Predecessor is a run that triggered this one.
type Predecessor struct {
	JobName string `json:"JobName,omitempty"`
	RunId   string `json:"RunId,omitempty"`
}

// JobRunState values.
const (
	stateStarting  = "STARTING"
	stateRunning   = "RUNNING"
	stateStopping  = "STOPPING"
	stateStopped   = "STOPPED"
	stateSucceeded = "SUCCEEDED"
	stateFailed    = "FAILED"
	stateTimeout   = "TIMEOUT"
	stateError     = "ERROR"
	stateWaiting   = "WAITING"
)

func terminal(state string) bool {
	switch state {
	case stateStopped, stateSucceeded, stateFailed, stateTimeout, stateError:
		return true
	}
	return false
}

// JobBookmarkEntry is Glue's bookmark shape.
type JobBookmarkEntry struct {
	JobName       string  `json:"JobName,omitempty"`
	Version       int32   `json:"Version"`
	Run           int32   `json:"Run"`
	Attempt       int32   `json:"Attempt"`
	PreviousRunId *string `json:"PreviousRunId,omitempty"`
	RunId         *string `json:"RunId,omitempty"`
	JobBookmark   *string `json:"JobBookmark,omitempty"`
}

// Action is what a trigger starts.
type Action struct {
	JobName               *string               `json:"JobName,omitempty"`
	Arguments             map[string]string     `json:"Arguments,omitempty"`
	Timeout               *int32                `json:"Timeout,omitempty"`
	SecurityConfiguration *string               `json:"SecurityConfiguration,omitempty"`
	NotificationProperty  *NotificationProperty `json:"NotificationProperty,omitempty"`
	CrawlerName           *string               `json:"CrawlerName,omitempty"`
}

// Condition is one clause of a Predicate.
type Condition struct {
	LogicalOperator string  `json:"LogicalOperator,omitempty"`
	JobName         *string `json:"JobName,omitempty"`
	State           string  `json:"State,omitempty"`
	CrawlerName     *string `json:"CrawlerName,omitempty"`
	CrawlState      string  `json:"CrawlState,omitempty"`
}

// Predicate is a conditional trigger's condition.
type Predicate struct {
	Logical    string      `json:"Logical,omitempty"`
	Conditions []Condition `json:"Conditions,omitempty"`
}

// EventBatchingCondition is kept and echoed.
type EventBatchingCondition struct {
	BatchSize   int32  `json:"BatchSize"`
	BatchWindow *int32 `json:"BatchWindow,omitempty"`
}

// Trigger is a Glue trigger.
type Trigger struct {
	Name                   string                  `json:"Name"`
	WorkflowName           *string                 `json:"WorkflowName,omitempty"`
	Id                     *string                 `json:"Id,omitempty"`
	Type                   string                  `json:"Type"`
	State                  string                  `json:"State"`
	Description            *string                 `json:"Description,omitempty"`
	Schedule               *string                 `json:"Schedule,omitempty"`
	Actions                []Action                `json:"Actions"`
	Predicate              *Predicate              `json:"Predicate,omitempty"`
	EventBatchingCondition *EventBatchingCondition `json:"EventBatchingCondition,omitempty"`
}

// Trigger types and states.
const (
	typeScheduled   = "SCHEDULED"
	typeConditional = "CONDITIONAL"
	typeOnDemand    = "ON_DEMAND"
	typeEvent       = "EVENT"

	trigCreated     = "CREATED"
	trigActivated   = "ACTIVATED"
	trigDeactivated = "DEACTIVATED"
)

// WorkflowRunStatistics counts a workflow run's actions.
type WorkflowRunStatistics struct {
	TotalActions     int32 `json:"TotalActions"`
	TimeoutActions   int32 `json:"TimeoutActions"`
	FailedActions    int32 `json:"FailedActions"`
	StoppedActions   int32 `json:"StoppedActions"`
	SucceededActions int32 `json:"SucceededActions"`
	RunningActions   int32 `json:"RunningActions"`
	ErroredActions   int32 `json:"ErroredActions"`
	WaitingActions   int32 `json:"WaitingActions"`
}

// WorkflowRun is one run of a workflow.
type WorkflowRun struct {
	Name                  string                 `json:"Name"`
	WorkflowRunId         string                 `json:"WorkflowRunId"`
	PreviousRunId         *string                `json:"PreviousRunId,omitempty"`
	WorkflowRunProperties map[string]string      `json:"WorkflowRunProperties,omitempty"`
	StartedOn             *awsjson.Timestamp     `json:"StartedOn,omitempty"`
	CompletedOn           *awsjson.Timestamp     `json:"CompletedOn,omitempty"`
	Status                string                 `json:"Status"`
	ErrorMessage          *string                `json:"ErrorMessage,omitempty"`
	Statistics            *WorkflowRunStatistics `json:"Statistics,omitempty"`
	Graph                 *WorkflowGraph         `json:"Graph,omitempty"`
}

// Workflow run statuses.
const (
	wfRunning   = "RUNNING"
	wfCompleted = "COMPLETED"
	wfStopping  = "STOPPING"
	wfStopped   = "STOPPED"
	wfError     = "ERROR"
)

// Workflow is a Glue workflow.
type Workflow struct {
	Name                 string             `json:"Name"`
	Description          *string            `json:"Description,omitempty"`
	DefaultRunProperties map[string]string  `json:"DefaultRunProperties,omitempty"`
	CreatedOn            *awsjson.Timestamp `json:"CreatedOn,omitempty"`
	LastModifiedOn       *awsjson.Timestamp `json:"LastModifiedOn,omitempty"`
	LastRun              *WorkflowRun       `json:"LastRun,omitempty"`
	Graph                *WorkflowGraph     `json:"Graph,omitempty"`
	MaxConcurrentRuns    *int32             `json:"MaxConcurrentRuns,omitempty"`
}

// WorkflowGraph is the nodes and edges of a workflow.
type WorkflowGraph struct {
	Nodes []Node `json:"Nodes"`
	Edges []Edge `json:"Edges"`
}

// Node is a trigger, job or crawler of a workflow graph.
type Node struct {
	Type           string              `json:"Type"`
	Name           string              `json:"Name"`
	UniqueId       string              `json:"UniqueId"`
	TriggerDetails *TriggerNodeDetails `json:"TriggerDetails,omitempty"`
	JobDetails     *JobNodeDetails     `json:"JobDetails,omitempty"`
	CrawlerDetails *CrawlerNodeDetails `json:"CrawlerDetails,omitempty"`
}

// Edge joins two nodes by UniqueId.
type Edge struct {
	SourceId      string `json:"SourceId"`
	DestinationId string `json:"DestinationId"`
}

// TriggerNodeDetails holds a trigger node's trigger.
type TriggerNodeDetails struct {
	Trigger *Trigger `json:"Trigger,omitempty"`
}

// JobNodeDetails holds a job node's runs (in a workflow run's graph).
type JobNodeDetails struct {
	JobRuns []JobRun `json:"JobRuns,omitempty"`
}

// CrawlerNodeDetails holds a crawler node's crawls.
type CrawlerNodeDetails struct {
	Crawls []Crawl `json:"Crawls,omitempty"`
}

// Crawl is one crawl a workflow run started.
type Crawl struct {
	State     string             `json:"State,omitempty"`
	StartedOn *awsjson.Timestamp `json:"StartedOn,omitempty"`
}
