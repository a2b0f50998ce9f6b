// Package emr is tarn's Amazon EMR: clusters and steps (AWS JSON 1.1,
// X-Amz-Target prefix ElasticMapReduce, SigV4 service elasticmapreduce),
// durable in Pebble, with steps that really run.
//
// Clusters (op_cluster.go, op_manage.go, cluster.go): RunJobFlow records
// the cluster STARTING with its steps PENDING in one batch and starts the
// cluster's runner (runner.go), which moves it through BOOTSTRAPPING to
// WAITING, to RUNNING while a step runs, and — when no step is pending and
// KeepJobFlowAliveWhenNoSteps is off, or on TerminateJobFlows, or when a
// TERMINATE_CLUSTER step fails — through TERMINATING to TERMINATED or
// TERMINATED_WITH_ERRORS, with EMR's StateChangeReason codes and messages
// and a Timeline. Instance groups and fleets are accepted and echoed
// (ListInstanceGroups, ListInstanceFleets); there are no instances. Bootstrap
// actions are accepted and listed, never run: tarn has no nodes.
// Termination protection refuses TerminateJobFlows (ValidationException)
// and turns a failed TERMINATE_CLUSTER step into CANCEL_AND_WAIT; the
// cluster still auto-terminates when its steps are done, as in EMR.
//
// Steps (op_step.go, exec.go, args.go, spark.go) run in order, one at a
// time per cluster. command-runner.jar with spark-sql, hive or
// hive-script: the -i/-f scripts (read from s3:// through Lake) and -e
// text are split into statements by engine.Split (quotes, comments and
// dollar quotes respected), ${k} / ${hivevar:k} / ${hiveconf:k} are
// substituted from -d/--define/--hivevar/--hiveconf, SET k=v and USE db
// are applied by the step, and every other statement goes to SQLRunner
// with the step's --database. spark-submit of a .py script runs as
// python3 with SPARK_REMOTE when Options.SparkConnect is set; any other
// step fails at once saying what tarn runs. A failing statement fails the
// step (FailureDetails name the statement and the engine's error), then
// its ActionOnFailure applies: CONTINUE, CANCEL_AND_WAIT (pending steps
// CANCELLED), TERMINATE_CLUSTER / TERMINATE_JOB_FLOW (pending steps
// CANCELLED, cluster TERMINATED_WITH_ERRORS, STEP_FAILURE). CancelSteps
// cancels PENDING steps and interrupts the RUNNING one. With a LogUri,
// each step's stdout.gz and stderr.gz land at
// <LogUri>/<cluster>/steps/<step>/ (logs.go).
//
// Durability (store.go): clusters and steps are JSON records in
// Options.Meta, every change one synced kv.Batch, mirrored in memory only
// after it commits. Start settles what a crash interrupted: a step found
// RUNNING becomes FAILED ("tarn stopped while this step was running") and
// its ActionOnFailure applies; pending steps resume. Stop cancels running
// steps and leaves them RUNNING for the next Start to settle.
//
// DescribeJobFlows (op_jobflows.go) renders the same records in the
// deprecated JobFlowDetail shapes, with EMR's default two-month /
// two-week window.
//
// Everything else of the EMR API answers UnknownOperationException naming
// the operation (unimplemented.go).
package emr
