// Package function is tarn's Lambda: the REST-JSON API under
// /2015-03-31/functions (create, get, list, update code and configuration,
// delete, versions, aliases, reserved concurrency, Invoke) and execution
// environments that run functions as child processes, without Docker.
//
// Runtimes: provided.al2023 / provided.al2 run the zip's bootstrap; python3.x
// and nodejs* run the machine's interpreter with tarn's own runtime loop
// (package runtime). Every environment talks tarn's Lambda Runtime API on
// its own 127.0.0.1 listener (AWS_LAMBDA_RUNTIME_API), so an unmodified
// github.com/aws/aws-lambda-go function works. A process gets exactly
// Lambda's environment variables plus the function's Environment.Variables
// and a default PATH, nothing of tarn's environment; it runs in its own
// process group, which the timeout kills. While an invocation runs, its
// resident memory is sampled every 10 ms; past MemorySize the environment
// is killed and the invoke answers Runtime.OutOfMemory.
//
// Environments are reused while warm, a new one starts when all are busy
// (up to reserved concurrency, else Options.MaxEnvironments; beyond it
// Invoke answers TooManyRequestsException), an idle one is frozen
// (SIGSTOP to its process group, SIGCONT before its next invocation, as
// Lambda freezes environments), a crashed or timed-out one is
// replaced by the next invoke, and idle ones stop after
// Options.IdleTimeout.
//
// Asynchronous invocations (InvocationType Event, and Service.Enqueue) are
// stored in Options.Meta before the 202 and run by a background worker
// with the FunctionEventInvokeConfig retry policy (default: 2 retries after
// Options.RetryDelay and twice that; a 6 h maximum age); they survive a
// restart. OnSuccess/OnFailure destinations (an S3 bucket on failure, a
// Lambda function) are delivered through the same durable queue
// (destination.go); DeadLetterConfig is refused (tarn runs no SQS/SNS).
// Meta also holds delivery-failure counts under dlf/REGION/NAME.
//
// Resource policies (AddPermission, GetPolicy, RemovePermission) are
// stored and returned as Lambda shapes them, not evaluated: every caller is
// the account's own.
//
// Go entry points for triggers (api.go): Service.Invoke (synchronous) and
// Service.Enqueue (durable asynchronous); errors match ErrNotFound,
// ErrConflict, ErrThrottled with errors.Is.
//
// Errors: an environment's failures are Lambda's function errors
// (X-Amz-Function-Error: Unhandled with {"errorType","errorMessage"}):
// the handler's error as the runtime reported it, Runtime.ExitError for a
// crash, Sandbox.Timedout ("Task timed out after N.NN seconds") for the
// timeout, the runtime's /init/error body for an init failure. tarn never
// answers "Handled" (modern Lambda runtimes do not either).
//
// Logs: each invocation's output, framed by START / END / REPORT lines as
// Lambda prints them, is kept in memory (Service.Logs) and handed to
// Options.Logs (CloudWatch Logs group /aws/lambda/NAME, one stream per
// environment) asynchronously and in order; without a sink it is appended
// to DataDir/functions/_logs/REGION/NAME.log.
//
// Event source mappings (NewMappings, esm*.go): Kinesis streams and
// DynamoDB Streams read through KinesisSource and DynamoSource, one
// poller per mapping (and per Kinesis shard), invoking the function
// synchronously with Lambda's event shapes; a shard's position advances
// only after the function succeeded (or a batch used up its retries).
// FilterCriteria (package filter) drop records before the invoke;
// ReportBatchItemFailures retries from the lowest failed record;
// ParallelizationFactor runs up to 10 lanes per shard, in order per key;
// discarded batches go to the on-failure destination (esm.go states the
// rest of the contract).
//
// Metadata: one JSON record per function in Options.Meta under
// "f/REGION/NAME", the async queue under "q/", mappings under "m/UUID"
// and their positions under "mc/UUID/SHARD"; code is unpacked under
// DataDir/functions/REGION/NAME/.
package function
