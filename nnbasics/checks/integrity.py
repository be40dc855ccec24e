"""What the checks refuse inside the learner's kernel, and the graded runs' seed.

No check that runs in the learner's kernel can be made safe against code that runs
before it; the grading pipeline inspects submissions outside the kernel
(``grading/integrity.py`` in the course repository). These are the cheap refusals,
so a learner practising alone gets a clear message too:

* before a cell that calls a check (a name ``check_*``) runs, that name must be the
  package's own check function, and no function of a loaded check module, of
  :mod:`nnbasics.checks.core` or of NumPy's top level (nor a method of a class of the
  package) may have been replaced by one
  written in the notebook; otherwise the cell raises ``CheckFailed`` instead of running;
* :func:`seeded` makes ``fresh_rng`` reproducible under grading: when
  ``NNBASICS_CHECK_SEED`` is set (``python -m grading setup`` sets it per student and
  assignment), the n-th generator a kernel draws is seeded by (seed, n), so a re-grade
  gives the same score; without it every run draws fresh points.
"""

from __future__ import annotations

import ast
import functools
import itertools
import os
import sys
import types
from collections.abc import Callable

import numpy as np

SEED_VARIABLE = "NNBASICS_CHECK_SEED"
_draws = itertools.count()


def seeded(fresh_rng: Callable[[], np.random.Generator]) -> Callable[[], np.random.Generator]:
    """``fresh_rng``, or a generator seeded from ``NNBASICS_CHECK_SEED`` when it is set."""

    @functools.wraps(fresh_rng)
    def rng() -> np.random.Generator:
        seed = os.environ.get(SEED_VARIABLE, "").strip()
        if not seed:
            return fresh_rng()
        try:
            value = int(seed)
        except ValueError:
            raise ValueError(f"{SEED_VARIABLE} must be a whole number ≥ 0, got {seed!r}") \
                from None
        if value < 0:
            raise ValueError(f"{SEED_VARIABLE} must be a whole number ≥ 0, got {value}")
        return np.random.default_rng([value, next(_draws)])

    return rng


def _written_in_notebook(value: object) -> bool:
    """A function whose code comes from a notebook cell, not from a file of a library."""
    code = getattr(value, "__code__", None)
    if isinstance(value, types.FunctionType | types.MethodType) and code is not None:
        return getattr(value, "__module__", None) == "__main__" or \
            not os.path.isabs(code.co_filename) or "ipykernel" in code.co_filename
    return False


def replaced_helpers() -> list[str]:
    """Functions of the check modules, their core or NumPy replaced from a notebook."""
    found = []
    modules = [m for name, m in list(sys.modules.items())
               if name.startswith("nnbasics") and m is not None]
    modules.append(np)
    for module in modules:
        for attribute, value in list(vars(module).items()):
            if _written_in_notebook(value):
                found.append(f"{module.__name__}.{attribute}")
            elif isinstance(value, type) and value.__module__ == module.__name__:
                # a method swapped on the package's own class (MLP.forward, say); not the
                # dunders, which dataclasses write from strings as notebooks do
                found += [f"{module.__name__}.{attribute}.{name}"
                          for name, method in list(vars(value).items())
                          if not name.startswith("__") and _written_in_notebook(method)]
    return found


def foreign_checks(names: set[str], namespace: dict) -> list[str]:
    """The ``check_*`` names that are not the package's own check functions."""
    foreign = []
    for name in sorted(names):
        value = namespace.get(name)
        if value is None:
            continue  # an undefined name fails as itself
        module = sys.modules.get(getattr(value, "__module__", "") or "")
        if not (getattr(value, "__module__", "").startswith("nnbasics.checks.")
                and getattr(module, getattr(value, "__name__", ""), None) is value
                and not _written_in_notebook(value)):
            foreign.append(name)
    return foreign


class _RefuseTampering(ast.NodeTransformer):
    """IPython AST transformer: a cell calling a check first checks the checks."""

    def __init__(self, shell: object, failure: type[Exception]) -> None:
        self.shell, self.failure = shell, failure

    def visit_Module(self, node: ast.Module) -> ast.Module:  # noqa: N802
        called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call)
                  and isinstance(n.func, ast.Name) and n.func.id.startswith("check_")}
        if not called:
            return node
        problems = [f"{name} is not the course's check" for name in
                    foreign_checks(called, self.shell.user_ns)]  # type: ignore[attr-defined]
        problems += [f"{name} was replaced by code in this notebook"
                     for name in replaced_helpers()]
        if not problems:
            return node
        message = ("the checks cannot run: " + "; ".join(problems[:4])
                   + ". Restart the kernel and run the notebook without changing them")
        self.shell.user_ns["_nnbasics_refusal"] = (self.failure, message)  # type: ignore
        raise_stmt = ast.parse("raise _nnbasics_refusal[0](_nnbasics_refusal[1])").body
        return ast.fix_missing_locations(ast.Module(body=raise_stmt, type_ignores=[]))


def install(failure: type[Exception]) -> None:
    """Refuse tampered checks in IPython (once per kernel); nothing in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or any(isinstance(t, _RefuseTampering) for t in shell.ast_transformers):
        return
    shell.ast_transformers.append(_RefuseTampering(shell, failure))
