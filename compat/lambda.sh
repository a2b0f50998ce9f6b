#!/usr/bin/env bash
# compat/lambda.sh — a scripted awscli v2 Lambda session against tarn: a
# python3 function created from a zip, invoked synchronously and through an
# alias, and fired by an S3 notification (run by compat/run.sh; helpers in
# common.sh).
set -uo pipefail
COMPAT_SESSION=lambda
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
F=compat-echo
B=compat-lambda
ROLE=arn:aws:iam::000000000000:role/compat-lambda

cat >echo.py <<-'PY'
import json, os
def handler(event, context):
    if event.get("fail"):
        raise ValueError("asked to fail")
    return {"got": event, "fn": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "mode": os.environ.get("MODE")}
PY
$PY -c 'import zipfile; z = zipfile.ZipFile("fn.zip", "w"); z.write("echo.py"); z.close()'
ok lambda-create-function aws lambda create-function --function-name "$F" --runtime python3.11 --handler echo.handler \
	--role "$ROLE" --zip-file fileb://fn.zip --environment 'Variables={MODE=v1}' --timeout 5
ok lambda-wait-active aws lambda wait function-active-v2 --function-name "$F"
got=$(q lambda get-function-configuration --function-name "$F" --query '[State,Runtime,Handler,Timeout]')
eq lambda-configuration "$got" "$(printf 'Active\tpython3.11\techo.handler\t5')"
aws lambda invoke --function-name "$F" --cli-binary-format raw-in-base64-out --payload '{"n":1}' out.json >inv.json 2>&1
eq lambda-invoke "$(cat out.json 2>/dev/null)" '{"got": {"n": 1}, "fn": "compat-echo", "mode": "v1"}'
aws lambda invoke --function-name "$F" --cli-binary-format raw-in-base64-out --payload '{"fail":true}' err.json >inv.json 2>&1
got=$($PY -c 'import json; a = json.load(open("inv.json")); b = json.load(open("err.json")); print(a.get("FunctionError"), b["errorType"], b["errorMessage"])' 2>&1)
eq lambda-invoke-function-error "$got" "Unhandled ValueError asked to fail"
ok lambda-publish-version aws lambda publish-version --function-name "$F"
ok lambda-create-alias aws lambda create-alias --function-name "$F" --name live --function-version 1
ok lambda-update-configuration aws lambda update-function-configuration --function-name "$F" --environment 'Variables={MODE=v2}'
ok lambda-wait-updated aws lambda wait function-updated-v2 --function-name "$F"
aws lambda invoke --function-name "$F:live" --cli-binary-format raw-in-base64-out --payload '{}' alias.json >/dev/null 2>&1
aws lambda invoke --function-name "$F" --cli-binary-format raw-in-base64-out --payload '{}' latest.json >/dev/null 2>&1
eq lambda-alias-keeps-version "$(cat alias.json 2>/dev/null) $(cat latest.json 2>/dev/null)" \
	'{"got": {}, "fn": "compat-echo", "mode": "v1"} {"got": {}, "fn": "compat-echo", "mode": "v2"}'
got=$(q lambda list-functions --query "Functions[?FunctionName=='$F'].FunctionName")
eq lambda-list-functions "$got" "$F"
expect_error lambda-missing-function ResourceNotFoundException aws lambda get-function --function-name no-such-function

# An S3 notification fires the function (asynchronously); its log shows the event.
arn=$(q lambda get-function --function-name "$F" --query Configuration.FunctionArn)
ok lambda-s3-bucket aws s3 mb "s3://$B"
printf '{"LambdaFunctionConfigurations":[{"Id":"new-json","LambdaFunctionArn":"%s","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"suffix","Value":".json"}]}}}]}' "$arn" >notify.json
ok lambda-s3-notification aws s3api put-bucket-notification-configuration --bucket "$B" --notification-configuration file://notify.json
got=$(q s3api get-bucket-notification-configuration --bucket "$B" --query 'LambdaFunctionConfigurations[0].Id')
eq lambda-s3-notification-get "$got" "new-json"
expect_error lambda-s3-notification-unknown-function InvalidArgument aws s3api put-bucket-notification-configuration --bucket "$B" \
	--notification-configuration '{"LambdaFunctionConfigurations":[{"LambdaFunctionArn":"arn:aws:lambda:us-east-1:000000000000:function:nope","Events":["s3:ObjectCreated:*"]}]}'
# The invocations' logs, through CloudWatch Logs and `tarn logs`.
got=$(q logs filter-log-events --log-group-name "/aws/lambda/$F" --filter-pattern '"asked to fail"' --query 'length(events)')
eq logs-filter-function-error "$([ "${got:-0}" -ge 1 ] && echo found)" found
got=$(q logs describe-log-streams --log-group-name "/aws/lambda/$F" --order-by LastEventTime --descending --query 'logStreams[0].logStreamName')
got=$(q logs get-log-events --log-group-name "/aws/lambda/$F" --log-stream-name "$got" --start-from-head --query 'events[0].message')
eq logs-get-log-events-start "${got%%RequestId*}" "START "
got=$(TARN_ADDR="127.0.0.1:$TARN_COMPAT_PORT" "$TARN_COMPAT_BIN" logs "$F" --filter '"REPORT RequestId"' 2>&1 | grep -c 'REPORT RequestId: .*Duration: ')
eq tarn-logs-function "$([ "${got:-0}" -ge 2 ] && echo reports)" reports
expect_error logs-missing-group ResourceNotFoundException aws logs get-log-events --log-group-name /aws/lambda/none --log-stream-name x
ok lambda-add-permission aws lambda add-permission --function-name "$F" --statement-id s3 --action lambda:InvokeFunction \
	--principal s3.amazonaws.com --source-arn "arn:aws:s3:::$B"
got=$(q lambda get-policy --function-name "$F" --query Policy | $PY -c 'import json, sys; print(json.load(sys.stdin)["Statement"][0]["Principal"]["Service"])')
eq lambda-get-policy "$got" s3.amazonaws.com
ok lambda-delete-function aws lambda delete-function --function-name "$F"
finish
