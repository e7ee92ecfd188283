# Warden: `make demo` runs the scripted scenario on embedded defaults, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Integration tests mostly wait on brokers and databases, so more workers than cores pay off.
TEST_WORKERS ?= 4
BUF := npx --yes @bufbuild/buf@1.75.0
PROTOS := $(wildcard protos/warden/v1/*.proto)

.PHONY: bench browser demo test lint protos check-protos buf-lint unit integration clean help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed ## Create the virtual environment and install Warden

demo: $(BIN)/.installed ## Run the scripted scenario on an embedded broker and SQLite
	$(BIN)/warden demo

test: $(BIN)/.installed browser lint check-protos buf-lint ## Lint, check generated code and run the whole suite
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

browser: ## Install Debian's chromium and chromedriver for the console's browser tests, if missing
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update && apt-get install -y chromium chromium-driver)

lint: $(BIN)/.installed ## ruff on everything, mypy on the domain
	$(BIN)/ruff check services tests $(wildcard bench)
	$(BIN)/ruff format --check services tests $(wildcard bench)
	$(BIN)/mypy

protos: $(BIN)/.installed ## Regenerate the Python stubs from protos/
	$(BIN)/python -m grpc_tools.protoc -Iprotos --python_out=services --grpc_python_out=services \
		--pyi_out=services $(PROTOS)

check-protos: $(BIN)/.installed ## Fail when the checked-in stubs differ from protos/
	@tmp=$$(mktemp -d) && \
	$(BIN)/python -m grpc_tools.protoc -Iprotos --python_out=$$tmp --grpc_python_out=$$tmp \
		--pyi_out=$$tmp $(PROTOS) && \
	diff -r -x __pycache__ -x __init__.py $$tmp/warden/v1 services/warden/v1 && \
	echo "generated stubs are up to date" ; rc=$$?; rm -rf $$tmp; exit $$rc

buf-lint: ## buf lint on protos/
	$(BUF) lint

bench: $(BIN)/.installed ## Benchmark: raw vs end-to-end rate, latency, memory (docs/performance.md)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean: ## Remove the virtual environment and local state
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
