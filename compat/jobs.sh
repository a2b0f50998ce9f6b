#!/usr/bin/env bash
# compat/jobs.sh — a scripted awscli v2 session of tarn's batch side: Glue
# jobs (a SQL job on Athena's engine with bookmarks, a pythonshell job),
# triggers and workflows, EMR clusters with spark-sql / Hive steps, and the
# CloudWatch Logs the runs write (run by compat/run.sh; helpers in common.sh).
set -uo pipefail
COMPAT_SESSION=jobs
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
B=compat-jobs
DB=compat_jobs
OUT="s3://$B/athena-results/"
ROLE=arn:aws:iam::000000000000:role/compat-glue

# athena: start, poll, fetch (as in analytics.sh). run_query SQL -> prints
# the query id, or "FAILED reason" when the query did not succeed.
run_query() {
	local id st
	id=$(q athena start-query-execution --query-string "$1" --query-execution-context "Database=$DB" \
		--result-configuration "OutputLocation=$OUT" --query QueryExecutionId) || return 1
	for _ in $(seq 1 600); do
		st=$(q athena get-query-execution --query-execution-id "$id" --query 'QueryExecution.Status.State')
		case $st in SUCCEEDED) echo "$id"; return 0 ;;
		FAILED | CANCELLED) echo "$st $(q athena get-query-execution --query-execution-id "$id" --query 'QueryExecution.Status.StateChangeReason')"; return 0 ;;
		esac
		sleep 0.05
	done
	echo "TIMEOUT"
}
rows() { q athena get-query-results --query-execution-id "$1" --query 'ResultSet.Rows[].Data[].VarCharValue'; }
# silver_rows: count and sum of the SQL job's target table, through Athena.
silver_rows() { rows "$(run_query "SELECT count(*), sum(amount) FROM sales_silver")" | cut -f3-; }

# glue: start_run JOB [ARGS-JSON] -> the run id; wait_run JOB ID -> the
# run's final "STATE<TAB>ErrorMessage" (None when there is none).
start_run() {
	if [ $# -gt 1 ]; then
		q glue start-job-run --job-name "$1" --arguments "$2" --query JobRunId
	else
		q glue start-job-run --job-name "$1" --query JobRunId
	fi
}
wait_run() {
	local st
	for _ in $(seq 1 300); do
		st=$(q glue get-job-run --job-name "$1" --run-id "$2" --query 'JobRun.[JobRunState,ErrorMessage]')
		case $st in SUCCEEDED* | FAILED* | ERROR* | TIMEOUT* | STOPPED*) break ;; esac
		sleep 0.1
	done
	echo "$st"
}
# log_lines GROUP STREAM: the stream's messages, one a line.
log_lines() {
	q logs get-log-events --log-group-name "$1" --log-stream-name "$2" --start-from-head --query 'events[].message' | tr '\t' '\n'
}
# has NAME TEXT NEEDLE: pass when TEXT contains NEEDLE.
has() { case $2 in *"$3"*) pass "$1" ;; *) fail "$1" "[$3] not in [$2]" ;; esac; }

# ------------------------------------------------------------ the lake
ok jobs-make-bucket aws s3 mb "s3://$B"
mkdir -p lake/raw/sales lake/scripts
printf '1,10.5\n2,0.0\n3,7.25\n' >lake/raw/sales/part-1.csv
printf '4,1.0\n' >part-2.csv
cd lake || exit 1
cat >scripts/silver.sql <<-'SQL'
	-- keep the paid lines
	INSERT INTO sales_silver
	SELECT id, amount FROM sales_raw WHERE amount > ${min_amount};
SQL
cat >scripts/broken.sql <<-'SQL'
	SELECT 1;
	SELECT nope FROM no_such_table;
SQL
printf 'SELECT 1;\n' >scripts/ping.sql
cat >scripts/hello.py <<-'PY'
	import sys
	args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
	print("hello from pythonshell")
	print("job", args.get("--JOB_NAME"), "greeting", args.get("--greeting"))
	print("to stderr", file=sys.stderr)
PY
cat >scripts/sleep.py <<-'PY'
	import time
	print("sleeping", flush=True)
	time.sleep(60)
PY
printf 'print("never runs")\n' >scripts/etl.py
cat >scripts/gold.q <<-'SQL'
	USE compat_jobs;
	CREATE TABLE emr_hive WITH (format = 'PARQUET', external_location = 's3://compat-jobs/gold/emr_hive/')
	AS SELECT count(*) AS n FROM sales_silver WHERE amount > ${MIN};
