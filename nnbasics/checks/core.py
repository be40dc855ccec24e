"""The shared core of the exercises' self-checks.

A check module per exercise (``nnbasics.checks.<exercise>``) holds its own checks and
nothing else; what every check needs lives here:

* :class:`CheckFailed`, the one exception a check raises; in a notebook it shows as a
  single line ("CheckFailed: your dJ/dw ... is ..., expected ...; ...") while any
  error raised inside the learner's own code keeps its full traceback;
* :func:`require_own_function`, so that importing the course's reference does not pass;
* :func:`swap_global`, to run the learner's function with a reference in place of one
  of the learner's other answers, so each check tests one task only;
* :func:`fresh_rng`, fresh evaluation points on every run, so that numbers copied out
  of a failure message do not pass either;
* :func:`as_array`, :func:`as_number`, which accept what a learner reasonably returns
  (a list, a torch tensor, a 0-d array, a column vector) and otherwise say what was
  expected and what came;
* :func:`close`, :func:`name_the_mistake` and :func:`compare`, which turn a wrong
  number into a message with the learner's value, the expected one and the likely
  mistake.
"""

from __future__ import annotations

import contextlib
import dis
import reprlib
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np


class CheckFailed(AssertionError):
    """The learner's answer is not right yet; the message says why and what to try."""


def passed(message: str) -> None:
    """Report a passing check in one line."""
    print(f"✔ {message}")


def not_implemented(value: object, what: str) -> None:
    """Raise ``NotImplementedError`` when a value the learner must set is still ``None``."""
    if value is None:
        raise NotImplementedError(f"not implemented yet: {what}")


