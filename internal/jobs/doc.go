// Package jobs is Glue's ETL side: jobs, job runs, job bookmarks,
// triggers and workflows, served on the Glue JSON 1.1 API (X-Amz-Target
// prefix AWSGlue, shared with internal/catalog; the platform sends here
// the operations Operations lists).
//
// Runs really run. A job whose script (Command.ScriptLocation, read
// through the Lake seam) ends in .sql is split into statements, ${name}
// replaced by the run's --name argument, and each statement executed in
// order through the SQLRunner seam (--database, --engine athena|warehouse).
// A pythonshell .py script runs under python3 with only a basic
// environment plus the AWS endpoint and credentials; a glueetl .py script
// runs the same way with SPARK_REMOTE when Options.SparkConnect is set,
// and otherwise fails at once saying a Spark engine is needed. Output goes
// to the LogWriter seam (/aws-glue/jobs/output and /error, stream = run id).
//
// Durability: every record (job, run attempt, bookmark, trigger with its
// schedule base, workflow run) is a synced Pebble write. A run that was
// executing when tarn stopped or crashed ends FAILED with msgInterrupted
// (at Stop, or at the next Start). A scheduled slot fires at most once,
// across restarts too (see scheduler.go).
//
// Concurrency: one mutex (Service.mu) guards record read-modify-writes,
// the active-run map and trigger evaluation; run execution (scripts, SQL,
// lake reads) happens outside it. Crawler seam calls are made under it, so
// a Crawlers implementation must never call back into this package.
package jobs
