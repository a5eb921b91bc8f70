# envgen's own build. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GOLANGCI_LINT_VERSION := v2.15.0
BIN := $(CURDIR)/bin
GOLANGCI_LINT := $(BIN)/golangci-lint
# The tests find golangci-lint through this variable, promtool and amtool on PATH.
export GOLANGCI_LINT
export PATH := $(BIN):$(PATH)

PROFILE ?= development

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*?## "} /^[a-zA-Z_-]+:.*?## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: demo
demo: ## render a demo service into ./demo with the embedded profile (PROFILE=development, staging or production)
	rm -rf demo
	go run ./cmd/envgen init demo --module example.com/demo --profile $(PROFILE) --no-git

.PHONY: build
build: ## build envgen into bin/
	go build -o $(BIN)/envgen ./cmd/envgen

.PHONY: test
test: tools ## run every test: unit, CLI scripts, and end-to-end checks of generated projects
	go test -timeout 40m ./...

.PHONY: test-short
test-short: ## run the hermetic tests only (no network, no external tools)
	go test -short ./...

.PHONY: bench
bench: ## benchmarks: render, init and sync --check (also as whole processes), toolchain verify and download
	go test -run '^$$' -bench . -benchmem ./generator ./internal/workflow ./cmd/envgen ./internal/toolchain

.PHONY: golden
golden: ## refresh the golden renders after an intended template change
	go test ./generator -run TestGoldenRenders -update

.PHONY: deps
deps: ## refresh internal/goversion/releases.txt from the proxy, then regenerate the dependency sets per Go minor (templates/deps)
	go run ./internal/depsgen

.PHONY: deps-check
deps-check: ## warn (exit 0) when releases.txt lags the Go releases the module proxy lists
	go run ./internal/depsgen -check-releases

.PHONY: tools
tools: $(GOLANGCI_LINT).$(GOLANGCI_LINT_VERSION) debian-tools ## install what the tests need

$(GOLANGCI_LINT).$(GOLANGCI_LINT_VERSION):
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	touch $@

.PHONY: debian-tools
debian-tools: # promtool and amtool come from Debian's prometheus packages
	@if ! command -v promtool >/dev/null || ! command -v amtool >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager; \
	  else \
	    echo "promtool and amtool are missing: sudo apt-get install prometheus prometheus-alertmanager" >&2; exit 1; \
	  fi; \
	fi

include dist.mk

.PHONY: clean
clean: ## remove build output and the demo
	rm -rf bin demo dist
