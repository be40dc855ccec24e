"""Checks of the exercise ``solutions/climate_physics.ipynb``: the chapter's methods, by hand.

Each check takes only the learner's function and tests one task on a problem of its
own, drawn fresh on every run (:func:`core.fresh_rng`), against a reference written
out here:

* :func:`check_eofs` hands ``eofs(field, lat, k)`` a field on a latitude–longitude
  grid with a large mean and patterns at high and low latitudes, so that forgetting
  the centring or the area weights changes the answer by far more than round-off;
* :func:`check_eki_update` hands ``eki_update(theta, outputs, data, noise_cov,
  perturbations)`` an ensemble whose output covariance is invertible on its own, so
  that a gain without Γ gives numbers (and the message names Γ) instead of an error;
* :func:`check_stlsq` hands ``stlsq(library, targets, threshold, iterations)`` a
  regression with correlated candidate terms, so that the coefficients of a fit that
  is thresholded but never refitted differ from the refitted ones by about 1 %.

Each likely mistake is recomputed from the same inputs (the ``suspects``), so that a
failure names it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..discovery import ensemble_kalman_inversion, principal_components, sparse_regression
from ..validation import require_array
from .core import (
    CheckFailed,
    as_array,
    close,
    compare,
    fresh_rng,
    name_the_mistake,
    passed,
    plain,
    require_own_function,
    returned,
)

#: The exercise's grid: 16 latitudes from 75° S to 75° N (cos from 0.26 to 1) and 36
#: longitudes; the field's seed for the notebook (the checks draw their own fields).
LATITUDES = np.linspace(-75.0, 75.0, 16)
LONGITUDES = np.linspace(0.0, 350.0, 36)
FIELD_SEED = 0
SNAPSHOTS = 240
#: Task 1 asks for this many patterns.
PATTERNS = 3
#: The names of the terms of the SINDy library of :func:`lorenz_library`, in order.
LIBRARY_NAMES = ("1", "x", "y", "z", "x²", "xy", "xz", "y²", "yz", "z²")


# -- Task 1: EOFs with area weights -------------------------------------------------
def _field(gen: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` snapshots (rows) of a field on the exercise's grid, and each column's latitude.

    Three patterns with random amplitudes over a large climatology (a mean of about
    15 that PCA must remove) and small noise: a tropical east–west pattern and two
    high-latitude ones, which area weighting demotes (cos 60° = 1/2).
    """
    lat, lon = np.meshgrid(LATITUDES, LONGITUDES, indexing="ij")
    tropical = np.exp(-((lat / 15) ** 2)) * np.cos(np.deg2rad(lon - 200))
    seesaw = np.exp(-(((np.abs(lat) - 60) / 10) ** 2)) * np.sign(lat)
    waves = np.exp(-(((np.abs(lat) - 55) / 12) ** 2)) * np.cos(2 * np.deg2rad(lon))
    patterns = np.stack([p.ravel() for p in (tropical, seesaw, waves)])
    scales = gen.uniform([1.9, 1.15, 0.95], [2.1, 1.25, 1.05])
    amplitudes = gen.standard_normal((n, 3)) * scales
    climatology = (10 + 20 * np.cos(np.deg2rad(lat)) + gen.uniform(-2, 2)).ravel()
    noise = 0.05 * gen.standard_normal((n, lat.size))
    return climatology + amplitudes @ patterns + noise, lat.ravel().copy()


def exercise_field() -> tuple[np.ndarray, np.ndarray]:
    """The notebook's field: (snapshots, one row each; the latitude of each column)."""
    return _field(np.random.default_rng(FIELD_SEED), SNAPSHOTS)


