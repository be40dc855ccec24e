"""Fourier features, spectra and errors per frequency, for data on 1D or 2D grids; the
relative L2 error, the overall measure beside the errors per frequency.

Conventions, shared by every function here:

* A field is sampled on a uniform *periodic* grid: ``values[i]`` (1D) or
  ``values[i, j]`` (2D, rows along y, columns along x) at equally spaced points of
  one period of the domain, the end point left out (``numpy.fft``'s convention).
* A wavenumber ``k`` counts oscillations per period. On the grid ``x = 2πi/n`` the
  mode ``sin(k x)`` has wavenumber ``k``; in 2D, ``cos(k_x x + k_y y)`` lies on the
  *shell* ``|k| = sqrt(k_x² + k_y²)``, rounded to the nearest whole number.
* An amplitude is what a sinusoid ``a cos(k·x + φ)`` contributes: ``a``. A constant
  ``c`` has amplitude ``|c|`` at ``k = 0``.

Torch is imported only when a torch tensor is passed (:func:`fourier_features`), so
the module costs nothing to import in a NumPy-only notebook.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .seeding import Seed, generator
from .validation import require_in_range, require_int

__all__ = [
    "amplitude_spectrum",
    "fourier_features",
    "gaussian_frequencies",
    "relative_error_per_frequency",
    "relative_l2",
    "shell_index",
]


def _is_torch(value: object) -> bool:
    return type(value).__module__.split(".")[0] == "torch"


def _grid_values(name: str, values: object) -> np.ndarray:
    """``values`` as a finite float array of one or two dimensions, at least 2 points a side."""
    if _is_torch(values):
        values = values.detach().cpu().numpy()  # type: ignore[attr-defined]
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers on a grid ({exc})") from None
    if array.ndim not in (1, 2):
        raise ValueError(f"{name} must be a 1D or 2D grid of values, got shape {array.shape}")
    if min(array.shape) < 2:
        raise ValueError(f"{name} must hold at least 2 points along each axis, "
                         f"got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    return array


def shell_index(shape: Sequence[int]) -> np.ndarray:
    """For each coefficient of ``numpy.fft.fftn`` on a grid of ``shape``, its shell ``|k|``.

    ``|k|`` is the length of the integer wavevector, rounded to the nearest whole
    number, so that in 1D the shell ``k`` holds the two coefficients ``+k`` and ``-k``.
    """
    axes = [np.fft.fftfreq(int(n), d=1.0 / int(n)) for n in shape]
    grids = np.meshgrid(*axes, indexing="ij")
    return np.rint(np.sqrt(sum(g**2 for g in grids))).astype(int)


def _shell_power(coefficients: np.ndarray, kmax: int) -> np.ndarray:
    """Sum of |c|² over each shell 0..kmax."""
    shells = shell_index(coefficients.shape).ravel()
    power = np.abs(coefficients.ravel()) ** 2
    inside = shells <= kmax
    return np.bincount(shells[inside], weights=power[inside], minlength=kmax + 1)


def _resolved_kmax(shape: Sequence[int]) -> int:
    """The largest shell every axis resolves: below the Nyquist wavenumber of the coarsest axis."""
    return (min(int(n) for n in shape) - 1) // 2


def amplitude_spectrum(values: object,
                       length: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Wavenumbers ``k = 0, 1, ..., kmax`` and the amplitude of ``values`` on each shell.

    ``values`` is a 1D or 2D periodic grid (see the module's conventions); ``kmax`` is
    the largest wavenumber that every axis resolves, ``(min(shape) - 1) // 2``. On
    shell ``k > 0`` the amplitude is ``sqrt(2 Σ |c|²)`` over the shell's normalised
    Fourier coefficients ``c = fftn(values) / values.size``, so that ``a sin(k x)``
    gives ``a`` at ``k``, and several modes on one shell add as a root sum of squares.

    With ``length``, the length of the sampled interval (the side of the box in 2D),
    the first array is the angular frequency ``ω = 2π k / length`` instead of ``k``:
    the axis the multistage chapters compare their frequency scale κ with.
    """
    array = _grid_values("values", values)
    kmax = _resolved_kmax(array.shape)
    power = _shell_power(np.fft.fftn(array) / array.size, kmax)
    power[1:] *= 2.0
    ks = np.arange(kmax + 1)
    if length is None:
        return ks, np.sqrt(power)
    length = require_in_range("length", length, 0.0, low_inclusive=False)
    return 2.0 * np.pi * ks / length, np.sqrt(power)


