#!/usr/bin/env bash
# `make latest`: every notebook under nbval against the newest releases the registry
# offers (what Colab gives learners), in its own virtual environment (.venv-latest),
# so the pinned .venv that `make test` uses is untouched. Not part of `make test`:
# a new upstream release is news to act on, not a failure of the course.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=.venv-latest
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
# Unpinned: the newest numpy, matplotlib, ipywidgets and torch (CPU wheels on Linux
# where PyTorch's index answers), then the course's package without its pins.
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2046
"$VENV/bin/python" -m pip install --quiet --upgrade $("$PYTHON" scripts/torch_index.py) \
    numpy matplotlib ipywidgets torch nbval pytest pytest-xdist ipykernel pyyaml nbformat
"$VENV/bin/python" -m pip install --quiet --no-deps -e .
echo "== versions under test"
"$VENV/bin/python" -m pip list 2>/dev/null | grep -Ei '^(numpy|matplotlib|ipywidgets|torch|nbval) '
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# shellcheck disable=SC2046
"$VENV/bin/python" -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 \
    -p no:cacheprovider -q -n "${JOBS:-2}" --dist loadfile \
    $("$VENV/bin/python" scripts/course_list.py notebook-dirs)
