# Two commands on a fresh machine: `make run` (venv + pinned install + ingest seeds/) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEEDS  ?= seeds
DB     ?= warehouse/news.duckdb

# Prefect keeps its local (ephemeral) server database here unless the caller chose another home.
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: install run report sql docs test test-fast test-heavy test-durations score aeb ecb polnear dates entities trafdev bench lock clean

install: $(STAMP)

# The locked wheels are installed by uv (pinned; installed by pip into the venv first): 13 s with bytecode,
# where pip takes 40-60 s of the four minutes `make test` has on a fresh machine. Without uv (no PyPI to get
# it from), pip installs the same lock.
UV_VERSION := 0.13.10
LOCKED_INSTALL = $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c requirements.lock
PIP_INSTALL = $(BIN)/python -m pip install --quiet -c requirements.lock

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)" 2>/dev/null; then \
	  $(LOCKED_INSTALL) -e ".[test]"; \
	else \
	  echo "install: uv $(UV_VERSION) not available; pip installs the lock (about a minute)"; \
	  $(BIN)/python -m pip install --quiet --upgrade "pip>=24" && $(PIP_INSTALL) -e ".[test]"; \
	fi
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsetl run --seeds $(SEEDS) --db $(DB)

# The story report of the seeds warehouse (brought up to date first): static HTML in report/, timelines as PNG too.
report: run
	$(BIN)/newsetl report --db $(DB) --out report --png

# SQL on the warehouse, read-only (`.tables`, `.schema NAME`, `.quit`); no DuckDB CLI needed.
sql: $(STAMP)
	$(BIN)/newsetl sql --db $(DB)

# Tests run side by side in one process more than the machine has cores (pytest-xdist): many end-to-end
# tests wait on a server, a schedule or a signal, and the extra process keeps the cores busy meanwhile.
# A test file stays in one process, so its fixtures are built once; files are shared out in collection
# order, slowest first by the seconds recorded in tests/durations.json (a file not recorded yet: first if it
# holds a slow test, else last). `make test-fast` leaves out the slow end-to-end group, for the edit loop.
# `make test-durations` runs the whole suite and records each file's seconds (setup, call and teardown) into
# tests/durations.json: commit it after adding a slow file or changing how long one takes.
TEST_PROCESSES := $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST_XDIST := -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder

# Bytecode for the project's own modules first: where PYTHONDONTWRITEBYTECODE is set (as on this machine and
# in CI), each of the ~100 processes the tests start would otherwise compile them again (0.2 s each).
PACKAGES := cli contract expectations flows reports transforms warehouse bench tests

test: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 $(PACKAGES)
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) -m "not heavy"

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) -m "not slow and not heavy"

# The same paths at full scale (a 200,000-word article): minutes of CPU, so not part of `make test`.
test-heavy: $(STAMP)
	$(BIN)/python -m pytest -q -m heavy

test-durations: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) -m "not heavy" --record-durations

# Quality against the shared dev gold (needs a loaded warehouse: `make run` first).
score: $(STAMP)
	$(BIN)/python ../shared/eval/score.py --db $(DB) --gold ../shared/gold/dev

aeb: $(STAMP)
	$(BIN)/newsetl run --seeds ../shared/aeb-dev/html --db /tmp/aeb.duckdb
	$(BIN)/python ../shared/eval/aeb_score.py --db /tmp/aeb.duckdb --pages ../shared/aeb-dev

ecb: $(STAMP)
	$(BIN)/python bench/ecb_clusters.py --corpus ../shared/ecb-dev

# Reposts on ECB+: pairs linked (to read), recall on synthetic reposts, the seeds' pairwise similarity.
.PHONY: dups
dups: $(STAMP)
	$(BIN)/python bench/duplicates.py --corpus ../shared/ecb-dev --pairs

# Quotes and named speakers on 84 real US political articles (PolNeAR dev split).
polnear: $(STAMP)
	$(BIN)/python bench/polnear.py --corpus ../shared/polnear-dev

# The speaker ranker retrained on PolNeAR train (the `train` extra: scikit-learn), deterministically: the same
# data gives the same transforms/extract/models/speaker_ranker.json. Parsed features are cached under /tmp.
.PHONY: train-speakers
train-speakers: $(STAMP)
	if test -x $(BIN)/uv; then $(LOCKED_INSTALL) -e ".[train]"; else $(PIP_INSTALL) -e ".[train]"; fi
	$(BIN)/python bench/train_speakers.py --corpus ../shared/polnear-train

# Date expressions and events on our own gold of real articles (bench/gold/dates); loads them into a temp warehouse.
dates: $(STAMP)
	$(BIN)/python bench/date_eval.py --errors

# Entities on real articles (bench/gold/entities): ours against bare spaCy, scored by score.py.
entities: $(STAMP)
	$(BIN)/python bench/entity_eval.py

# Title, date, authors and body on 50 real web pages (trafilatura's eval set, dev slice), beside bare trafilatura.
trafdev: $(STAMP)
	rm -rf /tmp/newsetl-trafdev && mkdir -p /tmp/newsetl-trafdev/seeds
	cp ../shared/trafilatura-dev/html/* /tmp/newsetl-trafdev/seeds/
	$(BIN)/newsetl run --seeds /tmp/newsetl-trafdev/seeds --db /tmp/newsetl-trafdev/news.duckdb --no-progress
	$(BIN)/python ../shared/eval/trafilatura_meta_score.py /tmp/newsetl-trafdev/news.duckdb \
	  /tmp/newsetl-trafdev/seeds ../shared/trafilatura-dev/evaldata.json

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

# The generated docs: the schema reference (warehouse/README.md) and docs/architecture.md's layout section.
docs: $(STAMP)
	$(BIN)/python -m warehouse.docs
	$(BIN)/python docs/layout.py

# Re-resolve the lock after editing pyproject.toml dependencies.
lock:
	rm -rf /tmp/newsetl-lock && $(PYTHON) -m venv /tmp/newsetl-lock
	/tmp/newsetl-lock/bin/pip install --quiet ".[test,train]"
	( echo "# Fully resolved, tested dependency set (Python 3.11). Regenerate with \`make lock\`."; \
	  /tmp/newsetl-lock/bin/pip freeze --exclude-editable | grep -v '^newsetl' ) > requirements.lock

clean:
	rm -rf $(VENV) .prefect .pytest_cache
