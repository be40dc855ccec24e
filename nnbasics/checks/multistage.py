"""Self-check for the multistage exercise: write the second stage of a multistage fit.

The check builds its own first stage on a target with fresh random parameters (the
shape of the chapter's target, shifted and with another frequency), runs the
learner's ``second_stage`` on it, and judges the combined fit on fresh held-out
points: it must be at least 100 times more accurate than the first stage alone.
When it is not, the message gives the learner's epsilon and kappa next to the
values read off the residue, and names the likely mistake.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..multistage import (
    combine,
    fit_stage,
    forward,
    init_mlp,
    kappa_from_spectrum,
    kappa_from_zero_crossings,
    levenberg_marquardt,
    relative_l2,
    zero_crossings,
)
from .core import CheckFailed, as_number, fresh_rng, passed, require_own_function

#: The combined fit must be this many times more accurate than the first stage.
REQUIRED_GAIN = 100.0
T_MAX = 1.0
#: The check's own problem. Levenberg–Marquardt from one fixed start can stall in a poor
#: local minimum on some first stages (a right answer gained only 3x on about one random
#: problem in four), so the check uses one problem on which the solution gains about
#: 3e4x; what the learner cannot predict are the held-out points it is judged on.
CHECK_PROBLEM_SEED = 0


def make_problem(seed_rng: np.random.Generator) -> tuple[Callable, Callable, np.ndarray]:
    """A target, a trained first stage (tanh, [1, 24, 1]) and 801 training points."""
    shift = seed_rng.uniform(0.3, 0.8)
    freq = seed_rng.uniform(1.5, 2.5)

    def target(t):
        t = np.asarray(t, dtype=float)
        return np.log(t + 2.0 + shift) * np.cos(freq * t + t**3)

    t_train = np.linspace(-T_MAX, T_MAX, 801)
    net = init_mlp([1, 24, 1], seed_rng)
    levenberg_marquardt(net, t_train, target(t_train), iterations=400)

    def first(t):
        return forward(net, t)

    return target, first, t_train


def _reference_kappa(residue: np.ndarray) -> tuple[float, float]:
    """The residue's dominant angular frequency pi n / L, from its zero crossings."""
    return np.pi * zero_crossings(residue) / (2 * T_MAX), float(zero_crossings(residue))


def check_second_stage(second_stage: Callable) -> None:
    """Run ``second_stage(first, target, t_train)`` and judge the combined fit off the grid."""
    require_own_function(second_stage, "second_stage",
                         forbidden=[fit_stage, combine, kappa_from_zero_crossings,
                                    kappa_from_spectrum])
    gen = fresh_rng()
    target, first, t_train = make_problem(np.random.default_rng(CHECK_PROBLEM_SEED))
    result = second_stage(first, target, t_train)
    if result is None:
        raise CheckFailed("second_stage returned None: did it forget to `return eps, kappa, "
                          "combined`?")
    try:
        eps, kappa, combined = result
    except (TypeError, ValueError):
        raise CheckFailed("second_stage must return three things: eps, kappa, combined") from None
    eps = as_number(eps, "eps")
    kappa = as_number(kappa, "kappa")
    if not callable(combined):
        raise CheckFailed(f"the third value returned, combined, must be a function of t, "
                          f"got {type(combined).__name__}")
    residue = target(t_train) - first(t_train)
    true_eps = float(np.max(np.abs(residue)))
    omega_r, crossings = _reference_kappa(residue)
    facts = (f"your eps = {eps:.3g} and kappa = {kappa:.3g}; the residue has max |r| = "
             f"{true_eps:.3g} and crosses zero {crossings:.0f} times (angular frequency "
             f"about {omega_r:.0f})")
    if not 0.4 * omega_r <= kappa <= 5 * omega_r:
        omega_target = np.pi * zero_crossings(target(t_train)) / (2 * T_MAX)
        source = ("it looks like the target's frequency, not the residue's: "
                  if kappa <= 6 * omega_target else "")
        raise CheckFailed(f"kappa = {kappa:.3g} is outside [0.4, 5] x the residue's angular "
                          f"frequency; {facts}; {source}take kappa from the residue's "
                          "spectrum (its FFT peak) or zero crossings (about 3 x their count)")
    t_test = gen.uniform(-T_MAX, T_MAX, 2000)
    exact = target(t_test)
    first_error = relative_l2(first(t_test), exact)
    try:
        values = np.asarray(combined(t_test), dtype=float).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise CheckFailed(f"combined(t) must return one value per point of t: {exc}") from None
    if values.shape != exact.shape or not np.all(np.isfinite(values)):
        raise CheckFailed(f"combined(t) must return {len(t_test)} finite values, got shape "
                          f"{values.shape}")
    error = relative_l2(values, exact)
    gain = first_error / error
    if gain >= REQUIRED_GAIN:
        passed(f"two stages: held-out error {error:.1e}, {gain:.0f}x below the first stage's "
               f"{first_error:.1e} (eps = {eps:.1e}, kappa = {kappa:.0f})")
        return

    correction = values - first(t_test)
    wanted = exact - first(t_test)
    ratio = float(np.linalg.norm(correction) / np.linalg.norm(wanted))
    if not np.isclose(eps, true_eps, rtol=0.05):
        hint = ("eps must be the size of the residue, max |target - first| on the training "
                "points")
    elif ratio > 0.01 / true_eps:
        hint = ("your correction is about 1/eps times too large: you added the stage without "
                "eps; the network learned residue / eps, so the sum is first + eps * u_1")
    elif ratio < 30 * true_eps:
        hint = ("your correction is about eps times too small: you forgot to rescale by eps "
                "(train the second network on residue / eps, an O(1) target, then multiply "
                "its output by eps)")
    else:
        hint = ("check each step: residue = target - first, eps = max |residue|, kappa from "
                "the residue's zero crossings (about 3 x their count) or its FFT peak, a sine "
                "first layer, enough training iterations, combined = first + eps * u_1")
    raise CheckFailed(f"the combined held-out error is {error:.2e}, only {gain:.1f}x below "
                      f"the first stage's {first_error:.2e} (need {REQUIRED_GAIN:.0f}x); "
                      f"{facts}; {hint}")
