"""Checks of the exercise ``solutions/gradient_descent.ipynb``: a sigmoid neuron, by hand.

Each check takes only the learner's function or value and tests one task:

* :func:`check_gradient` evaluates ``cost_gradient`` at fresh random points and data
  and compares it with the chain rule, written out here (:func:`_reference_gradient`);
* :func:`check_descent` runs the learner's loop with the reference gradient put in
  place of the learner's ``cost_gradient``, from fresh random starts, rates and step
  counts, and compares the path with the reference path;
* :func:`check_learning_rate` runs the reference descent with the learner's rate;
* :func:`check_fit` looks at the learner's own descent with the learner's own rate.

The last two use one convergence criterion, :func:`reaches_minimum` (J − J* ≤
:data:`TOLERANCE` after :data:`STEPS` steps from (0, 0)), so a rate that passes its
check also passes the fit. J* comes from a damped Gauss–Newton solve
(:func:`neuron_minimum`), which does not depend on the data's scale.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from .. import descent
from ..data import neuron_data
from ..models import neuron_cost, neuron_gradient
from ..validation import require_array, require_in_range, require_numbers, require_same_length
from .core import (
    CheckFailed,
    as_array,
    as_number,
    close,
    compare,
    fresh_rng,
    name_the_mistake,
    not_implemented,
    passed,
    require_own_function,
    swap_global,
)

#: The exercise's data set: 40 noisy samples of σ(3x − 1). The notebook loads it with
#: :func:`exercise_data`, so the notebook and the checks use the same numbers.
DATA = {"m": 40, "w": 3.0, "b": -1.0, "noise": 0.03, "seed": 0}
#: Task 3: plain gradient descent from (0, 0) gets within TOLERANCE of J* in STEPS steps.
STEPS = 100
TOLERANCE = 1e-4
START = (0.0, 0.0)


def exercise_data() -> tuple[np.ndarray, np.ndarray]:
    """The exercise's inputs ``x`` and targets ``y_d``."""
    return neuron_data(**DATA)


# -- the references, independent of the learner's code ----------------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _cost(w: float, b: float, x: np.ndarray, y_d: np.ndarray) -> float:
    return float(np.mean((_sigmoid(w * x + b) - y_d) ** 2))


def _reference_gradient(w: float, b: float, x: np.ndarray,
                        y_d: np.ndarray) -> tuple[float, float]:
    """(∂J/∂w, ∂J/∂b) by the chain rule: the means of 2(y − y_d)σ'(z)x and 2(y − y_d)σ'(z)."""
    y = _sigmoid(w * x + b)
    common = 2.0 * (y - y_d) * y * (1.0 - y)
    return float(np.mean(common * x)), float(np.mean(common))


def _reference_gradient_array(w: object, b: object, x: np.ndarray, y_d: np.ndarray) -> np.ndarray:
    """The reference as an array of shape (2,): it unpacks like a pair (``dw, db = ...``)
    and also scales like a vector (``theta - rate * ...``), whichever the learner's loop does."""
    return np.array(_reference_gradient(float(w), float(b), x, y_d))


def _hessian(w: float, b: float, x: np.ndarray, y_d: np.ndarray) -> np.ndarray:
    """The exact Hessian of J: the mean of 2[σ'² + (y − y_d)σ''] (x, 1)ᵀ(x, 1)."""
    y = _sigmoid(w * x + b)
    s1 = y * (1.0 - y)
    weight = 2.0 * (s1**2 + (y - y_d) * s1 * (1.0 - 2.0 * y))
    return np.array([[np.mean(weight * x * x), np.mean(weight * x)],
                     [np.mean(weight * x), np.mean(weight)]])


