package jobs

// unimplementedOps are the job-side Glue operations tarn does not build:
// each answers UnknownOperationException naming itself, never a fake
// success. (TagResource/UntagResource/GetTags: see op_tags.go.)
var unimplementedOps = []string{
	// interactive sessions
	"CreateSession", "GetSession", "ListSessions", "DeleteSession", "StopSession",
	"RunStatement", "GetStatement", "ListStatements", "CancelStatement", "GetSessionEndpoint",
	"GetSystemLogsForSession",
	// blueprints
	"CreateBlueprint", "UpdateBlueprint", "DeleteBlueprint", "GetBlueprint", "BatchGetBlueprints",
	"ListBlueprints", "StartBlueprintRun", "GetBlueprintRun", "GetBlueprintRuns",
	// dev endpoints
	"CreateDevEndpoint", "UpdateDevEndpoint", "DeleteDevEndpoint", "GetDevEndpoint", "GetDevEndpoints",
	"BatchGetDevEndpoints", "ListDevEndpoints",
	// ML transforms
	"CreateMLTransform", "UpdateMLTransform", "DeleteMLTransform", "GetMLTransform", "GetMLTransforms",
	"ListMLTransforms", "StartMLEvaluationTaskRun", "StartMLLabelingSetGenerationTaskRun",
	"StartExportLabelsTaskRun", "StartImportLabelsTaskRun", "GetMLTaskRun", "GetMLTaskRuns", "CancelMLTaskRun",
	// workflows and jobs, the parts not built
	"ResumeWorkflowRun", "CreateScript", "GetDataflowGraph", "GetMapping", "GetPlan",
	"UpdateJobFromSourceControl", "UpdateSourceControlFromJob",
	"StartJobUpgradeAnalysis", "StopJobUpgradeAnalysis", "GetJobUpgradeAnalysis", "GetSystemLogsForJobRun",
	// security configurations and usage profiles that jobs reference
	"CreateSecurityConfiguration", "DeleteSecurityConfiguration", "GetSecurityConfiguration",
	"GetSecurityConfigurations", "CreateUsageProfile", "UpdateUsageProfile", "DeleteUsageProfile",
	"GetUsageProfile", "ListUsageProfiles",
}
