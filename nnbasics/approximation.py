"""Networks built by hand from sigmoid steps: the visual proof of universal approximation.

The building blocks, for one input x:

* a **step** σ(w x + b) = σ(w (x - s)) rises from 0 to 1 around its location
  s = -b/w; the larger the weight w, the sharper the rise;
* a **column** h [σ(w (x - s₁)) - σ(w (x - s₂))] is two steps with output weights
  +h and -h: about h between s₁ and s₂ and about 0 elsewhere;
* a **staircase of columns**, one per sub-interval of [a, b] with the height of the
  target at the sub-interval's midpoint, is a one-hidden-layer network whose output
  z⁽²⁾(x) approximates the target.

For two inputs a **tower** over a rectangle thresholds the sum of a column in x and
a column in y with a second sigmoid layer; a grid of towers approximates a surface.

Every builder takes any target function and any finite interval (or rectangle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .engine import MLP
from .models import logistic
from .validation import require_finite, require_in_range, require_int, require_numbers

Target = Callable[[np.ndarray], np.ndarray]
#: Weight of the thresholding neuron of a tower: σ(±W/2) is within 1e-10 of 1 or 0.
TOWER_THRESHOLD_WEIGHT = 50.0


def step_bias(s: object, w: object) -> np.ndarray:
    """The bias b = -w s that puts the step σ(w x + b) at x = s."""
    return -np.asarray(w, dtype=float) * np.asarray(s, dtype=float)


def step(x: object, s: float, w: float) -> np.ndarray:
    """The neuron σ(w x + b) with b = -w s: a step of height 1 located at s."""
    s = require_finite("s", s)
    w = require_in_range("w", w, 0.0, low_inclusive=False)
    return _step(require_numbers("x", x), s, w)


def column(x: object, left: float, right: float, h: float, w: float) -> np.ndarray:
    """Two steps with output weights +h and -h: height h on [left, right], 0 elsewhere.

    ``left == right`` is allowed: the two steps then cancel everywhere (the empty
    column, which a slider that moves both steps produces).
    """
    left, right = require_finite("left", left), require_finite("right", right)
    if left > right:
        raise ValueError(f"left must not be larger than right, got {left:g} and {right:g}")
    h = require_finite("h", h)
    w = require_in_range("w", w, 0.0, low_inclusive=False)
    return _column(require_numbers("x", x), left, right, h, w)


# The kernels: arguments checked once, by the public function that calls them.
def _step(x: np.ndarray, s: float, w: float) -> np.ndarray:
    return logistic(w * x + step_bias(s, w))


def _column(x: np.ndarray, left: float, right: float, h: float, w: float) -> np.ndarray:
    return h * (_step(x, left, w) - _step(x, right, w))


def logit(p: object) -> np.ndarray:
    """The inverse of the sigmoid, g = ln(p / (1 - p)), for values strictly inside (0, 1)."""
    p = np.asarray(p, dtype=float)
    if not np.all((p > 0.0) & (p < 1.0)):
        bad = p[~((p > 0.0) & (p < 1.0))].ravel()[0]
        raise ValueError("logit needs values strictly inside (0, 1): σ(g) never reaches 0 "
                         f"or 1 at finite g; got {bad:g}")
    return np.log(p) - np.log1p(-p)


def column_network(f: Target, a: float, b: float, n_columns: int,
                   w: float, *, output: str = "linear",
                   margin: float = 0.0) -> MLP:
    """``2 n_columns`` sigmoid neurons that approximate f on [a, b].

    The course's network (:class:`~nnbasics.engine.MLP`, sizes [1, 2 n_columns, 1])
    with its weights set by hand: hidden neuron k is a step σ(w x + b_k) at
    x = -b_k / w, the output weights are the columns' heights, once up and once down.

    [a, b] is cut into ``n_columns`` equal sub-intervals; over each, a
    column (two steps of weight ``w``) has the height of the target at the
    sub-interval's middle.  With ``output="sigmoid"`` the output is
    y = σ(z⁽²⁾), so the columns are built for g = logit(f) instead (the
    inverse-activation trick), which needs 0 < f < 1 at every midpoint.

    ``margin`` moves the outermost steps out of the interval, to a - margin
    and b + margin, so that they have fully risen at a and b (about 10/w
    suffices); with the default 0 they are only half risen there.
    """
    a, b = _interval(a, b, ("a", "b"))
    n_columns = require_int("n_columns", n_columns, 1, 100_000)
    w = require_in_range("w", w, 0.0, low_inclusive=False)
    margin = require_in_range("margin", margin, 0.0)
    if output not in ("linear", "sigmoid"):
        raise ValueError(
            f"output must be 'linear' or 'sigmoid', got {output!r}")
    edges = np.linspace(a, b, n_columns + 1)
    heights = evaluate(f, 0.5 * (edges[:-1] + edges[1:]))
    if output == "sigmoid":
        heights = logit(heights)
    lefts, rights = edges[:-1].copy(), edges[1:].copy()
    lefts[0], rights[-1] = a - margin, b + margin
    locations = np.concatenate([lefts, rights])
    return MLP.from_layers([np.full((2 * n_columns, 1), w),
                            np.concatenate([heights, -heights])[None, :]],
                           [step_bias(locations, w), [0.0]], "sigmoid",
                           "sigmoid" if output == "sigmoid" else "identity")


def evaluate(f: Target, x: np.ndarray) -> np.ndarray:
    """f(x) as a finite float array of x's shape, or an error that says what f returned."""
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__} {f!r}")
    values = np.asarray(f(x), dtype=float)
    if values.shape != np.shape(x):
        values = np.broadcast_to(values, np.shape(x)).copy() if values.ndim == 0 else values
    if values.shape != np.shape(x):
        raise ValueError(f"f must return one value per point: got shape {values.shape} "
                         f"for input of shape {np.shape(x)}")
    if not np.all(np.isfinite(values)):
        raise ValueError("f must return finite values on the interval")
    return values


