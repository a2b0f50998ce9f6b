#!/usr/bin/python3
"""compat/boto3_session.py — a boto3 session against tarn.

Run by compat/run.sh with /usr/bin/python3 (Debian's boto3 1.26) and
AWS_ENDPOINT_URL pointing at tarn. Each check prints "PASS name" or
"FAIL name: detail"; a failing check never stops the session. Exits 1 if
any check failed.
"""
import base64
import concurrent.futures
import datetime
import hashlib
import io
import os
import urllib.error
import urllib.request
import zlib

from compatlib import ENDPOINT, FAILS, TMP, check, client, client_error, eq, expect_error, finish, session  # noqa: F401

import boto3  # noqa: E402
import botocore  # noqa: E402
from boto3.s3.transfer import TransferConfig  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

MiB = 1024 * 1024

# SigV4 is named for presigned URLs (boto3's default for S3 presigning
# has been SigV2 in older releases).
s3 = client("s3", signature_version="s3v4", max_pool_connections=32)


def md5_etag(b):
    return '"%s"' % hashlib.md5(b).hexdigest()


def multipart_etag(parts):
    return '"%s-%d"' % (hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))


def body(resp):
    return resp["Body"].read()


def list_keys(bucket, **kw):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, **kw):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def empty_bucket(bucket):
    keys = list_keys(bucket)
    for i in range(0, len(keys), 1000):
        r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True})
        assert not r.get("Errors"), r.get("Errors")
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        for u in page.get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])


print("boto3 %s, botocore %s" % (boto3.__version__, botocore.__version__), flush=True)

B = "boto3-bucket"
L = "boto3-list"
B2 = "boto3-other"

# ------------------------------------------------------------------ buckets
check("create-bucket", lambda: eq(s3.create_bucket(Bucket=B)["Location"], "/" + B))
check("create-bucket-list", lambda: s3.create_bucket(Bucket=L))
check("create-bucket-other", lambda: s3.create_bucket(Bucket=B2))
check("head-bucket", lambda: eq(s3.head_bucket(Bucket=B)["ResponseMetadata"]["HTTPStatusCode"], 200))
check("list-buckets", lambda: [eq(n in [b["Name"] for b in s3.list_buckets()["Buckets"]], True, n) for n in (B, L, B2)])
check("get-bucket-location", lambda: eq(s3.get_bucket_location(Bucket=B).get("LocationConstraint"), None))
check("get-bucket-versioning-unversioned", lambda: eq(s3.get_bucket_versioning(Bucket=B).get("Status"), None))
check("bucket-recreate-us-east-1-legacy-200", lambda: eq(s3.create_bucket(Bucket=B)["ResponseMetadata"]["HTTPStatusCode"], 200))
EU = {"LocationConstraint": "eu-west-1"}
check("create-bucket-eu", lambda: s3.create_bucket(Bucket=B + "-eu", CreateBucketConfiguration=EU))
check("bucket-already-owned", lambda: expect_error("BucketAlreadyOwnedByYou", 409,
                                                   lambda: s3.create_bucket(Bucket=B + "-eu", CreateBucketConfiguration=EU)))
check("delete-bucket-eu", lambda: s3.delete_bucket(Bucket=B + "-eu"))

# ------------------------------------------------------------------ listing
N = 1050
KEYS = ["k/%05d" % i for i in range(N)]


def put_many():
    def put(k):
        s3.put_object(Bucket=L, Key=k, Body=k.encode())
    with concurrent.futures.ThreadPoolExecutor(32) as ex:
        list(ex.map(put, KEYS))


check("put-1050-keys-concurrently", put_many)


def paginate_v2():
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket=L, Prefix="k/", PaginationConfig={"PageSize": 100}))
    sizes = [len(p.get("Contents", [])) for p in pages]
    eq(sizes, [100] * 10 + [50], "page sizes")
    eq([p["KeyCount"] for p in pages], sizes, "KeyCount")
    eq([p["IsTruncated"] for p in pages], [True] * 10 + [False], "IsTruncated")
    keys = [o["Key"] for p in pages for o in p["Contents"]]
    eq(len(keys), N, "count")
    assert keys == KEYS, "keys out of order or wrong"
    o = pages[0]["Contents"][0]
    eq((o["Size"], o["ETag"], o.get("StorageClass")), (len(KEYS[0]), md5_etag(KEYS[0].encode()), "STANDARD"), "entry")


check("list-objects-v2-paginate-1050", paginate_v2)


def paginate_v1():
    pages = list(s3.get_paginator("list_objects").paginate(
        Bucket=L, Prefix="k/", PaginationConfig={"PageSize": 100}))
    keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
    eq(len(pages), 11, "pages")
    eq(len(keys), N, "count")
    assert keys == KEYS, "keys out of order or wrong"


