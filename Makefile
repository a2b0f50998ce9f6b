# tarn's developer entry points. `make test` is the README's test command.
GO ?= go
BIN := bin/tarn

.PHONY: build test compat bench fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/tarn

test:
	$(GO) test ./...

# compat drives a real `tarn serve` with awscli, boto3 and s3cmd (Debian
# packages, installed here if missing).
compat: build
	bash compat/run.sh $(abspath $(BIN))

# bench runs the hot-path benchmarks and prints tarn/baseline ratios.
bench:
	bash scripts/bench.sh

# fuzz runs every fuzzer for FUZZTIME (default 20s) each.
fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf bin