def neuron_minimum(x: object, y_d: object) -> tuple[np.ndarray, float]:
    """(θ*, J*): the minimiser (w*, b*) of J for the data and the cost there.

    Levenberg–Marquardt (Gauss–Newton damped along the diagonal of JᵀJ) from (0, 0)
    and from a line fitted to logit(y_d), the better end kept. It stops when the
    Newton decrement gᵀH⁻¹g (a gradient size that does not change when x or w, b are
    rescaled) is below 1e-16 J, or round-off stops progress, so the answer is as
    accurate at any scale of the data.
    Raises ``ValueError`` when J has no minimum at finite (w, b) (e.g. a step in y_d
    that only w → ∞ fits).
    """
    x = require_array("x", x, min_length=2)
    y_d = require_array("y_d", y_d, min_length=2)
    require_same_length(("x", "y_d"), x, y_d)
    if np.ptp(x) == 0:
        raise ValueError("x must not be constant: then w and b cannot be told apart")
    logit = np.log(np.clip(y_d, 0.02, 0.98) / (1 - np.clip(y_d, 0.02, 0.98)))
    line = np.polyfit(x, logit, 1)
    results = [_levenberg_marquardt(np.array(start, dtype=float), x, y_d)
               for start in (START, (line[0], line[1]))]
    found = [r for r in results if r is not None]
    if not found:
        raise ValueError("J has no minimum at finite (w, b) for these data: descent runs "
                         "off to infinity")
    theta, cost = min(found, key=lambda r: r[1])
    return theta, cost


def _levenberg_marquardt(theta: np.ndarray, x: np.ndarray,
                         y_d: np.ndarray) -> tuple[np.ndarray, float] | None:
    m = len(x)
    damping = 1e-3
    cost = _cost(*theta, x, y_d)
    for _ in range(500):
        y = _sigmoid(theta[0] * x + theta[1])
        residual = y - y_d
        jac = (y * (1 - y))[:, None] * np.stack([x, np.ones_like(x)], axis=1)
        grad = 2.0 / m * jac.T @ residual
        gauss_newton = 2.0 / m * jac.T @ jac
        try:
            decrement = float(grad @ np.linalg.solve(gauss_newton, grad))
        except np.linalg.LinAlgError:
            return None
        if decrement <= 1e-16 * cost + 1e-300:
            return theta, cost
        while damping < 1e12:
            lhs = gauss_newton + damping * np.diag(np.diag(gauss_newton))
            trial = theta - np.linalg.solve(lhs, grad)
            trial_cost = _cost(*trial, x, y_d)
            if trial_cost < cost:
                theta, cost = trial, trial_cost
                damping = max(damping / 3.0, 1e-12)
                break
            damping *= 4.0
        else:  # no step lowers J any more: round-off reached
            return theta, cost
        if np.max(np.abs(theta)) > 1e8:
            return None
    return None


def minimum_cost(x: object, y_d: object) -> float:
    """J*, the smallest cost the sigmoid neuron reaches on the data (x, y_d)."""
    return neuron_minimum(x, y_d)[1]


@functools.lru_cache(maxsize=1)
def _exercise_minimum() -> tuple[tuple[float, float], float]:
    theta, cost = neuron_minimum(*exercise_data())
    return (float(theta[0]), float(theta[1])), cost


# -- the one convergence criterion -----------------------------------------------------
def _one_number(name: str, value: object) -> float:
    array = require_numbers(name, value, allow_infinite=True)
    if array.size != 1:
        raise ValueError(f"{name} must be a single number, got shape {array.shape}")
    return float(array.reshape(()))


def cost_gap(w: object, b: object) -> float:
    """J(w, b) − J* on the exercise's data."""
    x, y_d = exercise_data()
    return _cost(_one_number("w", w), _one_number("b", b), x, y_d) - _exercise_minimum()[1]


def reaches_minimum(w: object, b: object) -> bool:
    """The criterion of Task 3 and of the fit: J(w, b) − J* ≤ TOLERANCE."""
    gap = cost_gap(w, b)
    return bool(np.isfinite(gap) and gap <= TOLERANCE)


