# The README's two commands are `make run` and `make test`.

CARGO ?= cargo
NPM ?= npm
WEB := web-client
# With Node.js present, `make run` builds the web client first; without it, usher serves a page
# at / saying how to build it.
HAVE_NPM := $(shell command -v $(NPM) 2>/dev/null)
# `make run` listens on loopback only; set USHER_BIND=0.0.0.0 to expose it.
USHER_BIND ?= 127.0.0.1

.PHONY: run test contract chart lint config-table web web-test web-e2e

## Run usher on the embedded store (no Redis, no backends needed) on 127.0.0.1:SERVER_PORT
## (default 8000), with the web client at /.
run:
ifneq ($(HAVE_NPM),)
	$(MAKE) web
endif
	USHER_BIND=$(USHER_BIND) $(CARGO) run --release --locked -- serve

## Run every test: Rust (the README walkthrough among them), the API contract with schemathesis,
## the Helm chart, then the web client's unit tests and its end-to-end test in Chromium.
test:
	$(CARGO) test --workspace --locked
	$(MAKE) contract chart web-test web-e2e

## schemathesis (pinned in tests/contract/requirements.txt) against a running usher's /openapi.json.
contract:
	bash tests/contract/run.sh

## The Helm chart (helm/usher): strict lint, rendering, Kubernetes API schemas, values-schema
## refusals and its metric names against a running usher; real Helm, offline (helm/usher/ci/).
chart:
	bash helm/usher/ci/run.sh

# npm ci rewrites node_modules/.package-lock.json, so the install reruns only when the lockfile
# or package.json changed.
$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json $(WEB)/package.json
	$(NPM) --prefix $(WEB) ci --no-audit --no-fund

## Build the web client into web-client/dist (served by usher at /).
web: $(WEB)/node_modules/.package-lock.json
	$(NPM) --prefix $(WEB) run build

## The web client's unit tests (Vitest + Testing Library on jsdom).
web-test: $(WEB)/node_modules/.package-lock.json
	$(NPM) --prefix $(WEB) test

## End to end in Debian's headless Chromium against a real usher (builds usher and the client).
web-e2e: $(WEB)/node_modules/.package-lock.json
	$(NPM) --prefix $(WEB) run e2e

## Formatting and lints, as CI's reviewers expect them.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## Print the configuration table of the README.
config-table:
	@$(CARGO) run --quiet --locked -- config-table
