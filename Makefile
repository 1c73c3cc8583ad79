# One command each: `make seeds` sets up and builds the seeds; `make test` sets up and
# runs the tests. Both create ./.venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup seeds test eval bench clean

$(BIN)/vetkg: setup.cfg pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/vetkg

setup: $(BIN)/vetkg

seeds: setup
	$(BIN)/vetkg build seeds --out build

test: setup
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/vetkg eval --gold ../shared/gold seeds

bench: setup
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf build .pytest_cache
