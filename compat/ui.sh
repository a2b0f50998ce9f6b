#!/usr/bin/env bash
# compat/ui.sh — the web console in real headless Chromium: runs the
# browser tests of internal/ui (TestBrowser*: sign in, browse the lake and
# the catalog, run queries, build a dashboard whose tiles refresh when new
# data lands, tail a stream, scan a table; Glue jobs, runs and their logs,
# triggers, EMR steps; Lambda invocations and logs; Parquet preview; the
# six-tile dashboard timing; no console errors) against the
# whole platform in-process. Installs the Debian chromium if it is missing.
# Prints "PASS name" / "FAIL name: detail" per test and exits 1 on a
# failure. Screenshots go to $TARN_ARTIFACTS (default: a temporary dir,
# printed). Needs no running tarn: the tests start their own.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
GO=${GO:-go}

chrome=
for c in chromium chromium-browser google-chrome headless-shell; do
	if p=$(command -v "$c" 2>/dev/null); then chrome=$p; break; fi
done
if [ -z "$chrome" ]; then
	echo "compat: installing chromium (Debian package)"
	SUDO=
	if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
	if ! { $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }; then
		echo "FAIL ui-install-chromium: apt-get install chromium failed"
		echo "0 passed, 1 failed"
		exit 2
	fi
	chrome=$(command -v chromium)
fi
echo "compat: $("$chrome" --version 2>/dev/null | head -1)"

export TARN_BROWSER=1 TARN_CHROMIUM=$chrome
export TARN_ARTIFACTS=${TARN_ARTIFACTS:-$(mktemp -d "${TMPDIR:-/tmp}/tarn-ui.XXXXXX")}
echo "compat: screenshots in $TARN_ARTIFACTS"
out=$(mktemp "${TMPDIR:-/tmp}/tarn-ui-test.XXXXXX")
trap 'rm -f "$out"' EXIT
(cd "$ROOT" && "$GO" test -count=1 -timeout 10m -v -run Browser ./internal/ui/) >"$out" 2>&1
rc=$?

passed=0 failed=0
while read -r _ verdict name _; do
	case $verdict in
	PASS:) passed=$((passed + 1)); echo "PASS ui-$name" ;;
	FAIL:)
		failed=$((failed + 1))
		detail=$(grep -E "^[[:space:]]+browser[a-z_]*_test.go:[0-9]+:" "$out" | grep -v "screenshots in" | tr '\n' ' ' | cut -c1-600)
		echo "FAIL ui-$name: $detail" ;;
	esac
done < <(grep -E '^[[:space:]]*--- (PASS|FAIL): ' "$out")
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
	failed=1
	echo "FAIL ui-go-test: rc=$rc $(tail -20 "$out" | tr '\n' ' ' | cut -c1-600)"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
