# Warden: `make demo` runs the scripted scenario on embedded defaults, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Integration tests mostly wait on brokers and databases, so more workers than cores pay off.
TEST_WORKERS ?= 4
BUF := npx --yes @bufbuild/buf@1.75.0
PROTOS := $(wildcard protos/warden/v1/*.proto)

.PHONY: bench browser check-lock demo lock test lint protos check-protos buf-lint unit integration clean help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Installs come from uv.lock only; uv itself is pinned by hash in tools/uv-requirements.txt.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

$(UV): tools/uv-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r tools/uv-requirements.txt
	touch $@

check-lock: $(UV) ## Fail at once when uv.lock does not match pyproject.toml
	@$(UV) lock --locked --quiet --python $(PYTHON) || { \
		echo "uv.lock is out of date with pyproject.toml: run 'make lock' and commit uv.lock" >&2; \
		exit 1; }

lock: $(UV) ## Refresh uv.lock from pyproject.toml (on purpose: commit it with the change)
	$(UV) lock --python $(PYTHON)

$(BIN)/.installed: pyproject.toml uv.lock | check-lock
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	touch $@

venv: $(BIN)/.installed ## Create the virtual environment from uv.lock

demo: $(BIN)/.installed ## Run the scripted scenario on an embedded broker and SQLite
	$(BIN)/warden demo

test: check-lock $(BIN)/.installed browser lint check-protos buf-lint ## Lint, check generated code and run the whole suite
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

browser: ## Install Debian's chromium and chromedriver for the console's browser tests, if missing
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update && apt-get install -y chromium chromium-driver)

lint: $(BIN)/.installed ## ruff on everything, mypy strict on the domains and application layers
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
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .ruff_cache .mypy_cache