def relative_error_per_frequency(target: object, fit: object, ks: object) -> np.ndarray:
    """``|F[fit - target]| / |F[target]|`` on each shell ``k`` of ``ks``.

    For each whole number ``k`` in ``ks`` this is ``sqrt(Σ |E|² / Σ |T|²)``, the sums
    running over the Fourier coefficients ``E`` of the error and ``T`` of the target on
    shell ``k``; in 1D, for a real signal, it is ``|E(k)| / |T(k)|``. A value of 1 means
    the fit has learnt nothing of that frequency (or the opposite of it), 0 a perfect fit.
    ``target`` and ``fit`` are grids of the same shape; each ``k`` must be resolved by the
    grid and carry some of the target's energy.
    """
    target_arr = _grid_values("target", target)
    fit_arr = _grid_values("fit", fit)
    if fit_arr.shape != target_arr.shape:
        raise ValueError(f"fit must have the shape of target {target_arr.shape}, "
                         f"got {fit_arr.shape}")
    kmax = _resolved_kmax(target_arr.shape)
    ks_arr = np.atleast_1d(np.asarray(ks))
    if ks_arr.ndim != 1 or ks_arr.size == 0:
        raise ValueError(f"ks must be a non-empty list of whole numbers, got {ks!r}")
    wanted = [require_int("ks", k, 0, kmax) for k in ks_arr.tolist()]
    target_power = _shell_power(np.fft.fftn(target_arr), kmax)
    error_power = _shell_power(np.fft.fftn(fit_arr - target_arr), kmax)
    scale = target_power.max()
    for k in wanted:
        if target_power[k] <= 1e-24 * scale:
            raise ValueError(f"ks holds k = {k}, where the target has no energy: "
                             "its relative error is undefined")
    return np.sqrt(error_power[wanted] / target_power[wanted])


def gaussian_frequencies(count: int, dim: int, kappa: float, seed: Seed) -> np.ndarray:
    """A ``(count, dim)`` matrix ``B`` with entries drawn from N(0, κ²), from ``seed``.

    The frequencies of random Fourier features (Tancik et al. 2020): ``κ`` is their
    standard deviation, in radians per unit of the input.
    """
    count = require_int("count", count, 1)
    dim = require_int("dim", dim, 1)
    kappa = require_in_range("kappa", kappa, 0.0, None, low_inclusive=False)
    return kappa * generator(seed).standard_normal((count, dim))


def fourier_features(x: object, B: object):
    """``γ(x) = [cos(x Bᵀ), sin(x Bᵀ)]``: the Fourier features of inputs ``x``.

    ``x`` has shape ``(n, d)`` (or ``(n,)`` for ``d = 1``), ``B`` shape ``(m, d)``; the
    result has shape ``(n, 2m)``: the ``m`` cosines, then the ``m`` sines. A torch
    tensor ``x`` gives a torch tensor (differentiable, in ``x``'s dtype), anything else
    a NumPy array.
    """
    if _is_torch(x):
        import torch

        B_t = torch.as_tensor(B, dtype=x.dtype)  # type: ignore[attr-defined]
        x_t = x.reshape(-1, 1) if x.ndim == 1 else x  # type: ignore[attr-defined]
        _check_feature_shapes(tuple(x_t.shape), tuple(B_t.shape))
        z = x_t @ B_t.T
        return torch.cat([torch.cos(z), torch.sin(z)], dim=1)
    x_arr = np.asarray(x, dtype=float)
    B_arr = np.asarray(B, dtype=float)
    if x_arr.ndim == 1:
        x_arr = x_arr[:, None]
    _check_feature_shapes(x_arr.shape, B_arr.shape)
    if not (np.all(np.isfinite(x_arr)) and np.all(np.isfinite(B_arr))):
        raise ValueError("x and B must contain only finite values")
    z = x_arr @ B_arr.T
    return np.concatenate([np.cos(z), np.sin(z)], axis=1)


def _check_feature_shapes(x_shape: tuple[int, ...], B_shape: tuple[int, ...]) -> None:
    if len(x_shape) != 2:
        raise ValueError(f"x must have shape (n, d) or (n,), got {x_shape}")
    if len(B_shape) != 2 or B_shape[0] < 1:
        raise ValueError(f"B must have shape (m, d) with m >= 1, got {B_shape}")
    if B_shape[1] != x_shape[1]:
        raise ValueError(f"B must have one column per input dimension: x has d = "
                         f"{x_shape[1]}, B has shape {B_shape}")


def relative_l2(approx: object, exact: object) -> float:
    """|approx - exact| / |exact| in the Euclidean norm."""
    approx = np.asarray(approx, dtype=float)
    exact = np.asarray(exact, dtype=float)
    if approx.shape != exact.shape:
        raise ValueError(f"approx and exact must have the same shape, got {approx.shape} "
                         f"and {exact.shape}")
    norm = np.linalg.norm(exact)
    if norm == 0:
        raise ValueError("exact must not be zero everywhere")
    return float(np.linalg.norm(approx - exact) / norm)
