# tarn's runtime loop for Lambda python3.x functions (see doc.go).
import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"


def post(path, body, headers=None):
    sys.stdout.flush()
    sys.stderr.flush()
    data = json.dumps(body).encode() if not isinstance(body, (bytes, bytearray)) else bytes(body)
    req = urllib.request.Request(API + path, data=data, method="POST", headers=headers or {})
    urllib.request.urlopen(req).read()


def error_body(e, typ=None):
    tb = traceback.extract_tb(e.__traceback__)
    return {
        "errorMessage": str(e),
        "errorType": typ or type(e).__name__,
        "stackTrace": [l for l in traceback.format_list(tb)],
    }


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self._deadline = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


def load():
    handler = os.environ.get("_HANDLER", "")
    mod_name, _, fn_name = handler.rpartition(".")
    mod_name = mod_name.replace("/", ".")
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", "."))
    try:
        mod = importlib.import_module(mod_name)
    except Exception as e:
        post("/init/error", {"errorMessage": "Unable to import module '%s': %s" % (mod_name, e),
                             "errorType": "Runtime.ImportModuleError", "stackTrace": []},
             {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
        sys.exit(1)
    fn = getattr(mod, fn_name, None)
    if fn is None:
        post("/init/error", {"errorMessage": "Handler '%s' missing on module '%s'" % (fn_name, mod_name),
                             "errorType": "Runtime.HandlerNotFound", "stackTrace": []},
             {"Lambda-Runtime-Function-Error-Type": "Runtime.HandlerNotFound"})
        sys.exit(1)
    return fn


def main():
    fn = load()
    while True:
        with urllib.request.urlopen(API + "/invocation/next") as r:
            headers = r.headers
            raw = r.read()
        rid = headers.get("Lambda-Runtime-Aws-Request-Id")
        try:
            event = json.loads(raw) if raw else None
            result = fn(event, Context(headers))
            post("/invocation/%s/response" % rid, result)
        except Exception as e:
            # Lambda's Python runtime logs an unhandled error like this.
            body = error_body(e)
            sys.stdout.write("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (
                body["errorType"], body["errorMessage"], "".join(body["stackTrace"])))
            sys.stdout.flush()
            post("/invocation/%s/error" % rid, body,
                 {"Lambda-Runtime-Function-Error-Type": "Unhandled"})


main()
