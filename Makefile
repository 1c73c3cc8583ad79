# One command each: `make seeds` sets up and builds the seeds; `make test` sets up and
# runs the tests (the full suite); `make test-quick` runs the fast subset (no slow, browser
# or server tests: under a minute); `make lint` runs the static gates (ruff, mypy,
# import-linter, as .pre-commit-config.yaml does). All create ./.venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup browser seeds test test-quick lint eval bench notebooks clean

$(BIN)/vetkg: setup.cfg pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/vetkg

setup: $(BIN)/vetkg

seeds: setup
	$(BIN)/vetkg build seeds --out build

# The browser tests drive Debian's Chromium (no browser download at run time); as root this
# installs it with a CJK font, elsewhere it says how and those tests are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	  else echo "note: apt-get install chromium fonts-wqy-zenhei for the browser tests (skipped without it)"; fi; }

test: setup browser
	$(BIN)/python -m pytest

# The markers are assigned in tests/conftest.py and registered in setup.cfg.
test-quick: setup
	$(BIN)/python -m pytest -m "not slow and not browser and not server" -n auto

# The quality gates, configured in pyproject.toml; CI (.ci/run) runs them before the tests.
lint: setup
	$(BIN)/ruff check kg tests benchmarks examples
	$(BIN)/ruff format --check kg tests benchmarks examples
	$(BIN)/mypy
	$(BIN)/lint-imports

eval: setup
	$(BIN)/vetkg eval --gold tests/gold seeds

notebooks: setup
	$(BIN)/pip install --quiet -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/

bench: setup
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf build .pytest_cache
