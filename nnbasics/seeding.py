"""One place for the seed of every notebook, and the course's one convention for randomness.

Each chapter starts with ``SEED = course_seed()`` and derives every random
generator from it.  The default seed is what the book shows; the test command
re-executes every chapter with ``NNBASICS_SEED`` set to other values, so a claim
that holds only for the default seed fails the tests (a claim must be true, not
lucky).

The convention: a helper that draws random numbers takes ``seed``, a whole number or a
NumPy Generator (which it advances), and turns it into a generator with
:func:`generator`; a chapter passes ``rng(SEED, stream)``, one stream per use.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from .validation import require_int

SEED_ENV_VAR = "NNBASICS_SEED"
DEFAULT_SEED = 0
#: The seeds the test command's seed sweep runs every chapter under (besides the default).
SWEEP_SEEDS = (1, 2, 3)


def course_seed(default: int = DEFAULT_SEED) -> int:
    """The seed for this run: ``$NNBASICS_SEED`` if set, else ``default``.

    Also seeds torch when the notebook has imported it (import torch first), so that
    networks initialise the same way in every run with the same seed; the helper
    package itself never imports torch just for this, since it costs a second or two.
    """
    raw = os.environ.get(SEED_ENV_VAR, "").strip()
    if raw:
        try:
            seed = int(raw)
        except ValueError:
            raise ValueError(f"{SEED_ENV_VAR} must be a whole number >= 0, got {raw!r}") from None
    else:
        seed = default
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"the seed must be a whole number >= 0, got {seed!r}")
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(int(seed))
    return int(seed)


def rng(seed: int, stream: int = 0) -> np.random.Generator:
    """An independent generator for one use of the seed (data, initial weights, ...).

    Different ``stream`` numbers give statistically independent generators from the
    same seed, so drawing more numbers for one purpose never shifts another's.
    """
    return np.random.default_rng([int(seed), int(stream)])


#: What a helper's ``seed`` argument may be.
Seed = int | np.random.Generator


def generator(seed: Seed, name: str = "seed") -> np.random.Generator:
    """A NumPy generator from a whole number >= 0, or ``seed`` itself if it is one.

    Chapters pass ``rng(SEED, stream)``, so that everything drawn follows the notebook's
    one seed; tests pass a plain number.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(require_int(name, seed, 0))