def _reference_descent(learning_rate: float, start: tuple[float, float], steps: int,
                       x: np.ndarray, y_d: np.ndarray) -> np.ndarray:
    """The (steps + 1, 2) path of θ ← θ − α∇J; rows after an overflow are NaN."""
    path = np.full((steps + 1, 2), np.nan)
    path[0] = start
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps):
            gradient = np.array(_reference_gradient(*path[k], x, y_d))
            path[k + 1] = path[k] - learning_rate * gradient
            if not np.all(np.isfinite(path[k + 1])):
                break
    return path


def _random_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A fresh data set like the exercise's: noisy samples of a random sigmoid."""
    m = int(rng.integers(12, 31))
    x = rng.uniform(-2.0, 2.0, m)
    w, b = rng.uniform(1.0, 3.0) * rng.choice([-1.0, 1.0]), rng.uniform(-1.0, 1.0)
    return x, _sigmoid(w * x + b) + 0.05 * rng.standard_normal(m)


def _at(w: float, b: float) -> str:
    return f"at (w, b) = ({w:.4g}, {b:.4g})"


# -- Task 1: the gradient ------------------------------------------------------------
GRADIENT_POINTS = 3


def check_gradient(cost_gradient: Callable) -> None:
    """Compare ``cost_gradient(w, b, x, y_d)`` with the chain rule at fresh random points."""
    require_own_function(cost_gradient, "cost_gradient",
                         forbidden=(neuron_gradient, descent.numerical_gradient, neuron_cost))
    rng = fresh_rng()
    x, y_d = _random_data(rng)
    for _ in range(GRADIENT_POINTS):
        w, b = (float(v) for v in rng.uniform(-2.0, 2.0, 2))
        got = _gradient_pair(cost_gradient(w, b, x, y_d), len(x))
        expected = np.array(_reference_gradient(w, b, x, y_d))
        atol = 1e-9 + 1e-6 * float(np.max(np.abs(expected)))
        if close(got, expected, rtol=1e-5, atol=atol):
            continue
        if close(got[::-1], expected, rtol=1e-5, atol=atol):
            raise CheckFailed(f"{_at(w, b)} you returned ({got[0]:.6g}, {got[1]:.6g}), which is "
                              "(dJ/db, dJ/dw): return the pair in the order (dJ/dw, dJ/db)")
        for index, name in enumerate(("dJ/dw", "dJ/db")):
            compare(name, got[index], expected[index],
                    where=f"{_at(w, b)}, on the check's {len(x)} random examples",
                    suspects=_gradient_suspects(index, w, b, x, y_d, expected[index]),
                    otherwise=("check each factor of the chain rule: ∂L/∂w = 2(y − y_d)·σ'(z)·x "
                               "and ∂L/∂b = 2(y − y_d)·σ'(z), then take the mean over the "
                               "examples"),
                    rtol=1e-5, atol=atol)
    passed(f"cost_gradient matches the chain rule at {GRADIENT_POINTS} random points "
           f"(on {len(x)} random examples, relative tolerance 1e-5)")


def _gradient_pair(value: object, m: int) -> np.ndarray:
    """The learner's return value as the pair (dJ/dw, dJ/db), or a message in their terms."""
    what = "the value cost_gradient returned"
    if value is None:
        raise CheckFailed("cost_gradient returned None: end it with `return dJ_dw, dJ_db`")
    shape = np.shape(value) if not isinstance(value, str) else ()
    if shape == (2, m) and m > 1:  # an array of per-example rows
        value = (value[0], value[1])
    elif len(shape) == 2 and np.prod(shape) == 2 and not isinstance(value, tuple | list):
        # (a tuple of two 1-element arrays is two numbers: it is read below)
        raise CheckFailed(f"cost_gradient returned an array of shape {shape}; return two "
                          "numbers, `return dJ_dw, dJ_db` (or an array of shape (2,)), so "
                          "that `dJ_dw, dJ_db = cost_gradient(...)` gives two numbers, not "
                          "two arrays")
    if isinstance(value, tuple | list) and len(value) == 2:
        parts = []
        for name, part in zip(("dJ/dw", "dJ/db"), value, strict=True):
            parts.append(as_number(part, f"your {name}", hint=(
                f"one number per example? J is the mean over the {m} examples, so finish "
                "with np.mean(...)")))
        return np.array(parts)
    return as_array(value, what, (2,), hint="return the pair (dJ/dw, dJ/db), two numbers, "
                    "each the mean over the examples")


