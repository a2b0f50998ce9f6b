"""compat/compatlib.py — what the boto3 sessions share: an isolated boto3
session pointed at tarn (AWS_ENDPOINT_URL), and the PASS/FAIL checks.

Each check prints "PASS name" or "FAIL name: detail"; a failing check never
stops the session; a session ends with finish(), which exits 1 if any
check failed.
"""
import os
import sys
import tempfile
import traceback

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL") or os.environ.get("TARN_COMPAT_ENDPOINT")
if not ENDPOINT:
    sys.exit("AWS_ENDPOINT_URL must be set")

# Nothing from ~/.aws may leak into the session.
TMP = tempfile.mkdtemp(prefix="boto3-", dir=os.environ.get("TARN_COMPAT_TMP"))
os.environ["AWS_CONFIG_FILE"] = os.path.join(TMP, "config")
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(TMP, "credentials")
for v in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE"):
    os.environ.pop(v, None)
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

session = boto3.session.Session(
    aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")


def config(**kw):
    """A botocore Config with the suite's retries and timeouts, plus kw."""
    return Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=60, **kw)


# boto3 1.26 predates AWS_ENDPOINT_URL, so the endpoint is passed explicitly.
def client(service, **kw):
    return session.client(service, endpoint_url=ENDPOINT, config=config(**kw))


def resource(service, **kw):
    return session.resource(service, endpoint_url=ENDPOINT, config=config(**kw))


FAILS = []


def one_line(s):
    return " | ".join(str(s).splitlines())[:600]


def check(name, fn):
    """Run fn; it passes unless it raises. Returns fn's result (or None)."""
    try:
        r = fn()
    except AssertionError as e:
        FAILS.append(name)
        print("FAIL %s: %s" % (name, one_line(e) or "assertion failed"), flush=True)
        return None
    except Exception as e:  # noqa: BLE001 - every error is a failed check
        FAILS.append(name)
        detail = "%s: %s" % (type(e).__name__, e)
        if not isinstance(e, ClientError):
            tb = traceback.extract_tb(e.__traceback__)
            detail += " (line %d)" % tb[-1].lineno
        print("FAIL %s: %s" % (name, one_line(detail)), flush=True)
        return None
    print("PASS %s" % name, flush=True)
    return r


def eq(got, want, what=""):
    assert got == want, "%sgot %r, want %r" % (what + ": " if what else "", got, want)


def client_error(fn):
    """Call fn, which must raise ClientError; return (code, status)."""
    try:
        fn()
    except ClientError as e:
        return e.response.get("Error", {}).get("Code"), e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("no error raised")


def expect_error(code, status, fn):
    got = client_error(fn)
    eq(got, (code, status), "error (code, status)")


def finish():
    sys.exit(1 if FAILS else 0)
