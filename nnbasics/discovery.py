"""Small, readable versions of the data-driven methods of the climate-physics chapter.

Each is the textbook algorithm in a few lines of NumPy, so a reader can follow it:

* :func:`principal_components` – PCA of snapshots by the singular value decomposition;
* :func:`kmeans` – Lloyd's algorithm for clustering (unsupervised learning);
* :func:`ensemble_kalman_inversion` – calibrate a model's parameters from data with an
  ensemble, without gradients (Iglesias, Law & Stuart 2013);
* :func:`sparse_regression` – sequentially thresholded least squares, the heart of
  SINDy (Brunton, Proctor & Kutz 2016);
* :func:`rk4` and :func:`lorenz63` – the integrator and the toy system the chapter
  simulates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .seeding import Seed, generator
from .validation import require_array, require_in_range, require_int


# -- dimensionality reduction ---------------------------------------------------------
@dataclass(frozen=True)
class PCA:
    """Principal components of snapshots ``X`` (rows are samples, columns are features)."""

    mean: np.ndarray            # the mean snapshot, removed before the decomposition
    components: np.ndarray      # rows: orthonormal spatial patterns (EOFs), by variance
    scores: np.ndarray          # columns: each sample's amplitude on each component
    explained: np.ndarray       # fraction of the total variance each component carries


def principal_components(snapshots: object) -> PCA:
    """PCA by the SVD of the centred data: X - mean = U S Vᵀ, patterns are the rows of Vᵀ."""
    X = require_array("snapshots", snapshots, ndim=2, min_length=2)
    mean = X.mean(axis=0)
    U, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    variance = S**2
    return PCA(mean, Vt, U * S, variance / variance.sum())


# -- clustering --------------------------------------------------------------------
def kmeans(points: object, k: int, *, seed: Seed, restarts: int = 10,
           iterations: int = 100) -> np.ndarray:
    """Lloyd's algorithm: the cluster label (0..k-1) of each row of ``points``.

    Start from k centres spread out over the data (k-means++: each new centre is drawn
    with probability proportional to its squared distance from the chosen ones), then
    alternate: assign each point to its nearest centre, move each centre to the mean of
    its points, until the labels stop changing. Lloyd's algorithm can stop in a poor
    local minimum, so it runs from ``restarts`` starts and keeps the tightest clustering.
    """
    P = require_array("points", points, ndim=2, min_length=2)
    k = require_int("k", k, 1, len(np.unique(P, axis=0)))
    restarts = require_int("restarts", restarts, 1, 1000)
    iterations = require_int("iterations", iterations, 1, 10_000)
    rng = generator(seed)
    best, best_spread = np.zeros(len(P), dtype=int), np.inf
    for _ in range(restarts):
        centres = P[[rng.integers(len(P))]]
        while len(centres) < k:
            d2 = ((P[:, None, :] - centres[None]) ** 2).sum(axis=2).min(axis=1)
            centres = np.vstack([centres, P[rng.choice(len(P), p=d2 / d2.sum())]])
        labels = np.full(len(P), -1)
        for _ in range(iterations):
            new = np.argmin(((P[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            centres = np.array([P[labels == j].mean(axis=0) if np.any(labels == j)
                                else centres[j] for j in range(k)])
        spread = ((P - centres[labels]) ** 2).sum()
        if spread < best_spread:
            best, best_spread = labels, spread
    return best


# -- parameter estimation ----------------------------------------------------------
@dataclass(frozen=True)
class EKIResult:
    """The ensemble after every iteration: ``ensembles[i]`` has one parameter set a row."""

    ensembles: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        return self.ensembles[-1].mean(axis=0)

    @property
    def spread(self) -> np.ndarray:
        return self.ensembles[-1].std(axis=0, ddof=1)


def ensemble_kalman_inversion(forward: Callable[[np.ndarray], np.ndarray], data: object,
                              noise_cov: object, prior_ensemble: object,
                              iterations: int, *, seed: int) -> EKIResult:
    """Calibrate θ so that ``forward(θ)`` matches ``data`` (Iglesias, Law & Stuart 2013).

    Each iteration runs the model for every ensemble member and moves each member by
    a Kalman gain built from the ensemble's own covariances,

        θ_j ← θ_j + C_θG (C_GG + Γ)⁻¹ (y + η_j − G(θ_j)),   η_j ~ N(0, Γ),

    so no derivative of the model is ever needed: the ensemble estimates it.
    """
    y = require_array("data", data)
    gamma = require_array("noise_cov", noise_cov, ndim=2)
    if gamma.shape != (y.size, y.size):
        raise ValueError(f"noise_cov must be ({y.size}, {y.size}) for {y.size} data, "
                         f"got {gamma.shape}")
    theta = require_array("prior_ensemble", prior_ensemble, ndim=2, min_length=2)
    iterations = require_int("iterations", iterations, 1, 1000)
    rng = np.random.default_rng(require_int("seed", seed, 0))
    history = [theta]
    for _ in range(iterations):
        G = np.array([np.asarray(forward(t), dtype=float) for t in theta])
        if G.shape != (len(theta), y.size):
            raise ValueError(f"forward must return {y.size} numbers per parameter set, "
                             f"got shape {G.shape[1:]}")
        dtheta, dG = theta - theta.mean(axis=0), G - G.mean(axis=0)
        c_tg = dtheta.T @ dG / (len(theta) - 1)
        c_gg = dG.T @ dG / (len(theta) - 1)
        perturbed = y + rng.multivariate_normal(np.zeros(y.size), gamma, size=len(theta))
        theta = theta + np.linalg.solve(c_gg + gamma, (perturbed - G).T).T @ c_tg.T
        history.append(theta)
    return EKIResult(np.array(history))


# -- structural estimation ---------------------------------------------------------
def sparse_regression(library: object, targets: object, threshold: float,
                      iterations: int = 10) -> np.ndarray:
    """Sequentially thresholded least squares: sparse Ξ with library · Ξ ≈ targets.

    Fit by least squares, set every coefficient smaller than ``threshold`` to zero,
    refit the rest, and repeat: what survives are the few terms the data need.
    """
    Theta = require_array("library", library, ndim=2, min_length=2)
    dX = np.asarray(targets, dtype=float)
    dX = dX[:, None] if dX.ndim == 1 else dX
    if dX.ndim != 2 or len(dX) != len(Theta):
        raise ValueError(f"targets must have one row per library row ({len(Theta)}), "
                         f"got shape {np.shape(targets)}")
    threshold = require_in_range("threshold", threshold, 0.0)
    iterations = require_int("iterations", iterations, 1, 100)
    xi = np.linalg.lstsq(Theta, dX, rcond=None)[0]
    for _ in range(iterations):
        small = np.abs(xi) < threshold
        xi[small] = 0.0
        for j in range(dX.shape[1]):
            keep = ~small[:, j]
            if keep.any():
                xi[keep, j] = np.linalg.lstsq(Theta[:, keep], dX[:, j], rcond=None)[0]
    return xi


# -- the toy system ------------------------------------------------------------------
def lorenz63(state: np.ndarray, sigma: float = 10.0, rho: float = 28.0,
             beta: float = 8.0 / 3.0) -> np.ndarray:
    """dz/dt of the Lorenz (1963) system for states ``state[..., 0:3]`` = (x, y, z)."""
    x, y, z = state[..., 0], state[..., 1], state[..., 2]
    return np.stack([sigma * (y - x), x * (rho - z) - y, x * y - beta * z], axis=-1)


def rk4(f: Callable[[np.ndarray], np.ndarray], start: object, dt: float,
        steps: int) -> np.ndarray:
    """Classical fourth-order Runge–Kutta: the states at times 0, dt, ..., steps·dt."""
    state = require_array("start", start)
    dt = require_in_range("dt", dt, 0.0, 1.0, low_inclusive=False)
    steps = require_int("steps", steps, 1, 10**6)
    out = np.empty((steps + 1, state.size))
    out[0] = state
    for n in range(steps):
        k1 = f(state)
        k2 = f(state + 0.5 * dt * k1)
        k3 = f(state + 0.5 * dt * k2)
        k4 = f(state + dt * k3)
        state = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out[n + 1] = state
    return out
