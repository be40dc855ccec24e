"""Self-checks for the exercises.

Every check compares the learner's code with an independent reference (finite
differences of the cost, or a run of the course's own optimiser) and, when they
disagree, raises :class:`CheckFailed` with a message that says what was expected
and which step of the derivation to look at.  A passing check prints one line.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real

import numpy as np

from ..descent import critical_learning_rate, gradient_descent, numerical_gradient
from ..models import neuron_cost, neuron_gradient, sigmoid, sigmoid_prime
from .core import CheckFailed, passed

#: Where the gradient checks evaluate the learner's function: (w, b) pairs.
GRADIENT_POINTS = ((0.5, -0.2), (2.0, 1.0), (-1.0, 0.3))


def _passed(message: str) -> None:
    passed(message)


def _as_pair(value: object, what: str) -> tuple[float, float]:
    try:
        first, second = (float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise CheckFailed(
            f"{what} must return two numbers (dJ/dw, dJ/db), but it returned {value!r}"
        ) from None
    if not (np.isfinite(first) and np.isfinite(second)):
        raise CheckFailed(f"{what} returned non-finite values ({first}, {second})")
    return first, second


def _close(got: float, expected: float, rtol: float = 1e-5, atol: float = 1e-9) -> bool:
    return abs(got - expected) <= atol + rtol * abs(expected)


def _gradient_hint(name: str, got: float, expected: float, w: float, b: float,
                   x: np.ndarray, y_d: np.ndarray) -> str:
    """Guess which factor of the chain rule went missing, from the learner's number."""
    z = w * x + b
    residual = sigmoid(z) - y_d
    derivative = 2.0 * residual * sigmoid_prime(z)
    inner = x if name == "dJ/dw" else np.ones_like(x)
    suspects = [
        (0.5 * expected, "yours is half the expected value: check the factor 2 that comes "
                         "from differentiating the square, d(y - y_d)²/dy = 2(y - y_d)"),
        (-expected, "yours has the wrong sign: d(y - y_d)²/dy = 2(y - y_d), not 2(y_d - y)"),
        (len(x) * expected, f"yours is m = {len(x)} times too large: J is the mean over the "
                            "examples, so divide the sum by m (or use np.mean)"),
        (float(np.mean(2.0 * residual * inner)),
         "you left out σ'(z) = σ(z)(1 - σ(z)), the derivative of the sigmoid"),
    ]
    if name == "dJ/dw":
        suspects.append((float(np.mean(derivative)),
                         "you left out the inner derivative ∂z/∂w = x"))
    for value, hint in suspects:
        if _close(got, value, rtol=1e-4):
            return hint
    return ("check each factor of the chain rule: ∂L/∂w = 2(y - y_d) · σ'(z) · x and "
            "∂L/∂b = 2(y - y_d) · σ'(z), then average over the examples")


def check_gradient(cost_gradient: Callable, x: np.ndarray, y_d: np.ndarray) -> None:
    """Compare ``cost_gradient(w, b, x, y_d)`` with central differences of J."""
    x = np.asarray(x, dtype=float)
    y_d = np.asarray(y_d, dtype=float)
    for w, b in GRADIENT_POINTS:
        got = _as_pair(cost_gradient(w, b, x, y_d), "cost_gradient")
        expected = numerical_gradient(lambda p: neuron_cost(p[0], p[1], x, y_d), [w, b])
        if not np.allclose(got, expected, rtol=1e-5, atol=1e-9) and np.allclose(
                got[::-1], expected, rtol=1e-5, atol=1e-9):
            raise CheckFailed(
                f"at w={w:g}, b={b:g} you returned ({got[0]:.6g}, {got[1]:.6g}), which is "
                "(dJ/db, dJ/dw): return the pair in the order (dJ/dw, dJ/db)"
            )
        for name, g, e in zip(("dJ/dw", "dJ/db"), got, expected, strict=True):
            if not _close(g, e):
                hint = _gradient_hint(name, g, e, w, b, x, y_d)
                raise CheckFailed(
                    f"your {name} at w={w:g}, b={b:g} is {g:.6g}, expected {e:.6g} "
                    f"(from finite differences); {hint}."
                )
    _passed(f"cost_gradient matches finite differences at {len(GRADIENT_POINTS)} points "
            "(relative tolerance 1e-5)")


#: (learning rate, steps) of the runs that check a descent loop; the rates are not 1,
#: so a loop that forgets to multiply by the rate cannot pass.
DESCENT_RUNS = ((3.7, 25), (0.9, 5))


def check_descent(gradient_descent_fn: Callable, x: np.ndarray, y_d: np.ndarray) -> None:
    """Compare the learner's descent loop, started at (0, 0), with the reference optimiser."""
    for learning_rate, steps in DESCENT_RUNS:
        _compare_descent(gradient_descent_fn, x, y_d, learning_rate, steps)
    _passed(f"gradient_descent follows the reference path ({len(DESCENT_RUNS)} runs, "
            f"{sum(steps for _, steps in DESCENT_RUNS)} steps)")