def _svd(anomalies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Vᵀ, the variance fractions s² / Σ s²) of ``anomalies``."""
    _, s, vt = np.linalg.svd(anomalies, full_matrices=False)
    return vt, s**2 / np.sum(s**2)


def _reference_eofs(field: np.ndarray, lat: np.ndarray, weights: np.ndarray | None = None,
                    centre: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """All weighted EOFs (rows) and their variance fractions."""
    weights = np.sqrt(np.cos(np.deg2rad(lat))) if weights is None else weights
    anomalies = field - field.mean(axis=0) if centre else field
    return _svd(anomalies * weights)


def check_eofs(eofs: Callable) -> None:
    """Compare ``eofs(field, lat, k)`` with the weighted SVD on a fresh random field."""
    require_own_function(eofs, "eofs", forbidden=(principal_components,))
    gen = fresh_rng()
    n = int(gen.integers(150, 300))
    field, lat = _field(gen, n)
    k = PATTERNS
    result = eofs(field.copy(), lat.copy(), k)
    where = f"for a random field of {n} snapshots and {lat.size} grid points, k = {k}"
    patterns_got, explained_got = returned(
        result, "eofs", ("patterns", "explained"),
        f"the {k} patterns (one per row) and their {k} variance fractions")
    if np.any(np.isnan(np.asarray(plain(explained_got), dtype=float))) or np.any(
            np.isnan(np.asarray(plain(patterns_got), dtype=float))):
        raise CheckFailed(f"{where}, your answer contains NaN: did you take np.cos of "
                          "latitudes in degrees? np.cos takes radians: "
                          "np.cos(np.deg2rad(lat)), and then sqrt(cos φ) is real for "
                          "every |φ| < 90°")
    explained = as_array(explained_got, "your explained", (k,),
                         hint=f"return the variance fractions of the first {k} patterns only")
    shape = np.shape(plain(patterns_got))
    hints = {(lat.size, k): f"one pattern per row: shape ({k}, {lat.size}); you returned "
                            "its transpose",
             (k, n): f"those have one value per snapshot ({n}), like the columns of U, "
                     "which are amplitudes in time: the patterns are rows of Vᵀ, one value "
                     "per grid point",
             (n, k): f"those have one value per snapshot ({n}), like the columns of U, "
                     "which are amplitudes in time: the patterns are rows of Vᵀ, one value "
                     "per grid point"}
    hint = hints.get(shape, f"return the first {k} rows of Vᵀ (the SVD's third factor), "
                            "one pattern a row")
    patterns = as_array(patterns_got, "your patterns", (k, lat.size), hint=hint)

    reference, fractions = _reference_eofs(field, lat)
    weights = np.sqrt(np.cos(np.deg2rad(lat)))
    if not close(explained, fractions[:k], rtol=1e-6, atol=1e-10):
        compare("explained", explained, fractions[:k], where=where,
                suspects=_eofs_suspects(field, lat, k, fractions),
                otherwise="the fraction of pattern k is s_k² / Σ s_j², from the SVD of the "
                          "centred anomalies, each column multiplied by sqrt(cos(latitude))",
                rtol=1e-6, atol=1e-10)

    divided = reference[:k] / weights
    norms = np.linalg.norm(np.asarray(patterns, dtype=float), axis=1)
    if np.any(np.abs(norms - 1) > 1e-3):
        hint = ("they are the weighted patterns divided by the weights: return the rows "
                "of Vᵀ themselves" if _parallel(patterns, divided) else
                "return the rows of Vᵀ, each of length 1 (not scaled by s_k or by the "
                "weights)")
        raise CheckFailed(f"your patterns have lengths {np.round(norms, 4)}, expected 1 "
                          f"each; {hint}")
    cosines = np.abs(np.sum(np.asarray(patterns, dtype=float) * reference[:k], axis=1))
    bad = np.flatnonzero(cosines < 1 - 1e-6)
    if bad.size:
        i = int(bad[0])
        unweighted_vt = _reference_eofs(field, lat, np.ones_like(lat))[0]
        if _parallel(patterns[i:i + 1], unweighted_vt[i:i + 1]):
            hint = ("it is the unweighted pattern: take the SVD of the anomalies with each "
                    "column multiplied by sqrt(cos(latitude))")
        elif _parallel(patterns[i:i + 1], divided[i:i + 1]):
            hint = ("it is the weighted pattern divided by the weights: return the row of "
                    "Vᵀ as it is")
        else:
            hint = ("pattern k is row k of Vᵀ (the SVD's third factor) of the centred, "
                    "weighted anomalies; U's columns are amplitudes in time, not patterns")
        raise CheckFailed(f"your pattern {i + 1} is not the reference EOF {i + 1} (|dot "
                          f"product| {cosines[i]:.6f}, expected 1 up to the sign) {where}; "
                          f"{hint}")
    passed(f"eofs matches the weighted SVD {where}: the first {k} patterns explain "
           f"{np.round(fractions[:k], 4)} of the variance")


def _eofs_suspects(field: np.ndarray, lat: np.ndarray, k: int,
                   fractions: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """What each likely mistake gives for the first ``k`` variance fractions."""
    weights = np.sqrt(np.cos(np.deg2rad(lat)))
    unweighted = _reference_eofs(field, lat, np.ones_like(lat))[1]
    uncentred = _reference_eofs(field, lat, centre=False)[1]
    cos_weights = _reference_eofs(field, lat, weights**2)[1]
    standardised = _svd((field - field.mean(axis=0)) / field.std(axis=0, ddof=1)
                        * weights)[1]
    _, s, _ = np.linalg.svd((field - field.mean(axis=0)) * weights, full_matrices=False)
    suspects = [
        (unweighted[:k], "the fractions of the unweighted field: multiply each grid "
                         "point's column of the anomalies by sqrt(cos(latitude)) before "
                         "the SVD, so that each point counts by its area"),
        (uncentred[:k], "the first fraction is nearly all the variance: you did not "
                        "remove the mean snapshot (the time mean of each grid point) "
                        "before the SVD, so the first 'pattern' is the climatology"),
        (_reference_eofs(field, lat, np.ones_like(lat), centre=False)[1][:k],
         "you neither removed the mean snapshot nor weighted by area: centre each grid "
         "point's column first, then multiply it by sqrt(cos(latitude))"),
        (cos_weights[:k], "you weighted by cos(latitude): the weight of the anomalies is "
                          "sqrt(cos(latitude)), so that the covariance gets cos"),
        (standardised[:k], "you divided each grid point by its standard deviation: "
                           "centre and weight the anomalies, but do not standardise them"),
        (s[:k] / np.sum(s), "you used the singular values s_k: the variance of pattern k "
                            "is s_k², so the fraction is s_k² / Σ s_j²"),
        (fractions[:k] / np.sum(fractions[:k]),
         f"your fractions add up to 1 over the first {k} patterns: divide by the total "
         "variance, the sum of s_j² over all patterns"),
        (fractions[k - 1::-1], "your fractions are in increasing order: sort the "
                               "patterns by variance, largest first (np.linalg.eigh "
                               "returns its eigenvalues in increasing order)"),
        (np.zeros(k), "those are the smallest fractions: np.linalg.eigh returns its "
                      "eigenvalues in increasing order, so take the last k, reversed"),
    ]
    return suspects


def _parallel(patterns: np.ndarray, candidates: np.ndarray) -> bool:
    """Whether each row of ``patterns`` is a multiple of the same row of ``candidates``."""
    a = np.asarray(patterns, dtype=float)
    cos = np.abs(np.sum(a * candidates, axis=1)) / (
        np.linalg.norm(a, axis=1) * np.linalg.norm(candidates, axis=1) + 1e-300)
    return bool(np.all(cos > 1 - 1e-6))


def _first_different_row(got: np.ndarray, expected: np.ndarray, rtol: float,
                         atol: float) -> int:
    """The first row of ``got`` that is not close to the same row of ``expected``."""
    return next(j for j in range(len(got))
                if not close(got[j], expected[j], rtol=rtol, atol=atol))


def _row(values: np.ndarray) -> str:
    """A row of numbers with enough digits to tell the learner's from the expected."""
    return "[" + ", ".join(f"{float(v):.8g}" for v in values) + "]"