check("list-objects-v1-paginate-1050", paginate_v1)


def default_page():
    r = s3.list_objects_v2(Bucket=L)
    eq((r["KeyCount"], r["IsTruncated"], r["MaxKeys"]), (1000, True, 1000), "(KeyCount, IsTruncated, MaxKeys)")
    r2 = s3.list_objects_v2(Bucket=L, ContinuationToken=r["NextContinuationToken"])
    eq((r2["KeyCount"], r2["IsTruncated"]), (50, False))


check("list-objects-v2-default-1000", default_page)

DELIM_KEYS = ["d/x/1", "d/x/2", "d/y/1", "d/z", "d/zz/deep/1"]


def delimiter():
    for k in DELIM_KEYS:
        s3.put_object(Bucket=L, Key=k, Body=b"d")
    r = s3.list_objects_v2(Bucket=L, Prefix="d/", Delimiter="/")
    eq([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["d/x/", "d/y/", "d/zz/"], "CommonPrefixes")
    eq([o["Key"] for o in r.get("Contents", [])], ["d/z"], "Contents")
    eq(r["KeyCount"], 4, "KeyCount")
    top = s3.list_objects_v2(Bucket=L, Delimiter="/")
    eq([p["Prefix"] for p in top.get("CommonPrefixes", [])], ["d/", "k/"], "top-level CommonPrefixes")
    eq(top.get("Contents", []), [], "top-level Contents")


check("list-delimiter-common-prefixes", delimiter)


def delimiter_paged():
    entries = []
    for p in s3.get_paginator("list_objects_v2").paginate(
            Bucket=L, Prefix="d/", Delimiter="/", PaginationConfig={"PageSize": 1}):
        entries += [c["Prefix"] for c in p.get("CommonPrefixes", [])] + [o["Key"] for o in p.get("Contents", [])]
    eq(entries, ["d/x/", "d/y/", "d/z", "d/zz/"], "entries across MaxKeys=1 pages")


check("list-delimiter-paginated", delimiter_paged)


def delimiter_v1_paged():
    entries = []
    for p in s3.get_paginator("list_objects").paginate(
            Bucket=L, Prefix="d/", Delimiter="/", PaginationConfig={"PageSize": 1}):
        entries += [c["Prefix"] for c in p.get("CommonPrefixes", [])] + [o["Key"] for o in p.get("Contents", [])]
    eq(entries, ["d/x/", "d/y/", "d/z", "d/zz/"], "entries across MaxKeys=1 pages (NextMarker)")


check("list-v1-delimiter-paginated", delimiter_v1_paged)


def a_and_ab():
    s3.put_object(Bucket=B, Key="a", Body=b"object a")
    s3.put_object(Bucket=B, Key="a/b", Body=b"object a/b")
    eq(body(s3.get_object(Bucket=B, Key="a")), b"object a", "a")
    eq(body(s3.get_object(Bucket=B, Key="a/b")), b"object a/b", "a/b")
    eq(list_keys(B, Prefix="a"), ["a", "a/b"], "Prefix=a")
    r = s3.list_objects_v2(Bucket=B, Prefix="a", Delimiter="/")
    eq([o["Key"] for o in r.get("Contents", [])], ["a"], "Contents")
    eq([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a/"], "CommonPrefixes")
    s3.delete_object(Bucket=B, Key="a")
    eq(body(s3.get_object(Bucket=B, Key="a/b")), b"object a/b", "a/b after deleting a")
    s3.delete_object(Bucket=B, Key="a/b")


check("keys-a-and-a/b", a_and_ab)

ODD_KEYS = [
    "ünïcødé/日本語 file.txt", "with space", "plus+sign", "percent%20literal", "question?mark",
    "hash#tag", "tilde~", "amp&x=y", "emoji-🦀", "semi;colon", "quote'\"", "dbl//slash", "/leading-slash",
    "trailing-slash/", "tab\there", "back\\slash", "brackets[]{}<>", "ünicode/ñ/ß",
]


def odd_keys():
    for k in ODD_KEYS:
        s3.put_object(Bucket=B, Key=k, Body=k.encode())
    bad = [k for k in ODD_KEYS if body(s3.get_object(Bucket=B, Key=k)) != k.encode()]
    assert not bad, "wrong bytes for %r" % bad
    listed = list_keys(B)
    want = sorted(ODD_KEYS, key=lambda k: k.encode())
    eq(listed, want, "listing (UTF-8 byte order)")


check("unicode-and-space-keys", odd_keys)


def odd_keys_v1():
    keys = [o["Key"] for p in s3.get_paginator("list_objects").paginate(Bucket=B, PaginationConfig={"PageSize": 5})
            for o in p.get("Contents", [])]
    eq(keys, sorted(ODD_KEYS, key=lambda k: k.encode()), "v1 listing")


check("unicode-and-space-keys-v1", odd_keys_v1)


def odd_keys_head_delete():
    for k in ODD_KEYS:
        eq(s3.head_object(Bucket=B, Key=k)["ContentLength"], len(k.encode()), k)
    r = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": k} for k in ODD_KEYS]})
    eq(sorted(d["Key"] for d in r.get("Deleted", [])), sorted(ODD_KEYS), "Deleted")
    eq(list_keys(B), [], "after delete_objects")


check("unicode-keys-head-and-delete-objects", odd_keys_head_delete)

# ------------------------------------------------------------------- ranges
DATA = bytes(range(100))
check("put-range-object", lambda: s3.put_object(Bucket=B, Key="range.bin", Body=DATA))


def rng(spec, want, content_range):
    def f():
        r = s3.get_object(Bucket=B, Key="range.bin", Range=spec)
        eq(r["ResponseMetadata"]["HTTPStatusCode"], 206, "status")
        eq(r["ContentRange"], content_range, "ContentRange")
        eq(r["ContentLength"], len(want), "ContentLength")
        eq(body(r), want, "body")
    return f


check("range-0-9", rng("bytes=0-9", DATA[:10], "bytes 0-9/100"))
check("range-suffix-5", rng("bytes=-5", DATA[-5:], "bytes 95-99/100"))
check("range-open-10-", rng("bytes=10-", DATA[10:], "bytes 10-99/100"))
check("range-clamped-95-200", rng("bytes=95-200", DATA[95:], "bytes 95-99/100"))
check("range-unsatisfiable-416", lambda: expect_error(
    "InvalidRange", 416, lambda: s3.get_object(Bucket=B, Key="range.bin", Range="bytes=100-200")))
check("range-head-206", lambda: eq(
    s3.head_object(Bucket=B, Key="range.bin", Range="bytes=0-9")["ContentLength"], 10))

# ------------------------------------------------------------ conditionals
ETAG = md5_etag(DATA)


def cond_304():
    code, status = client_error(lambda: s3.get_object(Bucket=B, Key="range.bin", IfNoneMatch=ETAG))
    eq(status, 304, "status")


check("get-if-none-match-304", cond_304)
check("head-if-none-match-304", lambda: eq(
    client_error(lambda: s3.head_object(Bucket=B, Key="range.bin", IfNoneMatch=ETAG))[1], 304, "status"))
check("get-if-none-match-other-200", lambda: eq(
    body(s3.get_object(Bucket=B, Key="range.bin", IfNoneMatch='"0123456789abcdef0123456789abcdef"')), DATA))
check("get-if-match-mismatch-412", lambda: expect_error(
    "PreconditionFailed", 412, lambda: s3.get_object(Bucket=B, Key="range.bin", IfMatch='"0123456789abcdef0123456789abcdef"')))
check("get-if-match-200", lambda: eq(body(s3.get_object(Bucket=B, Key="range.bin", IfMatch=ETAG)), DATA))


def cond_dates():
    lm = s3.head_object(Bucket=B, Key="range.bin")["LastModified"]
    eq(client_error(lambda: s3.get_object(Bucket=B, Key="range.bin", IfModifiedSince=lm))[1], 304, "If-Modified-Since=LastModified")
    old = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    eq(body(s3.get_object(Bucket=B, Key="range.bin", IfModifiedSince=old)), DATA, "If-Modified-Since 2000")
    expect_error("PreconditionFailed", 412, lambda: s3.get_object(Bucket=B, Key="range.bin", IfUnmodifiedSince=old))
    # If-Match wins over a failing If-Unmodified-Since (RFC 7232, S3 docs).
    eq(body(s3.get_object(Bucket=B, Key="range.bin", IfMatch=ETAG, IfUnmodifiedSince=old)), DATA, "If-Match + If-Unmodified-Since")


check("get-if-modified-unmodified-since", cond_dates)

# --------------------------------------------------------------------- copy


def copy_same_bucket():
    r = s3.copy_object(Bucket=B, Key="range-copy.bin", CopySource={"Bucket": B, "Key": "range.bin"})
    eq(r["CopyObjectResult"]["ETag"], ETAG, "CopyObjectResult.ETag")
    eq(body(s3.get_object(Bucket=B, Key="range-copy.bin")), DATA, "copied bytes")


check("copy-object", copy_same_bucket)


def copy_cross_bucket_unicode():
    src = "src/ünï cødé+?.bin"
    s3.put_object(Bucket=B, Key=src, Body=b"unicode source", Metadata={"m": "1"})
    s3.copy_object(Bucket=B2, Key="dst/日本.bin", CopySource={"Bucket": B, "Key": src})
    r = s3.get_object(Bucket=B2, Key="dst/日本.bin")
    eq((body(r), r["Metadata"]), (b"unicode source", {"m": "1"}))


check("copy-object-cross-bucket-unicode-key", copy_cross_bucket_unicode)
check("copy-object-if-match-mismatch-412", lambda: expect_error("PreconditionFailed", 412, lambda: s3.copy_object(
    Bucket=B, Key="x", CopySource={"Bucket": B, "Key": "range.bin"}, CopySourceIfMatch='"00000000000000000000000000000000"')))
check("copy-object-no-such-key", lambda: expect_error("NoSuchKey", 404, lambda: s3.copy_object(
    Bucket=B, Key="x", CopySource={"Bucket": B, "Key": "missing"})))


def copy_replace():
    s3.copy_object(Bucket=B, Key="range-copy.bin", CopySource={"Bucket": B, "Key": "range.bin"},
                   MetadataDirective="REPLACE", Metadata={"new": "yes"}, ContentType="application/x-new")
    h = s3.head_object(Bucket=B, Key="range-copy.bin")
    eq((h["Metadata"], h["ContentType"]), ({"new": "yes"}, "application/x-new"))


check("copy-object-replace-metadata", copy_replace)

# ---------------------------------------------------------------- multipart
PARTS = [os.urandom(5 * MiB) for _ in range(3)] + [os.urandom(1000)]
WHOLE = b"".join(PARTS)
MP = {}


def mp_upload():
    MP["id"] = s3.create_multipart_upload(Bucket=B, Key="mp.bin", ContentType="application/x-mp",
                                          Metadata={"kind": "multipart"})["UploadId"]
    MP["parts"] = []
    for i, p in enumerate(PARTS, 1):
        r = s3.upload_part(Bucket=B, Key="mp.bin", UploadId=MP["id"], PartNumber=i, Body=p)
        eq(r["ETag"], md5_etag(p), "part %d ETag" % i)
        MP["parts"].append({"PartNumber": i, "ETag": r["ETag"]})


check("multipart-upload-parts", mp_upload)


def mp_list_parts():
    r = s3.list_parts(Bucket=B, Key="mp.bin", UploadId=MP["id"], MaxParts=2)
    eq([p["PartNumber"] for p in r["Parts"]], [1, 2], "first page")
    eq((r["IsTruncated"], r["NextPartNumberMarker"]), (True, 2), "(IsTruncated, NextPartNumberMarker)")
    parts = [p for page in s3.get_paginator("list_parts").paginate(
        Bucket=B, Key="mp.bin", UploadId=MP["id"], PaginationConfig={"PageSize": 3}) for p in page["Parts"]]
    eq([(p["PartNumber"], p["Size"], p["ETag"]) for p in parts],
       [(i, len(p), md5_etag(p)) for i, p in enumerate(PARTS, 1)], "parts")


check("multipart-list-parts", mp_list_parts)
check("multipart-list-uploads", lambda: eq(
    [(u["Key"], u["UploadId"]) for u in s3.list_multipart_uploads(Bucket=B).get("Uploads", [])], [("mp.bin", MP.get("id"))]))


def mp_complete():
    r = s3.complete_multipart_upload(Bucket=B, Key="mp.bin", UploadId=MP["id"], MultipartUpload={"Parts": MP["parts"]})
    assert r["ETag"].endswith('-4"'), "ETag %s does not end with -4" % r["ETag"]
    eq(r["ETag"], multipart_etag(PARTS), "ETag")
    h = s3.head_object(Bucket=B, Key="mp.bin")
    eq((h["ContentLength"], h["ETag"], h["ContentType"], h["Metadata"]),
       (len(WHOLE), multipart_etag(PARTS), "application/x-mp", {"kind": "multipart"}), "head")


check("multipart-complete-etag-4", mp_complete)
check("multipart-get-whole", lambda: eq(hashlib.sha256(body(s3.get_object(Bucket=B, Key="mp.bin"))).hexdigest(),
                                        hashlib.sha256(WHOLE).hexdigest()))


def mp_range_across():
    lo, hi = 5 * MiB - 10, 10 * MiB + 9  # spans parts 1, 2 and 3
    r = s3.get_object(Bucket=B, Key="mp.bin", Range="bytes=%d-%d" % (lo, hi))
    eq(r["ContentRange"], "bytes %d-%d/%d" % (lo, hi, len(WHOLE)), "ContentRange")
    assert body(r) == WHOLE[lo:hi + 1], "bytes differ"
    tail = body(s3.get_object(Bucket=B, Key="mp.bin", Range="bytes=-1500"))
    assert tail == WHOLE[-1500:], "suffix range across the last boundary differs"


check("multipart-range-across-parts", mp_range_across)


def mp_part_number():
    r = s3.get_object(Bucket=B, Key="mp.bin", PartNumber=4)
    eq((r["ContentLength"], r.get("PartsCount")), (1000, 4), "(ContentLength, PartsCount)")
    assert body(r) == PARTS[3], "part 4 bytes differ"


check("multipart-get-part-number", mp_part_number)


def mp_copy_part():
    uid = s3.create_multipart_upload(Bucket=B, Key="mp-copy.bin")["UploadId"]
    r1 = s3.upload_part_copy(Bucket=B, Key="mp-copy.bin", UploadId=uid, PartNumber=1,
                             CopySource={"Bucket": B, "Key": "mp.bin"}, CopySourceRange="bytes=%d-%d" % (MiB, 6 * MiB - 1))
    r2 = s3.upload_part(Bucket=B, Key="mp-copy.bin", UploadId=uid, PartNumber=2, Body=b"tail")
    s3.complete_multipart_upload(Bucket=B, Key="mp-copy.bin", UploadId=uid, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"]}, {"PartNumber": 2, "ETag": r2["ETag"]}]})
    assert body(s3.get_object(Bucket=B, Key="mp-copy.bin")) == WHOLE[MiB:6 * MiB] + b"tail", "bytes differ"


check("multipart-upload-part-copy", mp_copy_part)


def mp_abort():
    uid = s3.create_multipart_upload(Bucket=B, Key="mp-abort.bin")["UploadId"]
    s3.upload_part(Bucket=B, Key="mp-abort.bin", UploadId=uid, PartNumber=1, Body=b"x")
    s3.abort_multipart_upload(Bucket=B, Key="mp-abort.bin", UploadId=uid)
    expect_error("NoSuchUpload", 404, lambda: s3.list_parts(Bucket=B, Key="mp-abort.bin", UploadId=uid))
    expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=B, Key="mp-abort.bin"))
    eq(s3.list_multipart_uploads(Bucket=B).get("Uploads", []), [], "uploads")


check("multipart-abort", mp_abort)


def mp_errors():
    uid = s3.create_multipart_upload(Bucket=B, Key="mp-err.bin")["UploadId"]
    e1 = s3.upload_part(Bucket=B, Key="mp-err.bin", UploadId=uid, PartNumber=1, Body=b"small")["ETag"]
    e2 = s3.upload_part(Bucket=B, Key="mp-err.bin", UploadId=uid, PartNumber=2, Body=b"small")["ETag"]
    expect_error("EntityTooSmall", 400, lambda: s3.complete_multipart_upload(
        Bucket=B, Key="mp-err.bin", UploadId=uid,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]}))
    expect_error("InvalidPartOrder", 400, lambda: s3.complete_multipart_upload(
        Bucket=B, Key="mp-err.bin", UploadId=uid,
        MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]}))
    expect_error("InvalidPart", 400, lambda: s3.complete_multipart_upload(
        Bucket=B, Key="mp-err.bin", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 3, "ETag": e1}]}))
    s3.abort_multipart_upload(Bucket=B, Key="mp-err.bin", UploadId=uid)
    expect_error("NoSuchUpload", 404, lambda: s3.upload_part(
        Bucket=B, Key="mp-err.bin", UploadId=uid, PartNumber=1, Body=b"x"))


