"""Multistage neural networks (Wang & Lai 2024) in float64 NumPy.

A multistage fit is a sum u_c = u_0 + eps_1 u_1 + ... + eps_n u_n of small networks.
Each u_j is fitted to the residue of the previous stages divided by its size eps_j,
so that every network learns a target of order one. Later stages start with a sine
layer sin(kappa W x + b), with kappa set from the residue's frequency content.

The networks are small (a few hundred parameters), so they are trained with
Levenberg-Marquardt: damped Gauss-Newton on the residuals, with the analytic
Jacobian of the network and plain lambda*I damping.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Homes in fourier, importable from here too: the residue's spectrum on the
# angular-frequency axis (amplitude_spectrum(r, length)), which the multistage chapter
# imports from here, and the relative L2 error.
from .engine import MLP
from .fourier import amplitude_spectrum, relative_l2
from .seeding import Seed, generator
from .validation import require_array, require_in_range, require_int

#: The first-layer activations a stage may have: tanh for stage 0, sin for the later ones.
FIRST_LAYERS = ("tanh", "sin")


def init_mlp(sizes: Sequence[int], seed: Seed, first: str = "tanh",
             kappa: float = 1.0) -> MLP:
    """A stage's network: the course's :class:`~nnbasics.engine.MLP` with tanh hidden
    layers (the first one ``first``, scaled by ``kappa``), one linear output, and
    Xavier-normal weights with zero biases, drawn from ``seed``.

    ``sizes`` lists the widths from input to output, e.g. [1, 16, 16, 1]; the output
    width must be 1.
    """
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence) or len(sizes) < 3:
        raise ValueError(f"sizes must list input, hidden and output widths, got {sizes}")
    for i, n in enumerate(sizes):
        require_int(f"sizes[{i}]", n, 1)
    if sizes[-1] != 1:
        raise ValueError(f"sizes[-1] (the output width) must be 1, got {sizes[-1]}")
    if first not in FIRST_LAYERS:
        raise ValueError(f"first must be one of {FIRST_LAYERS}, got {first!r}")
    return MLP(sizes, "tanh", "identity", first=first, kappa=kappa, init="xavier", seed=seed)


def _columns(net: MLP, x: object) -> np.ndarray:
    """m points as rows, shape (m,) for one input or (m, d), as the network's columns."""
    x = np.asarray(x, dtype=float)
    d = net.sizes[0]
    if x.ndim == 1 and d == 1:
        return x[None, :]
    if x.ndim != 2 or x.shape[1] != d:
        raise ValueError(f"x must have shape (m, {d}), got {x.shape}")
    return x.T


def forward(net: MLP, x: object) -> np.ndarray:
    """The network's output at the m points x (shape (m,) or (m, d)); returns shape (m,)."""
    return net.forward(_columns(net, x))[0]


def jacobian(net: MLP, x: object) -> np.ndarray:
    """d output / d parameters at the m points x: shape (m, theta.size)."""
    return net.jacobian(_columns(net, x))


#: About how many bytes of the Jacobian are built at once. J^T J and J^T r are sums over
#: the points, so they are summed over blocks of points: the 2D chapter's widest stage
#: (3601 parameters at 16 000 points) would otherwise hold a 460 MB Jacobian, more than a
#: small Binder instance spares. A network with a few hundred parameters, as in the 1D
#: chapter and the exercise, has its whole Jacobian in one block.
JACOBIAN_BLOCK_BYTES = 64 * 2**20