# -- Task 2: one ensemble Kalman inversion step --------------------------------------
MEMBERS, PARAMETERS, OUTPUTS = 20, 3, 6


def _reference_update(theta: np.ndarray, outputs: np.ndarray, data: np.ndarray,
                      gamma: np.ndarray, eta: np.ndarray, *, ddof: int = 1,
                      with_gamma: bool = True, centred: bool = True) -> np.ndarray:
    """θ_j + C^θG (C^GG + Γ)⁻¹ (y + η_j − G_j), with the ensemble's own covariances."""
    J = len(theta)
    d_theta = theta - theta.mean(axis=0) if centred else theta
    d_g = outputs - outputs.mean(axis=0) if centred else outputs
    c_tg = d_theta.T @ d_g / (J - ddof)
    c_gg = d_g.T @ d_g / (J - ddof)
    residuals = data + eta - outputs
    gain = np.linalg.solve((c_gg + gamma) if with_gamma else c_gg, c_tg.T).T
    return theta + residuals @ gain.T


def _ensemble_problem(gen: np.random.Generator) -> tuple[np.ndarray, ...]:
    """An ensemble, its outputs (a nonlinear model plus scatter, so C^GG has full
    rank), data, a full noise covariance Γ and the members' perturbations."""
    theta = gen.normal(size=(MEMBERS, PARAMETERS)) * gen.uniform(0.5, 2.0, PARAMETERS) \
        + gen.normal(size=PARAMETERS)
    mixing = gen.normal(size=(OUTPUTS, PARAMETERS))
    outputs = np.tanh(theta @ mixing.T / 2) + 0.3 * gen.normal(size=(MEMBERS, OUTPUTS))
    data = gen.normal(size=OUTPUTS)
    root = gen.normal(size=(OUTPUTS, OUTPUTS)) * 0.2
    gamma = root @ root.T + np.diag(gen.uniform(0.1, 0.4, OUTPUTS))
    eta = gen.multivariate_normal(np.zeros(OUTPUTS), gamma, size=MEMBERS)
    return theta, outputs, data, gamma, eta