check("multipart-errors", mp_errors)

# ------------------------------------------------------------------- errors
check("error-no-such-key", lambda: expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=B, Key="no/such/key")))
check("error-head-no-such-key-404", lambda: eq(client_error(lambda: s3.head_object(Bucket=B, Key="no/such/key"))[1], 404))
check("error-no-such-bucket", lambda: expect_error("NoSuchBucket", 404, lambda: s3.get_object(Bucket="boto3-missing", Key="k")))
check("error-no-such-bucket-list", lambda: expect_error("NoSuchBucket", 404, lambda: s3.list_objects_v2(Bucket="boto3-missing")))
check("error-head-bucket-404", lambda: eq(client_error(lambda: s3.head_bucket(Bucket="boto3-missing"))[1], 404))
check("error-bucket-not-empty", lambda: expect_error("BucketNotEmpty", 409, lambda: s3.delete_bucket(Bucket=B)))
check("error-invalid-bucket-name", lambda: expect_error("InvalidBucketName", 400, lambda: s3.create_bucket(Bucket="ab")))


def bad_md5():
    expect_error("BadDigest", 400, lambda: s3.put_object(
        Bucket=B, Key="md5.bin", Body=b"payload", ContentMD5=base64.b64encode(hashlib.md5(b"other").digest()).decode()))
    expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=B, Key="md5.bin"))


