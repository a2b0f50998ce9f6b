# tarn's developer entry points. `make test` is the README's test command.
GO ?= go
BIN := bin/tarn

.PHONY: build test compat ui bench fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/tarn

test:
	$(GO) test ./...

# compat drives a real `tarn serve` with awscli, boto3, s3cmd and psql
# (Debian packages, installed here if missing), then the web console in
# headless Chromium (also installed if missing).
compat: build
	bash compat/run.sh $(abspath $(BIN))
	bash compat/ui.sh

# ui rebuilds the console's embedded bundle (internal/ui/assets) from web/
# with npm; the bundle is committed, so builds and tests never need npm.
ui:
	bash web/build.sh

# bench runs the hot-path benchmarks and prints tarn/baseline ratios.
bench:
	bash scripts/bench.sh

# fuzz runs every fuzzer for FUZZTIME (default 20s) each.
fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf bin