def _normal_equations(net: MLP, x: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """J^T J and J^T r of the network at the columns x, block by block of points."""
    rows = max(1, JACOBIAN_BLOCK_BYTES // (8 * net.theta.size))
    if x.shape[1] <= rows:
        J = net.jacobian(x)
        return J.T @ J, J.T @ r
    A = np.zeros((net.theta.size, net.theta.size))
    g = np.zeros(net.theta.size)
    for start in range(0, x.shape[1], rows):
        J = net.jacobian(x[:, start:start + rows])
        A += J.T @ J
        g += J.T @ r[start:start + rows]
    return A, g


@dataclass
class LMResult:
    """What a Levenberg-Marquardt run did: the loss ½|r|²/m and time after each iteration."""

    losses: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    lambdas: list[float] = field(default_factory=list)
    iterations: int = 0
    history: list[float] = field(default_factory=list)  # optional monitor values


def levenberg_marquardt(net: MLP, x: object, y: object, iterations: int = 200,
                        lam: float = 1e-3, monitor: Callable[[MLP], float] | None = None,
                        monitor_every: int = 10, progress: Callable[[int, float], None] | None
                        = None) -> LMResult:
    """Fit ``net`` to (x, y) in least squares by Levenberg-Marquardt, in place.

    Each iteration solves (J^T J + lam I) delta = -J^T r; a step that lowers
    the loss is kept and lam shrinks (towards Gauss-Newton), otherwise lam grows
    (towards a short gradient step). The damping is plain lam*I: scaling it by the
    diagonal of J^T J (Marquardt's variant) let tanh weights run off to huge values.
    """
    iterations = require_int("iterations", iterations, 1)
    lam = require_in_range("lam", lam, 0.0, low_inclusive=False)
    x = _columns(net, x)
    y = require_array("y", y)
    if len(y) != x.shape[1]:
        raise ValueError(f"x and y must have the same length: x has {x.shape[1]} and y has "
                         f"{len(y)}")
    result = LMResult()
    theta = net.theta.copy()
    r = net.forward(x)[0] - y
    loss = 0.5 * float(r @ r) / len(y)
    start = time.perf_counter()
    diagonal = np.arange(len(theta))
    for it in range(iterations):
        A, g = _normal_equations(net, x, r)
        while True:
            damped = A.copy()  # A + lam I, without building I
            damped[diagonal, diagonal] += lam
            try:
                step = -np.linalg.solve(damped, g)
            except np.linalg.LinAlgError:  # singular to working precision
                lam *= 10.0
                continue
            net.theta[...] = theta + step
            r_new = net.forward(x)[0] - y
            loss_new = 0.5 * float(r_new @ r_new) / len(y)
            if loss_new < loss:
                theta, r, loss = theta + step, r_new, loss_new
                lam = max(lam / 3.0, 1e-15)
                break
            lam *= 2.0
            if lam > 1e12:  # no step lowers the loss: a (local) minimum at round-off level
                break
        net.theta[...] = theta
        result.losses.append(loss)
        result.seconds.append(time.perf_counter() - start)
        result.lambdas.append(lam)
        result.iterations = it + 1
        if monitor is not None and (it % monitor_every == 0 or it == iterations - 1):
            result.history.append(monitor(net))
        if progress is not None:
            progress(it, loss)
        if lam > 1e12:
            break
    return result


def zero_crossings(values: object) -> int:
    """How many times the sampled function changes sign (exact zeros are skipped)."""
    values = require_array("values", values, min_length=2)
    signs = np.sign(values[values != 0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def kappa_from_zero_crossings(residue: object, factor: float = 1.0) -> float:
    """kappa = factor x (number of zero crossings of the residue), at least 1.

    A residue that crosses zero n times on the interval oscillates about n/2 times, so
    its dominant angular frequency is about pi n / L on an interval of length L; the
    first-layer weights W start of order one, so kappa of the order of n puts the sine
    layer's frequencies where the residue's are.
    """
    factor = require_in_range("factor", factor, 0.0, low_inclusive=False)
    return max(1.0, factor * zero_crossings(residue))


def kappa_from_spectrum(residue: object, length: float) -> float:
    """kappa = the angular frequency of the residue's largest Fourier amplitude (not k = 0)."""
    omega, spectrum = amplitude_spectrum(residue, length)
    return float(omega[1:][np.argmax(spectrum[1:])])


@dataclass
class Stage:
    """One stage of a multistage fit: the network and the scale eps it is multiplied by."""

    net: MLP
    eps: float
    kappa: float
    train_error: float = np.nan
    test_error: float = np.nan
    seconds: float = 0.0
    #: (seconds since the stage started, held-out error of the combined fit) while training
    curve: list[tuple[float, float]] = field(default_factory=list)
    #: loss of each random start after its trial iterations (empty without restarts)
    candidate_losses: list[float] = field(default_factory=list)


def combine(stages: Sequence[Stage], x: object) -> np.ndarray:
    """u_c(x) = sum_j eps_j u_j(x)."""
    if len(stages) == 0:
        raise ValueError("stages must hold at least one stage")
    return sum(s.eps * forward(s.net, x) for s in stages)


@dataclass(frozen=True)
class StageRecipe:
    """How one stage is built and trained.

    ``sizes`` are its network's widths (output 1); ``iterations`` its Levenberg-Marquardt
    iterations in all. A stage after the first has a sine first layer whose kappa is
    ``kappa_factor`` x the residue's zero crossings (``first`` overrides the layer:
    "tanh" or "sin"). With ``candidates`` > 1, that many random starts each train for
    ``trial_iterations`` and only the one with the lowest loss trains on: some starts
    sit on a plateau for hundreds of iterations, and a short trial finds one that does
    not.
    """

    sizes: tuple[int, ...]
    iterations: int
    kappa_factor: float = 1.0
    candidates: int = 1
    trial_iterations: int = 100
    first: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sizes", tuple(self.sizes))
        require_int("iterations", self.iterations, 1)
        require_in_range("kappa_factor", self.kappa_factor, 0.0, low_inclusive=False)
        require_int("candidates", self.candidates, 1)
        if self.candidates > 1:
            require_int("trial_iterations", self.trial_iterations, 1, self.iterations)
        if self.first is not None and self.first not in FIRST_LAYERS:
            raise ValueError(f"first must be one of {FIRST_LAYERS} or None, got {self.first!r}")


def fit_stage(stages: Sequence[Stage], target: Callable[[np.ndarray], np.ndarray],
              x_train: object, recipe: StageRecipe, seed: Seed, *,
              x_test: object | None = None,
              progress: Callable[[int, float], None] | None = None,
              monitor_every: int = 25) -> Stage:
    """The next stage after ``stages``, fitted to their residue by ``recipe``.

    The first stage (empty ``stages``) fits the target itself with a tanh first layer;
    a later stage fits residue / eps with eps = max |residue| on the training points.
    ``stages`` is not changed: append the stage to it to use it. The stage's errors are
    those of the fit with it. With ``x_test``, the held-out error of that fit is
    recorded in ``curve`` every ``monitor_every`` iterations of the network that is kept.
    """
    x_train = require_array("x_train", x_train)
    y = target(x_train)
    residue = y - combine(stages, x_train) if stages else y
    eps = float(np.max(np.abs(residue))) if stages else 1.0
    if eps == 0:
        raise ValueError("the residue is zero on x_train: nothing left to fit")
    first = recipe.first or ("sin" if stages else "tanh")
    kappa = kappa_from_zero_crossings(residue, recipe.kappa_factor) if first == "sin" else 1.0
    curve: list[tuple[float, float]] = []
    monitor = None
    if x_test is not None:
        x_test = require_array("x_test", x_test)
        y_test = target(x_test)
        before = combine(stages, x_test) if stages else np.zeros_like(y_test)

        def monitor(trained: MLP) -> float:
            error = relative_l2(before + eps * forward(trained, x_test), y_test)
            curve.append((time.perf_counter() - start, error))
            return error

    start = time.perf_counter()
    gen = generator(seed)  # one generator for all the random starts, each a new draw
    net = init_mlp(recipe.sizes, gen, first=first, kappa=kappa)
    lam, done, candidate_losses = 1e-3, 0, []
    if recipe.candidates > 1:
        best = None
        for _ in range(recipe.candidates):
            trial = net if best is None else init_mlp(recipe.sizes, gen, first=first,
                                                      kappa=kappa)
            result = levenberg_marquardt(trial, x_train, residue / eps,
                                         recipe.trial_iterations)
            candidate_losses.append(result.losses[-1])
            if best is None or result.losses[-1] < best[1]:
                best = (trial, result.losses[-1], result.lambdas[-1])
        net, _, lam = best
        done = recipe.trial_iterations
    if recipe.iterations > done:
        levenberg_marquardt(net, x_train, residue / eps, recipe.iterations - done, lam=lam,
                            progress=progress, monitor=monitor, monitor_every=monitor_every)
    stage = Stage(net, eps, kappa, seconds=time.perf_counter() - start, curve=curve,
                  candidate_losses=candidate_losses)
    with_it = [*stages, stage]
    stage.train_error = relative_l2(combine(with_it, x_train), y)
    if x_test is not None:
        stage.test_error = relative_l2(combine(with_it, x_test), y_test)
    return stage


def fit_sine_features(stages: Sequence[Stage], target: Callable[[np.ndarray], np.ndarray],
                      x_train: object, n_frequencies: int, *,
                      x_test: object | None = None) -> Stage:
    """The next stage after ``stages``: a fixed sine layer and a least-squares output.

    The first layer holds sin(omega_m x) and cos(omega_m x) (a sine neuron with bias
    pi/2) at omega_m = pi m / L, m = 1 ... ``n_frequencies``, L the length of the
    training interval: the Fourier basis of an interval twice as long, so a residue that
    is not periodic on its own interval needs no jump at the ends. Only the output layer
    is trained, by linear least squares on residue / eps (eps = max |residue|), which
    gives its best weights in one solve instead of by iterations. ``stages`` is not
    changed; the stage's errors are those of the fit with it. Use it where a residue is
    broadband: where a small trained network would need more parameters than it has.
    """
    x_train = require_array("x_train", x_train, min_length=2)
    n_frequencies = require_int("n_frequencies", n_frequencies, 1, (len(x_train) - 2) // 2)
    start = time.perf_counter()
    y = target(x_train)
    residue = y - combine(stages, x_train) if stages else y
    eps = float(np.max(np.abs(residue)))
    if eps == 0:
        raise ValueError("the residue is zero on x_train: nothing left to fit")
    length = float(np.ptp(x_train))
    omega = np.pi * np.arange(1, n_frequencies + 1) / length
    weights = np.concatenate([omega, omega])[:, None]
    phases = np.concatenate([np.zeros(n_frequencies), np.full(n_frequencies, np.pi / 2)])
    net = MLP.from_layers([weights, np.zeros((1, 2 * n_frequencies))], [phases, [0.0]],
                          first="sin")
    hidden = np.sin(x_train[:, None] * weights[:, 0] + phases)
    design = np.hstack([hidden, np.ones((len(x_train), 1))])
    # The sines and cosines of a doubled interval are nearly dependent: the normal
    # equations would square their condition number, and an SVD (np.linalg.lstsq) failed
    # to converge on one residue of the family. A QR of the design stacked on a tiny
    # ridge, 1e-10 sqrt(points) I, always solves, keeps the weights bounded (10^3 where
    # the SVD gave 10^7) and changed no held-out error we measured by more than 2 %.
    ridge = 1e-10 * np.sqrt(len(x_train)) * np.eye(design.shape[1])
    q, r = np.linalg.qr(np.vstack([design, ridge]))
    solution = np.linalg.solve(r, q[:len(x_train)].T @ (residue / eps))
    net.weights[1][0], net.biases[1][0] = solution[:-1], solution[-1]
    stage = Stage(net, eps, kappa=1.0, seconds=time.perf_counter() - start)
    with_it = [*stages, stage]
    stage.train_error = relative_l2(combine(with_it, x_train), y)
    if x_test is not None:
        x_test = require_array("x_test", x_test)
        stage.test_error = relative_l2(combine(with_it, x_test), target(x_test))
    return stage


def paper_target(t: np.ndarray) -> np.ndarray:
    """The 1D target of Wang & Lai (2024): log(t + 2) cos(2t + t^3) on [-1.02, 1.02]."""
    t = np.asarray(t, dtype=float)
    return np.log(t + 2.0) * np.cos(2.0 * t + t**3)


def _demo_target(t: np.ndarray) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    return np.sin(2.0 * t + 1.0) + 0.2 * np.exp(1.3 * t)


def _rational_target(t: np.ndarray) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    return t**3 / (0.01 + t**4)


def _two_sines(fast: float) -> Callable[[np.ndarray], np.ndarray]:
    def target(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        return np.sin(fast * t) + 0.5 * np.sin(3.0 * t)

    target.__name__ = f"sin{fast:g}_target"
    return target


#: Targets on [-1, 1] (or a little wider) that the multistage recipe and the multistage
#: exercise must handle, not only the chapter's: Wang & Lai's, the demo in the authors'
#: released code, Ng, Wang & Lai's rational function, and two oscillatory sums whose
#: residues cross zero 2-3 times as often as the chapter's (scripts/multistage_family.py,
#: nnbasics.checks.multistage).
FAMILY_TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "paper": paper_target,  # log(t + 2) cos(2t + t^3)
    "demo": _demo_target,  # sin(2t + 1) + 0.2 exp(1.3 t)
    "rational": _rational_target,  # t^3 / (0.01 + t^4)
    "sin8": _two_sines(8.0),  # sin 8t + 0.5 sin 3t
    "sin12": _two_sines(12.0),  # sin 12t + 0.5 sin 3t
}


@dataclass
class MultistageFit:
    """A multistage fit on an interval, as returned by :func:`fit_multistage`.

    The networks see s = 2 (t - centre) / length in [-1, 1]; calling the fit with points
    t of the interval evaluates u_c(t).
    """

    stages: list[Stage]
    interval: tuple[float, float]
    test_errors: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def _scaled(self, t: object) -> np.ndarray:
        a, b = self.interval
        return (2.0 * np.asarray(t, dtype=float) - (a + b)) / (b - a)

    def __call__(self, t: object) -> np.ndarray:
        return combine(self.stages, self._scaled(t))

    @property
    def test_error(self) -> float:
        return self.test_errors[-1]


def _checked_target(target: Callable, t: np.ndarray) -> np.ndarray:
    try:
        values = np.asarray(target(t), dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"target(t) must return one float per point: {exc}") from None
    if values.shape != t.shape:
        raise ValueError(f"target(t) must return shape {t.shape} for t of shape {t.shape}, "
                         f"got {values.shape}")
    if not np.all(np.isfinite(values)):
        bad = t[~np.isfinite(values)][0]
        raise ValueError(f"target(t) must be finite on the interval; it is {target(bad)} "
                         f"at t = {bad:.6g}")
    return values


def fit_multistage(target: Callable[[np.ndarray], np.ndarray],
                   interval: tuple[float, float], tol: float = 1e-12, *, seed: int = 0,
                   max_stages: int = 4, n_test: int = 5000, time_budget: float = 60.0,
                   iterations: Sequence[int] = (8000, 4000),
                   progress: Callable[[str], None] | None = print) -> MultistageFit:
    """Fit a multistage network to ``target`` on ``interval`` to held-out error ``tol``.

    The recipe of the chapter, with its choices read off each residue instead of tuned
    to one example: the input is mapped to s in [-1, 1]; stage 0 is a tanh network
    [1, 32, 1] (48 neurons when the target crosses zero more than 12 times) on
    max(401, 24 n) points for n zero crossings; stage 1 is a [1, 16, 16, 1] network
    with a sine first layer, kappa = 3 n from its residue's n zero crossings (the rule
    of Wang & Lai's released code), on min(max(1501, 12 n), 4001) points, the best of
    four short random starts; both are trained by Levenberg-Marquardt for
    ``iterations`` = (stage 0, stage 1) iterations. Every later stage is
    :func:`fit_sine_features` with 3 n frequencies (at most 1500) on max(4001, 4 x 3 n + 1)
    points: the residue a trained stage leaves is broadband (its Chebyshev series needs
    degree 600 and more where stage 0's needed 200), which a second [1, 16, 16, 1]
    network gains only 1.1 to 2.5 times on, while the least-squares sine layer takes
    it to round-off. Stages are added until the relative L2 error on ``n_test`` random
    held-out points is at most ``tol``, or ``max_stages`` or ``time_budget`` seconds are
    reached (the fit so far is returned then; compare its ``test_error`` with ``tol``).
    ``progress`` receives one line per stage (None for silence).
    """
    if not callable(target):
        raise ValueError(f"target must be a function of an array t, got {type(target).__name__}")
    try:
        a, b = (float(v) for v in interval)
    except (TypeError, ValueError):
        raise ValueError(f"interval must be two numbers (a, b), got {interval!r}") from None
    if not (np.isfinite(a) and np.isfinite(b) and b > a):
        raise ValueError(f"interval must be (a, b) with finite a < b, got ({a}, {b})")
    tol = require_in_range("tol", tol, 0.0, 1.0, low_inclusive=False)
    max_stages = require_int("max_stages", max_stages, 1, 10)
    n_test = require_int("n_test", n_test, 100)
    time_budget = require_in_range("time_budget", time_budget, 0.0, low_inclusive=False)
    if len(iterations) != 2:
        raise ValueError(f"iterations must give two counts (stage 0, stage 1), got "
                         f"{iterations!r}")
    its = [require_int(f"iterations[{i}]", n, 151) for i, n in enumerate(iterations)]
    say = progress or (lambda message: None)
    start = time.perf_counter()
    length = b - a
    s_probe = np.linspace(-1.0, 1.0, 4001)
    u_probe = _checked_target(target, a + (s_probe + 1.0) * length / 2.0)
    if np.ptp(u_probe) == 0:
        raise ValueError("target is constant on the interval: nothing for a network to fit")

    def scaled_target(s):
        return target(a + (np.asarray(s, dtype=float) + 1.0) * length / 2.0)

    s_test = np.random.default_rng([seed, 1]).uniform(-1.0, 1.0, n_test)
    fit = MultistageFit([], (a, b))
    n0 = zero_crossings(u_probe - np.mean(u_probe))
    width = 32 if n0 <= 12 else 48
    s0 = np.linspace(-1.0, 1.0, max(401, 24 * n0))
    say(f"stage 0: tanh [1, {width}, 1] on {len(s0)} points")
    fit.stages.append(fit_stage(fit.stages, scaled_target, s0, StageRecipe((1, width, 1), its[0]),
                                np.random.default_rng([seed, 2]), x_test=s_test))
    fit.test_errors.append(fit.stages[-1].test_error)
    say(f"stage 0: held-out error {fit.test_error:.2e} ({fit.stages[-1].seconds:.1f} s)")
    while (fit.test_error > tol and len(fit.stages) < max_stages
           and time.perf_counter() - start < time_budget):
        j = len(fit.stages)
        residue = u_probe - combine(fit.stages, s_probe)
        if not np.any(residue):
            break
        n = zero_crossings(residue)
        if j == 1:
            points = int(min(max(1501, 12 * n), 4001))
            recipe = StageRecipe((1, 16, 16, 1), its[1], kappa_factor=3.0, candidates=4,
                                 trial_iterations=150)
            stage = fit_stage(fit.stages, scaled_target, np.linspace(-1.0, 1.0, points),
                              recipe, np.random.default_rng([seed, 2 + j]), x_test=s_test)
            how = f"kappa {stage.kappa:.0f}"
        else:
            n_frequencies = int(min(max(3 * n, 1), 1500))
            points = max(4001, 4 * n_frequencies + 1)
            stage = fit_sine_features(fit.stages, scaled_target,
                                      np.linspace(-1.0, 1.0, points), n_frequencies,
                                      x_test=s_test)
            how = f"{2 * n_frequencies} fixed sines, least squares"
        fit.stages.append(stage)
        fit.test_errors.append(stage.test_error)
        say(f"stage {j}: {n} zero crossings, {how}, {points} points: "
            f"held-out error {stage.test_error:.2e} ({stage.seconds:.1f} s)")
    fit.seconds = time.perf_counter() - start
    return fit