check("error-bad-content-md5", bad_md5)

# ---------------------------------------------------------------- presigned


def presigned_get():
    url = s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "range.bin"}, ExpiresIn=300)
    assert "X-Amz-Signature=" in url, "not a SigV4 URL: " + url
    with urllib.request.urlopen(url, timeout=10) as r:
        eq((r.status, r.read()), (200, DATA))


check("presigned-get", presigned_get)


def presigned_put():
    url = s3.generate_presigned_url("put_object", Params={"Bucket": B, "Key": "presigned put/ü.txt"}, ExpiresIn=300)
    req = urllib.request.Request(url, data=b"uploaded with a presigned URL", method="PUT")
    with urllib.request.urlopen(req, timeout=10) as r:
        eq(r.status, 200, "status")
    eq(body(s3.get_object(Bucket=B, Key="presigned put/ü.txt")), b"uploaded with a presigned URL")


check("presigned-put", presigned_put)


def presigned_tampered():
    url = s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "range.bin"}, ExpiresIn=300)
    try:
        urllib.request.urlopen(url.replace("range.bin", "range-copy.bin"), timeout=10)
    except urllib.error.HTTPError as e:
        eq(e.code, 403, "status")
        eq(b"<Code>SignatureDoesNotMatch</Code>" in e.read(), True, "SignatureDoesNotMatch in body")
        return
    raise AssertionError("tampered URL was accepted")