SQL
cd .. || exit 1
ok jobs-upload-lake aws s3 cp lake "s3://$B/" --recursive

id=$(run_query "CREATE DATABASE IF NOT EXISTS $DB")
case $id in FAILED* | TIMEOUT | "") fail jobs-athena-create-database "$id" ;; *) pass jobs-athena-create-database ;; esac
# The source and the (empty) target table together, polled in one BatchGetQueryExecution.
ids=
for sql in "CREATE EXTERNAL TABLE sales_raw (id bigint, amount double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://$B/raw/sales/'" \
	"CREATE EXTERNAL TABLE sales_silver (id bigint, amount double) STORED AS PARQUET LOCATION 's3://$B/silver/sales/'"; do
	ids="$ids $(q athena start-query-execution --query-string "$sql" --query-execution-context "Database=$DB" \
		--result-configuration "OutputLocation=$OUT" --query QueryExecutionId)"
done
got=
for _ in $(seq 1 100); do
	# shellcheck disable=SC2086 # two ids
	got=$(q athena batch-get-query-execution --query-execution-ids $ids --query 'QueryExecutions[].Status.State' | tr '\t' '\n' | sort -u)
	case $got in *QUEUED* | *RUNNING*) sleep 0.1 ;; *) break ;; esac
done
eq jobs-athena-create-tables "$got" SUCCEEDED

# ------------------------------------------------------------ a SQL job
ok glue-create-job aws glue create-job --name silver --role "$ROLE" \
	--command "Name=glueetl,ScriptLocation=s3://$B/scripts/silver.sql" \
	--default-arguments "{\"--database\":\"$DB\",\"--job-bookmark-option\":\"job-bookmark-enable\",\"--min_amount\":\"5\"}" \
	--glue-version 4.0
got=$(q glue get-job --job-name silver --query 'Job.[Command.Name,Command.ScriptLocation,DefaultArguments."--database",ExecutionProperty.MaxConcurrentRuns]')
eq glue-get-job "$got" "$(printf 'glueetl\ts3://%s/scripts/silver.sql\t%s\t1' "$B" "$DB")"
expect_error glue-create-job-exists AlreadyExistsException aws glue create-job --name silver --role "$ROLE" \
	--command "Name=glueetl,ScriptLocation=s3://$B/scripts/silver.sql"
expect_error glue-get-missing-job EntityNotFoundException aws glue get-job --job-name no-such-job
# UpdateJob replaces the definition: --min_amount drops to 0, a description and a timeout appear.
ok glue-update-job aws glue update-job --job-name silver --job-update \
	"{\"Role\":\"$ROLE\",\"Description\":\"raw to silver\",\"Timeout\":10,\"Command\":{\"Name\":\"glueetl\",\"ScriptLocation\":\"s3://$B/scripts/silver.sql\"},\"DefaultArguments\":{\"--database\":\"$DB\",\"--job-bookmark-option\":\"job-bookmark-enable\",\"--min_amount\":\"0\"}}"
got=$(q glue get-job --job-name silver --query 'Job.[Description,Timeout,DefaultArguments."--min_amount"]')
eq glue-get-updated-job "$got" "$(printf 'raw to silver\t10\t0')"

run1=$(start_run silver)
eq glue-job-run-succeeds "$(wait_run silver "$run1")" "$(printf 'SUCCEEDED\tNone')"
eq glue-job-wrote-table "$(silver_rows)" "$(printf '2\t17.75')"
got=$(log_lines /aws-glue/jobs/output "$run1")
has logs-glue-job-output "$got" "statement 1: 2 rows"
# The bookmark: the second run reads only the file added since.
ok glue-upload-new-file aws s3 cp part-2.csv "s3://$B/raw/sales/part-2.csv"
run2=$(start_run silver)
eq glue-bookmarked-run-succeeds "$(wait_run silver "$run2")" "$(printf 'SUCCEEDED\tNone')"
eq glue-bookmark-reads-new-file-only "$(silver_rows)" "$(printf '3\t18.75')"
got=$(q glue get-job-runs --job-name silver --query 'JobRuns[].[Id,JobRunState]' | sort)
eq glue-get-job-runs "$got" "$(printf '%s\tSUCCEEDED\n%s\tSUCCEEDED' "$run1" "$run2" | sort)"
ok glue-reset-job-bookmark aws glue reset-job-bookmark --job-name silver
run3=$(start_run silver '{"--min_amount":"5"}')
wait_run silver "$run3" >/dev/null
eq glue-reset-bookmark-rereads-all "$(silver_rows)" "$(printf '5\t36.5')"

