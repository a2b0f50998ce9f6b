// Package runtime holds the runtime loops tarn ships for interpreted
// Lambda runtimes (its own code, not AWS's). Each loop talks the Lambda
// Runtime API at $AWS_LAMBDA_RUNTIME_API, loads the handler named by
// $_HANDLER ("file.function") from $LAMBDA_TASK_ROOT, and reports results
// and errors in Lambda's shapes ({"errorMessage","errorType","stackTrace"}).
//
// The function package writes these scripts to disk and runs them with the
// machine's interpreter (python3, node) as the environment's process.
package runtime

import _ "embed"

// Python is the loop for python3.x runtimes: run as `python3 Python`.
//
//go:embed python_loop.py
var Python []byte

// Node is the loop for nodejs* runtimes: run as `node Node`.
//
//go:embed node_loop.js
var Node []byte
