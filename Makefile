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
# Two passes. Every test runs with -race except two kinds, which run in a
# second pass without it:
# - the tests that drive Chromium: they spend their time in the browser;
# - the single-client sweeps, which send thousands of requests one after
#   another (1,000 two-tab interleavings, the malformed-input and access
#   sweeps, 400 survey pages from one address): the race detector slows
#   them 15-30 times, most on SQLite, whose pure-Go engine it instruments
#   too, and they race nothing, since one request runs at a time. The
#   handlers they call are raced by the other tests, and the concurrent
#   ones (bursts, simultaneous guesses, retries at once, replicas) stay in
#   the race pass;
# - the generated-data sweeps (thousands of random cycles scored for the
#   differencing check, dozens of generated reports drawn and read back,
#   300 leaders' answers written one by one to check PostgreSQL's fast
#   paths against their plain twins): the concurrent code they call is
#   raced by the other tests of their packages.
# Together these took the race pass past 10 minutes on a 2-core machine.
SECOND_PASS := ^(TestAxeEveryPage|TestBrowserAnswersStepByStep|TestStoryInTheBrowser|TestEveryPageHasAnAxeRow|TestStaleSavesFromTwoTabsAreConflictsNotOverwrites|TestMalformedInputGetsClearRefusals|TestSurveyLinksRefuseMalformedInputClearly|TestAPIMalformedInputGetsProblems|TestAccessMatrix|TestAPIAccessMatrix|TestScannerPrefetchChangesNothing|TestRatersBehindOneAddressAreNeverLimited|TestDifferencing|TestGeneratedReportPages|TestPostgresFastPathsMatchTheirPlainTwins)$$
test:
	@source .ci/setup && set -o pipefail && \
	{ raced=0; second=0; \
	  $(GO) test -race -json -timeout 30m -skip '$(SECOND_PASS)' $(PKGS) || raced=$$?; \
	  $(GO) test -json -timeout 30m -run '$(SECOND_PASS)' ./api/ ./cmd/lead360/ ./scoring/ ./reports/ ./assessment/store/ || second=$$?; \
	  exit $$((raced | second)); } | $(GO) run .ci/testsummary.go

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