def midpoints(a: float, b: float, n: int) -> np.ndarray:
    """The midpoints of ``n`` equal cells of [a, b]: the nodes of the midpoint rule."""
    a, b = _interval(a, b, ("a", "b"))
    n = require_int("n", n, 1)
    return a + (np.arange(n) + 0.5) * (b - a) / n


def l1_error(approx: Target, f: Target, a: float, b: float, n_points: int = 2**14) -> float:
    """∫_a^b |approx(x) - f(x)| dx by the midpoint rule on ``n_points`` cells.

    With ``n_points`` a multiple of the number of columns, every column edge falls on
    a cell boundary, so even a (nearly) discontinuous staircase is integrated exactly
    up to the smooth part's O(1/n_points²) error.
    """
    x = midpoints(a, b, n_points)
    return float(np.mean(np.abs(evaluate(approx, x) - evaluate(f, x))) * (b - a))


def staircase_error_estimate(f: Target, a: float, b: float, n_columns: int,
                             n_points: int = 2**14) -> float:
    """The leading term of the error of a midpoint staircase: (Δ/4) ∫_a^b |f'(x)| dx.

    On a column of width Δ centred at m, f(x) - f(m) ≈ f'(m)(x - m), whose integral of
    the absolute value is |f'(m)| Δ²/4; summed over the columns that is Δ/4 ∫|f'|.
    f' is taken by finite differences of f on a fine grid.
    """
    a, b = _interval(a, b, ("a", "b"))
    n_columns = require_int("n_columns", n_columns, 1)
    x = np.linspace(a, b, n_points + 1)
    total_variation = float(np.sum(np.abs(np.diff(evaluate(f, x)))))
    return (b - a) / n_columns / 4.0 * total_variation


def end_step_floor(f: Target, a: float, b: float, w: float) -> float:
    """The error that finite w leaves however many columns: (|f(a)| + |f(b)|) ln 2 / w.

    The first step is centred on a, so at x = a it has only risen to 1/2; inside the
    interval it is missing f(a)[1 - σ(w(x - a))], whose integral is f(a) ln 2 / w.
    The last step does the same at b.  (Interior steps round the staircase's corners
    too, but that smoothing error falls like 1/w² once the columns are narrow.)
    """
    a, b = _interval(a, b, ("a", "b"))
    w = require_in_range("w", w, 0.0, low_inclusive=False)
    ends = evaluate(f, np.array([a, b]))
    return float(np.sum(np.abs(ends)) * np.log(2.0) / w)


