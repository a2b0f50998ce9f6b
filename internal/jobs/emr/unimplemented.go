package emr

// unimplementedOps lists the EMR operations tarn does not build: each
// answers UnknownOperationException naming itself, never a fake success.
// From the EMR SDK model (service/emr v1.71.3) minus service.go's.
func unimplementedOps() []string {
	return []string{
		"AddInstanceFleet", "AddInstanceGroups", "CreatePersistentAppUI", "CreateSecurityConfiguration",
		"CreateStudio", "CreateStudioSessionMapping", "DeleteSecurityConfiguration", "DeleteStudio",
		"DeleteStudioSessionMapping", "DescribeNotebookExecution", "DescribePersistentAppUI",
		"DescribeReleaseLabel", "DescribeSecurityConfiguration", "DescribeStudio", "GetAutoTerminationPolicy",
		"GetBlockPublicAccessConfiguration", "GetClusterSessionCredentials", "GetManagedScalingPolicy",
		"GetOnClusterAppUIPresignedURL", "GetPersistentAppUIPresignedURL", "GetSession", "GetSessionEndpoint",
		"GetStudioSessionMapping", "ListInstances", "ListNotebookExecutions",
		"ListReleaseLabels", "ListSecurityConfigurations", "ListSessions", "ListStudioSessionMappings",
		"ListStudios", "ListSupportedInstanceTypes", "ModifyCluster", "ModifyInstanceFleet",
		"ModifyInstanceGroups", "PutAutoScalingPolicy", "PutAutoTerminationPolicy",
		"PutBlockPublicAccessConfiguration", "PutManagedScalingPolicy", "RemoveAutoScalingPolicy",
		"RemoveAutoTerminationPolicy", "RemoveManagedScalingPolicy", "SetUnhealthyNodeReplacement",
		"StartNotebookExecution", "StartSession", "StopNotebookExecution", "TerminateSession",
		"UpdateStudio", "UpdateStudioSessionMapping",
	}
}
