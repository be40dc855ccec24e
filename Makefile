# The course's commands. `make book` and `make test` are the two the README promises;
# both create .venv from the requirements files on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The strict build: warnings are errors, every cross-reference must resolve.
BOOK_FLAGS := -W -n --keep-going
# The notebook folders, from their one list in nnbasics/authoring.py.
NOTEBOOKS := $(shell sed -n 's/^NOTEBOOK_DIRS = (\(.*\))$$/\1/p' nnbasics/authoring.py | tr -d ',"')

# The tests run two notebooks or test workers at a time, one per core, so each process
# keeps to one thread: several processes each spinning up threads for NumPy's BLAS or
# torch on two cores slow small matrix products down by orders of magnitude.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: help book test lint unit notebooks seed-sweep book-strict browser exercises benchmark multistage-family clean

help:
	@echo "make book       build the HTML book into _build/html"
	@echo "make test       run every test (lint, unit, nbval, strict build, browser)"
	@echo "make exercises  regenerate exercises/ (and Colab cells) from solutions/"
	@echo "make benchmark  time each notebook and the build; writes benchmarks/results.md"
	@echo "make multistage-family  the multistage recipe on five targets, seeds 0-6 (~35 min)"

$(VENV)/.book-deps: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.book-deps requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

book: $(VENV)/.book-deps
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)

test: lint unit notebooks seed-sweep book-strict browser

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/python -m nnbasics.authoring check

unit: $(VENV)/.test-deps
	$(BIN)/python -m pytest tests -m "not browser" -n 2 --dist loadgroup

# Two notebooks at a time (one per core); a notebook's cells stay in one kernel.
NBVAL := $(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 \
	-p no:cacheprovider -n 2 --dist loadfile
notebooks: $(VENV)/.test-deps
	$(NBVAL) $(NOTEBOOKS)

# Every chapter again under other seeds (nnbasics.seeding.SWEEP_SEEDS): a claim that
# holds only for the default seed is a bug in the claim.
SWEEP_SEEDS := $(shell sed -n 's/^SWEEP_SEEDS = (\(.*\))$$/\1/p' nnbasics/seeding.py | tr -d ',')
seed-sweep: $(VENV)/.test-deps
	for seed in $(SWEEP_SEEDS); do \
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
	$(BIN)/python -m nnbasics.authoring sync

benchmark: $(VENV)/.test-deps
	$(BIN)/python scripts/benchmark.py

multistage-family: $(VENV)/.test-deps
	$(BIN)/python -m scripts.multistage_family

clean:
	rm -rf _build
