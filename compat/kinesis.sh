#!/usr/bin/env bash
# compat/kinesis.sh — a scripted awscli v2 Kinesis Data Streams session
# against tarn (run by compat/run.sh; helpers in common.sh).
set -uo pipefail
COMPAT_SESSION=kinesis
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
S=compat-stream

ok kinesis-create-stream aws kinesis create-stream --stream-name "$S" --shard-count 2
ok kinesis-wait-stream-exists aws kinesis wait stream-exists --stream-name "$S"
got=$(q kinesis describe-stream-summary --stream-name "$S" \
	--query 'StreamDescriptionSummary.[StreamName,StreamStatus,OpenShardCount,RetentionPeriodHours]')
eq kinesis-describe-stream-summary "$got" "$(printf '%s\tACTIVE\t2\t24' "$S")"
got=$(q kinesis list-streams --query 'StreamNames')
case $'\t'"$got"$'\t' in *$'\t'"$S"$'\t'*) pass kinesis-list-streams ;; *) fail kinesis-list-streams "got [$got]" ;; esac
got=$(q kinesis list-shards --stream-name "$S" --query 'Shards[].ShardId')
eq kinesis-list-shards "$got" "$(printf 'shardId-000000000000\tshardId-000000000001')"
expect_error kinesis-create-stream-in-use ResourceInUseException aws kinesis create-stream --stream-name "$S" --shard-count 1
expect_error kinesis-describe-missing ResourceNotFoundException aws kinesis describe-stream-summary --stream-name no-such-stream

# put-record: awscli v2 takes blobs as base64 by default; raw-in-base64-out
# sends the argument's bytes as they are.
raw='hello kinesis: üñí 日本'
out=$(aws kinesis put-record --stream-name "$S" --partition-key pk --explicit-hash-key 0 \
	--data "$raw" --cli-binary-format raw-in-base64-out --output json 2>&1)
seq1=$($PY -c 'import json,sys; d=json.load(sys.stdin); print(d["ShardId"], d["SequenceNumber"])' <<<"$out" 2>/dev/null)
case $seq1 in "shardId-000000000000 "[0-9]*) pass kinesis-put-record-raw ;; *) fail kinesis-put-record-raw "$out" ;; esac
seq1=${seq1#* }
b64=$(printf 'binary\0\377\001bytes' | base64 -w0)
ok kinesis-put-record-base64 aws kinesis put-record --stream-name "$S" --partition-key pk --explicit-hash-key 0 --data "$b64"
printf '{"StreamName":"%s","Records":[' "$S" >recs.json
for i in 0 1 2 3 4; do
	[ $i -gt 0 ] && printf ',' >>recs.json
	printf '{"Data":"%s","PartitionKey":"p%d","ExplicitHashKey":"0"}' "$(printf 'batch-%d' $i | base64 -w0)" $i >>recs.json
done
printf ']}' >>recs.json
got=$(q kinesis put-records --cli-input-json file://recs.json --query '[FailedRecordCount,length(Records)]')
eq kinesis-put-records "$got" "$(printf '0\t5')"

it=$(q kinesis get-shard-iterator --stream-name "$S" --shard-id shardId-000000000000 --shard-iterator-type TRIM_HORIZON --query ShardIterator)
if [ -n "$it" ] && [ "$it" != None ]; then pass kinesis-get-shard-iterator; else fail kinesis-get-shard-iterator "no iterator"; fi
aws kinesis get-records --shard-iterator "$it" --output json >records.json 2>&1
# The records' data, base64-decoded, one file each (rec.0, rec.1, ...).
got=$($PY - "$seq1" records.json <<-'PYEOF' 2>&1
import base64, json, sys
d = json.load(open(sys.argv[2]))
r = d["Records"]
for i, x in enumerate(r):
    open("rec.%d" % i, "wb").write(base64.b64decode(x["Data"]))
print(len(r), r[0]["SequenceNumber"] == sys.argv[1], bool(d.get("NextShardIterator")))
PYEOF
)
eq kinesis-get-records "$got" "7 True True"
printf '%s' "$raw" >want.0
printf 'binary\0\377\001bytes' >want.1
if cmp -s rec.0 want.0; then pass kinesis-data-raw-roundtrip; else fail kinesis-data-raw-roundtrip "got [$(cat rec.0 2>&1)]"; fi
if cmp -s rec.1 want.1; then pass kinesis-data-base64-roundtrip; else fail kinesis-data-base64-roundtrip "got $(od -c rec.1 2>&1)"; fi
got=$(for i in 2 3 4 5 6; do cat rec.$i 2>/dev/null; echo; done)
eq kinesis-put-records-order "$got" "$(printf 'batch-%d\n' 0 1 2 3 4)"
it=$(q kinesis get-shard-iterator --stream-name "$S" --shard-id shardId-000000000000 --shard-iterator-type AT_SEQUENCE_NUMBER \
	--starting-sequence-number "$seq1" --query ShardIterator)
got=$(q kinesis get-records --shard-iterator "$it" --limit 1 --query 'Records[0].SequenceNumber')
eq kinesis-get-records-at-sequence-number "$got" "$seq1"
expect_error kinesis-get-records-bad-iterator InvalidArgumentException aws kinesis get-records --shard-iterator bogus

# split-shard 0 at the middle of its hash range
ok kinesis-split-shard aws kinesis split-shard --stream-name "$S" --shard-to-split shardId-000000000000 \
	--new-starting-hash-key 85070591730234615865843651857942052864
ok kinesis-split-shard-wait aws kinesis wait stream-exists --stream-name "$S"
got=$(q kinesis list-shards --stream-name "$S" --query 'Shards[].[ShardId,ParentShardId,SequenceNumberRange.EndingSequenceNumber!=`null`]')
eq kinesis-split-shard-shards "$got" "$(printf 'shardId-000000000000\tNone\tTrue\nshardId-000000000001\tNone\tFalse\nshardId-000000000002\tshardId-000000000000\tFalse\nshardId-000000000003\tshardId-000000000000\tFalse')"
got=$(q kinesis describe-stream-summary --stream-name "$S" --query 'StreamDescriptionSummary.OpenShardCount')
eq kinesis-split-shard-open-count "$got" 3

ok kinesis-add-tags aws kinesis add-tags-to-stream --stream-name "$S" --tags team=data,env=compat
got=$(q kinesis list-tags-for-stream --stream-name "$S" --query 'Tags[].[Key,Value]' | sort)
eq kinesis-list-tags "$got" "$(printf 'env\tcompat\nteam\tdata')"
ok kinesis-remove-tags aws kinesis remove-tags-from-stream --stream-name "$S" --tag-keys env
eq kinesis-list-tags-after-remove "$(q kinesis list-tags-for-stream --stream-name "$S" --query 'Tags[].Key')" team

ok kinesis-increase-retention aws kinesis increase-stream-retention-period --stream-name "$S" --retention-period-hours 48
eq kinesis-retention-48 "$(q kinesis describe-stream-summary --stream-name "$S" --query StreamDescriptionSummary.RetentionPeriodHours)" 48
expect_error kinesis-decrease-retention-below-24 InvalidArgumentException \
	aws kinesis decrease-stream-retention-period --stream-name "$S" --retention-period-hours 12

ok kinesis-delete-stream aws kinesis delete-stream --stream-name "$S"
ok kinesis-wait-stream-not-exists aws kinesis wait stream-not-exists --stream-name "$S"
expect_error kinesis-deleted-stream-gone ResourceNotFoundException aws kinesis describe-stream-summary --stream-name "$S"
finish