def _compare_descent(gradient_descent_fn: Callable, x: np.ndarray, y_d: np.ndarray,
                     learning_rate: float, steps: int) -> None:
    x = np.asarray(x, dtype=float)
    y_d = np.asarray(y_d, dtype=float)
    start = (0.0, 0.0)
    try:
        path = np.asarray(gradient_descent_fn(*start, x, y_d, learning_rate, steps), dtype=float)
    except (TypeError, ValueError) as exc:
        raise CheckFailed(f"gradient_descent must return an array of (w, b) rows: {exc}") from None
    if path.shape != (steps + 1, 2):
        raise CheckFailed(
            f"gradient_descent(..., steps={steps}) returned shape {path.shape}; expected "
            f"({steps + 1}, 2): the starting point, then one (w, b) row per step"
        )
    if not np.allclose(path[0], start):
        raise CheckFailed(f"the first row must be the starting point {start}, got {tuple(path[0])}")
    reference = gradient_descent(
        lambda p: neuron_cost(p[0], p[1], x, y_d),
        lambda p: np.array(neuron_gradient(p[0], p[1], x, y_d)),
        start, learning_rate, steps,
    ).params
    step_got, step_expected = path[1] - path[0], reference[1] - reference[0]
    if not np.allclose(step_got, step_expected, rtol=1e-6, atol=1e-12):
        if np.allclose(step_got, -step_expected, rtol=1e-6):
            hint = "you stepped uphill: the update is w ← w − α ∂J/∂w, with a minus sign"
        elif np.allclose(step_got, step_expected / learning_rate, rtol=1e-6):
            hint = "the step must be scaled by the learning rate α"
        else:
            hint = "the first step should be −α ∇J evaluated at the starting point"
        raise CheckFailed(
            f"with learning_rate={learning_rate:g}, your first step moved (w, b) by "
            f"({step_got[0]:.4g}, {step_got[1]:.4g}), expected ({step_expected[0]:.4g}, "
            f"{step_expected[1]:.4g}); {hint}."
        )
    mismatch = np.flatnonzero(~np.all(np.isclose(path, reference, rtol=1e-6, atol=1e-10), axis=1))
    if mismatch.size:
        k = int(mismatch[0])
        raise CheckFailed(
            f"row {k} of your path is ({path[k, 0]:.6g}, {path[k, 1]:.6g}), expected "
            f"({reference[k, 0]:.6g}, {reference[k, 1]:.6g}); each step must use the "
            "gradient at the current (w, b), not at the start"
        )


def _neuron_problem(x: np.ndarray, y_d: np.ndarray) -> tuple[Callable, Callable]:
    x = np.asarray(x, dtype=float)
    y_d = np.asarray(y_d, dtype=float)

    def cost(p: np.ndarray) -> float:
        return float(neuron_cost(p[0], p[1], x, y_d))

    def grad(p: np.ndarray) -> np.ndarray:
        return np.array(neuron_gradient(p[0], p[1], x, y_d))

    return cost, grad


def _minimise(x: np.ndarray, y_d: np.ndarray):
    # Rates up to about 10 lower J at every step from (0, 0) on the exercises' data, and
    # 3000 steps reach round-off; this does not depend on the learner's code.
    cost, grad = _neuron_problem(x, y_d)
    return gradient_descent(cost, grad, (0.0, 0.0), 10.0, 3_000)


def minimum_cost(x: np.ndarray, y_d: np.ndarray) -> float:
    """J*, the smallest cost the sigmoid neuron reaches on the data (x, y_d)."""
    return float(np.min(_minimise(x, y_d).costs))


def descent_reaches(learning_rate: float, x: np.ndarray, y_d: np.ndarray, steps: int,
                    tolerance: float) -> tuple[bool, str]:
    """Whether descent from (0, 0) with ``learning_rate`` gets J within ``tolerance`` of J*.

    Returns the verdict and a sentence a learner can act on.  J* comes from a long
    run at a safe learning rate, so it does not depend on the learner's code.
    """
    cost, grad = _neuron_problem(x, y_d)
    reference = _minimise(x, y_d)
    best = float(np.min(reference.costs))
    run = gradient_descent(cost, grad, (0.0, 0.0), learning_rate, steps)
    gap = run.costs[-1] - best
    if gap <= tolerance:
        return True, (f"with α = {learning_rate:g}, J − J* = {gap:.2e} after {steps} steps "
                      f"(target {tolerance:.0e})")
    # Near the minimum J is close to a quadratic, and descent is stable only for
    # α < 2/λ_max of its Hessian there (the gradient-descent chapter derives this).
    critical = critical_learning_rate(grad, reference.final)
    if run.diverged or learning_rate >= critical:
        return False, (f"with α = {learning_rate:g} the steps overshoot (J − J* = {gap:.2e} after "
                       f"{steps} steps): near the minimum, descent is stable only for "
                       f"α < 2/λ_max ≈ {critical:.3g}, so try a smaller learning rate")
    return False, (f"with α = {learning_rate:g} the cost still creeps down (J − J* = {gap:.2e} "
                   f"after {steps} steps, target {tolerance:.0e}): the steps are too small, "
                   "so try a larger learning rate")


def check_learning_rate(learning_rate: object, x: np.ndarray, y_d: np.ndarray, steps: int,
                        tolerance: float) -> None:
    """Pass if plain gradient descent with ``learning_rate`` converges within ``steps``."""
    if learning_rate is None:
        raise NotImplementedError("not implemented yet: set learning_rate to a number")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, Real):
        raise CheckFailed(f"learning_rate must be a number, got {learning_rate!r}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise CheckFailed(f"learning_rate must be a positive finite number, got {learning_rate}")
    ok, message = descent_reaches(float(learning_rate), x, y_d, steps, tolerance)
    if not ok:
        raise CheckFailed(message)
    _passed(message)