def check_eki_update(eki_update: Callable) -> None:
    """Compare one step ``eki_update(theta, outputs, data, noise_cov, perturbations)``
    with the ensemble Kalman update written out, on a fresh random ensemble."""
    require_own_function(eki_update, "eki_update", forbidden=(ensemble_kalman_inversion,))
    theta, outputs, data, gamma, eta = _ensemble_problem(fresh_rng())
    expected = _reference_update(theta, outputs, data, gamma, eta)
    result = eki_update(theta.copy(), outputs.copy(), data.copy(), gamma.copy(), eta.copy())
    where = (f"for a random ensemble of {MEMBERS} members, {PARAMETERS} parameters and "
             f"{OUTPUTS} outputs")
    hints = {(PARAMETERS, MEMBERS): "the result is transposed: one member a row, shape "
                                    f"({MEMBERS}, {PARAMETERS}), like theta",
             (PARAMETERS,): "only one parameter set: return every member, updated, one a "
                            "row, like theta"}
    got = as_array(result, f"what eki_update returned {where}", (MEMBERS, PARAMETERS),
                   hint=hints.get(np.shape(plain(result)),
                                  f"return the updated ensemble, shape ({MEMBERS}, "
                                  f"{PARAMETERS}), like theta"))
    no_eta = _reference_update(theta, outputs, data, gamma, np.zeros_like(eta))
    mean_only = theta + (expected - theta).mean(axis=0)
    suspects = [
        (_reference_update(theta, outputs, data, gamma, eta, with_gamma=False),
         "Γ is missing from the gain: it is C^θG (C^GG + Γ)⁻¹, where Γ (noise_cov) weighs "
         "the data by their noise and makes the matrix invertible"),
        (no_eta, "you left out the perturbations: member j is moved towards its own "
                 "perturbed data y + η_j (the row perturbations[j])"),
        (2 * theta - expected, "the residual's sign is flipped: r_j = y + η_j − G(θ_j), "
                               "data minus model"),
        (_reference_update(theta, outputs, data, gamma, eta, ddof=0),
         "the ensemble covariances divide by J − 1 (as np.cov does), not by J"),
        (_reference_update(theta, outputs, data, gamma, eta, centred=False),
         "the covariances are not centred: subtract the ensemble means of theta and of "
         "the outputs before multiplying"),
        (expected - theta, "that is the increment only: return θ_j plus it, the updated "
                           "members"),
        (mean_only, "every member moved by the same amount: each member j has its own "
                    "residual r_j, and so its own step"),
    ]
    # A member's step mixes all its numbers, so an error is relative to the largest:
    # below 2e-6 of it for a right answer in single precision, above 6e-3 for a mistake.
    single = got.dtype == np.float32
    atol = (1e-5 if single else 1e-9) * float(np.max(np.abs(expected)))
    if not close(got, expected, rtol=1e-6, atol=atol):
        hint = name_the_mistake(got, suspects) or (
            "θ_j ← θ_j + C^θG (C^GG + Γ)⁻¹ (y + η_j − G(θ_j)), with C^θG and C^GG the "
            "ensemble's covariances of (theta, outputs) and of outputs, each centred on "
            "the ensemble mean and divided by J − 1")
        j = _first_different_row(got, expected, rtol=1e-6, atol=atol)
        raise CheckFailed(f"{where}, member {j + 1} (row {j}) of your updated ensemble is "
                          f"{_row(got[j])}, expected {_row(expected[j])}; {hint}")
    passed(f"eki_update matches the ensemble Kalman update {where} (relative tolerance "
           "1e-6)")


