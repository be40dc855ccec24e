"""Self-check for the multistage exercise: write the second stage of a multistage fit.

The check builds its own first stage on a target (by default the shape of the
chapter's target, shifted and with another frequency; ``target="sin12"`` and the other
names of :data:`nnbasics.multistage.FAMILY_TARGETS` give the targets the multistage
recipe is held to) and hands the learner's ``second_stage`` only what a stage sees in
practice: the first stage and the target's values at the training points, never the
target function. It then judges what came back:

* ``u1``, the second network, must have been fitted to the **rescaled** residue
  (its outputs at the training points are of the size of residue / eps);
* ``combined`` must be ``first + eps * u1``;
* the combined fit, compared with the truth on fresh random points the learner
  never saw, must be at least :data:`REQUIRED_GAIN` times more accurate than the
  first stage alone.

Each failure names the step that went wrong, with the learner's eps and kappa next
to the values read off the residue.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from ..multistage import (
    FAMILY_TARGETS,
    combine,
    fit_multistage,
    fit_stage,
    forward,
    init_mlp,
    kappa_from_spectrum,
    kappa_from_zero_crossings,
    levenberg_marquardt,
    relative_l2,
    zero_crossings,
)
from ..seeding import Seed, generator
from .core import CheckFailed, as_number, fresh_rng, passed, require_own_function

#: The combined fit must be this many times more accurate than the first stage. Right
#: answers (kappa from 1.5 n to 3 n or the FFT peak, any start that trains) gain 1e3x and
#: more on the check's own problem and on every family target; a second stage that
#: learned nothing gains about 1x (see tests/test_checks_multistage.py).
REQUIRED_GAIN = 30.0
T_MAX = 1.0
#: The check's own problem: one on which a first stage trained from one fixed start
#: leaves a residue that a right second stage reduces by 1e3x or more. What the learner
#: cannot predict are the held-out points it is judged on.
CHECK_PROBLEM_SEED = 0
#: kappa is accepted between these multiples of the residue's angular frequency pi n / L.
KAPPA_BAND = (0.4, 5.0)


def _require_target_name(name: str | None) -> None:
    if name is not None and name not in FAMILY_TARGETS:
        raise ValueError(f"target must be one of {', '.join(map(repr, FAMILY_TARGETS))} "
                         f"or None (the check's own), got {name!r}")


def _target_named(name: str | None, gen: np.random.Generator) -> Callable:
    """A family target by name, or (``None``) the chapter's shape with random numbers."""
    _require_target_name(name)
    if name is not None:
        return FAMILY_TARGETS[name]
    shift = gen.uniform(0.3, 0.8)
    freq = gen.uniform(1.5, 2.5)

    def target(t):
        t = np.asarray(t, dtype=float)
        return np.log(t + 2.0 + shift) * np.cos(freq * t + t**3)

    return target


def make_problem(seed: Seed, target: str | None = None
                 ) -> tuple[Callable, Callable, np.ndarray]:
    """A target, a trained first stage (tanh, [1, 24, 1]) and 801 training points.

    ``target`` names one of :data:`nnbasics.multistage.FAMILY_TARGETS`; ``None`` draws
    the chapter's shape with a random shift and frequency from ``seed``.
    """
    seed = generator(seed)  # one generator: the target's numbers, then the start
    fn = _target_named(target, seed)
    t_train = np.linspace(-T_MAX, T_MAX, 801)
    net = init_mlp([1, 24, 1], seed)
    levenberg_marquardt(net, t_train, fn(t_train), iterations=400)

    def first(t):
        return forward(net, t)

    return fn, first, t_train


@functools.lru_cache(maxsize=len(FAMILY_TARGETS) + 1)
def _check_problem(target: str | None = None) -> tuple[Callable, Callable, np.ndarray]:
    """The check's own problem: the same in every run, so it is trained once per kernel
    (0.8 s) and a learner who runs the check again waits only for their own stage."""
    return make_problem(np.random.default_rng(CHECK_PROBLEM_SEED), target)


def _values(fn: Callable, t: np.ndarray, name: str) -> np.ndarray:
    """``fn(t)`` as a float array of one finite value per point, or a one-line failure."""
    try:
        raw = fn(t)
        if hasattr(raw, "detach"):  # a torch tensor
            raw = raw.detach().cpu().numpy()
        values = np.asarray(raw, dtype=float).reshape(-1)
    except CheckFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - the learner's function failed
        raise CheckFailed(f"{name}(t) raised {type(exc).__name__}: {exc}") from None
    if values.shape != (len(t),):
        raise CheckFailed(f"{name}(t) must return one value per point: {len(t)} points "
                          f"gave {values.size} values")
    if not np.all(np.isfinite(values)):
        raise CheckFailed(f"{name}(t) returned NaN or infinite values")
    return values


