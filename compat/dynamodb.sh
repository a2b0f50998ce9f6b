#!/usr/bin/env bash
# compat/dynamodb.sh — a scripted awscli v2 DynamoDB and DynamoDB Streams
# session against tarn (run by compat/run.sh; helpers in common.sh).
set -uo pipefail
COMPAT_SESSION=dynamodb
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
TB=compat-orders

ok ddb-create-table aws dynamodb create-table --table-name "$TB" \
	--attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=N AttributeName=status,AttributeType=S \
	--key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
	--global-secondary-indexes 'IndexName=by-status,KeySchema=[{AttributeName=status,KeyType=HASH},{AttributeName=sk,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
	--billing-mode PAY_PER_REQUEST \
	--stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES
ok ddb-wait-table-exists aws dynamodb wait table-exists --table-name "$TB"
got=$(q dynamodb describe-table --table-name "$TB" \
	--query 'Table.[TableStatus,KeySchema[0].AttributeName,KeySchema[1].AttributeName,GlobalSecondaryIndexes[0].IndexName,StreamSpecification.StreamViewType]')
eq ddb-describe-table "$got" "$(printf 'ACTIVE\tpk\tsk\tby-status\tNEW_AND_OLD_IMAGES')"
got=$(q dynamodb list-tables --query 'TableNames')
case $'\t'"$got"$'\t' in *$'\t'"$TB"$'\t'*) pass ddb-list-tables ;; *) fail ddb-list-tables "got [$got]" ;; esac
expect_error ddb-create-table-in-use ResourceInUseException aws dynamodb create-table --table-name "$TB" \
	--attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH --billing-mode PAY_PER_REQUEST
expect_error ddb-describe-missing ResourceNotFoundException aws dynamodb describe-table --table-name no-such-table
expect_error ddb-create-bad-definitions ValidationException aws dynamodb create-table --table-name bad \
	--attribute-definitions AttributeName=pk,AttributeType=S AttributeName=unused,AttributeType=S \
	--key-schema AttributeName=pk,KeyType=HASH --billing-mode PAY_PER_REQUEST

# Items: put, get, conditional put, update with expressions, delete.
ok ddb-put-item aws dynamodb put-item --table-name "$TB" \
	--item '{"pk":{"S":"u1"},"sk":{"N":"1"},"status":{"S":"open"},"total":{"N":"10.50"},"tags":{"SS":["a","b"]},"meta":{"M":{"n":{"L":[{"N":"1"},{"BOOL":true},{"NULL":true}]}}}}'
got=$(q dynamodb get-item --table-name "$TB" --key '{"pk":{"S":"u1"},"sk":{"N":"1"}}' --consistent-read \
	--query 'Item.[status.S,total.N]')
eq ddb-get-item "$got" "$(printf 'open\t10.5')"
got=$(aws dynamodb get-item --table-name "$TB" --key '{"pk":{"S":"u1"},"sk":{"N":"1"}}' \
	--projection-expression 'meta.n[1], #s' --expression-attribute-names '{"#s":"status"}' --output json 2>&1)
got=$(printf '%s' "$got" | $PY -c 'import json,sys; i=json.load(sys.stdin)["Item"]; print(sorted(i), i["meta"]["M"]["n"]["L"])' 2>&1)
eq ddb-get-item-projection "$got" "['meta', 'status'] [{'BOOL': True}]"
expect_error ddb-put-condition-fails ConditionalCheckFailedException aws dynamodb put-item --table-name "$TB" \
	--item '{"pk":{"S":"u1"},"sk":{"N":"1"}}' --condition-expression 'attribute_not_exists(pk)'
got=$(q dynamodb update-item --table-name "$TB" --key '{"pk":{"S":"u1"},"sk":{"N":"1"}}' \
	--update-expression 'SET #t = #t + :d, #s = :s ADD visits :one REMOVE meta' \
	--expression-attribute-names '{"#s":"status","#t":"total"}' \
	--expression-attribute-values '{":d":{"N":"0.25"},":s":{"S":"paid"},":one":{"N":"1"}}' \
	--return-values UPDATED_NEW --query 'Attributes.[total.N,status.S,visits.N]')