def steepness_floor(f: Target, a: float, b: float, w: float, n_points: int = 2**14) -> float:
    """The error a staircase of steepness w tends to as the columns get narrow.

    Two terms: the end steps' (|f(a)| + |f(b)|) ln 2 / w (see :func:`end_step_floor`),
    and the blur of the interior.  Many narrow columns add up to f smoothed by the
    kernel σ'(w u) w, a bell of variance π²/(3w²); smoothing with a symmetric kernel
    of variance v changes f by about (v/2) f'', so the blur costs about
    π²/(6w²) ∫|f''| dx (f'' by finite differences on a fine grid).
    """
    end = end_step_floor(f, a, b, w)
    a, b = _interval(a, b, ("a", "b"))
    x = np.linspace(a, b, n_points + 1)
    spacing = (b - a) / n_points
    curvature = float(np.sum(np.abs(np.diff(evaluate(f, x), 2))) / spacing)
    return end + np.pi**2 / (6.0 * float(w) ** 2) * curvature


# -- two inputs ------------------------------------------------------------------------


def tower(x: object, y: object, xlim: tuple[float, float], ylim: tuple[float, float],
          h: float, w: float, threshold_w: float = TOWER_THRESHOLD_WEIGHT) -> np.ndarray:
    """A tower of height h over the rectangle xlim × ylim, from five sigmoid neurons.

    Two step neurons make a column in x, c_x, and two more one in y, c_y (each
    about 1 inside its strip and 0 outside).  Their sum is about 2 inside the rectangle, 1 on the
    strips outside it and 0 elsewhere; a fifth neuron σ(W (c_x + c_y - 3/2)) keeps
    only the 2s.  The output weight h sets the height.
    """
    (x0, x1), (y0, y1) = _interval(*xlim, ("xlim[0]", "xlim[1]")), \
        _interval(*ylim, ("ylim[0]", "ylim[1]"))
    h = require_finite("h", h)
    w = require_in_range("w", w, 0.0, low_inclusive=False)
    threshold_w = require_in_range("threshold_w", threshold_w, 0.0, low_inclusive=False)
    c_x = _column(require_numbers("x", x), x0, x1, 1.0, w)
    c_y = _column(require_numbers("y", y), y0, y1, 1.0, w)
    return h * logistic(threshold_w * (c_x + c_y - 1.5))