# A failing statement fails the run and names the statement.
ok glue-create-broken-job aws glue create-job --name broken --role "$ROLE" \
	--command "Name=glueetl,ScriptLocation=s3://$B/scripts/broken.sql" --default-arguments "{\"--database\":\"$DB\"}"
runb=$(start_run broken)
got=$(wait_run broken "$runb")
case $got in FAILED$'\t'"statement 2 failed"*no_such_table*) pass glue-failing-statement ;; *) fail glue-failing-statement "$got" ;; esac
has logs-glue-job-error "$(log_lines /aws-glue/jobs/error "$runb")" "statement 2 failed"

# ------------------------------------------------------------ python jobs
ok glue-create-pythonshell-job aws glue create-job --name hello --role "$ROLE" \
	--command "Name=pythonshell,ScriptLocation=s3://$B/scripts/hello.py,PythonVersion=3.9" --default-arguments '{"--greeting":"hi"}'
runp=$(start_run hello)
eq glue-pythonshell-succeeds "$(wait_run hello "$runp")" "$(printf 'SUCCEEDED\tNone')"
eq logs-pythonshell-output "$(log_lines /aws-glue/jobs/output "$runp")" "$(printf 'hello from pythonshell\njob hello greeting hi')"
eq logs-pythonshell-stderr "$(log_lines /aws-glue/jobs/error "$runp")" "to stderr"
ok glue-create-etl-py-job aws glue create-job --name etl-py --role "$ROLE" \
	--command "Name=glueetl,ScriptLocation=s3://$B/scripts/etl.py"
got=$(wait_run etl-py "$(start_run etl-py)")
case $got in FAILED$'\t'*Spark*) pass glue-etl-py-needs-spark ;; *) fail glue-etl-py-needs-spark "$got" ;; esac
# One run at a time (MaxConcurrentRuns 1), and BatchStopJobRun stops it.
ok glue-create-sleep-job aws glue create-job --name sleeper --role "$ROLE" \
	--command "Name=pythonshell,ScriptLocation=s3://$B/scripts/sleep.py" --execution-property MaxConcurrentRuns=1
runs=$(start_run sleeper)
expect_error glue-concurrent-runs-exceeded ConcurrentRunsExceededException aws glue start-job-run --job-name sleeper
got=$(q glue batch-stop-job-run --job-name sleeper --job-run-ids "$runs" --query 'SuccessfulSubmissions[0].JobRunId')
eq glue-batch-stop-job-run "$got" "$runs"
eq glue-stopped-run "$(wait_run sleeper "$runs" | cut -f1)" STOPPED

# ------------------------------------------------------------ triggers
for j in ping pong; do
	ok "glue-create-job-$j" aws glue create-job --name "$j" --role "$ROLE" \
		--command "Name=glueetl,ScriptLocation=s3://$B/scripts/ping.sql" --default-arguments "{\"--database\":\"$DB\"}"
done
got=$(q glue list-jobs --query "JobNames[?contains(['broken', 'etl-py', 'hello', 'ping', 'pong', 'silver', 'sleeper'], @)]" | tr '\t' '\n' | sort | tr '\n' ' ')
eq glue-list-jobs "$got" "broken etl-py hello ping pong silver sleeper "
ok glue-create-on-demand-trigger aws glue create-trigger --name kick --type ON_DEMAND --actions JobName=ping
ok glue-start-trigger aws glue start-trigger --name kick
# wait_first JOB: the newest run of JOB, once final, as "STATE<TAB>TriggerName".
wait_first() {
	local st
	for _ in $(seq 1 300); do
		st=$(q glue get-job-runs --job-name "$1" --query 'JobRuns[0].[JobRunState,TriggerName]')
		case $st in SUCCEEDED* | FAILED* | ERROR* | TIMEOUT* | STOPPED*) break ;; esac
		sleep 0.1
	done
	echo "$st"
}
eq glue-on-demand-trigger-runs-job "$(wait_first ping)" "$(printf 'SUCCEEDED\tkick')"
ok glue-create-conditional-trigger aws glue create-trigger --name after-ping --type CONDITIONAL --actions JobName=pong \
	--predicate '{"Logical":"ANY","Conditions":[{"LogicalOperator":"EQUALS","JobName":"ping","State":"SUCCEEDED"}]}'