eq ddb-update-item "$got" "$(printf '10.75\tpaid\t1')"
expect_error ddb-update-key-attribute ValidationException aws dynamodb update-item --table-name "$TB" \
	--key '{"pk":{"S":"u1"},"sk":{"N":"1"}}' --update-expression 'SET pk = :v' --expression-attribute-values '{":v":{"S":"x"}}'
expect_error ddb-unused-value ValidationException aws dynamodb update-item --table-name "$TB" \
	--key '{"pk":{"S":"u1"},"sk":{"N":"1"}}' --update-expression 'SET a = :v' \
	--expression-attribute-values '{":v":{"S":"x"},":unused":{"S":"y"}}'
expect_error ddb-wrong-key-type ValidationException aws dynamodb get-item --table-name "$TB" --key '{"pk":{"S":"u1"},"sk":{"S":"1"}}'
expect_error ddb-empty-set ValidationException aws dynamodb put-item --table-name "$TB" \
	--item '{"pk":{"S":"u9"},"sk":{"N":"1"},"s":{"SS":[]}}'

# batch-write-item, query (key condition + filter + paging), scan, GSI query.
printf '{"%s":[' "$TB" >batch.json
for i in $(seq 2 21); do
	[ "$i" -gt 2 ] && printf ',' >>batch.json
	st=open
	[ $((i % 2)) -eq 0 ] && st=shipped
	printf '{"PutRequest":{"Item":{"pk":{"S":"u1"},"sk":{"N":"%d"},"status":{"S":"%s"},"total":{"N":"%d"}}}}' "$i" "$st" "$i" >>batch.json
done
printf ']}' >>batch.json
got=$(q dynamodb batch-write-item --request-items file://batch.json --query 'length(UnprocessedItems)')
eq ddb-batch-write-item "$got" "0"
got=$(q dynamodb query --table-name "$TB" --key-condition-expression 'pk = :p AND sk BETWEEN :a AND :b' \
	--expression-attribute-values '{":p":{"S":"u1"},":a":{"N":"5"},":b":{"N":"9"}}' --query 'Items[].sk.N')
eq ddb-query-between "$got" "$(printf '5\t6\t7\t8\t9')"
got=$(q dynamodb query --table-name "$TB" --key-condition-expression 'pk = :p' --no-scan-index-forward \
	--filter-expression '#t > :t' --expression-attribute-names '{"#t":"total"}' --expression-attribute-values '{":p":{"S":"u1"},":t":{"N":"18"}}' \
	--query '[Count,ScannedCount,Items[0].sk.N]')
eq ddb-query-filter-desc "$got" "$(printf '3\t21\t21')"
got=$(q dynamodb query --table-name "$TB" --key-condition-expression 'pk = :p' --select COUNT \
	--expression-attribute-values '{":p":{"S":"u1"}}' --query Count)
eq ddb-query-count "$got" "21"
# awscli pages transparently; --page-size makes it follow LastEvaluatedKey
# (JSON output: the query applies to the merged pages).
got=$(aws dynamodb scan --table-name "$TB" --page-size 4 --query 'length(Items)' --output json 2>&1)
eq ddb-scan-paged "$got" "21"
got=$(q dynamodb scan --table-name "$TB" --total-segments 3 --segment 0 --query 'length(Items)')
if [ -n "$got" ] && [ "$got" -le 21 ] 2>/dev/null; then pass ddb-scan-segment; else fail ddb-scan-segment "got [$got]"; fi
got=$(q dynamodb query --table-name "$TB" --index-name by-status --key-condition-expression '#s = :s' \
	--expression-attribute-names '{"#s":"status"}' --expression-attribute-values '{":s":{"S":"shipped"}}' --query 'Count')
eq ddb-query-gsi "$got" "10"
got=$(q dynamodb batch-get-item --request-items "{\"$TB\":{\"Keys\":[{\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"2\"}},{\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"3\"}},{\"pk\":{\"S\":\"nobody\"},\"sk\":{\"N\":\"1\"}}]}}" \
	--query "length(Responses.\"$TB\")")
eq ddb-batch-get-item "$got" "2"

# Transactions: all-or-nothing with a failing condition.
cat >tx.json <<-JSON
[{"Put":{"TableName":"$TB","Item":{"pk":{"S":"tx"},"sk":{"N":"1"}}}},
 {"ConditionCheck":{"TableName":"$TB","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}},"ConditionExpression":"#s = :s",
   "ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"}}}}]