check("presigned-tampered-403", presigned_tampered)



def virtual_hosted():
    # Virtual-hosted style: "<bucket>.localhost". The name need not resolve:
    # the request goes to 127.0.0.1 with the URL's Host header, which is
    # what the presigned signature covers.
    import http.client
    import urllib.parse
    port = urllib.parse.urlsplit(ENDPOINT).port
    vs3 = session.client("s3", endpoint_url="http://localhost:%d" % port, config=Config(
        signature_version="s3v4", s3={"addressing_style": "virtual"}))

    def send(method, url, data=None):
        u = urllib.parse.urlsplit(url)
        assert u.hostname == B + ".localhost", "not a virtual-hosted URL: " + url
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request(method, u.path + "?" + u.query, body=data, headers={"Host": u.netloc})
        r = c.getresponse()
        return r.status, r.read()
    st, _ = send("PUT", vs3.generate_presigned_url("put_object", Params={"Bucket": B, "Key": "vhost/ü key.txt"}), b"via vhost")
    eq(st, 200, "PUT status")
    eq(body(s3.get_object(Bucket=B, Key="vhost/ü key.txt")), b"via vhost", "path-style GET of the vhost PUT")
    st, got = send("GET", vs3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "vhost/ü key.txt"}))
    eq((st, got), (200, b"via vhost"), "vhost GET")
    st, got = send("GET", vs3.generate_presigned_url("list_objects_v2", Params={"Bucket": B, "Prefix": "vhost/"}))
    eq(st, 200, "vhost list status")
    assert b"<KeyCount>1</KeyCount>" in got and b"<Key>vhost/" in got, got[:400]


