# Fascia: `make run` to use it, `make test` to check it, `make bench` to measure it.
PYTHON ?= python3
VENV   ?= .venv
# Practice sizes (clients) the size-dependent benchmarks run at: BENCH_SIZES=1000,10000,30000.
BENCH_SIZES ?= 1000,10000,30000
BIN    := $(VENV)/bin

.PHONY: run test test-ui test-noqt lint bench bench-readme bundle clean

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

# Tests run on every core (pytest-xdist; JOBS=0 CORE_JOBS=0 runs them in one process). Each test file stays
# on one worker, so the fixtures a file builds once (a demo practice, example clients) stay once.
# Files are handed out in collection order, which puts the longest first (tests/conftest.py,
# LONGEST_FIRST), not xdist's default of the files with most tests first (the kill tests, one
# test a file, came last and ran alone at the end).
JOBS   ?= auto
# CORE_JOBS: the core's workers (as many as JOBS unless set). One more than the cores once took
# `make test` in a fresh clone from 6:35 to 5:57 on the 2-core machine, but two later runs took
# about 7:10 and 7:20: not kept as the default.
CORE_JOBS ?= $(JOBS)
XDIST  = --dist loadfile --no-loadscope-reorder
# Each test process compiles the modules it imports and rewrites the asserts of every test module
# it collects: collecting tests/practice takes 10 s of CPU, 4.5 once the results are kept in
# __pycache__. With PYTHONDONTWRITEBYTECODE set (as some shells and sandboxes do) every worker,
# and every fascia-cli process a test starts, would do it all again.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

# The core's tests, with PySide6 made unimportable: practice/ must never need Qt.
test-noqt: $(VENV)/.installed-test
	FASCIA_BLOCK_QT=1 $(PYTEST) -q -n $(CORE_JOBS) $(XDIST) -p no:pytest-qt -W ignore::pytest.PytestConfigWarning tests/practice

# The screens' tests.
test-ui: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PYTEST) -q -n $(JOBS) $(XDIST) tests/ui

# The screens' tests and the core's side by side, the core's once, with Qt blocked (test-noqt):
# they never need Qt, so that run checks all they check with Qt present, and that practice/ never
# needs it. Two pytest runs because Qt can only be blocked in a process that never loaded it; run
# together, each fills the cores while the other waits on its slowest file or on the screen.
# Each run's output is shown whole when it ends (--output-sync). Both share one folder for the
# rebuildable caches, so the ICD-10-CM index is read from its package once, not once a run.
test: lint $(VENV)/.installed-test
	@cache=$$(mktemp -d -t fascia-test-cache-XXXXXX); \
	FASCIA_CACHE_DIR=$$cache $(MAKE) --no-print-directory -j2 --output-sync=target test-ui test-noqt; \
	status=$$?; rm -rf "$$cache"; exit $$status

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen BENCH_SIZES=$(BENCH_SIZES) $(BIN)/python -m tests.bench $(BENCH)

# The same run, then README.md's performance table rewritten from its figures.
bench-readme: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen BENCH_SIZES=$(BENCH_SIZES) $(BIN)/python -m tests.bench --readme $(BENCH)

bundle: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[bundle]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

clean:
	rm -rf build dist .pytest_cache .ruff_cache
