"""Gradient-based optimisers written out in NumPy, so every step can be inspected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .seeding import Seed, generator
from .validation import require_array, require_callable, require_in_range, require_int

Cost = Callable[[np.ndarray], float]
Gradient = Callable[[np.ndarray], np.ndarray]

#: The most steps (or mini-batch updates) one run may take: 100 000 steps of a small
#: problem take seconds; far more would keep a notebook busy for minutes.
MAX_STEPS = 100_000


@dataclass(frozen=True)
class DescentResult:
    """The path of an optimiser: ``params[k]`` and ``costs[k]`` after ``k`` steps.

    ``converged`` is True when the run stopped because its stopping criterion was met
    (the gradient's length fell below ``tol``), ``diverged`` when the cost blew up.
    """

    params: np.ndarray
    costs: np.ndarray
    diverged: bool
    converged: bool = False

    @property
    def steps(self) -> int:
        """The number of steps taken."""
        return len(self.costs) - 1

    @property
    def final(self) -> np.ndarray:
        return self.params[-1]

    def steps_to_reach(self, level: float) -> int | None:
        """The first step at which the cost is at or below ``level`` (None if never)."""
        hits = np.flatnonzero(self.costs <= level)
        return int(hits[0]) if hits.size else None


def numerical_gradient(cost: Cost, params: object, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences: (J(θ + ε e_j) - J(θ - ε e_j)) / 2ε for each j.

    Two cost evaluations per parameter, with an error of order ε²; this is the
    slow but independent reference every derived gradient is checked against.
    """
    require_callable("cost", cost, "cost(params) -> float")
    params = require_array("params", params)
    eps = require_in_range("eps", eps, 0.0, 1.0, low_inclusive=False)
    grad = np.empty_like(params)
    for j in range(params.size):
        step = np.zeros_like(params)
        step[j] = eps
        grad[j] = (_cost_value(cost, params + step) - _cost_value(cost, params - step)) / (2 * eps)
    return grad


def numerical_jacobian(function: Callable[[np.ndarray], object], params: object,
                       eps: float = 1e-6) -> np.ndarray:
    """The matrix ∂f_i/∂θ_j of a vector-valued ``function``, by central differences.

    Column j is (f(θ + ε e_j) - f(θ - ε e_j)) / 2ε: two evaluations per parameter, as for
    :func:`numerical_gradient`, whose cost is one number where this ``function`` returns
    a vector (a model's predictions at all data points, say).
    """
    require_callable("function", function, "function(params) -> 1D array")
    params = require_array("params", params)
    eps = require_in_range("eps", eps, 0.0, 1.0, low_inclusive=False)
    columns = []
    for j in range(params.size):
        step = np.zeros_like(params)
        step[j] = eps
        ahead, behind = (_vector_value(function, p) for p in (params + step, params - step))
        if ahead.shape != behind.shape:
            raise ValueError(f"function must return the same number of values at every "
                             f"point, got {ahead.size} and {behind.size}")
        columns.append((ahead - behind) / (2 * eps))
    return np.column_stack(columns)


def _vector_value(function: Callable[[np.ndarray], object], theta: np.ndarray) -> np.ndarray:
    """``function(theta)`` as a finite 1D float array, or an error naming ``function``."""
    array = _returned_array(function(theta), "function", "a 1D array of numbers",
                            "an array of numbers")
    if array.ndim != 1:
        raise ValueError(f"function must return a 1D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("function must return only finite values")
    return array


def numerical_hessian(gradient: Gradient, params: object, eps: float = 1e-6) -> np.ndarray:
    """The matrix of second derivatives, by central differences of ``gradient``, symmetrised."""
    require_callable("gradient", gradient, "gradient(params) -> array")
    params = require_array("params", params)
    rows = [numerical_gradient(lambda p, i=i: _gradient_value(gradient, p)[i], params,
                               eps) for i in range(params.size)]
    hessian = np.array(rows)
    return 0.5 * (hessian + hessian.T)


def critical_learning_rate(gradient: Gradient, params: object) -> float:
    """2/λ_max of the Hessian at ``params``: the largest stable rate where J is nearly quadratic."""
    require_callable("gradient", gradient, "gradient(params) -> array")
    largest = float(np.max(np.linalg.eigvalsh(numerical_hessian(gradient, params))))
    if largest <= 0:
        raise ValueError("the cost is not curved upwards at params: no critical learning rate")
    return 2.0 / largest


def optimal_learning_rate(eigenvalues: object) -> float:
    """2/(λ_min + λ_max): the fixed rate that converges fastest on a quadratic cost.

    It balances the slowest direction, whose error shrinks by 1 - αλ_min per step,
    against the steepest, whose error flips sign and shrinks by αλ_max - 1.
    """
    eigenvalues = require_array("eigenvalues", eigenvalues)
    if np.min(eigenvalues) <= 0:
        raise ValueError("eigenvalues must all be > 0 (a cost curved upwards in every "
                         f"direction), got a smallest of {np.min(eigenvalues):g}")
    return 2.0 / (float(np.min(eigenvalues)) + float(np.max(eigenvalues)))


def contraction_factor(learning_rate: float, eigenvalues: object) -> float:
    """max |1 - αλ| over the Hessian's eigenvalues: how much one step shrinks the error.

    On a quadratic cost the error after k steps is at most this factor to the power k
    times the first error; below 1 the descent converges, above 1 it diverges.
    """
    learning_rate = require_in_range("learning_rate", learning_rate, 0.0, low_inclusive=False)
    eigenvalues = require_array("eigenvalues", eigenvalues)
    return float(np.max(np.abs(1.0 - learning_rate * eigenvalues)))


def _check_common(start: object, learning_rate: float) -> tuple[np.ndarray, float]:
    start = require_array("start", start)
    learning_rate = require_in_range("learning_rate", learning_rate, 0.0, low_inclusive=False)
    return start, learning_rate


def _require_steps(steps: object) -> int:
    steps = require_int("steps", steps, 1)
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be at most MAX_STEPS = {MAX_STEPS}, got {steps}: a run that "
                         "long keeps the notebook busy for minutes; a larger learning rate or a "
                         "rescaled problem needs fewer steps")
    return steps


def _returned_array(value: object, name: str, none_hint: str, kind: str) -> np.ndarray:
    """``value``, what the callable ``name`` returned, as a float array; None or anything
    that is not numbers is refused with what ``name`` must return."""
    if value is None:
        raise TypeError(f"{name} returned None: it must return {none_hint}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must return {kind}, got "
                        f"{type(value).__name__} {value!r}") from None


def _cost_value(cost: Cost, theta: np.ndarray, name: str = "cost") -> float:
    """``cost(theta)`` as a float; a value that is not one number is refused by name.

    A non-finite cost is returned as it is: it means the run diverged.
    """
    array = _returned_array(cost(theta), name, "the cost, a single number",
                            "a single number")
    if array.size != 1:
        raise ValueError(f"{name} must return a single number, got shape {array.shape}")
    return float(array.reshape(()))


def _gradient_value(gradient: Callable[..., object], theta: np.ndarray, *args: object,
                    name: str = "gradient") -> np.ndarray:
    """``gradient(theta, *args)`` as an array shaped like ``theta``, or a clear error.

    Without this, a scalar would be broadcast silently to every parameter.
    """
    array = _returned_array(gradient(theta, *args), name, "one number per parameter",
                            "an array of numbers")
    if array.shape != theta.shape:
        raise ValueError(f"{name} must return one number per parameter, shape {theta.shape}, "
                         f"got shape {array.shape}")
    return array


def gradient_descent(cost: Cost, gradient: Gradient, start: object, learning_rate: float,
                     steps: int, *, tol: float = 0.0, blowup: float = 1e6) -> DescentResult:
    """θ ← θ - α ∇J(θ), at most ``steps`` times from ``start``.

    Stops early, with ``converged=True``, at the first point where |∇J| < ``tol``
    (the stopping criterion; the default 0 never stops early), and with
    ``diverged=True`` once the cost is not finite or exceeds ``blowup`` (> 1) times its
    starting value: the learning rate was too large. ``steps`` lies in [1, MAX_STEPS].
    """
    require_callable("cost", cost, "cost(theta) -> float")
    require_callable("gradient", gradient, "gradient(theta) -> array shaped like theta")
    theta, learning_rate = _check_common(start, learning_rate)
    steps = _require_steps(steps)
    tol = require_in_range("tol", tol, 0.0)
    blowup = require_in_range("blowup", blowup, 1.0, low_inclusive=False)
    params, costs = [theta], [_cost_value(cost, theta)]
    for _ in range(steps):
        slope = _gradient_value(gradient, theta)
        if np.linalg.norm(slope) < tol:
            return DescentResult(np.array(params), np.array(costs), diverged=False,
                                 converged=True)
        theta = theta - learning_rate * slope
        value = _cost_value(cost, theta)
        params.append(theta)
        costs.append(value)
        if not np.isfinite(value) or value > blowup * max(costs[0], 1e-300):
            return DescentResult(np.array(params), np.array(costs), diverged=True)
    converged = tol > 0 and bool(np.linalg.norm(np.asarray(gradient(theta), dtype=float)) < tol)
    return DescentResult(np.array(params), np.array(costs), diverged=False, converged=converged)


def minibatch_sgd(cost: Cost, batch_gradient: Callable[[np.ndarray, np.ndarray], np.ndarray],
                  start: object, n_examples: int, batch_size: int, learning_rate: float,
                  epochs: int, seed: Seed = 0) -> DescentResult:
    """Mini-batch stochastic gradient descent.

    Each epoch shuffles the ``n_examples`` indices (a fresh random permutation, so
    examples are drawn without replacement within an epoch) and walks through them in
    batches; ``batch_gradient(theta, indices)`` returns the gradient of the mean loss
    over those examples.  ``costs`` records the full-data cost after every step; the
    run may make at most MAX_STEPS updates (epochs × batches per epoch). ``seed`` is a
    whole number or a :class:`numpy.random.Generator` (which is advanced).
    """
    require_callable("cost", cost, "cost(theta) -> float")
    require_callable("batch_gradient", batch_gradient,
                     "batch_gradient(theta, indices) -> array shaped like theta")
    theta, learning_rate = _check_common(start, learning_rate)
    n_examples = require_int("n_examples", n_examples, 1, 10**8)
    batch_size = require_int("batch_size", batch_size, 1, n_examples)
    epochs = require_int("epochs", epochs, 1, MAX_STEPS)
    updates = epochs * -(-n_examples // batch_size)
    if updates > MAX_STEPS:
        raise ValueError(f"epochs: {epochs} epochs of {-(-n_examples // batch_size)} batches "
                         f"make {updates} updates, more than MAX_STEPS = {MAX_STEPS}; use fewer "
                         "epochs or a larger batch_size")
    rng = generator(seed)
    params, costs = [theta], [_cost_value(cost, theta)]
    for _ in range(epochs):
        order = rng.permutation(n_examples)
        for first in range(0, n_examples, batch_size):
            batch = order[first:first + batch_size]
            theta = theta - learning_rate * _gradient_value(batch_gradient, theta, batch,
                                                            name="batch_gradient")
            params.append(theta)
            costs.append(_cost_value(cost, theta))
            if not np.isfinite(costs[-1]):
                return DescentResult(np.array(params), np.array(costs), diverged=True)
    return DescentResult(np.array(params), np.array(costs), diverged=False)
