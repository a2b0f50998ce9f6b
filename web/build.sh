#!/usr/bin/env bash
# web/build.sh — bundles the console (src/) into internal/ui/assets/, which
# is embedded in the tarn binary and committed. Needs node 20 and
# `npm ci` (esbuild, echarts) once; node_modules is never committed.
set -euo pipefail
cd "$(dirname "$0")"
[ -x node_modules/.bin/esbuild ] || npm ci --no-audit --no-fund
OUT=../internal/ui/assets
mkdir -p "$OUT"
node_modules/.bin/esbuild src/main.js --bundle --minify --format=esm --target=es2020 \
	--legal-comments=none --outfile="$OUT/app.js"
cp src/index.html "$OUT/index.html"
cp src/app.css "$OUT/app.css"
ls -l "$OUT"