# -- the learner's own function --------------------------------------------------------
def _names_used(code: types.CodeType) -> set[str]:
    """Every global or attribute name a function's code (nested functions included) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def _cells(fn: Callable) -> list:
    values = []
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet (a nested function calling itself)
            pass
    return [v for v in values if v is not None]


def _imported_inside(code: types.CodeType) -> list:
    """The modules and names that ``import`` statements inside ``code`` (or a function
    nested in it) bring in: ``from nnbasics.models import neuron_gradient`` written in
    the learner's function body is no global, but it is reached all the same. Only
    modules already imported are looked up, so a check never imports anything."""
    found: list = []
    codes = [code]
    while codes:
        current = codes.pop()
        codes += [c for c in current.co_consts if isinstance(c, types.CodeType)]
        module = None
        for instruction in dis.get_instructions(current):
            if instruction.opname == "IMPORT_NAME":
                module = sys.modules.get(str(instruction.argval))
                if module is not None:
                    found.append(module)
            elif instruction.opname == "IMPORT_FROM" and module is not None:
                found.append(getattr(module, str(instruction.argval), None))
    return found


def _reachable(fn: Callable, seen: set[int]) -> list:
    """What ``fn`` can reach: the globals its code names, attributes of the modules
    among them, its defaults and closure; and, through the learner's own helpers
    (functions of the same module), what those reach."""
    code = getattr(fn, "__code__", None)
    if code is None or id(fn) in seen:
        return []
    seen.add(id(fn))
    used = sorted(_names_used(code))
    scope = getattr(fn, "__globals__", {})
    reachable = [scope[n] for n in used if n in scope]
    reachable += [getattr(value, n, None) for value in list(reachable)
                  if isinstance(value, types.ModuleType) for n in used]
    reachable += list(getattr(fn, "__defaults__", None) or ())
    reachable += list((getattr(fn, "__kwdefaults__", None) or {}).values())
    reachable += _cells(fn)
    reachable += _imported_inside(code)
    module = getattr(fn, "__module__", None)
    for value in list(reachable):
        if isinstance(value, types.FunctionType) and value.__module__ == module:
            reachable += _reachable(value, seen)
    return reachable


def _references_used(fn: Callable, forbidden: Sequence[Callable]) -> Callable | None:
    """The first of ``forbidden`` that ``fn`` can reach: a global of its code that *is*
    one of them (under any name, ``from ... import neuron_gradient as g``), an
    attribute of a module it uses (``ap.step``), a default argument, a closure
    variable, or any of these in the learner's own helpers that it calls.

    Objects are compared, never names: a learner's own helper called ``step``, or a
    recursive ``gradient_descent``, is the learner's and passes.
    """
    reachable = _reachable(fn, set())
    for reference in forbidden:  # in the caller's order, so the message is reproducible
        if any(value is reference for value in reachable):
            return reference
    return None


def _autograd_used(fn: Callable) -> str | None:
    """The name of an automatic-differentiation library ``fn`` (or a helper of the
    learner's it calls) uses, if any."""
    for value in _reachable(fn, set()):
        module = getattr(value, "__module__", None) if not isinstance(
            value, types.ModuleType) else value.__name__
        root = (module or "").split(".")[0]
        if root in ("torch", "jax", "autograd", "tensorflow"):
            return root
    return None


def require_own_function(fn: object, name: str, forbidden: Iterable[Callable] = (),
                         *, numpy_only: bool = False) -> None:
    """Fail unless ``fn`` is a function written in the notebook itself.

    A function defined in a notebook belongs to the module ``__main__``; one imported
    from the course's package (which holds reference implementations for the
    chapters) does not. ``forbidden`` lists references the learner's function must not
    call either (a one-line wrapper around the answer is not an answer), whether by
    their own name or under another one. With ``numpy_only``, a function that uses an
    automatic-differentiation library (torch, jax) fails too.
    """
    if fn is None:
        raise CheckFailed(f"{name} is None: define it with `def {name}(...)` and run that cell")
    if not callable(fn):
        raise CheckFailed(f"{name} must be a function you define with `def {name}(...)`, "
                          f"but it is {type(fn).__name__} {_show(fn)}")
    module = getattr(fn, "__module__", None) or ""
    if module.split(".")[0] == "nnbasics":
        raise CheckFailed(f"{name} comes from {module}: the exercise asks you to write it "
                          f"yourself, with `def {name}(...)` in this notebook")
    if module != "__main__":
        raise CheckFailed(f"{name} must be defined in this notebook (`def {name}(...)`), "
                          f"not imported from {module or 'elsewhere'}")
    library = _autograd_used(fn) if numpy_only else None
    if library is not None:
        raise CheckFailed(f"{name} uses {library}: this task asks for the chain rule by hand, "
                          "with NumPy only (automatic differentiation is what it explains)")
    reference = _references_used(fn, tuple(forbidden))
    if reference is not None:
        raise CheckFailed(f"{name} calls the course's {reference.__name__}: write the "
                          "computation yourself, that is what the task practises")


@contextlib.contextmanager
def swap_global(fn: Callable, name: str, value: object) -> Iterator[None]:
    """Run the body with the global ``name`` of ``fn``'s module set to ``value``.

    A check of the learner's descent loop puts the reference gradient in place of the
    learner's ``cost_gradient`` this way, so a gradient bug is not blamed on the loop;
    the learner's own global is restored afterwards, even if the loop raises.
    """
    scope = getattr(fn, "__globals__", None)
    if scope is None:
        yield
        return
    missing = object()
    saved = scope.get(name, missing)
    scope[name] = value
    try:
        yield
    finally:
        if saved is missing:
            scope.pop(name, None)
        else:
            scope[name] = saved


def fresh_rng() -> np.random.Generator:
    """A generator seeded from the operating system: new evaluation points on every run.

    Checks evaluate the learner's code where the learner cannot predict, so that an
    answer fitted to the numbers in a failure message cannot pass. A correct answer
    passes at any points, so the verdict is still reproducible.
    """
    return np.random.default_rng()


# -- what the learner returned ------------------------------------------------------
def plain(value: object) -> object:
    """A torch tensor as a NumPy array, lists and tuples element by element, anything
    else as it is: a learner's value, before its shape or type is judged."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        return value.detach().cpu().numpy()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


_COUNTS = {2: "two", 3: "three", 4: "four", 5: "five"}


def returned(result: object, name: str, names: Sequence[str], what: str) -> tuple:
    """The several things ``name`` returned, or a one-line failure: it returned None (no
    ``return``), or not ``len(names)`` things. ``what`` says what they are, for the message.
    """
    statement = f"`return {', '.join(names)}`"
    if result is None:
        raise CheckFailed(f"{name} returned None: end it with {statement}")
    if not isinstance(result, tuple | list) or len(result) != len(names):
        raise CheckFailed(f"{name} must return {_COUNTS.get(len(names), len(names))} "
                          f"things, {statement}: {what}")
    return tuple(result)


def _to_numpy(value: object) -> np.ndarray:
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        value = value.detach().cpu().numpy()
    elif isinstance(value, list | tuple) and any(hasattr(v, "detach") for v in value):
        value = [v.detach().cpu().numpy() if hasattr(v, "detach") else v for v in value]
    array = np.asarray(value)
    if array.dtype.kind == "f" and array.dtype.itemsize < 8:
        return array.astype(np.float32)  # kept, so the tolerance can follow it (close)
    return np.asarray(array, dtype=float)


def _tolerances(got: object, rtol: float, atol: float) -> tuple[float, float]:
    """``rtol``, ``atol`` widened for a learner who computed in single precision.

    float32 carries about 7 digits, and a chain of a few operations loses one or two:
    such an answer is right when it is within 2e-4 relative (1e-6 absolute), which a
    wrong formula (a missing factor, a sign) is far outside.
    """
    dtype = getattr(got, "dtype", None)
    if dtype is None and isinstance(got, list | tuple) and got:
        dtype = getattr(got[0], "dtype", None)
    if dtype is not None and getattr(dtype, "kind", "") == "f" and dtype.itemsize < 8:
        return max(rtol, 2e-4), max(atol, 1e-6)
    if dtype is not None and ("float32" in str(dtype) or "float16" in str(dtype)):  # torch
        return max(rtol, 2e-4), max(atol, 1e-6)
    return rtol, atol


def _describe(shape: Sequence[int]) -> str:
    if len(shape) == 0:
        return "a single number"
    if len(shape) == 1:
        return f"{shape[0]} numbers (shape ({shape[0]},))"
    return f"an array of shape {tuple(shape)}"


def _show(value: object) -> str:
    """A short repr: a learner's long array must not flood the message."""
    return reprlib.repr(value)


def as_array(value: object, name: str, shape: Sequence[int], *, hint: str = "") -> np.ndarray:
    """``value`` as a float array of ``shape``, or a :class:`CheckFailed` saying what came.

    Lists, tuples, torch tensors and 0-d arrays are accepted, and so is an array with
    extra axes of length one (a column vector for a vector), since its numbers are
    unambiguous. ``hint`` is added to a message about a wrong shape (what the learner
    probably meant).
    """
    shape = tuple(int(s) for s in shape)
    if value is None:
        raise CheckFailed(f"{name} is None: did the function forget to `return` its result?")
    if isinstance(value, str | bytes):
        raise CheckFailed(f"{name} should be {_describe(shape)}, but it is the text "
                          f"{_show(value)}: remove the quotes")
    try:
        array = _to_numpy(value)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} should be {_describe(shape)}, but it is "
                          f"{type(value).__name__} {_show(value)}"
                          + (f"; {hint}" if hint else "")) from None
    if array.shape != shape:
        if array.size == int(np.prod(shape)) and array.squeeze().shape == tuple(
                s for s in shape if s != 1):
            array = array.reshape(shape)
        else:
            raise CheckFailed(f"{name} should be {_describe(shape)}, but it is "
                              f"{_describe(array.shape)}" + (f"; {hint}" if hint else ""))
    if not np.all(np.isfinite(array)):
        raise CheckFailed(f"{name} contains NaN or infinite values: {_format(array)}")
    return array