JSON
expect_error ddb-transact-cancelled TransactionCanceledException aws dynamodb transact-write-items --transact-items file://tx.json
got=$(q dynamodb get-item --table-name "$TB" --key '{"pk":{"S":"tx"},"sk":{"N":"1"}}' --query 'Item.pk.S')
eq ddb-transact-nothing-written "$got" "None"
sed -i 's/"S":"open"/"S":"paid"/' tx.json
ok ddb-transact-write aws dynamodb transact-write-items --transact-items file://tx.json
got=$(q dynamodb transact-get-items --transact-items "[{\"Get\":{\"TableName\":\"$TB\",\"Key\":{\"pk\":{\"S\":\"tx\"},\"sk\":{\"N\":\"1\"}}}}]" \
	--query 'Responses[0].Item.pk.S')
eq ddb-transact-get "$got" "tx"

# PartiQL.
got=$(q dynamodb execute-statement --statement "SELECT total FROM \"$TB\" WHERE pk = 'u1' AND sk = 1" --query 'Items[0].total.N')
eq ddb-partiql-select "$got" "10.75"
ok ddb-partiql-insert aws dynamodb execute-statement --statement "INSERT INTO \"$TB\" VALUE {'pk': 'pq', 'sk': 1, 'n': 5}"
ok ddb-partiql-update aws dynamodb execute-statement --statement "UPDATE \"$TB\" SET n = n + 1 WHERE pk = 'pq' AND sk = 1"
got=$(q dynamodb get-item --table-name "$TB" --key '{"pk":{"S":"pq"},"sk":{"N":"1"}}' --query 'Item.n.N')
eq ddb-partiql-updated "$got" "6"

# TTL and tags.
ok ddb-update-ttl aws dynamodb update-time-to-live --table-name "$TB" --time-to-live-specification Enabled=true,AttributeName=expires
got=$(q dynamodb describe-time-to-live --table-name "$TB" --query 'TimeToLiveDescription.[TimeToLiveStatus,AttributeName]')
eq ddb-describe-ttl "$got" "$(printf 'ENABLED\texpires')"
arn=$(q dynamodb describe-table --table-name "$TB" --query Table.TableArn)
ok ddb-tag-resource aws dynamodb tag-resource --resource-arn "$arn" --tags Key=team,Value=data
got=$(q dynamodb list-tags-of-resource --resource-arn "$arn" --query 'Tags[].[Key,Value]')
eq ddb-list-tags "$got" "$(printf 'team\tdata')"

# Streams: the changes above, in order, with both images.
sarn=$(q dynamodb describe-table --table-name "$TB" --query Table.LatestStreamArn)
got=$(q dynamodbstreams list-streams --table-name "$TB" --query 'Streams[].StreamArn')
case $'\t'"$got"$'\t' in *$'\t'"$sarn"$'\t'*) pass ddb-streams-list ;; *) fail ddb-streams-list "got [$got], want $sarn" ;; esac
shard=$(q dynamodbstreams describe-stream --stream-arn "$sarn" --query 'StreamDescription.Shards[0].ShardId')
it=$(q dynamodbstreams get-shard-iterator --stream-arn "$sarn" --shard-id "$shard" --shard-iterator-type TRIM_HORIZON --query ShardIterator)
aws dynamodbstreams get-records --shard-iterator "$it" --output json >stream.json 2>&1
got=$($PY - stream.json <<-'PYEOF' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))["Records"]
first = r[0]
print(first["eventName"], "NewImage" in first["dynamodb"], "OldImage" in first["dynamodb"],
      r[1]["eventName"] if len(r) > 1 else None, len(r) >= 23)
PYEOF
)
eq ddb-streams-records "$got" "INSERT True False MODIFY True"

ok ddb-delete-item aws dynamodb delete-item --table-name "$TB" --key '{"pk":{"S":"u1"},"sk":{"N":"2"}}'
ok ddb-delete-table aws dynamodb delete-table --table-name "$TB"
ok ddb-wait-table-not-exists aws dynamodb wait table-not-exists --table-name "$TB"
finish
