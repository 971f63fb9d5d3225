# Two entry points: `make run` serves the app, `make test` runs every test. Both set themselves up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.installed-ray

.PHONY: run test test-fast setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The tests run the Ray backend too (tests/ray); serving needs no Ray unless TP_BACKEND=ray.
$(RAY_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,ray]'
	touch $(RAY_STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m app

test: $(RAY_STAMP)
	./scripts/ensure-chromium.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache
