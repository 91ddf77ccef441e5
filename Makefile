# Fascia: `make run` to use it, `make test` to check it, `make bench` to measure it.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test test-noqt lint bench bundle demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project metadata changes, so re-running is quick.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/fascia $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check practice ui tests
	$(BIN)/ruff format --check practice ui tests
	$(BIN)/lint-imports

# The core's tests again, with PySide6 made unimportable: practice/ must never need Qt.
test-noqt: $(VENV)/.installed-test
	FASCIA_BLOCK_QT=1 $(BIN)/pytest -q -p no:pytest-qt -W ignore::pytest.PytestConfigWarning tests/practice

test: lint $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q
	$(MAKE) --no-print-directory test-noqt

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench $(BENCH)

bundle: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[bundle]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

demo: $(VENV)/.installed-run
	$(BIN)/fascia-cli --data-dir /tmp/fascia-demo demo --clients 200

clean:
	rm -rf build dist .pytest_cache .ruff_cache