def check_second_stage(second_stage: Callable, target: str | None = None) -> None:
    """Run ``second_stage(first, t_train, u_train)`` and judge what it returns.

    ``target``: the check's own problem (``None``, the one graded) or the name of one of
    :data:`nnbasics.multistage.FAMILY_TARGETS`, to try a stage on other targets.
    """
    _require_target_name(target)  # before the learner's code runs
    require_own_function(second_stage, "second_stage",
                         forbidden=[fit_stage, fit_multistage, combine,
                                    kappa_from_zero_crossings, kappa_from_spectrum])
    gen = fresh_rng()
    where = "" if target is None else f" on the target {target!r}"
    truth, first, t_train = _check_problem(target)
    u_train = truth(t_train)
    result = second_stage(first, t_train.copy(), u_train.copy())
    if result is None:
        raise CheckFailed("second_stage returned None: did it forget to `return eps, kappa, "
                          "u1, combined`?")
    try:
        eps, kappa, u1, combined = result
    except (TypeError, ValueError):
        raise CheckFailed("second_stage must return four things: eps, kappa, u1, combined"
                          ) from None
    eps = as_number(eps, "eps")
    kappa = as_number(kappa, "kappa")
    for name, fn in (("u1", u1), ("combined", combined)):
        if not callable(fn):
            raise CheckFailed(f"{name} must be a function of t, got {type(fn).__name__}")

    residue = u_train - first(t_train)
    true_eps = float(np.max(np.abs(residue)))
    crossings = zero_crossings(residue)
    omega_r = np.pi * crossings / (2 * T_MAX)
    facts = (f"your eps = {eps:.3g} and kappa = {kappa:.3g}; the residue has max |r| = "
             f"{true_eps:.3g} and crosses zero {crossings} times (angular frequency "
             f"pi n / L about {omega_r:.0f})")
    if not 0.1 * true_eps <= eps <= 10 * true_eps:
        mistake = ("eps = 1 means no rescaling at all: " if np.isclose(eps, 1.0, rtol=0.1)
                   else "")
        raise CheckFailed(f"eps is not the size of the residue; {facts}; {mistake}eps must "
                          "be max |u_train - first(t_train)| on the training points")
    low, high = KAPPA_BAND
    if not low * omega_r <= kappa <= high * omega_r:
        omega_target = np.pi * zero_crossings(u_train) / (2 * T_MAX)
        source = ("it looks like the target's frequency, not the residue's: "
                  if kappa <= 6 * omega_target else "")
        raise CheckFailed(f"kappa = {kappa:.3g} is outside [{low}, {high}] x the residue's "
                          f"angular frequency; {facts}; {source}take kappa from the "
                          "residue's zero crossings (pi n / L to 3 n) or its FFT peak")

    # Was u1 fitted to residue / eps, a target of order one?
    u1_train = _values(u1, t_train, "u1")
    size = float(np.max(np.abs(u1_train)))
    wanted = true_eps / eps  # max |residue / eps|
    if not 0.3 * wanted <= size <= 3 * wanted:
        if size <= 30 * true_eps * wanted:
            hint = ("u1's outputs are as small as the residue itself: it was trained on the "
                    "raw residue; train it on residue / eps, a target of order one, and "
                    "multiply its output by eps only in combined")
        else:
            fit = relative_l2(u1_train, residue / eps)
            hint = ("u1 should approximate residue / eps, whose largest value is "
                    f"{wanted:.2g}, and fits it to a relative {fit:.1e}; train the network "
                    "on exactly that (if you did, its training stalled: train it longer, "
                    "or from another start)")
        raise CheckFailed(f"u1 is not a fit of the rescaled residue: max |u1| on the "
                          f"training points is {size:.2g}; {facts}; {hint}")

    t_test = gen.uniform(-T_MAX, T_MAX, 2000)
    exact = truth(t_test)
    base = first(t_test)
    values = _values(combined, t_test, "combined")
    u1_test = _values(u1, t_test, "u1")
    expected = base + eps * u1_test
    scale = float(np.linalg.norm(eps * u1_test))
    if np.linalg.norm(values - expected) > 1e-6 * scale + 1e-14 * np.linalg.norm(base):
        if np.linalg.norm(values - base - u1_test) <= 1e-6 * np.linalg.norm(u1_test):
            hint = ("you added u1 without eps; u1 learned residue / eps, so the sum is "
                    "first + eps * u1")
        elif np.linalg.norm(values - base) <= 1e-6 * scale:
            hint = "combined returns the first stage alone: add eps * u1 to it"
        else:
            hint = "combined(t) must be first(t) + eps * u1(t)"
        raise CheckFailed(f"combined is not first + eps * u1 at fresh points; {hint}")

    first_error = relative_l2(base, exact)
    error = relative_l2(values, exact)
    gain = first_error / max(error, 1e-300)
    if gain >= REQUIRED_GAIN:
        passed(f"two stages{where}: held-out error {error:.1e}, {gain:.0f}x below the first "
               f"stage's {first_error:.1e} (eps = {eps:.1e}, kappa = {kappa:.0f})")
        return
    fit = relative_l2(u1_train, residue / eps)
    raise CheckFailed(f"the combined held-out error{where} is {error:.2e}, only {gain:.1f}x "
                      f"below the first stage's {first_error:.2e} (need {REQUIRED_GAIN:.0f}x); "
                      f"u1 fits residue / eps to a relative {fit:.1e} on the training "
                      f"points; {facts}; "
                      + ("u1 is far from a fit: train u1 longer, or from another start "
                         "(Levenberg-Marquardt from a random start now and then stalls "
                         "there)" if fit > 0.01 else
                         "u1 fits the training points but not between them: use more "
                         "training points or a smaller kappa"))