def as_number(value: object, name: str, *, hint: str = "") -> float:
    """``value`` as a float: a Python number, a NumPy scalar, a 0-d or one-element array.

    ``True``/``False`` are refused: they are numbers to Python but never a learner's answer.
    """
    if isinstance(value, bool | np.bool_):
        raise CheckFailed(f"{name} should be a single number, but it is {value}")
    return float(as_array(value, name, (), hint=hint))


# -- comparing ------------------------------------------------------------------------
def close(got: object, expected: object, rtol: float = 1e-6, atol: float = 1e-10) -> bool:
    """Whether every number of ``got`` is within ``atol + rtol |expected|`` of ``expected``."""
    rtol, atol = _tolerances(got, rtol, atol)
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(
        np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected)))


def name_the_mistake(got: object, suspects: Iterable[tuple[object, str]],
                     rtol: float = 1e-4) -> str | None:
    """The hint of the first suspect whose value matches ``got``, if any.

    ``suspects`` pairs what a particular mistake would have produced with a sentence
    naming it ("you left out σ'(z)"), so a message can say what probably went wrong
    without listing answers.
    """
    for value, hint in suspects:
        if close(got, value, rtol=rtol, atol=1e-12):
            return hint
    return None


def _format(value: object) -> str:
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:  # enough digits that "yours" and "expected" visibly differ
        return f"{float(array):.10g}"
    return np.array2string(array, precision=8, separator=", ", threshold=8)


def compare(name: str, got: object, expected: object, *, where: str = "",
            suspects: Iterable[tuple[object, str]] = (), otherwise: str = "",
            rtol: float = 1e-6, atol: float = 1e-10) -> None:
    """Raise :class:`CheckFailed` unless ``got`` matches ``expected``.

    The message gives the learner's value and the expected one (at ``where``), then
    the likely mistake from ``suspects``, or ``otherwise`` when none matches.
    """
    if close(got, expected, rtol=rtol, atol=atol):
        return
    hint = name_the_mistake(got, suspects) or otherwise
    at = f" {where}" if where else ""
    message = f"your {name}{at} is {_format(got)}, expected {_format(expected)}"
    raise CheckFailed(f"{message}; {hint}" if hint else message)


# -- one clean line for a check's own failure ----------------------------------------
def _one_line(shell: object, etype: type, value: BaseException, tb: object,
              tb_offset: int | None = None) -> list[str]:
    """Show a :class:`CheckFailed` as its message alone, without the checks' internals.

    It is still reported as an error (nbval, nbgrader and the tests see the cell fail);
    only the traceback through the checks' own code is left out.
    """
    line = f"{etype.__name__}: {value}"
    shell._showtraceback(etype, value, [line])  # type: ignore[attr-defined]
    return [line]


def _install_notebook_display() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: the ordinary traceback is fine
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((CheckFailed,), _one_line)


_install_notebook_display()


# -- integrity inside the kernel and the graded runs' seed (nnbasics.checks.integrity) --
from . import integrity as _integrity  # noqa: E402

fresh_rng = _integrity.seeded(fresh_rng)
_integrity.install(CheckFailed)
