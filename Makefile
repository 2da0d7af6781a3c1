# gofive — run `make help` for the list of targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
SPECTRAL  ?= npx --yes @stoplight/spectral-cli@6.16.3
REDOCLY   ?= npx --yes @redocly/cli@2.77.0
FUZZTIME  ?= 10s
BASE      ?= HEAD~1
DOCS_URL  ?= https://developer.gofive.co.th
PAGES     ?= spec/scraped
PROPOSED  ?= spec/proposed
# The maintenance tools are a module of their own (scripts/go.mod): run them with $(TOOLS) run ./<tool>.
TOOLS     := $(GO) -C scripts

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
	$(TOOLS) mod tidy -diff

.PHONY: vet
vet: ## gofmt check and go vet (the integration-tagged live test included, so it always compiles).
	@unformatted=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '\.gen\.go$$')); \
	  test -z "$$unformatted" || { echo "gofmt needed: $$unformatted"; exit 1; }
	$(GO) vet ./...
	$(TOOLS) vet ./...
	$(GO) vet -tags integration ./api/...

.PHONY: test-integration
test-integration: ## Live read-only smoke test against the real API (needs GOFIVE_* credentials).
	$(GO) test -tags integration -count=1 -run Live -v ./api

.PHONY: lint-spec
lint-spec: ## Lint spec/openapi.yaml with Spectral's spectral:oas ruleset (needs npx).
	@if command -v npx >/dev/null; then \
	  $(SPECTRAL) lint --ruleset spec/.spectral.yaml --fail-severity warn spec/openapi.yaml; \
	elif [ -n "$${CI:-}" ]; then echo "lint-spec: npx not found"; exit 1; \
	else echo "lint-spec: npx not found, skipped (CI runs it)"; fi

.PHONY: lint-redocly
lint-redocly: ## Lint spec/openapi.yaml with Redocly's recommended ruleset, spec/redocly.yaml (needs npx).
	@if command -v npx >/dev/null; then \
	  $(REDOCLY) lint --config spec/redocly.yaml spec/openapi.yaml; \
	elif [ -n "$${CI:-}" ]; then echo "lint-redocly: npx not found"; exit 1; \
	else echo "lint-redocly: npx not found, skipped (CI runs it)"; fi

.PHONY: test
test: ## Run every test with the race detector (the SDK module and the scripts tools module).
	$(GO) test -race -count=1 ./...
	$(TOOLS) test -race -count=1 ./...

.PHONY: fuzz
fuzz: ## Run each fuzz target briefly (FUZZTIME=10s).
	@for mod in . scripts; do \
	  for pkg in $$($(GO) -C $$mod list ./...); do \
	    for f in $$($(GO) -C $$mod test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	      echo "fuzz $$pkg $$f"; $(GO) -C $$mod test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	    done; done; done

BENCHCOUNT ?= 12
BENCHCPU  ?= 2
BENCHTIME ?= 1s
# The raw/generated/wrapper comparisons: run in rounds and tabled in README; other benchmarks run once.
BENCHVS   := ^Benchmark(Call|Parallel|EnquiryPage|TokenExpiry)$$
BENCHSTAT ?= $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: bench
bench: ## Benchmarks: all once; raw vs generated vs wrapper in BENCHCOUNT interleaved rounds, benchstat, README's table rewritten.
	$(TOOLS) test -run '^$$' -bench . -benchmem ./...
	$(GO) test -run '^$$' -bench . -benchmem -skip '$(BENCHVS)' ./...
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(GO) test -c -o "$$tmp/api.test" ./api; \
	for i in $$(seq $(BENCHCOUNT)); do \
	  echo "bench round $$i/$(BENCHCOUNT)" >&2; \
	  (cd api && "$$tmp/api.test" -test.run '^$$' -test.bench '$(BENCHVS)' -test.benchmem -test.benchtime $(BENCHTIME) -test.count 1 -test.cpu $(BENCHCPU)) >> "$$tmp/bench.txt"; \
	done; \
	$(BENCHSTAT) "$$tmp/bench.txt"; \
	$(BENCHSTAT) -format csv "$$tmp/bench.txt" | $(TOOLS) run ./benchtable -readme ../README.md -count $(BENCHCOUNT) -cpu $(BENCHCPU) -raw "$$tmp/bench.txt"

.PHONY: cover
cover: ## Test coverage per package.
	$(GO) test -count=1 -cover ./...
	$(TOOLS) test -count=1 -cover ./...

.PHONY: scrape
scrape: ## Fetch the docs' llms.txt and Markdown page twins into spec/scraped (DOCS_URL=…, PAGES=…); never edits the spec.
	$(TOOLS) run ./scrape -url '$(DOCS_URL)' -out '$(abspath $(PAGES))' -coverage ../spec/coverage.yaml -spec ../spec/openapi.yaml $(SCRAPE_FLAGS)

.PHONY: drift
drift: ## Compare every scraped doc page (spec/scraped: text and Markdown) with the spec; exit 1 on drift.
	$(TOOLS) run ./drift -spec ../spec/openapi.yaml -pages '$(abspath $(PAGES))' -allow ../spec/drift-allow.yaml -coverage ../spec/coverage.yaml

.PHONY: propose
propose: ## Write spec proposals (spec/proposed/) for new or newly documented operations in spec/scraped.
	$(TOOLS) run ./propose -spec ../spec/openapi.yaml -pages '$(abspath $(PAGES))' -coverage ../spec/coverage.yaml -out '$(abspath $(PROPOSED))'

.PHONY: breaking
breaking: ## oasdiff: breaking changes in spec/openapi.yaml since BASE (default HEAD~1); FAIL_ON=ERR to fail.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	if ! git show "$(BASE):spec/openapi.yaml" > "$$tmp/base.yaml" 2>/dev/null; then \
	  echo "breaking: $(BASE) has no spec/openapi.yaml, nothing to compare"; exit 0; fi; \
	echo "oasdiff breaking $(BASE) -> working tree:"; \
	$(TOOLS) run github.com/oasdiff/oasdiff breaking $(if $(FAIL_ON),--fail-on $(FAIL_ON)) "$$tmp/base.yaml" "$(CURDIR)/spec/openapi.yaml"

.PHONY: regen
regen: drift ## After a docs change: drift check, validate the spec, generate, build, test.
	$(GO) test -count=1 ./spec
	$(MAKE) generate
	$(GO) build ./...
	$(TOOLS) build ./...
	$(MAKE) test

# --- cli: the command-line client, cmd/gofive ---------------------------------------------

.PHONY: run
run: ## The README's first command: the CLI demo, on the built-in fake server unless GOFIVE_* are set.
	$(GO) run ./cmd/gofive demo $(ARGS)

.PHONY: cli
cli: ## Build the gofive command-line client into bin/gofive.
	$(GO) build -o bin/gofive ./cmd/gofive

.PHONY: probe
probe: ## Check the API against the spec with your GOFIVE_* credentials, read-only (gofive probe; ARGS=--json).
	$(GO) run ./cmd/gofive probe $(ARGS)

.PHONY: check
check: vet check-generate lint-spec lint-redocly drift test fuzz ## Everything CI runs: the README's test command.
