#!/usr/bin/python3
"""compat/boto3_dynamodb.py — a boto3 DynamoDB session against tarn: the
resource API (Table, Decimal numbers, batch_writer, conditions), the
low-level client's paginators, transactions and streams.

Run by compat/run.sh with /usr/bin/python3 (Debian's boto3) and
AWS_ENDPOINT_URL pointing at tarn; checks as in compatlib.
"""
from compatlib import check, client, client_error, eq, expect_error, finish, resource

import concurrent.futures  # noqa: E402
import uuid  # noqa: E402
from decimal import Decimal  # noqa: E402

from boto3.dynamodb.conditions import Attr, Key  # noqa: E402

ddb = client("dynamodb", max_pool_connections=16)
res = resource("dynamodb", max_pool_connections=16)
streams = client("dynamodbstreams")
T = "boto3-events"


def create():
    t = res.create_table(
        TableName=T,
        KeySchema=[{"AttributeName": "user", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"},
                              {"AttributeName": "ts", "AttributeType": "N"},
                              {"AttributeName": "kind", "AttributeType": "S"}],
        LocalSecondaryIndexes=[{"IndexName": "by-kind", "KeySchema": [
            {"AttributeName": "user", "KeyType": "HASH"}, {"AttributeName": "kind", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    t.wait_until_exists()
    t.reload()
    eq(t.table_status, "ACTIVE")


check("ddb-create-table-resource", create)
table = res.Table(T)


def put_get_decimal():
    table.put_item(Item={"user": "ann", "ts": Decimal("1"), "kind": "view",
                         "price": Decimal("19.990"), "big": Decimal("12345678901234567890123456789012345678"),
                         "flags": {"a", "b"}, "nested": {"l": [1, "x", None, True]}})
    item = table.get_item(Key={"user": "ann", "ts": 1}, ConsistentRead=True)["Item"]
    eq(item["price"], Decimal("19.99"))
    eq(item["big"], Decimal("12345678901234567890123456789012345678"))
    eq(item["flags"], {"a", "b"})
    eq(item["nested"], {"l": [Decimal(1), "x", None, True]})


check("ddb-put-get-decimal-38-digits", put_get_decimal)
# (The resource API's Decimal context refuses this before sending; the
# low-level client sends the digits as they are.)
check("ddb-number-too-precise", lambda: expect_error("ValidationException", 400, lambda: ddb.put_item(
    TableName=T, Item={"user": {"S": "ann"}, "ts": {"N": "2"}, "n": {"N": "123456789012345678901234567890123456789"}})))


def batch_writer():
    with table.batch_writer() as w:
        for i in range(2, 120):
            w.put_item(Item={"user": "bob", "ts": i, "kind": "view" if i % 3 else "buy", "n": i})
    got = table.query(KeyConditionExpression=Key("user").eq("bob"), Select="COUNT")["Count"]
    eq(got, 118)


check("ddb-batch-writer-118", batch_writer)


def query_conditions():
    r = table.query(KeyConditionExpression=Key("user").eq("bob") & Key("ts").between(10, 20),
                    FilterExpression=Attr("kind").eq("buy"), ScanIndexForward=False)
    eq([int(i["ts"]) for i in r["Items"]], [18, 15, 12])
    eq(r["ScannedCount"], 11)


check("ddb-query-key-and-filter", query_conditions)


def paginate_query():
    pages = ddb.get_paginator("query").paginate(
        TableName=T, KeyConditionExpression="#u = :u", ExpressionAttributeNames={"#u": "user"},
        ExpressionAttributeValues={":u": {"S": "bob"}}, PaginationConfig={"PageSize": 25})
    counts = [p["Count"] for p in pages]
    eq(counts, [25, 25, 25, 25, 18])


check("ddb-paginate-query", paginate_query)


def lsi_query():
    r = table.query(IndexName="by-kind", KeyConditionExpression=Key("user").eq("bob") & Key("kind").eq("buy"))
    eq(r["Count"], 39)
    eq(sorted(r["Items"][0]), ["kind", "ts", "user"])


check("ddb-query-lsi-keys-only", lsi_query)


def parallel_scan():
    def seg(i):
        return sum(p["Count"] for p in ddb.get_paginator("scan").paginate(
            TableName=T, Segment=i, TotalSegments=4, PaginationConfig={"PageSize": 10}))
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        eq(sum(ex.map(seg, range(4))), 119)


check("ddb-parallel-scan-4-segments", parallel_scan)


def counters():
    def bump(_):
        table.update_item(Key={"user": "ctr", "ts": 0}, UpdateExpression="ADD hits :one",
                          ExpressionAttributeValues={":one": 1})
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        list(ex.map(bump, range(200)))
    eq(table.get_item(Key={"user": "ctr", "ts": 0})["Item"]["hits"], Decimal(200))


check("ddb-concurrent-add-counter", counters)


def conditional():
    code, status = client_error(lambda: table.put_item(
        Item={"user": "ann", "ts": 1}, ConditionExpression=Attr("user").not_exists()))
    eq((code, status), ("ConditionalCheckFailedException", 400))


check("ddb-conditional-put-fails", conditional)


def update_return_values():
    r = table.update_item(Key={"user": "ann", "ts": 1},
                          UpdateExpression="SET price = price - :d, nested.l[1] = :s REMOVE flags",
                          ExpressionAttributeValues={":d": Decimal("0.99"), ":s": "y"}, ReturnValues="ALL_NEW")
    a = r["Attributes"]
    eq((a["price"], a["nested"]["l"][1], "flags" in a), (Decimal(19), "y", False))


check("ddb-update-return-all-new", update_return_values)


def transactions():
    # A token is idempotent for 10 minutes: unique per run of the suite.
    TOKEN = str(uuid.uuid4())  # at most 36 characters, as AWS allows
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": T, "Item": {"user": {"S": "tx"}, "ts": {"N": "1"}}}},
        {"Update": {"TableName": T, "Key": {"user": {"S": "ctr"}, "ts": {"N": "0"}},
                    "UpdateExpression": "ADD hits :n", "ExpressionAttributeValues": {":n": {"N": "5"}}}}],
        ClientRequestToken=TOKEN)
    # The same token again is an idempotent replay: nothing applied twice.
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": T, "Item": {"user": {"S": "tx"}, "ts": {"N": "1"}}}},
        {"Update": {"TableName": T, "Key": {"user": {"S": "ctr"}, "ts": {"N": "0"}},
                    "UpdateExpression": "ADD hits :n", "ExpressionAttributeValues": {":n": {"N": "5"}}}}],
        ClientRequestToken=TOKEN)
    eq(table.get_item(Key={"user": "ctr", "ts": 0})["Item"]["hits"], Decimal(205))
    try:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": T, "Item": {"user": {"S": "tx"}, "ts": {"N": "2"}}}},
            {"ConditionCheck": {"TableName": T, "Key": {"user": {"S": "nobody"}, "ts": {"N": "0"}},
                                "ConditionExpression": "attribute_exists(#u)", "ExpressionAttributeNames": {"#u": "user"}}}])
        raise AssertionError("no error")
    except ddb.exceptions.TransactionCanceledException as e:
        reasons = [r.get("Code") for r in e.response["CancellationReasons"]]
        eq(reasons, ["None", "ConditionalCheckFailed"])
    eq("Item" in table.get_item(Key={"user": "tx", "ts": 2}), False)


check("ddb-transactions-idempotent-and-atomic", transactions)


def stream_images():
    arn = ddb.describe_table(TableName=T)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    recs = []
    while it and len(recs) < 300:
        r = streams.get_records(ShardIterator=it, Limit=100)
        recs += r["Records"]
        if not r["Records"]:
            break
        it = r.get("NextShardIterator")
    first = recs[0]
    eq((first["eventName"], first["dynamodb"]["Keys"]["user"]["S"], first["dynamodb"]["StreamViewType"]),
       ("INSERT", "ann", "NEW_IMAGE"))
    eq("OldImage" in first["dynamodb"], False)
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in recs]
    eq(seqs, sorted(seqs))


check("ddb-stream-new-images-in-order", stream_images)


def item_too_large():
    code, _ = client_error(lambda: table.put_item(Item={"user": "big", "ts": 1, "blob": "x" * (400 * 1024)}))
    eq(code, "ValidationException")


check("ddb-item-over-400kb", item_too_large)


def cleanup():
    table.delete()
    table.wait_until_not_exists()


check("ddb-delete-table", cleanup)
finish()