def _gradient_suspects(index: int, w: float, b: float, x: np.ndarray, y_d: np.ndarray,
                       expected: float) -> list[tuple[float, str]]:
    """What each likely mistake gives for component ``index`` (0: dJ/dw, 1: dJ/db)."""
    y = _sigmoid(w * x + b)
    inner = x if index == 0 else np.ones_like(x)
    m = len(x)
    suspects = [
        (0.5 * expected, "yours is half the expected value: check the factor 2 that comes "
                         "from differentiating the square, d(y − y_d)²/dy = 2(y − y_d)"),
        (-expected, "yours has the wrong sign: d(y − y_d)²/dy = 2(y − y_d), not 2(y_d − y)"),
        (m * expected, f"yours is m = {m} times too large: J is the mean over the examples, "
                       "so divide the sum by m (or use np.mean)"),
        (expected / m, f"yours is m = {m} times too small: divide by m once (np.mean already "
                       "does)"),
        (float(np.mean(2.0 * (y - y_d) * inner)),
         "you left out σ'(z) = σ(z)(1 − σ(z)), the derivative of the sigmoid"),
        (float(np.mean(2.0 * (y - y_d) * y * inner)),
         "you used σ(z) where the derivative σ'(z) = σ(z)(1 − σ(z)) belongs"),
    ]
    common = 2.0 * (y - y_d) * y * (1 - y)
    if index == 0:
        suspects.append((float(np.mean(common)), "you left out the inner derivative ∂z/∂w = x"))
    else:
        suspects.append((float(np.mean(common * x)),
                         "dJ/db has no factor x: the inner derivative is ∂z/∂b = 1"))
    x_ex, y_ex = exercise_data()
    suspects.append((_reference_gradient(w, b, x_ex, y_ex)[index],
                     "your function uses the notebook's x and y_d instead of its own "
                     "arguments x and y_d"))
    return suspects


# -- Task 2: the descent loop --------------------------------------------------------
DESCENT_RUNS = 2


def check_descent(gradient_descent: Callable) -> None:
    """Run the learner's loop with the reference gradient and compare the paths.

    The learner's ``cost_gradient`` is replaced by the reference for the duration of
    the check, so only the loop is tested; starts, rates and step counts are random.
    """
    require_own_function(gradient_descent, "gradient_descent",
                         forbidden=(descent.gradient_descent, descent.minibatch_sgd,
                                    neuron_gradient))
    rng = fresh_rng()
    x, y_d = _random_data(rng)
    total = 0
    for _ in range(DESCENT_RUNS):
        start = tuple(float(v) for v in rng.uniform(-1.5, 1.5, 2))
        # Rates well away from 1, so a loop that forgets the rate cannot pass.
        learning_rate = float(rng.choice([rng.uniform(0.3, 0.7), rng.uniform(1.5, 4.0)]))
        steps = int(rng.integers(4, 10))
        calls = []

        def counted(*args, calls=calls, **kwargs):
            calls.append(1)
            return _reference_gradient_array(*args, **kwargs)

        with swap_global(gradient_descent, "cost_gradient", counted):
            result = gradient_descent(*start, x, y_d, learning_rate, steps)
        try:
            _compare_path(result, start, learning_rate, steps, x, y_d)
        except CheckFailed as failure:
            if calls:
                raise
            raise CheckFailed(f"{failure}. Note: your loop never called cost_gradient by "
                              "that name (is it bound as a default argument, "
                              "grad=cost_gradient, or renamed?), so the check could not give "
                              "it the reference gradient: the difference may come from your "
                              "gradient or that default, not from the loop. Call "
                              "cost_gradient(w, b, x, y_d) inside the loop") from None
        total += steps
    passed(f"gradient_descent follows the reference path ({DESCENT_RUNS} runs from random "
           f"starts, {total} steps, with the reference gradient)")


