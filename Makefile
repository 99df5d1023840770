# lead360 developer tasks. `make test` is the README's test command and what CI runs.
GO ?= go
PKGS = ./...

.PHONY: run test lint bench build tools

run:
	$(GO) run ./cmd/lead360

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/lead360 ./cmd/lead360

# PostgreSQL tests run when TEST_DATABASE_URL is set (.ci/run sets it up);
# SQLite tests always run.
test:
	$(GO) test -race -timeout 15m $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
