# Two entry points: `make run` serves the app, `make test` runs every test. Both set themselves up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.installed-ray

.PHONY: run test test-ray test-fast setup clean

# The API and stream tests again, once, with their sessions in host actors of a local Ray cluster (127.0.0.1)
RAY_PASS := tests/api/routes/test_sessions.py tests/api/routes/test_sessions_custom_data.py tests/api/routes/test_stream.py

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

# Both passes run whatever the first's outcome; either failing fails the target.
test: $(RAY_STAMP)
	./scripts/ensure-chromium.sh
	status=0; $(BIN)/python -m pytest || status=$$?; \
	TP_TEST_BACKEND=ray $(BIN)/python -m pytest $(RAY_PASS) || status=$$?; exit $$status

test-ray: $(RAY_STAMP)
	TP_TEST_BACKEND=ray $(BIN)/python -m pytest $(RAY_PASS)

clean:
	rm -rf $(VENV) .pytest_cache
