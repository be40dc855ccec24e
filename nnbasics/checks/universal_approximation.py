"""Checks of the exercise on universal approximation: a network of steps, and a 2D tower.

Both checks take the learner's *weights*, not a function of x: the check evaluates the
network itself with its own sigmoid, so only a network built from sigmoid neurons can
pass.  Each check also draws a fresh target, interval or square the learner cannot
foresee (:func:`core.fresh_rng`), and reports the learner's error and where it is.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..approximation import column, column_network, midpoints, step, tower
from ..models import sigmoid
from .core import CheckFailed, as_array, as_number, fresh_rng, passed, require_own_function

#: The exercise's target, interval and network size, stated in the notebook.
TARGET_INTERVAL = (-1.0, 2.0)
TARGET_COLUMNS = 50
TARGET_W = 2000.0
#: The mean absolute error the learner's network must reach on the exercise's target.
TARGET_MAE = 0.02
#: On the random targets: at most this factor above midpoint columns of the same size.
MAE_FACTOR = 1.25


def target(x: np.ndarray) -> np.ndarray:
    """The function the exercise approximates on [-1, 2]."""
    x = np.asarray(x, dtype=float)
    return np.sin(2 * x) + 0.3 * x**2


def network_output(params: object, x: np.ndarray, name: str = "build_columns",
                   max_hidden: int | None = None) -> np.ndarray:
    """z(x) = c + Σ_k v_k σ(w_k x + b_k) for params = (w, b, v, c), checked for shape."""
    try:
        hidden_w, hidden_b, out_v, out_c = params  # type: ignore[misc]
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} must return four things, (w, b, v, c): the hidden weights, "
                          f"the hidden biases, the output weights and the output bias; got "
                          f"{type(params).__name__} {params!r:.200}") from None
    try:
        shape = np.shape(np.asarray(hidden_w, dtype=float))
    except (TypeError, ValueError):
        shape = None
    if shape is None or len(shape) != 1:
        raise CheckFailed("w (hidden weights) must be a 1-D array, one weight per hidden "
                          f"neuron; got {hidden_w!r:.200}")
    hidden_w = as_array(hidden_w, "w (hidden weights)", shape)
    n = len(hidden_w)
    if max_hidden is not None and n > max_hidden:
        raise CheckFailed(f"{name} returned {n} hidden neurons; n columns need at most "
                          f"{max_hidden} (two steps per column, or one per edge)")
    hidden_b = as_array(hidden_b, "b (hidden biases)", (n,))
    out_v = as_array(out_v, "v (output weights)", (n,))
    out_c = as_number(out_c, "c (output bias)")
    return out_c + sigmoid(np.outer(x, hidden_w) + hidden_b) @ out_v


def _mistakes(f: Callable, a: float, b: float, n: int, w: float, x: np.ndarray,
              ) -> list[tuple[np.ndarray, str]]:
    """What the usual mistakes would output, each with the sentence that names it."""
    edges = np.linspace(a, b, n + 1)
    mid = f(0.5 * (edges[:-1] + edges[1:]))

    def staircase(heights, bias, sign=-1.0):
        steps_l = sigmoid(w * x[:, None] + bias(edges[:-1], w))
        steps_r = sigmoid(w * x[:, None] + bias(edges[1:], w))
        return steps_l @ heights + sign * (steps_r @ heights)

    def right_bias(s, w_):
        return -w_ * s

    return [
        (staircase(mid, lambda s, w_: w_ * s),
         "the bias that puts a step at s is b = −w s (yours is +w s)"),
        (staircase(mid, lambda s, w_: -s),
         "the bias that puts a step at s is b = −w·s: multiply the location by w"),
        (staircase(mid, right_bias, sign=+1.0),
         "the second step of each column needs the output weight −h, so that it switches "
         "the column off again"),
        (staircase(f(edges[:-1]), right_bias),
         "each column should be as high as f at the middle of its piece, not at its left "
         "edge (that doubles the error)"),
        (staircase(f(edges[1:]), right_bias),
         "each column should be as high as f at the middle of its piece, not at its right "
         "edge (that doubles the error)"),
    ]


def _check_structure(params: object, a: float, b: float, n: int, w: float) -> None:
    """The steps use the given w, and sit on the n + 1 edges of n equal pieces."""
    hidden_w = np.asarray(params[0], dtype=float)  # type: ignore[index]
    hidden_b = np.asarray(params[1], dtype=float)  # type: ignore[index]
    used = np.abs(hidden_w) > 0
    steepness = float(np.median(np.abs(hidden_w[used]))) if used.any() else 0.0
    if not 0.5 * w <= steepness <= 2 * w:
        raise CheckFailed(f"with w = {w:.6g} your steps have weights about {steepness:.6g}: "
                          "use the w you are given as every step's weight (σ(w x + b) with "
                          "b = −w s), do not choose your own")
    places = -hidden_b[used] / hidden_w[used]
    distinct = np.unique(np.round((places - a) / (b - a) * 1e6))
    inside = distinct[(distinct > -1) & (distinct < 1e6 + 1)]
    if len(inside) == n:
        raise CheckFailed(f"your steps sit at {n} places in [a, b], so they make {n - 1} "
                          f"columns, not n = {n}: n equal pieces have n + 1 edges, "
                          "np.linspace(a, b, n + 1)")


def _hint(got: np.ndarray, suspects: list[tuple[np.ndarray, str]]) -> str:
    for value, hint in suspects:
        if np.allclose(got, value, rtol=1e-6, atol=1e-9):
            return hint
    return ("a column on [s₁, s₂] of height h is h σ(w(x − s₁)) − h σ(w(x − s₂)); put one on "
            "each of the n equal pieces of [a, b], as high as f at the piece's middle")


def _random_target(rng: np.random.Generator) -> tuple[Callable, float, float]:
    a = float(rng.uniform(-3, 3))
    b = a + float(rng.uniform(0.5, 4))
    amp, freq, phase = rng.normal(size=3), rng.uniform(0.5, 3, 3), rng.uniform(0, 6.3, 3)

    def f(x):
        u = (np.asarray(x, dtype=float) - a) / (b - a)
        return sum(amp[k] * np.sin(2 * np.pi * freq[k] * u + phase[k]) for k in range(3))

    return f, a, b


def check_columns(build_columns: Callable) -> None:
    """The learner's ``build_columns(f, a, b, n, w)`` on the exercise's and random targets."""
    require_own_function(build_columns, "build_columns",
                         forbidden=(column_network, column, step))
    rng = fresh_rng()
    cases = [(target, *TARGET_INTERVAL, TARGET_COLUMNS, TARGET_W, TARGET_MAE)]
    for _ in range(2):
        f, a, b = _random_target(rng)
        n = int(rng.integers(15, 60))
        w = 60.0 * n / (b - a)  # steps about a sixtieth of a column wide
        reference = column_network(f, a, b, n, w)
        x = midpoints(a, b, 4000)
        cases.append((f, a, b, n, w, MAE_FACTOR * float(np.mean(np.abs(reference(x) - f(x))))))
    report = []
    for f, a, b, n, w, level in cases:
        x = midpoints(a, b, 4000)
        params = build_columns(f, a, b, n, w)
        got = network_output(params, x, max_hidden=2 * n + 1)
        _check_structure(params, a, b, n, w)
        error = np.abs(got - f(x))
        mae, worst = float(np.mean(error)), int(np.argmax(error))
        where = (f"on [{a:.3g}, {b:.3g}] with n = {n} columns and w = {w:.4g}, your network's "
                 f"mean |error| is {mae:.3g}, its largest error {error[worst]:.3g} at "
                 f"x = {x[worst]:.3g}")
        if not mae <= level:
            raise CheckFailed(f"{where}; expected a mean |error| of at most {level:.3g}; "
                              f"{_hint(got, _mistakes(f, a, b, n, w, x))}")
        report.append((mae, level, error[worst], x[worst]))
    mae, level, largest, at = report[0]
    passed(f"on the exercise's target your network's mean |error| is {mae:.4f} (at most "
           f"{level}), largest {largest:.3f} at x = {at:.3f}; it also passed on two random "
           "targets and intervals")


# -- the tower -------------------------------------------------------------------------
def tower_output(params: object, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """h · σ(w₂ · σ(W₁ (x, y) + b₁) + b₂) for params = (W1, b1, w2, b2, h)."""
    try:
        W1, b1, w2, b2, h = params  # type: ignore[misc]
    except (TypeError, ValueError):
        raise CheckFailed("tower_parameters must return five things, (W1, b1, w2, b2, h): the "
                          "(4, 2) weights and 4 biases of the step neurons, the 4 weights and "
                          "the bias of the thresholding neuron, and the output weight; got "
                          f"{type(params).__name__} {params!r:.200}") from None
    W1 = as_array(W1, "W1", (4, 2))
    b1 = as_array(b1, "b1", (4,))
    w2 = as_array(w2, "w2", (4,))
    b2 = as_number(b2, "b2")
    h = as_number(h, "h (output weight)")
    steps = sigmoid(np.stack([x, y], axis=-1) @ W1.T + b1)
    return h * sigmoid(steps @ w2 + b2)


def check_tower(tower_parameters: Callable) -> None:
    """The learner's tower over a random square: height inside, leakage outside, edges."""
    require_own_function(tower_parameters, "tower_parameters", forbidden=(tower, column, step))
    rng = fresh_rng()
    side = float(rng.uniform(0.4, 1.5))
    x0, y0 = (float(v) for v in rng.uniform(-2, 2 - side, 2))
    while abs(x0 - y0) < 0.5 * side:  # a square that swapping x and y moves
        x0, y0 = (float(v) for v in rng.uniform(-2, 2 - side, 2))
    x1, y1 = x0 + side, y0 + side
    h = float(rng.uniform(0.5, 3.0))
    params = tower_parameters(x0, x1, y0, y1, h)
    d = 0.05 * side  # the tower must be up (down) this far inside (outside) each edge
    grid = np.linspace(-3, 3, 241)
    X, Y = np.meshgrid(grid, grid, indexing="ij")
    T = tower_output(params, X, Y)
    inside = (X > x0 + d) & (X < x1 - d) & (Y > y0 + d) & (Y < y1 - d)
    outside = (X < x0 - d) | (X > x1 + d) | (Y < y0 - d) | (Y > y1 + d)
    height = float(np.mean(T[inside]))
    low, high = float(T[inside].min()), float(T[inside].max())
    leak_at = np.unravel_index(np.argmax(np.where(outside, np.abs(T), -1)), T.shape)
    leakage = float(abs(T[leak_at]))
    edges = {
        f"left (x = {x0:.3g})": ((x0 + d, 0.5 * (y0 + y1)), (x0 - d, 0.5 * (y0 + y1))),
        f"right (x = {x1:.3g})": ((x1 - d, 0.5 * (y0 + y1)), (x1 + d, 0.5 * (y0 + y1))),
        f"bottom (y = {y0:.3g})": ((0.5 * (x0 + x1), y0 + d), (0.5 * (x0 + x1), y0 - d)),
        f"top (y = {y1:.3g})": ((0.5 * (x0 + x1), y1 - d), (0.5 * (x0 + x1), y1 + d)),
    }
    tol = 0.01 * h
    off = []
    for name, (p_in, p_out) in edges.items():
        t_in, t_out = tower_output(params, np.array([p_in[0], p_out[0]]),
                                   np.array([p_in[1], p_out[1]]))
        if abs(t_in - h) > tol or abs(t_out) > tol:
            off.append(f"{name}: {t_in:.3g} just inside, {t_out:.3g} just outside")
    summary = (f"over the square [{x0:.3g}, {x1:.3g}] × [{y0:.3g}, {y1:.3g}] with h = {h:.3g}: "
               f"height inside {height:.3g} (from {low:.3g} to {high:.3g}), leakage outside "
               f"up to {leakage:.3g} at (x, y) = ({X[leak_at]:.3g}, {Y[leak_at]:.3g})")
    h_out = as_number(params[4], "h (output weight)")  # type: ignore[index]
    if abs(h_out - h) > 1e-9 * abs(h):
        raise CheckFailed(f"{summary}; your output weight is {h_out:.10g}, but the tower must "
                          f"be exactly as high as asked, h = {h:.10g}: return h itself as "
                          "the output weight (the thresholding neuron gives 1 inside, so "
                          "the height is h × 1; do not put the height in w2)")
    if off or abs(low - h) > tol or abs(high - h) > tol or leakage > tol:
        edge_text = "; edges off: " + "; ".join(off) if off else "; every edge is in place"
        hint = (_threshold_hint(params, (x0, x1, y0, y1))
                or _tower_hint(T, X, Y, inside, outside, h, off))
        raise CheckFailed(f"{summary}{edge_text}; {hint}")
    passed(f"{summary}: within 1 % of h inside and of 0 outside, {d:.3g} from each edge")


def _threshold_hint(params: object, square: tuple[float, float, float, float]) -> str | None:
    """Name a mistake of the thresholding neuron, or of which input W1 sees, if any.

    It looks at the thresholding neuron's input u = w2 · steps + b2 at the square's
    centre (both columns on), on a strip (one column on) and far outside (none on).
    """
    W1, b1, w2, b2 = (np.asarray(p, dtype=float) for p in params[:4])  # type: ignore[index]
    x0, x1, y0, y1 = square
    cx, cy, far = 0.5 * (x0 + x1), 0.5 * (y0 + y1), 10.0 * max(x1 - x0, 1.0)

    def u(x, y, W=W1):
        return float(sigmoid(W @ np.array([x, y]) + b1) @ w2 + b2)

    def strips(W):
        return max(u(cx, y0 - far, W), u(x0 - far, cy, W), u(cx, y1 + far, W),
                   u(x1 + far, cy, W))

    swapped = W1[:, ::-1]
    if (max(abs(x0 - y0), abs(x1 - y1)) > 1e-3 and u(cx, cy, swapped) > 4.6
            and strips(swapped) < -4.6):
        return ("your tower stands over the square with x and y swapped: the step neurons "
                "of the x edges need their weight in column 0 of W1 (they see x), those "
                "of the y edges in column 1 (they see y)")
    u_strip = strips(W1)
    weight = float(np.max(np.abs(w2)))
    if 0.5 * weight < 4.6:  # 2 columns against 3/2: σ(weight / 2) must reach 0.99
        return (f"the thresholding neuron's weight is too small (yours is {weight:.3g}): with "
                "both columns on it must saturate at 1 and with one column off stay near "
                "0, so take a weight of 50 or more and the bias −3/2 times that weight")
    if u_strip > -4.6 and abs(float(b2)) < 0.6 * weight:
        return (f"the thresholding neuron's bias is {float(b2):.3g}, but the threshold must "
                f"sit at 3/2 columns on the scale of its weight {weight:.3g}: b2 = −3/2 × "
                f"weight = {-1.5 * weight:.3g}, so that one column alone stays off")
    return None


