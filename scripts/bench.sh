#!/usr/bin/env bash
# make bench: tarn's hot paths beside their baselines, measured in the same
# run, printed as ratios (tarn/baseline speed; 1.00 = as fast as the raw engine).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench 'S3Put|S3Get|DiskWrite|DiskRead' -benchtime "${BENCHTIME:-2s}" ./internal/tarntest/ | tee "$out"
go test -run '^$' -bench 'S3List|PebbleScan' -benchtime "${BENCHTIME:-2s}" ./internal/s3/ | tee -a "$out"
go test -run '^$' -bench 'PutRecords|JetStreamPublish|GetRecords|JetStreamFetch' -benchtime "${BENCHTIME:-2s}" ./internal/tarntest/ | tee -a "$out"
go test -run '^$' -bench 'PutRecordLatency|PutRecordCoalesced|JetStreamSyncPublish' -benchtime "${BENCHTIME:-2s}" ./internal/tarntest/ | tee -a "$out"
go test -run '^$' -bench 'ColumnarWriter|RawAppenderCopy' -benchtime "${BENCHTIME:-2s}" ./internal/columnar/ | tee -a "$out"
go test -run '^$' -bench 'BatcherSingles|RawSyncPublish' -benchtime "${BENCHTIME:-2s}" ./internal/stream/ | tee -a "$out"
go test -run '^$' -bench 'FirehoseKinesisParquet|ParquetWriteRead' -benchtime 100x ./internal/tarntest/ | tee -a "$out"
go test -run '^$' -bench 'Dynamo|RawPebble' -benchtime "${BENCHTIME:-2s}" ./internal/dynamo/ | tee -a "$out"
go test -run '^$' -bench 'AthenaTPCHQ1|DuckDBTPCHQ1' -benchtime 20x ./internal/sql/ | tee -a "$out"
go test -run '^$' -bench 'LogsPut|RawPebbleLogBatch' -benchtime "${BENCHTIME:-2s}" ./internal/logs/ | tee -a "$out"
go test -run '^$' -bench 'InvokeWarm|InvokeCold|BaselineSpawn|BaselineHTTP' -benchtime 200x ./internal/function/ | tee -a "$out"
go test -run '^$' -bench 'GlueJob' -benchtime 3x ./internal/tarntest/ | tee -a "$out"
echo
go run ./internal/benchratio/cmd S3Put=DiskWrite S3Get=DiskRead S3List=PebbleScan \
	PutRecords=JetStreamPublish GetRecords=JetStreamFetch PutRecordCoalesced=JetStreamSyncPublish \
	ColumnarWriter=RawAppenderCopy BatcherSingles=RawSyncPublish FirehoseKinesisParquet=ParquetWriteRead \
	DynamoPutItem=RawPebblePut DynamoGetItem=RawPebbleGet DynamoQuery=RawPebbleScan100 \
	DynamoBatchWriteItem=RawPebbleBatch25 AthenaTPCHQ1=DuckDBTPCHQ1 LogsPut=RawPebbleLogBatch \
	InvokeWarm=BaselineHTTP InvokeCold=BaselineSpawn GlueJobDays=GlueJobDaysDirect GlueJobIncremental=GlueJobFull < "$out"