check("virtual-hosted-style-presigned", virtual_hosted)

# ----------------------------------------------------------------- metadata


def metadata_roundtrip():
    s3.put_object(Bucket=B, Key="meta.txt", Body=b"m", Metadata={"alpha": "1", "Mixed-Case": "Value With Spaces"},
                  ContentType="text/x-compat; charset=utf-8", CacheControl="max-age=60",
                  ContentDisposition='attachment; filename="m.txt"', ContentLanguage="en", ContentEncoding="identity")
    for what, r in (("head", s3.head_object(Bucket=B, Key="meta.txt")), ("get", s3.get_object(Bucket=B, Key="meta.txt"))):
        eq(r["Metadata"], {"alpha": "1", "mixed-case": "Value With Spaces"}, what + " Metadata")
        eq((r["ContentType"], r.get("CacheControl"), r.get("ContentDisposition"), r.get("ContentLanguage"), r.get("ContentEncoding")),
           ("text/x-compat; charset=utf-8", "max-age=60", 'attachment; filename="m.txt"', "en", "identity"), what + " headers")


check("metadata-roundtrip", metadata_roundtrip)


def response_overrides():
    r = s3.get_object(Bucket=B, Key="meta.txt", ResponseContentType="application/x-override",
                      ResponseContentDisposition="inline", ResponseCacheControl="no-cache")
    eq((r["ContentType"], r["ContentDisposition"], r["CacheControl"]), ("application/x-override", "inline", "no-cache"))