# -- Task 3: sequentially thresholded least squares -------------------------------
ROWS, TERMS, TARGETS, THRESHOLD = 200, 8, 2, 0.5


def _lstsq(library: np.ndarray, targets: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(library, targets, rcond=None)[0]


def _reference_stlsq(library: np.ndarray, targets: np.ndarray, threshold: float,
                     iterations: int, *, refit: str = "kept", absolute: bool = True,
                     shared: bool = False) -> np.ndarray:
    """Fit, zero the coefficients below ``threshold``, refit the kept terms, repeat.

    The keywords give the likely mistakes: ``refit="none"`` (threshold once, never
    refit), ``"all"`` (refit the whole library, which undoes the threshold);
    ``absolute=False`` (``xi < threshold``, which zeroes every negative term);
    ``shared`` (one set of terms for all targets).
    """
    xi = _lstsq(library, targets)
    for _ in range(iterations):
        size = np.abs(xi) if absolute else xi
        small = size < threshold
        if shared:
            small = np.repeat(small[:, :1], xi.shape[1], axis=1)
        xi[small] = 0.0
        if refit == "none":
            break
        if refit == "all":
            xi = _lstsq(library, targets)
            continue
        for j in range(xi.shape[1]):
            keep = ~small[:, j]
            if keep.any():
                xi[keep, j] = _lstsq(library[:, keep], targets[:, j])
    return xi


def _regression_problem(gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray,
                                                           np.ndarray]:
    """Candidate terms that share a common factor (correlations about 0.5), a sparse
    truth (three terms per target, of both signs, 1.5 to 3 in size) and noisy targets.

    The least-squares coefficients of the absent terms stay below about 0.35, so the
    threshold 0.5 finds the true terms; and a fit thresholded but never refitted is off
    by 0.2 % or more, far outside the tolerance of a right answer in single precision.
    """
    library = gen.normal(size=(ROWS, TERMS)) + gen.normal(size=(ROWS, 1)) * gen.uniform(
        1.0, 1.5, TERMS)
    truth = np.zeros((TERMS, TARGETS))
    order = gen.permutation(TERMS)
    for j in range(TARGETS):  # different terms for each target, one term shared
        terms = order[2 * j:2 * j + 3]
        truth[terms, j] = gen.uniform(1.5, 3.0, 3) * np.array(
            [-1.0, 1.0, gen.choice([-1.0, 1.0])])  # both signs in each
    targets = library @ truth + gen.normal(size=(ROWS, TARGETS))
    return library, targets, truth


def check_stlsq(stlsq: Callable) -> None:
    """Compare ``stlsq(library, targets, threshold, iterations)`` with the reference on a
    fresh random regression with a known sparse answer."""
    require_own_function(stlsq, "stlsq", forbidden=(sparse_regression,))
    gen = fresh_rng()
    library, targets, truth = _regression_problem(gen)
    iterations = int(gen.integers(5, 11))
    expected = _reference_stlsq(library, targets, THRESHOLD, iterations)
    result = stlsq(library.copy(), targets.copy(), THRESHOLD, iterations)
    where = (f"for a random library of {TERMS} terms and {ROWS} rows, {TARGETS} targets, "
             f"threshold {THRESHOLD}, {iterations} iterations")
    shape = np.shape(plain(result)) if result is not None else None
    got = as_array(result, f"what stlsq returned {where}", (TERMS, TARGETS),
                   hint=("one row per library term and one column per target: you "
                         "returned the transpose") if shape == (TARGETS, TERMS) else
                   f"return Ξ, shape ({TERMS}, {TARGETS}): a column of coefficients per "
                   "target")
    full = _lstsq(library, targets)
    suspects = [
        (np.zeros_like(expected), "every coefficient is zero: did you threshold before "
                                  "the first fit? Start from the least-squares fit of the "
                                  "whole library, then set the small ones to zero; and "
                                  "compare sizes, np.abs(xi) < threshold (xi < threshold "
                                  "zeroes every negative term)"),
        (full, "no coefficient is zero: after setting the small ones to zero, refit only "
               "the terms kept (library[:, keep]); a refit on the whole library brings "
               "them back"),
        (_reference_stlsq(library, targets, THRESHOLD, iterations, refit="none"),
         "you set the small coefficients to zero but never refitted: after each "
         "thresholding, fit the kept terms again by least squares (library[:, keep])"),
        (_reference_stlsq(library, targets, THRESHOLD, iterations, absolute=False),
         "negative coefficients were set to zero: compare their size, "
         "np.abs(xi) < threshold"),
        (_reference_stlsq(library, targets, THRESHOLD, iterations, shared=True),
         "each target (column of Ξ) keeps its own terms: threshold and refit each column "
         "separately"),
    ]
    found = got != 0
    if not np.array_equal(found, expected != 0):
        hint = name_the_mistake(got, suspects) or (
            "the terms kept differ from the reference's: fit, set every |ξ| < threshold to "
            "zero, refit each column on its kept terms, and repeat")
        raise CheckFailed(f"{where}, your Ξ keeps {int(found.sum())} terms, expected "
                          f"{int((expected != 0).sum())} (exactly zero elsewhere): {hint}")
    if not close(got, expected, rtol=1e-6, atol=1e-9):
        hint = name_the_mistake(got, suspects) or (
            "the kept coefficients must be the least-squares fit of the kept terms alone: "
            "refit after the last thresholding")
        j = _first_different_row(got.T, expected.T, rtol=1e-6, atol=1e-9)
        raise CheckFailed(f"{where}, column {j} of your Ξ is {_row(got[:, j])}, expected "
                          f"{_row(expected[:, j])}; {hint}")
    passed(f"stlsq matches sequentially thresholded least squares {where}; it keeps the "
           f"{int((truth != 0).sum())} terms the data were made with")


# -- the SINDy library of the Lorenz system ------------------------------------------
def lorenz_library(states: object) -> np.ndarray:
    """The library [1, x, y, z, x², xy, xz, y², yz, z²] of each row (x, y, z) of ``states``."""
    z = require_array("states", states, ndim=2)
    if z.shape[1] != 3:
        raise ValueError(f"states must have 3 columns (x, y, z), got shape {z.shape}")
    x, y, w = z.T
    return np.column_stack([np.ones_like(x), x, y, w, x * x, x * y, x * w, y * y, y * w,
                            w * w])
