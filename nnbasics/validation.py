"""Argument checks shared by every helper.

Each check names the argument and the range it must lie in, so that a learner who
passes a wrong value reads what to change instead of a shape error from deep inside
NumPy or torch.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable, Sequence
from numbers import Integral, Real

import numpy as np


def require_finite(name: str, value: object) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {result}")
    return result


def require_in_range(
    name: str, value: object, low: float | None = None, high: float | None = None,
    *, low_inclusive: bool = True, high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a float if it is finite and lies in the stated interval."""
    result = require_finite(name, value)
    too_low = low is not None and (result < low if low_inclusive else result <= low)
    too_high = high is not None and (result > high if high_inclusive else result >= high)
    if too_low or too_high:
        left = "-inf" if low is None else f"{low:g}"
        right = "inf" if high is None else f"{high:g}"
        bracket_l = "[" if low_inclusive and low is not None else "("
        bracket_r = "]" if high_inclusive and high is not None else ")"
        interval = f"{bracket_l}{left}, {right}{bracket_r}"
        raise ValueError(f"{name} must lie in {interval}, got {result:g}")
    return result


def require_int(name: str, value: object, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int if it is a whole number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    result = int(value)
    if result < low or (high is not None and result > high):
        right = "inf" if high is None else str(high)
        raise ValueError(f"{name} must be a whole number in [{low}, {right}], got {result}")
    return result


def require_array(
    name: str, value: object, *, ndim: int = 1, min_length: int = 1,
) -> np.ndarray:
    """Return ``value`` as a finite float array with ``ndim`` dimensions."""
    if value is None:
        raise TypeError(f"{name} must be an array of numbers, got None")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers ({exc})") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.shape[0] < min_length:
        raise ValueError(f"{name} must hold at least {min_length} values, got {array.shape[0]}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    return array


def require_same_length(names: Sequence[str], *arrays: np.ndarray) -> None:
    """Raise ``ValueError`` unless all arrays have the same first dimension."""
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        shown = ", ".join(f"{n} has {k}" for n, k in zip(names, lengths, strict=True))
        raise ValueError(f"{' and '.join(names)} must have the same length: {shown}")


def require_numbers(name: str, value: object, *, allow_infinite: bool = False) -> np.ndarray:
    """Return ``value`` (a number or an array of any shape) as a float array without NaN.

    ``np.asarray(None, dtype=float)`` is NaN, and NaN spreads silently through every
    later step; this refuses it where it enters. Infinities are refused too unless
    ``allow_infinite`` (the sigmoid, say, is well defined at ±inf).
    """
    # NumPy would read the text "0.5" as a number; a learner's quotes are a mistake.
    text = isinstance(value, str | bytes) or getattr(value, "dtype", None) is not None and \
        np.dtype(value.dtype).kind in "US"
    if value is None or text:
        raise TypeError(f"{name} must be a number or an array of numbers, got "
                        f"{type(value).__name__} {reprlib.repr(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got "
                        f"{type(value).__name__} {reprlib.repr(value)}") from None
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN (not a number)")
    if not allow_infinite and np.isinf(array).any():
        raise ValueError(f"{name} must contain only finite values, got an infinity")
    return array


def require_callable(name: str, value: object, signature: str) -> Callable:
    """Return ``value`` if it can be called, else ``TypeError`` showing the call expected.

    ``signature`` is how the helper will call it, e.g. ``"cost(theta) -> float"``.
    """
    if not callable(value):
        raise TypeError(f"{name} must be a function {signature}, got "
                        f"{type(value).__name__} {reprlib.repr(value)}")
    return value