check("get-response-header-overrides", response_overrides)

# ---------------------------------------------------------- managed transfer
TC = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, max_concurrency=4)
BIG = os.urandom(12 * MiB + 123)


def transfer_up():
    s3.upload_fileobj(io.BytesIO(BIG), B, "transfer/big.bin", Config=TC)
    h = s3.head_object(Bucket=B, Key="transfer/big.bin")
    eq(h["ContentLength"], len(BIG), "size")
    step = 5 * MiB
    eq(h["ETag"], multipart_etag([BIG[i:i + step] for i in range(0, len(BIG), step)]), "ETag (3 parts)")


check("upload-fileobj-multipart", transfer_up)


def transfer_down():
    buf = io.BytesIO()
    s3.download_fileobj(B, "transfer/big.bin", buf, Config=TC)
    assert buf.getvalue() == BIG, "downloaded bytes differ (%d vs %d)" % (len(buf.getvalue()), len(BIG))


check("download-fileobj-ranged", transfer_down)


def transfer_small():
    s3.upload_fileobj(io.BytesIO(b"small managed"), B, "transfer/small.bin", Config=TC)
    eq(s3.head_object(Bucket=B, Key="transfer/small.bin")["ETag"], md5_etag(b"small managed"), "ETag")
    buf = io.BytesIO()
    s3.download_fileobj(B, "transfer/small.bin", buf, Config=TC)
    eq(buf.getvalue(), b"small managed")


check("upload-download-fileobj-small", transfer_small)


def transfer_files():
    src = os.path.join(TMP, "up.bin")
    dst = os.path.join(TMP, "down.bin")
    with open(src, "wb") as f:
        f.write(BIG[:6 * MiB])
    s3.upload_file(src, B, "transfer/file.bin", Config=TC)
    s3.download_file(B, "transfer/file.bin", dst, Config=TC)
    with open(dst, "rb") as f:
        assert f.read() == BIG[:6 * MiB], "bytes differ"


check("upload-download-file", transfer_files)

# ---------------------------------------------------------------- checksums
CK = b"checksummed payload " * 1000


def b64(d):
    return base64.b64encode(d).decode()


def checksum_sha256():
    want = b64(hashlib.sha256(CK).digest())
    r = s3.put_object(Bucket=B, Key="ck/sha256.bin", Body=CK, ChecksumAlgorithm="SHA256")
    eq(r.get("ChecksumSHA256"), want, "PutObject ChecksumSHA256")
    h = s3.head_object(Bucket=B, Key="ck/sha256.bin", ChecksumMode="ENABLED")
    eq(h.get("ChecksumSHA256"), want, "HeadObject ChecksumSHA256")
    g = s3.get_object(Bucket=B, Key="ck/sha256.bin", ChecksumMode="ENABLED")
    eq((g.get("ChecksumSHA256"), body(g)), (want, CK), "GetObject (botocore validates the checksum)")


check("checksum-sha256", checksum_sha256)


def checksum_crc32():
    want = b64(zlib.crc32(CK).to_bytes(4, "big"))
    r = s3.put_object(Bucket=B, Key="ck/crc32.bin", Body=CK, ChecksumAlgorithm="CRC32")
    eq(r.get("ChecksumCRC32"), want, "PutObject ChecksumCRC32")
    eq(s3.head_object(Bucket=B, Key="ck/crc32.bin", ChecksumMode="ENABLED").get("ChecksumCRC32"), want, "HeadObject")


check("checksum-crc32", checksum_crc32)


def checksum_sha1_given():
    want = b64(hashlib.sha1(CK).digest())
    s3.put_object(Bucket=B, Key="ck/sha1.bin", Body=CK, ChecksumSHA1=want)
    eq(s3.head_object(Bucket=B, Key="ck/sha1.bin", ChecksumMode="ENABLED").get("ChecksumSHA1"), want, "HeadObject")


check("checksum-sha1-precomputed", checksum_sha1_given)


def checksum_mismatch():
    wrong = b64(hashlib.sha256(b"something else").digest())
    expect_error("BadDigest", 400, lambda: s3.put_object(Bucket=B, Key="ck/bad.bin", Body=CK, ChecksumSHA256=wrong))


check("checksum-mismatch-bad-digest", checksum_mismatch)
check("checksum-not-returned-without-mode", lambda: eq(
    s3.head_object(Bucket=B, Key="ck/sha256.bin").get("ChecksumSHA256"), None))



