# envgen's own build. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GOLANGCI_LINT_VERSION := v2.15.0
BIN := $(CURDIR)/bin
GOLANGCI_LINT := $(BIN)/golangci-lint
# golangci-lint lints only modules whose go line is at most the Go it was
# built with. GOLANGCI_LINT is built with the installed Go (1.26) and lints
# the Go 1.24 to 1.26 projects; GOLANGCI_LINT_GO127 is built with Go 1.27,
# which GOTOOLCHAIN fetches through the Go module proxy (checked against the
# checksum database), for the Go 1.27 ones. The e2e tests pick one by the
# project's go line (GOLANGCI_LINT_GO<major><minor> for a minor newer than
# the installed Go).
GO127_TOOLCHAIN := go1.27.4
GOLANGCI_LINT_GO127 := $(BIN)/golangci-lint-go1.27
# The tests find golangci-lint through these variables, promtool and amtool on PATH.
export GOLANGCI_LINT GOLANGCI_LINT_GO127
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

.PHONY: lint
lint: $(GOLANGCI_LINT).$(GOLANGCI_LINT_VERSION) ## lint envgen itself with .golangci.yml (the production profile's policy)
	$(GOLANGCI_LINT) config verify
	$(GOLANGCI_LINT) run --allow-serial-runners ./...

.PHONY: bench
bench: ## benchmarks: render, init and sync --check (also as whole processes), toolchain verify (GOROOT, bundled zip; with peak memory) and download
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
tools: $(GOLANGCI_LINT).$(GOLANGCI_LINT_VERSION) $(GOLANGCI_LINT_GO127).$(GOLANGCI_LINT_VERSION) debian-tools ## install what the tests need

$(GOLANGCI_LINT).$(GOLANGCI_LINT_VERSION):
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	touch $@

# The same golangci-lint, built by Go 1.27 (GOTOOLCHAIN downloads it once
# into the module cache), installed under its own name.
$(GOLANGCI_LINT_GO127).$(GOLANGCI_LINT_VERSION):
	GOTOOLCHAIN=$(GO127_TOOLCHAIN) GOBIN=$(BIN)/$(GO127_TOOLCHAIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/$(GO127_TOOLCHAIN)/golangci-lint $(GOLANGCI_LINT_GO127)
	rmdir $(BIN)/$(GO127_TOOLCHAIN)
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
