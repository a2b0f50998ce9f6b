// tarn's runtime loop for Lambda nodejs functions (see doc.go).
"use strict";
const http = require("http");
const path = require("path");
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const base = "/2018-06-01/runtime";

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: base + p, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function errorBody(e) {
  const err = e instanceof Error ? e : new Error(String(e));
  return JSON.stringify({
    errorType: err.name || "Error",
    errorMessage: err.message,
    stackTrace: (err.stack || "").split("\n").slice(1).map((l) => l.trim()),
  });
}

async function load() {
  const handler = process.env._HANDLER || "";
  const dot = handler.lastIndexOf(".");
  const file = handler.slice(0, dot), fn = handler.slice(dot + 1);
  const root = process.env.LAMBDA_TASK_ROOT || ".";
  let mod;
  try {
    try { mod = require(path.join(root, file)); }
    catch (e) {
      if (e.code !== "MODULE_NOT_FOUND" && e.code !== "ERR_REQUIRE_ESM") throw e;
      mod = await import(path.join(root, file + ".mjs"));
    }
  } catch (e) {
    await request("POST", "/init/error", JSON.stringify({ errorType: "Runtime.ImportModuleError",
      errorMessage: "Error: Cannot find module '" + file + "'", stackTrace: [] }));
    process.exit(1);
  }
  const f = mod[fn];
  if (typeof f !== "function") {
    await request("POST", "/init/error", JSON.stringify({ errorType: "Runtime.HandlerNotFound",
      errorMessage: file + "." + fn + " is undefined or not exported", stackTrace: [] }));
    process.exit(1);
  }
  return f;
}

async function main() {
  const f = await load();
  for (;;) {
    const next = await request("GET", "/invocation/next");
    const id = next.headers["lambda-runtime-aws-request-id"];
    const deadline = Number(next.headers["lambda-runtime-deadline-ms"] || 0);
    const ctx = {
      awsRequestId: id,
      invokedFunctionArn: next.headers["lambda-runtime-invoked-function-arn"],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      const event = next.body.length ? JSON.parse(next.body.toString()) : null;
      const result = await new Promise((resolve, reject) => {
        const r = f(event, ctx, (err, res) => (err ? reject(err) : resolve(res)));
        if (r && typeof r.then === "function") r.then(resolve, reject);
      });
      await request("POST", "/invocation/" + id + "/response", JSON.stringify(result === undefined ? null : result));
    } catch (e) {
      await request("POST", "/invocation/" + id + "/error", errorBody(e),
        { "Lambda-Runtime-Function-Error-Type": "Unhandled" });
    }
  }
}

main();
