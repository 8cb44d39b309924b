# The README's two commands are `make run` and `make test`.

CARGO ?= cargo

.PHONY: run test lint config-table

## Run usher on the embedded store (no Redis, no backends needed) on SERVER_PORT (default 8000).
run:
	$(CARGO) run --release --locked -- serve

## Run every test.
test:
	$(CARGO) test --workspace --locked

## Formatting and lints, as CI's reviewers expect them.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## Print the configuration table of the README.
config-table:
	@$(CARGO) run --quiet --locked -- config-table
