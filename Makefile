# gofive — run `make help` for the list of targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
SPECTRAL  ?= npx --yes @stoplight/spectral-cli@6.16.3
FUZZTIME  ?= 10s
BASE      ?= HEAD~1

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: ## Regenerate gen/ and api/operations.gen.go from spec/openapi.yaml.
	$(GO) generate ./...

.PHONY: check-generate
check-generate: generate ## Regenerate and fail if anything changed; also go mod tidy -diff.
	@git diff --exit-code -- gen api || { echo "generated code is out of date: run make generate and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- gen api | grep '\.gen\.go$$' || true); \
	  test -z "$$untracked" || { echo "generate wrote files git does not track: $$untracked"; exit 1; }
	$(GO) mod tidy -diff

.PHONY: vet
vet: ## gofmt check and go vet (the integration-tagged live test included, so it always compiles).
	@unformatted=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '\.gen\.go$$')); \
	  test -z "$$unformatted" || { echo "gofmt needed: $$unformatted"; exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags integration ./api/...

.PHONY: test-integration
test-integration: ## Live read-only smoke test against the real API (needs GOFIVE_* credentials).
	$(GO) test -tags integration -count=1 -run Live -v ./api

.PHONY: lint-spec
lint-spec: ## Lint spec/openapi.yaml with Spectral's spectral:oas ruleset (needs npx).
	@if command -v npx >/dev/null; then \
	  $(SPECTRAL) lint --ruleset spec/.spectral.yaml --fail-severity error spec/openapi.yaml; \
	elif [ -n "$${CI:-}" ]; then echo "lint-spec: npx not found"; exit 1; \
	else echo "lint-spec: npx not found, skipped (CI runs it)"; fi

.PHONY: test
test: ## Run every test with the race detector.
	$(GO) test -race -count=1 ./...

.PHONY: fuzz
fuzz: ## Run each fuzz target briefly (FUZZTIME=10s).
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

BENCHCOUNT ?= 12
BENCHCPU  ?= 2
BENCHTIME ?= 1s
BENCHSTAT ?= $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: bench
bench: ## Benchmarks (raw vs generated vs wrapper): BENCHCOUNT interleaved rounds, benchstat, README's table rewritten.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(GO) test -c -o "$$tmp/api.test" ./api; \
	for i in $$(seq $(BENCHCOUNT)); do \
	  echo "bench round $$i/$(BENCHCOUNT)" >&2; \
	  (cd api && "$$tmp/api.test" -test.run '^$$' -test.bench . -test.benchmem -test.benchtime $(BENCHTIME) -test.count 1 -test.cpu $(BENCHCPU)) >> "$$tmp/bench.txt"; \
	done; \
	$(BENCHSTAT) "$$tmp/bench.txt"; \
	$(BENCHSTAT) -format csv "$$tmp/bench.txt" | $(GO) run ./scripts/benchtable -readme README.md -count $(BENCHCOUNT) -cpu $(BENCHCPU) -raw "$$tmp/bench.txt"

.PHONY: cover
cover: ## Test coverage per package.
	$(GO) test -count=1 -cover ./...

.PHONY: drift
drift: ## Compare the scraped doc pages (spec/scraped) with the spec; exit 1 on drift.
	$(GO) run ./scripts/drift

.PHONY: breaking
breaking: ## oasdiff: breaking changes in spec/openapi.yaml since BASE (default HEAD~1); FAIL_ON=ERR to fail.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	if ! git show "$(BASE):spec/openapi.yaml" > "$$tmp/base.yaml" 2>/dev/null; then \
	  echo "breaking: $(BASE) has no spec/openapi.yaml, nothing to compare"; exit 0; fi; \
	echo "oasdiff breaking $(BASE) -> working tree:"; \
	$(GO) run github.com/oasdiff/oasdiff breaking $(if $(FAIL_ON),--fail-on $(FAIL_ON)) "$$tmp/base.yaml" spec/openapi.yaml

.PHONY: regen
regen: drift ## After a docs change: drift check, validate the spec, generate, build, test.
	$(GO) test -count=1 ./spec
	$(MAKE) generate
	$(GO) build ./...
	$(MAKE) test

# --- cli: the command-line client, cmd/gofive ---------------------------------------------

.PHONY: run
run: ## The README's first command: the CLI demo, on the built-in fake server unless GOFIVE_* are set.
	$(GO) run ./cmd/gofive demo $(ARGS)

.PHONY: cli
cli: ## Build the gofive command-line client into bin/gofive.
	$(GO) build -o bin/gofive ./cmd/gofive

.PHONY: check
check: vet check-generate lint-spec drift test fuzz ## Everything CI runs: the README's test command.
