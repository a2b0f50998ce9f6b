#!/usr/bin/env bash
# compat/run.sh BIN — tarn's client compatibility suite.
#
# Starts `BIN serve` on a free loopback port with a throwaway data
# directory, then drives it with the Debian packages of awscli v2
# (/usr/bin/aws), boto3 (/usr/bin/python3), s3cmd (/usr/bin/s3cmd) and psql,
# installing them first if they are missing. Every check prints
# "PASS name" or "FAIL name: detail"; the last line is "N passed, M failed".
# Exits non-zero if any check failed (or a session script crashed).
set -uo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 /abs/path/to/tarn" >&2
	exit 2
fi
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if [ ! -x "$BIN" ]; then
	echo "compat: $BIN is not an executable" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)

# The clients must be the Debian ones, unshadowed and unproxied: no foreign
# PYTHONPATH or user site-packages, no HTTP proxy for the loopback endpoint.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP PYTHONUSERBASE
export PYTHONNOUSERSITE=1 PYTHONDONTWRITEBYTECODE=1
export NO_PROXY=127.0.0.1,localhost,.localhost no_proxy=127.0.0.1,localhost,.localhost

# ---------------------------------------------------------------- 1. tools
# The suite uses the Debian binaries by absolute path: the first `aws` on
# PATH may be some other awscli (e.g. a pyenv awscli v1).
missing=()
[ -x /usr/bin/aws ] || missing+=(awscli)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import boto3' 2>/dev/null; } || missing+=(python3-boto3)
[ -x /usr/bin/s3cmd ] || missing+=(s3cmd)
[ -x /usr/bin/curl ] || missing+=(curl)
[ -x /usr/bin/psql ] || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
	echo "compat: installing missing Debian packages: ${missing[*]}"
	SUDO=
	if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
	if ! $SUDO apt-get update -q; then
		echo "compat: apt-get update failed" >&2
		echo "0 passed, 1 failed"
		exit 2
	fi
	# awscli, python3-boto3 and s3cmd always named together so they come
	# from one consistent set of Debian packages.
	if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q awscli python3-boto3 s3cmd curl postgresql-client; then
		echo "compat: apt-get install failed" >&2
		echo "0 passed, 1 failed"
		exit 2
	fi
fi
echo "compat: $(/usr/bin/aws --version 2>&1)"
echo "compat: boto3 $(/usr/bin/python3 -c 'import boto3, botocore; print(boto3.__version__, "botocore", botocore.__version__)')"
echo "compat: $(/usr/bin/s3cmd --version 2>&1)"

# --------------------------------------------------------------- 2. server
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tarn-compat.XXXXXX")
SERVER_PID=
SERVER_LOG=$WORK/server.log

stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		for _ in $(seq 1 100); do # up to 5 s for a clean stop
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.05
		done
		if kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "compat: tarn (pid $SERVER_PID) did not stop on SIGTERM; sending SIGKILL" >&2
			kill -KILL "$SERVER_PID" 2>/dev/null
		fi
	fi
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
cleanup() {
	stop_server
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# An empty config file keeps a stray ./tarn.yaml or $TARN_CONFIG out; the
# credentials and region are pinned explicitly for the same reason.
: >"$WORK/tarn.yaml"
start_server() {
	PORT=$(free_port)
	PG_PORT=$(free_port)
	mkdir -p "$WORK/data"
	(cd "$WORK" && exec env -u TARN_ADDR -u TARN_DATA -u TARN_CONFIG \
		TARN_ACCESS_KEY_ID=test TARN_SECRET_ACCESS_KEY=test TARN_REGION=us-east-1 \
		"$BIN" serve --config "$WORK/tarn.yaml" --addr "127.0.0.1:$PORT" --pg-addr "127.0.0.1:$PG_PORT" \
		--data "$WORK/data" --region us-east-1 --log-level debug >>"$SERVER_LOG" 2>&1) &
	SERVER_PID=$!
	# Wait for /_tarn/health: up to 10 s, polling every 50 ms.
	for _ in $(seq 1 200); do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			wait "$SERVER_PID" 2>/dev/null
			SERVER_PID=
			return 1
		fi
		if curl -fsS --max-time 1 "http://127.0.0.1:$PORT/_tarn/health" 2>/dev/null | grep -q '"status"'; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

started=
for attempt in 1 2 3; do # the port could be taken between pick and bind
	if start_server; then
		started=1
		break
	fi
	echo "compat: tarn did not become healthy (attempt $attempt)" >&2
	stop_server
done
if [ -z "$started" ]; then
	echo "compat: could not start tarn; server log:" >&2
	cat "$SERVER_LOG" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
ENDPOINT=http://127.0.0.1:$PORT
echo "compat: tarn pid $SERVER_PID serving $ENDPOINT"

# ------------------------------------------------------------ 3. sessions
export TARN_COMPAT_ENDPOINT=$ENDPOINT TARN_COMPAT_PORT=$PORT TARN_COMPAT_PG_PORT=$PG_PORT TARN_COMPAT_BIN=$BIN
PASSED=0
FAILED=0
ALL=$WORK/all-results
: >"$ALL"

# The sessions use separate buckets and run concurrently (client start-up
# dominates the run time); each one's report is printed when all are done.
SESSIONS=()
SESSION_PIDS=()
start_session() { # name timeout-seconds command...
	local name=$1 limit=$2
	shift 2
	mkdir -p "$WORK/session-$name"
	SESSIONS+=("$name")
	(
		start=$SECONDS
		TARN_COMPAT_TMP=$WORK/session-$name timeout --kill-after=5 "$limit" "$@" >"$WORK/$name.out" 2>&1
		echo "$? $((SECONDS - start))" >"$WORK/$name.rc"
	) &
	SESSION_PIDS+=($!)
}

export AWS_ENDPOINT_URL=$ENDPOINT AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
	AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
start_session awscli 300 bash "$HERE/awscli.sh"
start_session boto3 300 /usr/bin/python3 "$HERE/boto3_session.py"
start_session s3cmd 300 bash "$HERE/s3cmd.sh"
start_session kinesis 300 bash "$HERE/kinesis.sh"
start_session firehose 300 bash "$HERE/firehose.sh"
start_session dynamodb 300 bash "$HERE/dynamodb.sh"
start_session boto3-dynamodb 300 /usr/bin/python3 "$HERE/boto3_dynamodb.py"
start_session analytics 300 bash "$HERE/analytics.sh"
start_session psql 300 bash "$HERE/psql.sh"
start_session lambda 300 bash "$HERE/lambda.sh"
start_session boto3-lambda 300 /usr/bin/python3 "$HERE/boto3_lambda.py"
start_session jobs 420 bash "$HERE/jobs.sh"
wait "${SESSION_PIDS[@]}" # not a bare wait: the server is a child too

for name in "${SESSIONS[@]}"; do
	out=$WORK/$name.out
	read -r rc secs <"$WORK/$name.rc" || { rc=255 secs=?; }
	echo "== $name"
	cat "$out"
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "FAIL $name: session timed out after ${secs}s" | tee -a "$out"
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: session exited $rc without reporting a failed check" | tee -a "$out"
		f=$((f + 1))
	fi
	grep -E '^(PASS|FAIL) ' "$out" >>"$ALL"
	echo "== $name: PASS $p, FAIL $f (${secs}s)"
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
done

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
	echo "FAIL server-alive: tarn exited during the suite" | tee -a "$ALL"
	FAILED=$((FAILED + 1))
fi

if [ "$FAILED" -gt 0 ]; then
	echo
	echo "compat: failed checks:"
	grep '^FAIL ' "$ALL" | head -n 100 | sed 's/^/  /'
	[ "$FAILED" -le 100 ] || echo "  ... and more (see above)"
	echo
	echo "compat: server log ($SERVER_LOG, last 400 lines):"
	tail -n 400 "$SERVER_LOG" | sed 's/^/  | /'
	echo
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
