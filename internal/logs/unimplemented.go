package logs

// unimplementedOps lists the CloudWatch Logs operations tarn does not build
// (Insights queries, metric and subscription filters, deliveries, export
// and import tasks, anomaly detection, live tail, ...): each answers
// UnknownOperationException naming itself, never a fake success.
// Generated from the SDK model (service/cloudwatchlogs v1.92.2) minus the
// operations registered in service.go.
func unimplementedOps() []string {
	return []string{
		"AssociateKmsKey", "AssociateSourceToS3TableIntegration", "CancelExportTask", "CancelImportTask",
		"CreateDelivery", "CreateExportTask", "CreateImportTask", "CreateLogAnomalyDetector",
		"CreateLookupTable", "CreateScheduledQuery", "DeleteAccountPolicy", "DeleteDataProtectionPolicy",
		"DeleteDelivery", "DeleteDeliveryDestination", "DeleteDeliveryDestinationPolicy", "DeleteDeliverySource",
		"DeleteDestination", "DeleteIndexPolicy", "DeleteIntegration", "DeleteLogAnomalyDetector",
		"DeleteLookupTable", "DeleteMetricFilter", "DeleteQueryDefinition", "DeleteResourcePolicy",
		"DeleteScheduledQuery", "DeleteSubscriptionFilter", "DeleteSyslogConfiguration", "DeleteTransformer",
		"DescribeAccountPolicies", "DescribeConfigurationTemplates", "DescribeDeliveries", "DescribeDeliveryDestinations",
		"DescribeDeliverySources", "DescribeDestinations", "DescribeExportTasks", "DescribeFieldIndexes",
		"DescribeImportTaskBatches", "DescribeImportTasks", "DescribeIndexPolicies", "DescribeLookupTables",
		"DescribeMetricFilters", "DescribeQueries", "DescribeQueryDefinitions", "DescribeResourcePolicies",
		"DescribeSubscriptionFilters", "DisassociateKmsKey", "DisassociateSourceFromS3TableIntegration", "GetDataProtectionPolicy",
		"GetDelivery", "GetDeliveryDestination", "GetDeliveryDestinationPolicy", "GetDeliverySource",
		"GetIntegration", "GetLogAnomalyDetector", "GetLogFields", "GetLogGroupFields",
		"GetLogObject", "GetLogRecord", "GetLookupTable", "GetQueryResults",
		"GetScheduledQuery", "GetScheduledQueryHistory", "GetStorageTierPolicy", "GetTransformer",
		"ListAggregateLogGroupSummaries", "ListAnomalies", "ListIntegrations", "ListLogAnomalyDetectors",
		"ListLogGroups", "ListLogGroupsForQuery", "ListScheduledQueries", "ListSourcesForS3TableIntegration",
		"ListSyslogConfigurations", "PutAccountPolicy", "PutBearerTokenAuthentication", "PutDataProtectionPolicy",
		"PutDeliveryDestination", "PutDeliveryDestinationPolicy", "PutDeliverySource", "PutDestination",
		"PutDestinationPolicy", "PutIndexPolicy", "PutIntegration", "PutLogGroupDeletionProtection",
		"PutMetricFilter", "PutQueryDefinition", "PutResourcePolicy", "PutStorageTierPolicy",
		"PutSubscriptionFilter", "PutSyslogConfiguration", "PutTransformer", "StartLiveTail",
		"StartQuery", "StopQuery", "TestMetricFilter", "TestTransformer",
		"UpdateAnomaly", "UpdateDeliveryConfiguration", "UpdateLogAnomalyDetector", "UpdateLookupTable",
		"UpdateScheduledQuery",
	}
}
