"""Running one check on one answer many times: the shared core of the fairness tests.

A check draws fresh points or a fresh problem on every run, so a verdict is only
trusted when it is the same in every run: a right answer passes every time, a wrong
answer fails every time with a message that names its mistake. The answers are
defined the way a notebook cell defines them (module ``__main__``), so the checks'
guards against the course's own helpers see what they would see in a notebook.

``NNBASICS_FAIRNESS_RUNS=100`` raises every variant to at least that many runs (a
longer measurement, not for ``make test``).
"""

from __future__ import annotations

import contextlib
import io
import os

import numpy as np
import torch

from nnbasics.checks.core import CheckFailed

AT_LEAST = int(os.environ.get("NNBASICS_FAIRNESS_RUNS", "0"))


def define(source: str, name: str, **names):
    """Run ``source`` as a notebook cell would, with ``np``, ``torch`` and ``names`` in
    scope, and return what it defined under ``name``."""
    scope = {"__name__": "__main__", "np": np, "torch": torch, **names}
    exec(source, scope)
    return scope[name]


def verdicts(check, fn, runs: int) -> list[str]:
    """The message of each run: "" for a pass, the failure's text otherwise."""
    out = []
    for _ in range(max(runs, AT_LEAST)):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                check(fn)
            out.append("")
        except CheckFailed as failure:
            out.append(str(failure))
    return out


def always_passes(check, fn, runs: int) -> None:
    failures = [v for v in verdicts(check, fn, runs) if v]
    assert not failures, f"{len(failures)} runs failed, e.g. {failures[0]}"


def always_fails(check, fn, words: str, runs: int) -> None:
    messages = verdicts(check, fn, runs)
    passed = messages.count("")
    assert passed == 0, f"{passed} runs passed"
    unnamed = [m for m in messages if words not in m]
    assert not unnamed, f"{len(unnamed)} messages miss {words!r}: {unnamed[0]}"
