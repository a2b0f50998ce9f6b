# compat/common.sh — sourced by the awscli, kinesis and firehose sessions: an
# isolated Debian awscli (/usr/bin/aws) pointed at tarn, and the
# PASS/FAIL check helpers. Every check prints "PASS name" or
# "FAIL name: detail"; the session never stops at the first failure and
# ends with `finish`, which exits 1 if any check failed.
: "${AWS_ENDPOINT_URL:?AWS_ENDPOINT_URL must be set}"
AWS=/usr/bin/aws
PY=/usr/bin/python3
T=$(mktemp -d "${TARN_COMPAT_TMP:-${TMPDIR:-/tmp}}/${COMPAT_SESSION:-session}.XXXXXX")
trap 'rm -rf "$T"' EXIT

export AWS_CONFIG_FILE=$T/config AWS_SHARED_CREDENTIALS_FILE=$T/credentials
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_PAGER= AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=2 AWS_RETRY_MODE=standard
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CA_BUNDLE \
	AWS_DEFAULT_OUTPUT AWS_CLI_AUTO_PROMPT AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
printf '[default]\nregion = us-east-1\noutput = json\n' >"$AWS_CONFIG_FILE"
printf '[default]\naws_access_key_id = test\naws_secret_access_key = test\n' >"$AWS_SHARED_CREDENTIALS_FILE"

FAILS=0
pass() { echo "PASS $1"; }
fail() {
	FAILS=$((FAILS + 1))
	local d
	d=$(printf '%s' "$2" | tr '\n' '\r' | sed 's/\r/ | /g' | cut -c1-600)
	echo "FAIL $1: $d"
}
# aws: awscli 2.9 predates AWS_ENDPOINT_URL, so the endpoint is explicit.
aws() { timeout 120 "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" --cli-connect-timeout 5 --cli-read-timeout 60 "$@"; }
# ok NAME CMD...: pass when CMD succeeds.
ok() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "rc=$? $out"; fi
}
# expect_error NAME CODE CMD...: pass when CMD fails with CODE in its output.
expect_error() {
	local name=$1 code=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$code" <<<"$out"; then pass "$name"; else fail "$name" "want failure with $code, got rc=$rc: $out"; fi
}
# eq NAME GOT WANT
eq() { if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got [$2], want [$3]"; fi; }
# q CMD...: stdout of an aws command in text output (stderr dropped).
q() { aws "$@" --output text 2>/dev/null; }
finish() { [ "$FAILS" -eq 0 ]; }