def _compare_path(result: object, start: tuple[float, float], learning_rate: float,
                  steps: int, x: np.ndarray, y_d: np.ndarray) -> None:
    run = (f"gradient_descent({start[0]:.4g}, {start[1]:.4g}, x, y_d, "
           f"learning_rate={learning_rate:.4g}, steps={steps})")
    if result is None:
        raise CheckFailed(f"{run} returned None: end the function with `return` and the path")
    shape = np.shape(result) if not isinstance(result, str) else ()
    expected_shape = (steps + 1, 2)
    hints = {
        (steps, 2): f"{steps} rows instead of {steps + 1}: put the starting point in the first "
                    "row, then one (w, b) row per step",
        (steps + 2, 2): "one row too many: the starting point, then exactly one row per step",
        (2, steps + 1): "the path is transposed: one (w, b) row per step, shape (steps + 1, 2)",
        (2,): "only the final (w, b): return every point visited, the start included",
    }
    path = as_array(result, f"what {run} returned", expected_shape,
                    hint=hints.get(tuple(shape), "expected the starting point, then one "
                                                 "(w, b) row per step"))
    if np.all(path == path[-1]):
        raise CheckFailed(f"every row of the path from {run} is the same: you probably "
                          "appended one array and then changed it in place (theta -= ...); "
                          "append a copy (theta.copy()) or build a new array at each step")
    if not close(path[0], start, rtol=1e-12, atol=1e-12):
        raise CheckFailed(f"the first row of your path is ({path[0, 0]:.10g}, {path[0, 1]:.10g}), "
                          f"expected the starting point ({start[0]:.10g}, {start[1]:.10g})")
    reference = _reference_descent(learning_rate, start, steps, x, y_d)
    if close(path, reference, rtol=1e-5, atol=1e-8):
        return
    row = int(np.flatnonzero(~np.all(np.isclose(path, reference, rtol=1e-5, atol=1e-8),
                                     axis=1))[0])
    hint = name_the_mistake(path, [
        (_reference_descent(-learning_rate, start, steps, x, y_d),
         "you stepped uphill: the update is w ← w − α ∂J/∂w, with a minus sign"),
        (_reference_descent(1.0, start, steps, x, y_d),
         "the step must be scaled by the learning rate α: w ← w − α ∂J/∂w"),
        (_reference_descent(learning_rate**2, start, steps, x, y_d),
         "the rate is applied twice: w ← w − α ∂J/∂w"),
        (_frozen_descent(learning_rate, start, steps, x, y_d),
         "every step uses the gradient at the start: compute it again at the current (w, b) "
         "inside the loop"),
        (_one_at_a_time_descent(learning_rate, start, steps, x, y_d),
         "b's derivative was taken after w had already moved: compute both derivatives at the "
         "same (w, b), then update both"),
    ], rtol=1e-5)
    if hint is None:
        hint = ("the first step should be −α ∇J at the starting point" if row == 1 else
                "each step must start from the previous row: (w, b) ← (w, b) − α ∇J(w, b), "
                "with ∇J at the current (w, b)")
    raise CheckFailed(f"in {run}, row {row} of your path is ({path[row, 0]:.10g}, "
                      f"{path[row, 1]:.10g}), expected ({reference[row, 0]:.10g}, "
                      f"{reference[row, 1]:.10g}); {hint}")


def _frozen_descent(learning_rate: float, start: tuple[float, float], steps: int,
                    x: np.ndarray, y_d: np.ndarray) -> np.ndarray:
    gradient = np.array(_reference_gradient(*start, x, y_d))
    return np.array(start) - learning_rate * np.arange(steps + 1)[:, None] * gradient


def _one_at_a_time_descent(learning_rate: float, start: tuple[float, float], steps: int,
                           x: np.ndarray, y_d: np.ndarray) -> np.ndarray:
    w, b = start
    path = [(w, b)]
    for _ in range(steps):
        w = w - learning_rate * _reference_gradient(w, b, x, y_d)[0]
        b = b - learning_rate * _reference_gradient(w, b, x, y_d)[1]
        path.append((w, b))
    return np.array(path)


