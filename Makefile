# lead360 developer tasks. `make test` is the README's test command and what CI runs.
GO ?= go
PKGS = ./...
SHELL := /bin/bash

.PHONY: run test test-quick lint bench build tools check-generated

run:
	$(GO) run ./cmd/lead360

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/lead360 ./cmd/lead360

# Every test on both engines: .ci/setup installs or starts what the tests
# need (Chromium, poppler, qpdf, axe-core, PostgreSQL) and says so, then the
# summary lists how many cases ran on each engine.
#
# The tests that drive Chromium run in a second pass without the race
# detector: they spend their time in the browser, and under -race on a
# 2-core machine they alone took the suite past 10 minutes. Every other
# test runs with -race, and the handlers they use are raced there.
BROWSER_TESTS := ^(TestAxeEveryPage|TestBrowserAnswersStepByStep|TestStoryInTheBrowser)$$
test:
	@source .ci/setup && set -o pipefail && \
	{ raced=0; browsed=0; \
	  $(GO) test -race -json -timeout 30m -skip '$(BROWSER_TESTS)' $(PKGS) || raced=$$?; \
	  $(GO) test -json -timeout 30m -run '$(BROWSER_TESTS)' ./api/ ./cmd/lead360/ || browsed=$$?; \
	  exit $$((raced | browsed)); } | $(GO) run .ci/testsummary.go

# The edit-test loop: SQLite only, no set-up; browser and PDF checks run when
# their tools are installed.
test-quick:
	$(GO) test -timeout 15m $(PKGS)

lint: check-generated
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)
	@# Code the binary cannot reach is dead, unless .ci/deadcode-allowed says why it stays.
	@dead=$$($(GO) tool deadcode ./cmd/lead360 | grep -v -E -f <(grep -v '^#' .ci/deadcode-allowed) || true); \
	if [ -n "$$dead" ]; then echo "unreachable from cmd/lead360 (delete it, or say in .ci/deadcode-allowed why it stays):"; echo "$$dead"; exit 1; fi

# The API's server code is generated from its OpenAPI document
# (api/openapi): the committed code must be what the document makes now.
check-generated:
	$(GO) generate ./api/openapi
	@git diff --exit-code --stat -- api/openapi || { echo "api/openapi/openapi.gen.go is not what openapi.yaml makes: run go generate ./api/openapi and commit it"; exit 1; }

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