ok glue-activate-trigger aws glue start-trigger --name after-ping
eq glue-trigger-activated "$(q glue get-trigger --name after-ping --query Trigger.State)" ACTIVATED
start_run ping >/dev/null # pong's first run is the trigger's, after ping succeeds
eq glue-conditional-trigger-fires "$(wait_first pong)" "$(printf 'SUCCEEDED\tafter-ping')"
got=$(q glue get-triggers --query "Triggers[?Name=='kick' || Name=='after-ping'].[Name,Type]" | sort | tr '\t\n' ': ')
eq glue-get-triggers "$got" "after-ping:CONDITIONAL kick:ON_DEMAND "
ok glue-delete-trigger aws glue delete-trigger --name after-ping
expect_error glue-deleted-trigger-gone EntityNotFoundException aws glue get-trigger --name after-ping

# ------------------------------------------------------------ workflows
ok glue-create-workflow aws glue create-workflow --name nightly --description "ping then pong"
ok glue-workflow-start-trigger aws glue create-trigger --name nightly-start --workflow-name nightly --type ON_DEMAND --actions JobName=ping
ok glue-workflow-next-trigger aws glue create-trigger --name nightly-next --workflow-name nightly --type CONDITIONAL \
	--actions JobName=pong --start-on-creation \
	--predicate '{"Logical":"ANY","Conditions":[{"LogicalOperator":"EQUALS","JobName":"ping","State":"SUCCEEDED"}]}'
wr=$(q glue start-workflow-run --name nightly --query RunId)
got=
for _ in $(seq 1 100); do
	got=$(q glue get-workflow-run --name nightly --run-id "$wr" --query 'Run.[Status,Statistics.TotalActions,Statistics.SucceededActions,Statistics.FailedActions]')
	case $got in COMPLETED* | STOPPED* | ERROR*) break ;; esac
	sleep 0.2
done
eq glue-workflow-run-completed "$got" "$(printf 'COMPLETED\t2\t2\t0')"
got=$(q glue get-workflow --name nightly --include-graph --query 'Workflow.[length(Graph.Nodes),length(Graph.Edges)]')
eq glue-workflow-graph "$got" "$(printf '4\t3')"

# ------------------------------------------------------------ EMR
cid=$(q emr create-cluster --name compat-emr --release-label emr-7.1.0 --applications Name=Spark Name=Hive \
	--instance-type m5.xlarge --instance-count 1 --no-auto-terminate --service-role EMR_DefaultRole \
	--ec2-attributes InstanceProfile=EMR_EC2_DefaultRole --log-uri "s3://$B/emr-logs/" --query ClusterId)
case $cid in j-*) pass emr-create-cluster ;; *) fail emr-create-cluster "cluster id [$cid]" ;; esac
got=
for _ in $(seq 1 100); do
	got=$(q emr describe-cluster --cluster-id "$cid" --query 'Cluster.[Status.State,ReleaseLabel]')
	case $got in WAITING* | TERMINATED*) break ;; esac
	sleep 0.1
done
eq emr-cluster-waiting "$got" "$(printf 'WAITING\temr-7.1.0')"
has emr-list-clusters-active "$(q emr list-clusters --active --query 'Clusters[].Id')" "$cid"
# wait_step ID -> the step's final "STATE<TAB>FailureDetails.Message".
wait_step() {
	local st
	for _ in $(seq 1 300); do
		st=$(q emr describe-step --cluster-id "$cid" --step-id "$1" --query 'Step.Status.[State,FailureDetails.Message]')
		case $st in COMPLETED* | FAILED* | CANCELLED* | INTERRUPTED*) break ;; esac
		sleep 0.1
	done
	echo "$st"
}
cat >steps.json <<-JSON
	[{"Type": "CUSTOM_JAR", "Name": "gold", "ActionOnFailure": "CONTINUE", "Jar": "command-runner.jar",
	  "Args": ["spark-sql", "--database", "$DB", "-e",
	           "CREATE TABLE emr_gold WITH (format = 'PARQUET', external_location = 's3://$B/gold/emr_gold/') AS SELECT count(*) AS n, sum(amount) AS total FROM sales_silver"]}]