def _tower_hint(T, X, Y, inside, outside, h, off) -> str:
    height = float(np.median(T[inside]))
    strip = outside & (np.abs(T) > 0.01 * h)
    if abs(height - h / 2) < 0.05 * h:
        return ("inside the square the thresholding neuron sits at σ(0) = 1/2: its bias must "
                "put the threshold between 1 and 2 (subtract 3/2 times its weight)")
    if strip.any() and abs(float(np.median(T[strip])) - h / 2) < 0.05 * h:
        return ("on the strips where only one column is on, the tower leaks h/2: the "
                "thresholding neuron's bias must put the threshold at 3/2, between the 1 of "
                "one column and the 2 of both")
    if strip.any() and abs(float(np.median(T[strip])) - h) < 0.05 * h:
        return ("the tower is on wherever one column is on: raise the threshold to 3/2, "
                "so that it needs both columns")
    if abs(height + h) < 0.05 * h:
        return "the tower points down: check the signs of the output weight and of w2"
    if off:
        return ("a step is in the wrong place: the neuron σ(w x + b) steps at x = −b/w, so "
                "use b = −w × (edge); the first row pair of W1 should see x, the second y")
    if abs(height - h) > 0.01 * h:
        return ("the height is not h: make the thresholding neuron's weight large (50 or "
                "more) so that it saturates at 1 inside, and its output weight h")
    return "make the steps steeper (w of a few hundred divided by the side) so the edges are sharp"
