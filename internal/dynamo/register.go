package dynamo

import "github.com/tarnhq/tarn/internal/awsjson"

// register lists the whole API surface of both target prefixes: every
// operation tarn implements, then every one it does not (which answers
// UnknownOperationException naming itself).
func (s *Service) register() {
	a := s.api
	a.Handle("CreateTable", awsjson.Op(s.createTable))
	a.Handle("DescribeTable", awsjson.Op(s.describeTable))
	a.Handle("ListTables", awsjson.Op(s.listTables))
	a.Handle("UpdateTable", awsjson.Op(s.updateTable))
	a.Handle("DeleteTable", awsjson.Op(s.deleteTable))
	a.Handle("UpdateTimeToLive", awsjson.Op(s.updateTimeToLive))
	a.Handle("DescribeTimeToLive", awsjson.Op(s.describeTimeToLive))
	a.Handle("TagResource", awsjson.Op(s.tagResource))
	a.Handle("UntagResource", awsjson.Op(s.untagResource))
	a.Handle("ListTagsOfResource", awsjson.Op(s.listTagsOfResource))
	a.Handle("DescribeLimits", awsjson.Op(s.describeLimits))
	a.Handle("DescribeEndpoints", awsjson.Op(s.describeEndpoints))
	a.Handle("PutItem", awsjson.Op(s.putItem))
	a.Handle("GetItem", awsjson.Op(s.getItem))
	a.Handle("UpdateItem", awsjson.Op(s.updateItem))
	a.Handle("DeleteItem", awsjson.Op(s.deleteItem))
	a.Handle("Query", awsjson.Op(s.query))
	a.Handle("Scan", awsjson.Op(s.scan))
	a.Handle("BatchGetItem", awsjson.Op(s.batchGetItem))
	a.Handle("BatchWriteItem", awsjson.Op(s.batchWriteItem))
	a.Handle("TransactWriteItems", awsjson.Op(s.transactWriteItems))
	a.Handle("TransactGetItems", awsjson.Op(s.transactGetItems))
	s.registerPartiQL()
	// Not built: backups and restores, global tables, import/export,
	// Kinesis streaming destinations, contributor insights, resource
	// policies, bulk operations, vector search.
	a.Unimplemented(
		"CreateBackup", "DeleteBackup", "DescribeBackup", "ListBackups",
		"RestoreTableFromBackup", "RestoreTableToPointInTime",
		"DescribeContinuousBackups", "UpdateContinuousBackups",
		"CreateGlobalTable", "DescribeGlobalTable", "DescribeGlobalTableSettings",
		"ListGlobalTables", "UpdateGlobalTable", "UpdateGlobalTableSettings",
		"DescribeTableReplicaAutoScaling", "UpdateTableReplicaAutoScaling",
		"ExportTableToPointInTime", "DescribeExport", "ListExports",
		"ImportTable", "DescribeImport", "ListImports",
		"EnableKinesisStreamingDestination", "DisableKinesisStreamingDestination",
		"DescribeKinesisStreamingDestination", "UpdateKinesisStreamingDestination",
		"DescribeContributorInsights", "ListContributorInsights", "UpdateContributorInsights",
		"GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy",
		"StartBulkPutItems", "DescribeBulkOperation", "ListBulkOperations", "CancelBulkOperation",
		"SearchVectors",
	)

	st := s.streamsAPI
	st.Handle("ListStreams", awsjson.Op(s.listStreams))
	st.Handle("DescribeStream", awsjson.Op(s.describeStream))
	st.Handle("GetShardIterator", awsjson.Op(s.getShardIterator))
	st.Handle("GetRecords", awsjson.Op(s.getRecords))
}
