#!/usr/bin/env bash
# compat/firehose.sh — a scripted awscli v2 Amazon Data Firehose session
# against tarn (run by compat/run.sh; helpers in common.sh): a DirectPut
# stream delivering at once (IntervalInSeconds 0) into an S3 bucket.
set -uo pipefail
COMPAT_SESSION=firehose
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
B=firehose-bucket
F=compat-delivery

ok firehose-s3-mb aws s3 mb "s3://$B"
# awscli 2.9's service model still says IntervalInSeconds >= 60 (Firehose
# has allowed 0 since 2023, and so does tarn): the create call goes through
# a profile with client-side parameter validation off.
printf '[profile nv]\nregion = us-east-1\noutput = json\nparameter_validation = false\n' >>"$AWS_CONFIG_FILE"
printf '[nv]\naws_access_key_id = test\naws_secret_access_key = test\n' >>"$AWS_SHARED_CREDENTIALS_FILE"
cat >dest.json <<-JSON
{"RoleARN":"arn:aws:iam::000000000000:role/firehose","BucketARN":"arn:aws:s3:::$B","Prefix":"fh/",
 "BufferingHints":{"IntervalInSeconds":0,"SizeInMBs":1}}
JSON
out=$(aws --profile nv firehose create-delivery-stream --delivery-stream-name "$F" --delivery-stream-type DirectPut \
	--extended-s3-destination-configuration file://dest.json --output json 2>&1)
if [ $? -eq 0 ] && grep -q "deliverystream/$F" <<<"$out"; then pass firehose-create-delivery-stream; else fail firehose-create-delivery-stream "$out"; fi
expect_error firehose-create-in-use ResourceInUseException aws --profile nv firehose create-delivery-stream --delivery-stream-name "$F" \
	--extended-s3-destination-configuration file://dest.json
got=$(q firehose describe-delivery-stream --delivery-stream-name "$F" --query \
	'DeliveryStreamDescription.[DeliveryStreamName,DeliveryStreamStatus,DeliveryStreamType,Destinations[0].ExtendedS3DestinationDescription.BufferingHints.IntervalInSeconds]')
eq firehose-describe "$got" "$(printf '%s\tACTIVE\tDirectPut\t0' "$F")"
got=$(q firehose list-delivery-streams --query DeliveryStreamNames)
case $'\t'"$got"$'\t' in *$'\t'"$F"$'\t'*) pass firehose-list ;; *) fail firehose-list "got [$got]" ;; esac
expect_error firehose-describe-missing ResourceNotFoundException aws firehose describe-delivery-stream --delivery-stream-name no-such

# One record, then wait for its object; then a batch, and its object.
printf 'first record\n' >one.want
got=$(q firehose put-record --delivery-stream-name "$F" --cli-binary-format raw-in-base64-out \
	--record '{"Data":"first record\n"}' --query RecordId)
if [ -n "$got" ] && [ "$got" != None ]; then pass firehose-put-record; else fail firehose-put-record "no RecordId"; fi

# wait_objects N: until the bucket holds N objects under fh/ (15 s), keys to keys.txt
wait_objects() {
	local end=$((SECONDS + 15))
	while [ $SECONDS -lt $end ]; do
		q s3api list-objects-v2 --bucket "$B" --prefix fh/ --query 'Contents[].Key' | tr '\t' '\n' | grep -v '^None$' | sort >keys.txt
		[ "$(grep -c . keys.txt)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
if wait_objects 1; then pass firehose-delivered-put-record; else fail firehose-delivered-put-record "no object after 15 s"; fi
k1=$(head -n1 keys.txt)
case $k1 in fh/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/[0-9][0-9]/"$F"-1-*) pass firehose-object-key ;; *) fail firehose-object-key "got [$k1]" ;; esac
out=$(aws s3 ls "s3://$B/fh/" --recursive 2>&1)
if [ $? -eq 0 ] && grep -q " ${k1}\$" <<<"$out"; then pass firehose-s3-ls; else fail firehose-s3-ls "$out"; fi
ok firehose-s3-cp aws s3 cp "s3://$B/${k1:-missing}" one.got
if cmp -s one.got one.want; then pass firehose-object-bytes; else fail firehose-object-bytes "got [$(cat one.got 2>&1)]"; fi

printf 'r%d\n' 1 2 3 >batch.want
records=$(for i in 1 2 3; do printf '{"Data":"%s"}\n' "$(printf 'r%d\n' $i | base64 -w0)"; done | paste -sd,)
got=$(q firehose put-record-batch --delivery-stream-name "$F" --records "[$records]" --query '[FailedPutCount,length(RequestResponses)]')
eq firehose-put-record-batch "$got" "$(printf '0\t3')"
if wait_objects 2; then pass firehose-delivered-batch; else fail firehose-delivered-batch "no second object after 15 s"; fi
k2=$(grep -vxF "$k1" keys.txt | head -n1)
ok firehose-s3-cp-batch aws s3 cp "s3://$B/${k2:-missing}" batch.got
if cmp -s batch.got batch.want; then pass firehose-batch-object-bytes; else fail firehose-batch-object-bytes "got [$(cat batch.got 2>&1)]"; fi

ok firehose-delete-delivery-stream aws firehose delete-delivery-stream --delivery-stream-name "$F"
gone=
for _ in $(seq 1 50); do
	if out=$(aws firehose describe-delivery-stream --delivery-stream-name "$F" 2>&1); then sleep 0.1; else gone=1; break; fi
done
if [ -n "$gone" ] && grep -q ResourceNotFoundException <<<"$out"; then pass firehose-deleted-gone; else fail firehose-deleted-gone "$out"; fi
ok firehose-s3-cleanup aws s3 rb "s3://$B" --force
finish