JSON
s1=$(q emr add-steps --cluster-id "$cid" --steps file://steps.json --query 'StepIds[0]')
eq emr-spark-sql-step-completed "$(wait_step "$s1")" "$(printf 'COMPLETED\tNone')"
# A Hive step: awscli expands it to command-runner.jar hive-script (it asks DescribeCluster for the release).
s2=$(q emr add-steps --cluster-id "$cid" --steps "Type=HIVE,Name=hive,ActionOnFailure=CONTINUE,Args=[-f,s3://$B/scripts/gold.q,-d,MIN=5]" --query 'StepIds[0]')
eq emr-hive-step-completed "$(wait_step "$s2")" "$(printf 'COMPLETED\tNone')"
eq emr-steps-wrote-tables "$(rows "$(run_query "SELECT g.n, g.total, h.n AS hive_n FROM emr_gold g CROSS JOIN emr_hive h")" | cut -f4-)" \
	"$(printf '5\t36.5\t4')"
cat >bad.json <<-JSON
	[{"Type": "CUSTOM_JAR", "Name": "bad", "ActionOnFailure": "CONTINUE", "Jar": "command-runner.jar",
	  "Args": ["spark-sql", "--database", "$DB", "-e", "SELECT nope FROM no_such_table"]}]
JSON
s3=$(q emr add-steps --cluster-id "$cid" --steps file://bad.json --query 'StepIds[0]')
got=$(wait_step "$s3")
case $got in FAILED*no_such_table*) pass emr-failing-step ;; *) fail emr-failing-step "$got" ;; esac
got=$(q emr list-steps --cluster-id "$cid" --query 'Steps[].[Name,Status.State]' | tr '\t\n' ': ')
eq emr-list-steps "$got" "bad:FAILED hive:COMPLETED gold:COMPLETED "
# CancelSteps, in one call: the slow step is interrupted, the PENDING one after it cancelled.
cat >slow.json <<-JSON
	[{"Type": "CUSTOM_JAR", "Name": "slow", "ActionOnFailure": "CONTINUE", "Jar": "command-runner.jar",
	  "Args": ["spark-sql", "-e", "SELECT count(*) FROM UNNEST(sequence(1, 100000)) a(x) CROSS JOIN UNNEST(sequence(1, 100000)) b(y) WHERE (x * y) % 7 = 1"]},
	 {"Type": "CUSTOM_JAR", "Name": "later", "ActionOnFailure": "CONTINUE", "Jar": "command-runner.jar",
	  "Args": ["spark-sql", "-e", "SELECT 1"]}]
JSON
ids=$(q emr add-steps --cluster-id "$cid" --steps file://slow.json --query 'StepIds')
slow=$(cut -f1 <<<"$ids") later=$(cut -f2 <<<"$ids")
got=$(q emr cancel-steps --cluster-id "$cid" --step-ids "$slow" "$later" --query 'CancelStepsInfoList[].[StepId,Status]' | tr '\t\n' ': ')
eq emr-cancel-steps "$got" "$slow:SUBMITTED $later:SUBMITTED "
eq emr-steps-cancelled "$(wait_step "$slow" | cut -f1) $(wait_step "$later" | cut -f1)" "CANCELLED CANCELLED"
ok emr-terminate-clusters aws emr terminate-clusters --cluster-ids "$cid"
got=
for _ in $(seq 1 100); do
	got=$(q emr describe-cluster --cluster-id "$cid" --query 'Cluster.Status.[State,StateChangeReason.Code]')
	case $got in TERMINATED*) break ;; esac
	sleep 0.1
done
eq emr-cluster-terminated "$got" "$(printf 'TERMINATED\tUSER_REQUEST')"
got=$(q emr list-clusters --active --query "Clusters[?Id=='$cid'].Id")
eq emr-terminated-not-active "$got" ""
expect_error emr-missing-cluster InvalidRequestException aws emr describe-cluster --cluster-id j-NOSUCHCLUSTER

# ------------------------------------------------------------ CloudWatch Logs
got=$(q logs describe-log-groups --log-group-name-prefix /aws-glue/jobs/ --query 'logGroups[].logGroupName')
eq logs-describe-log-groups "$got" "$(printf '/aws-glue/jobs/error\t/aws-glue/jobs/output')"
got=$(q logs filter-log-events --log-group-name /aws-glue/jobs/output --filter-pattern '"hello from pythonshell"' --query 'events[].logStreamName')
eq logs-filter-log-events "$got" "$runp"
finish