@dataclass(frozen=True)
class TowerNetwork:
    """A grid of towers: 2 inputs, two sigmoid hidden layers, 1 linear output.

    Layer 1 holds the steps at the grid's edges in x and in y; layer 2 one
    thresholding neuron per cell; the output adds the cells' heights. :meth:`as_mlp`
    gives the same network as the course's :class:`~nnbasics.engine.MLP`, with these
    weights set; calling the tower network evaluates it column by column instead,
    because the dense layer 2 is almost all zeros: a grid of n x n towers has
    2(n + 1) n² weights there, of which 4 n² are not zero, and the dense product
    holds an n² x points array (0.5 GB for 32 x 32 towers on a 256² grid).
    """

    x_edges: np.ndarray
    y_edges: np.ndarray
    heights: np.ndarray  # (n_x, n_y): the height of the tower over cell (i, j)
    w: float
    threshold_w: float = TOWER_THRESHOLD_WEIGHT

    @property
    def n_towers(self) -> int:
        return int(self.heights.size)

    @property
    def layer_sizes(self) -> tuple[int, int, int, int]:
        """(inputs, step neurons, tower neurons, outputs)."""
        return (2, len(self.x_edges) + len(self.y_edges), self.n_towers, 1)

    def as_mlp(self) -> MLP:
        """The same network as an :class:`~nnbasics.engine.MLP` with inputs (x, y)."""
        n_x, n_y = len(self.x_edges), len(self.y_edges)
        w1 = np.zeros((n_x + n_y, 2))
        w1[:n_x, 0], w1[n_x:, 1] = self.w, self.w
        b1 = -self.w * np.concatenate([self.x_edges, self.y_edges])
        # tower (i, j) = σ(W (s_i - s_{i+1} + t_j - t_{j+1} - 3/2)), s and t the steps
        column_x = np.eye(n_x - 1, n_x) - np.eye(n_x - 1, n_x, 1)
        column_y = np.eye(n_y - 1, n_y) - np.eye(n_y - 1, n_y, 1)
        w2 = self.threshold_w * np.concatenate(
            [np.repeat(column_x, n_y - 1, axis=0), np.tile(column_y, (n_x - 1, 1))], axis=1)
        b2 = np.full(self.n_towers, -1.5 * self.threshold_w)
        return MLP.from_layers([w1, w2, self.heights.reshape(1, -1)],
                               [b1, b2, [0.0]], "sigmoid", "identity")

    def __call__(self, x: object, y: object) -> np.ndarray:
        x, y = np.broadcast_arrays(require_numbers("x", x), require_numbers("y", y))
        steps_x = logistic(self.w * (x[..., None] - self.x_edges))  # layer 1, x half
        steps_y = logistic(self.w * (y[..., None] - self.y_edges))
        c_x = steps_x[..., :-1] - steps_x[..., 1:]  # column i in x: steps i and i + 1
        c_y = steps_y[..., :-1] - steps_y[..., 1:]
        towers = logistic(self.threshold_w * (c_x[..., :, None] + c_y[..., None, :] - 1.5))
        return np.einsum("...ij,ij->...", towers, self.heights)


def tower_network(f: Callable[[np.ndarray, np.ndarray], np.ndarray],
                  xlim: tuple[float, float], ylim: tuple[float, float], n: int, w: float,
                  threshold_w: float = TOWER_THRESHOLD_WEIGHT) -> TowerNetwork:
    """n × n towers over the rectangle, each as high as f at its cell's centre."""
    x0, x1 = _interval(*xlim, ("xlim[0]", "xlim[1]"))
    y0, y1 = _interval(*ylim, ("ylim[0]", "ylim[1]"))
    n = require_int("n", n, 1, 1000)
    w = require_in_range("w", w, 0.0, low_inclusive=False)
    threshold_w = require_in_range("threshold_w", threshold_w, 0.0, low_inclusive=False)
    x_edges, y_edges = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
    cx, cy = np.meshgrid(midpoints(x0, x1, n), midpoints(y0, y1, n), indexing="ij")
    if not callable(f):
        raise TypeError(f"f must be a function f(x, y), got {type(f).__name__} {f!r}")
    heights = np.asarray(f(cx, cy), dtype=float)
    if heights.shape != cx.shape or not np.all(np.isfinite(heights)):
        raise ValueError("f(x, y) must return one finite value per point")
    return TowerNetwork(x_edges, y_edges, heights, w, threshold_w)


def l1_error_2d(approx: Callable[[np.ndarray, np.ndarray], np.ndarray],
                f: Callable[[np.ndarray, np.ndarray], np.ndarray],
                xlim: tuple[float, float], ylim: tuple[float, float],
                n_points: int = 256) -> float:
    """The mean of |approx - f| over the rectangle (midpoint rule, n_points² cells)."""
    x = midpoints(*xlim, n_points)
    y = midpoints(*ylim, n_points)
    X, Y = np.meshgrid(x, y, indexing="ij")
    return float(np.mean(np.abs(np.asarray(approx(X, Y)) - np.asarray(f(X, Y)))))


def _interval(lo: object, hi: object, names: tuple[str, str]) -> tuple[float, float]:
    lo, hi = require_finite(names[0], lo), require_finite(names[1], hi)
    if not lo < hi:
        raise ValueError(f"{names[0]} must be smaller than {names[1]}, got {lo:g} and {hi:g}")
    return lo, hi