def checksum_multipart():
    parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), b"last part"]
    uid = s3.create_multipart_upload(Bucket=B, Key="ck/mp.bin", ChecksumAlgorithm="SHA256")["UploadId"]
    done = []
    for i, p in enumerate(parts, 1):
        r = s3.upload_part(Bucket=B, Key="ck/mp.bin", UploadId=uid, PartNumber=i, Body=p, ChecksumAlgorithm="SHA256")
        eq(r.get("ChecksumSHA256"), b64(hashlib.sha256(p).digest()), "part %d ChecksumSHA256" % i)
        done.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumSHA256": r["ChecksumSHA256"]})
    s3.complete_multipart_upload(Bucket=B, Key="ck/mp.bin", UploadId=uid, MultipartUpload={"Parts": done})
    # A multipart object's checksum is the checksum of the part checksums.
    want = b64(hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in parts)).digest()) + "-3"
    eq(s3.head_object(Bucket=B, Key="ck/mp.bin", ChecksumMode="ENABLED").get("ChecksumSHA256"), want, "HeadObject")


check("checksum-multipart-composite", checksum_multipart)

# -------------------------------------------------------------- edge cases


def zero_bytes():
    r = s3.put_object(Bucket=B, Key="empty", Body=b"")
    eq(r["ETag"], md5_etag(b""), "ETag")
    g = s3.get_object(Bucket=B, Key="empty")
    eq((g["ContentLength"], body(g)), (0, b""))


check("zero-byte-object", zero_bytes)


def overwrite():
    s3.put_object(Bucket=B, Key="over", Body=b"first", Metadata={"v": "1"})
    s3.put_object(Bucket=B, Key="over", Body=b"second")
    g = s3.get_object(Bucket=B, Key="over")
    eq((body(g), g["Metadata"]), (b"second", {}))


check("overwrite-replaces-bytes-and-metadata", overwrite)
check("error-key-too-long", lambda: expect_error(
    "KeyTooLongError", 400, lambda: s3.put_object(Bucket=B, Key="k" * 1025, Body=b"x")))
check("key-1024-bytes-ok", lambda: (s3.put_object(Bucket=B, Key="k" * 1024, Body=b"x"),
                                    eq(body(s3.get_object(Bucket=B, Key="k" * 1024)), b"x")))
check("error-metadata-too-large", lambda: expect_error(
    "MetadataTooLarge", 400, lambda: s3.put_object(Bucket=B, Key="big-meta", Body=b"x", Metadata={"m": "v" * 2100})))


def delete_too_many():
    objs = [{"Key": "k/%05d" % i} for i in range(1001)]
    expect_error("MalformedXML", 400, lambda: s3.delete_objects(Bucket=L, Delete={"Objects": objs}))


check("error-delete-objects-over-1000", delete_too_many)


def anonymous():
    anon = session.client("s3", endpoint_url=ENDPOINT, config=Config(
        signature_version=botocore.UNSIGNED, retries={"max_attempts": 1}))
    expect_error("AccessDenied", 403, lambda: anon.get_object(Bucket=B, Key="range.bin"))


check("error-anonymous-access-denied", anonymous)


def wrong_secret():
    bad = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="wrong", region_name="us-east-1").client(
        "s3", endpoint_url=ENDPOINT, config=Config(retries={"max_attempts": 1}))
    expect_error("SignatureDoesNotMatch", 403, lambda: bad.list_buckets())
    bad = boto3.session.Session(aws_access_key_id="nobody", aws_secret_access_key="test", region_name="us-east-1").client(
        "s3", endpoint_url=ENDPOINT, config=Config(retries={"max_attempts": 1}))
    expect_error("InvalidAccessKeyId", 403, lambda: bad.put_object(Bucket=B, Key="x", Body=b"x"))


check("error-bad-credentials", wrong_secret)


def presigned_put_expired():
    url = s3.generate_presigned_url("put_object", Params={"Bucket": B, "Key": "late.txt"}, ExpiresIn=1)
    import time
    time.sleep(2)
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=b"late", method="PUT"), timeout=10)
    except urllib.error.HTTPError as e:
        eq(e.code, 403, "status")
        expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=B, Key="late.txt"))
        return
    raise AssertionError("expired URL was accepted")


check("presigned-put-expired-403", presigned_put_expired)
check("not-implemented-bucket-policy", lambda: expect_error(
    "NotImplemented", 501, lambda: s3.get_bucket_policy(Bucket=B)))

# ------------------------------------------------------------------ cleanup


def cleanup():
    for b in (L, B, B2):
        empty_bucket(b)
        s3.delete_bucket(Bucket=b)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert not set(names) & {L, B, B2}, "buckets left: %r" % names


check("delete-objects-1050-and-buckets", cleanup)

finish()
