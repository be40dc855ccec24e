# The course's commands. `make book` and `make test` are the two the README promises;
# both create .venv from the requirements files on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The strict build: warnings are errors, every cross-reference must resolve.
BOOK_FLAGS := -W -n --keep-going
# The notebook folders (booktools.authoring.NOTEBOOK_DIRS) and the sweep's seeds
# (nnbasics.seeding.SWEEP_SEEDS), imported from their one home by scripts/course_list.py.
COURSE_LIST := $(BIN)/python scripts/course_list.py
# PyTorch's CPU wheel index on Linux when it answers (scripts/torch_index.py), so a
# laptop does not download the multi-GB CUDA build; nothing where it does not answer.
TORCH_INDEX = $(shell $(PYTHON) scripts/torch_index.py)

# The tests run two notebooks or test workers at a time, one per core, so each process
# keeps to one thread: several processes each spinning up threads for NumPy's BLAS or
# torch on two cores slow small matrix products down by orders of magnitude.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: help book test lint unit notebooks seed-sweep book-strict browser exercises benchmark multistage-family latest clean

help:
	@echo "make book       build the HTML book into _build/html"
	@echo "make test       run every test (lint, unit, nbval, strict build, browser)"
	@echo "make exercises  regenerate exercises/ (and Colab cells) from solutions/"
	@echo "make benchmark  time each notebook and the build; writes benchmarks/results.md"
	@echo "make multistage-family  the multistage recipe on five targets, seeds 0-6 (~35 min)"
	@echo "make latest     nbval on every notebook against the newest numpy/matplotlib/torch/ipywidgets"

$(VENV)/.book-deps: requirements.txt pyproject.toml tools/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(TORCH_INDEX) -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.book-deps requirements-dev.txt
	$(BIN)/python -m pip install --quiet $(TORCH_INDEX) -r requirements-dev.txt
	touch $@

book: $(VENV)/.book-deps
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)

# Every stage below, the independent ones side by side, with each stage's time at the
# end (scripts/run_tests.py; the strict build is the chapters' default-seed run, and
# the sweep takes one more seed per run: SWEEP_SEED=all for every seed).
test: $(VENV)/.test-deps
	$(BIN)/python scripts/run_tests.py

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/python -m booktools.authoring check

unit: $(VENV)/.test-deps
	$(BIN)/python -m pytest tests -m "not browser" -n 2 --dist loadgroup

# Two notebooks at a time (one per core); a notebook's cells stay in one kernel.
NBVAL := $(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 \
	-p no:cacheprovider -n 2 --dist loadfile
notebooks: $(VENV)/.test-deps
	$(NBVAL) $$($(COURSE_LIST) notebook-dirs)

# Every chapter again under other seeds (nnbasics.seeding.SWEEP_SEEDS): a claim that
# holds only for the default seed is a bug in the claim.
seed-sweep: $(VENV)/.test-deps
	seeds=$$($(COURSE_LIST) sweep-seeds) || exit 1; \
	for seed in $$seeds; do \
		echo "== chapters with NNBASICS_SEED=$$seed"; \
		NNBASICS_SEED=$$seed $(NBVAL) chapters || exit 1; \
	done

# --all rebuilds every page, so a warning from an unchanged page cannot hide, and the
# emptied cache makes every notebook run, against the helper package as it is now.
book-strict: $(VENV)/.book-deps
	rm -rf _build/.jupyter_cache
	$(BIN)/jupyter-book build . $(BOOK_FLAGS) --all

browser: $(VENV)/.test-deps
	bash scripts/ensure_browser.sh
	$(BIN)/python -m pytest tests -m browser

exercises: $(VENV)/.book-deps
	$(BIN)/python -m booktools.authoring sync

benchmark: $(VENV)/.test-deps
	$(BIN)/python scripts/benchmark.py

multistage-family: $(VENV)/.test-deps
	$(BIN)/python -m scripts.multistage_family

latest:
	bash scripts/latest.sh

clean:
	rm -rf _build