# -- Task 3: the learning rate, and the fit ------------------------------------------
def check_learning_rate(learning_rate: object) -> None:
    """Pass if the reference descent with ``learning_rate`` meets :func:`reaches_minimum`."""
    not_implemented(learning_rate, "set learning_rate to a number")
    rate = as_number(learning_rate, "learning_rate", hint="set it to one number, e.g. 0.5")
    if not np.isfinite(rate) or rate <= 0:
        raise CheckFailed(f"learning_rate must be a positive number, got {rate:g}: the step "
                          "is −α ∇J, so α ≤ 0 goes uphill or nowhere")
    ok, message = descent_verdict(rate)
    if not ok:
        raise CheckFailed(message)
    passed(message)


def descent_verdict(learning_rate: float) -> tuple[bool, str]:
    """Whether descent from (0, 0) with ``learning_rate`` meets the criterion, and why.

    Runs the reference gradient, not the learner's, so the verdict is about the rate
    alone. The reason names what to change: a rate above 2/λ_max (λ_max the largest
    curvature of J at its minimum, where descent is stable only below it), or one
    whose steps ever raise J, is too large; one whose J falls at every step but not far
    enough is too small.
    """
    learning_rate = require_in_range("learning_rate", learning_rate, 0.0, low_inclusive=False)
    x, y_d = exercise_data()
    path = _reference_descent(learning_rate, START, STEPS, x, y_d)
    costs = np.array([_cost(w, b, x, y_d) if np.all(np.isfinite((w, b))) else np.inf
                      for w, b in path])
    gap = costs[-1] - _exercise_minimum()[1]
    criterion = f"J − J* ≤ {TOLERANCE:.0e} after {STEPS} steps from (0, 0)"
    if reaches_minimum(*path[-1]):
        return True, f"with α = {learning_rate:g}, J − J* = {gap:.1e}: {criterion}"
    curvature = np.linalg.eigvalsh(_hessian(*_exercise_minimum()[0], x, y_d))
    critical = 2.0 / float(np.max(curvature))
    result = f"J − J* = {gap:.1e} after {STEPS} steps, needed ≤ {TOLERANCE:.0e}"
    rises = not np.all(np.isfinite(costs)) or np.any(np.diff(costs) > 1e-12 * costs[:-1])
    if rises or learning_rate >= critical:
        return False, (f"with α = {learning_rate:g} the steps are too large ({result}): near "
                       f"the minimum, descent is stable only for α < 2/λ_max ≈ {critical:.3g}, "
                       "so try a smaller learning rate")
    return False, (f"with α = {learning_rate:g}, J falls at every step but too slowly "
                   f"({result}): the steps are too small, so try a larger learning rate")


def check_fit(path: object) -> np.ndarray:
    """Pass if the learner's own path (their loop, their rate) meets the same criterion.

    Returns the path as a (STEPS + 1, 2) float array, for the plot.
    """
    path = as_array(path, "your path", (STEPS + 1, 2),
                    hint=f"run gradient_descent(0.0, 0.0, x, y_d, learning_rate, {STEPS})")
    w, b = (float(v) for v in path[-1])
    gap = cost_gap(w, b)
    (w_star, b_star), _ = _exercise_minimum()
    if not reaches_minimum(w, b):
        raise CheckFailed(f"after {STEPS} steps your descent is at (w, b) = ({w:.4g}, {b:.4g}), "
                          f"where J − J* = {gap:.1e}; the fit needs J − J* ≤ {TOLERANCE:.0e}, "
                          "the criterion of the learning-rate check: make that check and the "
                          "descent check pass first")
    passed(f"your descent reached (w, b) = ({w:.3f}, {b:.3f}) with J − J* = {gap:.1e} ≤ "
           f"{TOLERANCE:.0e}; the best fit is ({w_star:.3f}, {b_star:.3f}), and the data were "
           f"made with ({DATA['w']:g}, {DATA['b']:g}) plus noise")
    return path
