#!/usr/bin/python3
"""compat/boto3_lambda.py — a boto3 Lambda session against tarn: a python3
function from an in-memory zip, synchronous invokes with the log tail,
function errors, asynchronous invokes with an on-failure destination in
the lake, a Kinesis event source mapping with a filter, and the
function's logs read back through CloudWatch Logs.

Run by compat/run.sh with /usr/bin/python3 (Debian's boto3) and
AWS_ENDPOINT_URL pointing at tarn; checks as in compatlib.
"""
from compatlib import check, client, eq, expect_error, finish

import base64  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402

lam = client("lambda")
logs = client("logs")
s3 = client("s3")
kinesis = client("kinesis")
ROLE = "arn:aws:iam::000000000000:role/boto3-lambda"
F = "boto3-fn"
BUCKET = "boto3-lambda-failures"
STREAM = "boto3-lambda-stream"

HANDLER = '''
import json, os
seen = []
def handler(event, context):
    print("event", json.dumps(event, sort_keys=True))
    if isinstance(event, dict) and event.get("fail"):
        raise RuntimeError("asked to fail")
    if isinstance(event, dict) and "Records" in event:
        seen.extend(r["kinesis"]["partitionKey"] for r in event["Records"])
        return {"keys": seen}
    return {"ok": True, "request": context.aws_request_id, "memory": context.memory_limit_in_mb}
'''


def zipped(name, text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, text)
    return buf.getvalue()


def wait_until(what, fn, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        r = fn()
        if r:
            return r
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def create():
    r = lam.create_function(FunctionName=F, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zipped("app.py", HANDLER)}, MemorySize=256, Timeout=10)
    eq(r["State"] in ("Pending", "Active"), True, "State")
    lam.get_waiter("function_active_v2").wait(FunctionName=F, WaiterConfig={"Delay": 1})
    eq(lam.get_function_configuration(FunctionName=F)["MemorySize"], 256)


check("lambda-create-function-zip", create)


def invoke_tail():
    r = lam.invoke(FunctionName=F, Payload=json.dumps({"n": 1}), LogType="Tail")
    body = json.loads(r["Payload"].read())
    eq(body["ok"], True)
    eq(body["memory"], "256")
    tail = base64.b64decode(r["LogResult"]).decode()
    assert tail.startswith("START RequestId: " + body["request"]), tail
    assert 'event {"n": 1}' in tail and "REPORT RequestId: " in tail, tail


check("lambda-invoke-log-tail", invoke_tail)


def invoke_error():
    r = lam.invoke(FunctionName=F, Payload=json.dumps({"fail": True}))
    eq(r.get("FunctionError"), "Unhandled")
    body = json.loads(r["Payload"].read())
    eq((body["errorType"], body["errorMessage"]), ("RuntimeError", "asked to fail"))
    assert body["stackTrace"], body


check("lambda-invoke-function-error", invoke_error)
check("lambda-invoke-missing", lambda: expect_error("ResourceNotFoundException", 404,
                                                     lambda: lam.invoke(FunctionName="boto3-nope", Payload=b"{}")))
check("lambda-invoke-bad-json", lambda: expect_error("InvalidRequestContentException", 400,
                                                      lambda: lam.invoke(FunctionName=F, Payload=b"{not json")))


def logs_read_back():
    group = "/aws/lambda/" + F
    streams = wait_until("log streams", lambda: logs.describe_log_streams(
        logGroupName=group, orderBy="LastEventTime", descending=True)["logStreams"])
    events = logs.get_log_events(logGroupName=group, logStreamName=streams[0]["logStreamName"], startFromHead=True)["events"]
    assert any(e["message"].startswith("START RequestId: ") for e in events), events
    found = logs.filter_log_events(logGroupName=group, filterPattern='"asked to fail"')["events"]
    assert found, "no event matched the filter"
    groups = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/boto3")["logGroups"]
    eq([g["logGroupName"] for g in groups], [group])


check("logs-function-log-group", logs_read_back)


def async_failure_to_s3():
    s3.create_bucket(Bucket=BUCKET)
    lam.put_function_event_invoke_config(FunctionName=F, MaximumRetryAttempts=0, DestinationConfig={
        "OnFailure": {"Destination": "arn:aws:s3:::" + BUCKET}})
    r = lam.invoke(FunctionName=F, InvocationType="Event", Payload=json.dumps({"fail": True, "id": "x1"}))
    eq(r["StatusCode"], 202)
    keys = wait_until("the failure record", lambda: [o["Key"] for o in s3.list_objects_v2(
        Bucket=BUCKET, Prefix="aws/lambda/async/" + F + "/").get("Contents", [])])
    rec = json.loads(s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read())
    eq(rec["requestContext"]["condition"], "RetriesExhausted")
    eq(rec["requestPayload"], {"fail": True, "id": "x1"})
    eq(rec["responseContext"]["functionError"], "Unhandled")


check("lambda-async-on-failure-s3", async_failure_to_s3)
check("lambda-destination-sqs-refused", lambda: expect_error("InvalidParameterValueException", 400,
      lambda: lam.put_function_event_invoke_config(FunctionName=F, DestinationConfig={
          "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:dlq"}})))


def kinesis_mapping_with_filter():
    kinesis.create_stream(StreamName=STREAM, ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName=STREAM, WaiterConfig={"Delay": 1})
    arn = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]["StreamARN"]
    m = lam.create_event_source_mapping(FunctionName=F, EventSourceArn=arn, StartingPosition="TRIM_HORIZON",
                                        BatchSize=10, FilterCriteria={"Filters": [{"Pattern": json.dumps(
                                            {"data": {"kind": ["keep"]}})}]})
    uuid = m["UUID"]
    for i, kind in enumerate(["keep", "drop", "keep"]):
        kinesis.put_record(StreamName=STREAM, PartitionKey="k%d" % i, Data=json.dumps({"kind": kind}).encode())
    group = "/aws/lambda/" + F

    def keys():
        evs = logs.filter_log_events(logGroupName=group, filterPattern='"kinesis"')["events"]
        return [e for e in evs if '"partitionKey": "k2"' in e["message"]]
    wait_until("the filtered batch", keys)
    evs = logs.filter_log_events(logGroupName=group, filterPattern='"partitionKey"')["events"]
    assert not any('"partitionKey": "k1"' in e["message"] for e in evs), "a filtered-out record reached the function"
    got = lam.get_event_source_mapping(UUID=uuid)
    eq(json.loads(got["FilterCriteria"]["Filters"][0]["Pattern"]), {"data": {"kind": ["keep"]}})
    lam.delete_event_source_mapping(UUID=uuid)


check("lambda-kinesis-mapping-filter", kinesis_mapping_with_filter)


def cleanup():
    lam.delete_function(FunctionName=F)
    expect_error("ResourceNotFoundException", 404, lambda: lam.get_function(FunctionName=F))


check("lambda-delete-function", cleanup)
finish()
