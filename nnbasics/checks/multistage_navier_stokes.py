"""Checks of the exercise ``solutions/multistage_navier_stokes.ipynb``: the next stage from a
residue's spectrum, by hand.

Each check takes only the learner's function and tests one task on a periodic field of
its own on an n x n grid of [0, 2 pi)^2 (n even, the field's Fourier modes inside
|k| < n/3, so no Nyquist mode), drawn fresh on every run (:func:`core.fresh_rng`) with
a random size, mean and decaying spectrum, against a reference written out here:

* :func:`check_energy_spectrum` compares ``energy_spectrum(psi)`` with the chapter's
  E(k) = sum over k - 1/2 <= |k| < k + 1/2 of (1/2)|k|^2 |psi_hat_k|^2,
  psi_hat = fft2(psi) / n^2, shell by shell;
* :func:`check_first_layer` compares ``first_layer(residue, width)`` = (w, b) with the
  ``width`` largest Fourier modes of the residue, one neuron per pair k, -k (either
  sign, any order), whose sin(w . x + b) must be the mode's cos(k . x + arg c_k);
* :func:`check_output_layer` compares ``output_layer(residue, w, b)`` = (eps, a, c) with
  eps = max|r| and the least-squares fit of r / eps by sum_i a_i sin(w_i . x + b_i) + c
  on the grid nodes, first with phases that are *not* the modes' own (so that the
  amplitudes 2|c_k| / eps are wrong and only a least-squares fit is right), then with
  the modes' own phases, where the stage must lower the residue's error at random
  points off the grid by at least :data:`REQUIRED_GAIN`.

Each likely mistake is recomputed from the same inputs (the ``suspects``), so that a
failure names it.

Margins, measured over 200 random problems per variant (``NNBASICS_FAIRNESS_RUNS=200
pytest tests/test_checks_multistage_navier_stokes.py -k margins -s``), each in the unit
of its tolerance:

* spectrum, the largest shell error over the total energy: right answers at most
  2.2e-15 (float64) and 1.4e-7 (float32), tolerance 1e-9 and 1e-5; the nearest wrong
  answer 4.6e-3 (shells by truncation), the others 0.02 to 6e4;
* phases, in radians: right answers at most 1.3e-15 (float64) and 3.8e-7 (float32),
  tolerance 1e-6 and 1e-4; the nearest wrong answer 1.6 rad (a mistaken set of
  wavevectors fails before, on the set itself);
* output layer, the largest error of a and c over max|a| plus that of ε relative to
  max|r|: right answers at most 6.7e-15 (float64) and 5.9e-7 (float32), tolerance 1e-9
  and 1e-4; the nearest wrong answer 1.5e-2 (a node on 2π), then 2.4e-2 (the
  amplitudes 2|c_k|/ε at shifted phases); forgetting ε is off by 0.9 or more.

:data:`MARGINS` records these bounds; the test asserts that every answer keeps inside
them, and that the tolerances sit well between right and wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ..engine import MLP
from ..multistage import init_mlp, levenberg_marquardt
from ..navier_stokes import (
    energy_spectrum as _package_spectrum,
)
from ..navier_stokes import (
    fourier_series,
    kinetic_energy,
    largest_modes,
    random_vorticity,
    solve_vorticity,
    spectral_sine_net,
    wavenumbers,
)
from ..validation import require_int
from .core import (
    CheckFailed,
    as_array,
    as_number,
    fresh_rng,
    passed,
    plain,
    require_own_function,
    returned,
)

#: The notebook's flow: the chapter's set-up (Re = 100 to t = 5, initial vorticity in
#: 4 <= |k| <= 10) on a 64 x 64 grid, and a first network trained on every second node.
GRID = 64
FLOW_SEED = 0
NET_SEED = 3
REYNOLDS, T_END = 100.0, 5.0
STAGE0_ITERATIONS = 30
#: Grid sizes the checks draw from (even, so that n/2 is a wavenumber of the grid).
CHECK_GRIDS = (24, 32, 40, 48)
#: The stage built from the check's residue with the modes' own phases must lower the
#: residue's error at random points off the grid at least this many times. Right answers
#: gain 18x to 50x (200 problems; the stage keeps 99.9 % of the residue's energy, at most
#: 80 modes); a stage fitted on the transposed grid gains 0.55x to 8x (and fails the
#: comparison of its weights before).
REQUIRED_GAIN = 10.0
#: Worst right answer and nearest wrong answer, measured as the module docstring says.
MARGINS = {
    "spectrum": {"right64": 1e-14, "right32": 1e-6, "tolerance": (1e-9, 1e-5), "wrong": 4e-3},
    "phase": {"right64": 1e-14, "right32": 1e-6, "tolerance": (1e-6, 1e-4), "wrong": 1.0},
    "output": {"right64": 1e-14, "right32": 2e-6, "tolerance": (1e-9, 1e-4), "wrong": 1e-2},
}


# -- the notebook's data --------------------------------------------------------------
def _periodic_inputs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    x, y = np.ravel(x), np.ravel(y)
    return np.stack([np.cos(x), np.sin(x), np.cos(y), np.sin(y)], axis=1)


@lru_cache(maxsize=2)
def _flow_and_net(n: int) -> tuple[np.ndarray, MLP, float]:
    omega0 = random_vorticity(n, np.random.default_rng(FLOW_SEED), k_low=4, k_high=10)
    psi = solve_vorticity(omega0, REYNOLDS, T_END, n_saves=2).psi[-1]
    scale = float(np.abs(psi).max())
    s = 2 * np.pi * np.arange(n) / n
    x, y = np.meshgrid(s, s)
    net = init_mlp([4, 16, 16, 1], np.random.default_rng(NET_SEED))
    levenberg_marquardt(net, _periodic_inputs(x[::2, ::2], y[::2, ::2]),
                        psi[::2, ::2].ravel() / scale, iterations=STAGE0_ITERATIONS)
    return psi, net, scale


def exercise_data(n: int = GRID) -> tuple[np.ndarray, Callable]:
    """The notebook's flow and first stage: ``(psi, stage0)``.

    ``psi`` is the stream function of the chapter's flow on an ``n`` x ``n`` grid
    (indexed [iy, ix], so y along axis 0); ``stage0(x, y)`` evaluates the first network,
    a periodic tanh network trained on every second node, at any points (x, y).
    """
    n = require_int("n", n, 32, 128)  # the flow's band 4 <= |k| <= 10 needs n >= 30
    if n % 2:
        raise ValueError(f"n must be even (n/2 is then a wavenumber of the grid), got {n}")
    psi, net, scale = _flow_and_net(n)

    def stage0(x: object, y: object) -> np.ndarray:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
        return (scale * net(_periodic_inputs(x, y))).reshape(x.shape)

    return psi.copy(), stage0


# -- the check's random fields -----------------------------------------------------
def _random_field(gen: np.random.Generator, n: int, slope: float, k_max: float,
                  k_min: float = 1.0) -> np.ndarray:
    """A real periodic field with modes k_min <= |k| <= k_max, amplitudes falling as
    |k|^-slope (times a random factor 0.5-1.5), random phases, a random size and a mean."""
    kx, ky = wavenumbers(n)
    kk = np.hypot(kx, ky)
    band = (kk >= k_min) & (kk <= k_max)
    amplitude = np.where(band, np.maximum(kk, 1.0) ** -slope, 0.0) * gen.uniform(0.5, 1.5,
                                                                                 (n, n))
    coeffs = amplitude * np.exp(2j * np.pi * gen.uniform(size=(n, n)))
    field = np.real(np.fft.ifft2(coeffs))  # the real part: Hermitian, band kept
    field *= 10.0 ** gen.uniform(-3, 1) / np.abs(field).max()
    return field + gen.choice([-1.0, 1.0]) * gen.uniform(0.1, 0.3) * np.abs(field).max()


def _pick_grid(gen: np.random.Generator) -> int:
    return int(gen.choice(CHECK_GRIDS))


def _shape(value: object) -> tuple[int, ...] | None:
    try:
        return np.shape(plain(value))
    except ValueError:  # ragged
        return None


def _single(value: object) -> bool:
    """Whether the learner's array (NumPy or torch) is in single precision."""
    dtype = getattr(value, "dtype", None)
    if isinstance(value, list | tuple) and value:
        dtype = getattr(value[0], "dtype", dtype)
    return dtype is not None and any(s in str(dtype) for s in ("float32", "float16",
                                                                "complex64"))


# -- Task 1: the energy spectrum -------------------------------------------------
def _spectrum(psi: np.ndarray, *, k: np.ndarray | None = None, norm: float | None = None,
              weight: Callable = lambda kk: 0.5 * kk**2, shell: Callable = np.rint,
              length: Callable = np.hypot, power: Callable = lambda c: np.abs(c) ** 2,
              shift: bool = False, mean: bool = False) -> np.ndarray:
    """E(k) by shells, with each ingredient replaceable (the suspects); ``length`` sets
    the shells only, the energy keeps |k|²."""
    n = len(psi)
    k = np.fft.fftfreq(n, 1.0 / n) if k is None else k
    kx, ky = np.meshgrid(k, k)
    kk = np.hypot(kx, ky)
    coeffs = np.fft.fft2(psi) / (n * n if norm is None else norm)
    if shift:
        coeffs = np.fft.fftshift(coeffs)
    density = weight(kk) * power(coeffs)
    shells = shell(length(kx, ky)).astype(int).ravel()
    total = np.bincount(shells, weights=density.ravel())
    if mean:
        counts = np.bincount(shells)
        total = np.divide(total, counts, out=np.zeros_like(total), where=counts > 0)
    return total


def _half_plane_spectrum(psi: np.ndarray, double: str) -> np.ndarray:
    """E(k) from rfft2 (kx >= 0 only): ``double`` is "none" or "all" columns doubled."""
    n = len(psi)
    kx, ky = np.meshgrid(np.fft.rfftfreq(n, 1.0 / n), np.fft.fftfreq(n, 1.0 / n))
    kk = np.hypot(kx, ky)
    density = 0.5 * kk**2 * np.abs(np.fft.rfft2(psi) / n**2) ** 2
    if double == "all":
        density = 2 * density
    return np.bincount(np.rint(kk).astype(int).ravel(), weights=density.ravel())


def _reference_spectrum(psi: np.ndarray) -> np.ndarray:
    return _spectrum(psi)


def _spectrum_suspects(psi: np.ndarray) -> list[tuple[np.ndarray, str]]:
    n = len(psi)
    k = np.fft.fftfreq(n, 1.0 / n)
    return [
        (_spectrum(psi, norm=1.0), "np.fft.fft2 is not normalised: the Fourier coefficients "
                                   "of the grid field are fft2(psi) / n², with n² the number "
                                   "of grid points"),
        (_spectrum(psi, norm=float(n)), "the coefficients are fft2(psi) / n², so "
                                        "|ψ̂_k|² = |fft2(psi)|² / n⁴: you divided by n² "
                                        "too few (norm='ortho' divides fft2 by n only)"),
        (_spectrum(psi, k=np.fft.fftfreq(n)), "your wavenumbers are in cycles per grid "
                                              "spacing (np.fft.fftfreq(n) is at most 1/2): "
                                              "the integer wavenumbers of the box [0, 2π) "
                                              "are np.fft.fftfreq(n, 1/n), n times those"),
        (_spectrum(psi, k=2 * np.pi * np.fft.fftfreq(n)),
         "your wavenumbers are in radians per grid spacing (2π fftfreq(n)): the integer "
         "wavenumbers of the box [0, 2π) are np.fft.fftfreq(n, 1/n)"),
        (_spectrum(psi, k=np.arange(n, dtype=float)),
         "your wavenumbers run 0, 1, ..., n-1: past n/2 they stand for negative ones "
         "(k - n), as np.fft.fftfreq(n, 1/n) gives them"),
        (_spectrum(psi, k=2 * np.pi * k), "your wavenumbers are 2π times too large: on the "
                                          "box [0, 2π) they are the integers "
                                          "np.fft.fftfreq(n, 1/n)"),
        (_spectrum(psi, weight=lambda kk: kk**2), "E(k) has the factor 1/2: the kinetic "
                                                  "energy is (1/2)|u|²"),
        (_spectrum(psi, weight=lambda kk: 0.5 + 0 * kk),
         "the |k|² is missing: the velocity is (ψ_y, -ψ_x), so the energy of mode k is "
         "(1/2)|k|²|ψ̂_k|², not (1/2)|ψ̂_k|²"),
        (_spectrum(psi, weight=lambda kk: np.ones_like(kk)),
         "the factor (1/2)|k|² is missing: the energy of mode k is (1/2)|k|²|ψ̂_k|²"),
        (_spectrum(psi, weight=lambda kk: 0.5 * kk**4),
         "that is the spectrum of (1/2)|ω̂|² = (1/2)|k|⁴|ψ̂|², the enstrophy: the energy "
         "has |k|², not |k|⁴"),
        (_spectrum(psi, power=np.abs), "square the coefficients: the energy has |ψ̂_k|², "
                                       "not |ψ̂_k|"),
        (_spectrum(psi, shell=np.floor), "shell k holds k - 1/2 <= |k| < k + 1/2: round |k| "
                                         "to the nearest integer (np.rint) before "
                                         ".astype(int), which truncates"),
        (_spectrum(psi, shell=np.ceil), "shell k holds k - 1/2 <= |k| < k + 1/2: round |k| "
                                        "to the nearest integer (np.rint), not up"),
        (_spectrum(psi, length=lambda a, b: np.abs(a) + np.abs(b)),
         "the shell is set by the length |k| = sqrt(kx² + ky²), not |kx| + |ky|"),
        (_spectrum(psi, length=lambda a, b: np.maximum(np.abs(a), np.abs(b))),
         "the shell is set by the length |k| = sqrt(kx² + ky²), not max(|kx|, |ky|)"),
        (_spectrum(psi, length=lambda a, b: a * a + b * b),
         "the shell is set by the length |k| = sqrt(kx² + ky²), not |k|²"),
        (_spectrum(psi, shift=True), "np.fft.fftshift moved the coefficients but not the "
                                     "wavenumbers: shift both, or neither"),
        (_spectrum(psi, mean=True), "E(k) is the sum over the shell (np.bincount with "
                                    "weights), not the mean"),
        (_half_plane_spectrum(psi, "none"), "rfft2 keeps only kx >= 0: each of its columns "
                                            "but kx = 0 (and kx = n/2) stands for two "
                                            "modes, k and -k, so count it twice"),
        (_half_plane_spectrum(psi, "all"), "rfft2's column kx = 0 is its own mirror image: "
                                           "double every column except kx = 0 (and n/2)"),
    ]


def _padded(a: np.ndarray, length: int) -> np.ndarray:
    return np.concatenate([a, np.zeros(max(0, length - len(a)))])[:length]


def _name_spectrum_mistake(got: np.ndarray, psi: np.ndarray) -> str | None:
    for value, hint in _spectrum_suspects(psi):
        length = max(len(got), len(value))
        a, b = _padded(got, length), _padded(np.asarray(value, dtype=float), length)
        if np.all(np.abs(a - b) <= 1e-4 * np.abs(b) + 1e-4 * np.sum(np.abs(b)) / length):
            return hint
    return None


def spectrum_tolerance(single: bool, total: float) -> float:
    """The absolute tolerance of a spectrum, from the total energy (see MARGINS)."""
    return (1e-5 if single else 1e-9) * total


def check_energy_spectrum(energy_spectrum: Callable) -> None:
    """Compare ``energy_spectrum(psi)`` with E(k), shell by shell, on a fresh random field."""
    require_own_function(energy_spectrum, "energy_spectrum",
                         forbidden=(_package_spectrum, kinetic_energy, wavenumbers))
    gen = fresh_rng()
    n = _pick_grid(gen)
    psi = _random_field(gen, n, slope=gen.uniform(1.5, 3.0), k_max=n / 3 - 1)
    expected = _reference_spectrum(psi)
    result = energy_spectrum(psi.copy())
    where = f"for a random {n} x {n} field ψ"
    if result is None:
        raise CheckFailed("energy_spectrum returned None: end it with `return E`")
    shape = _shape(result)
    if shape is not None and len(shape) == 2 and shape[0] == 2:
        raise CheckFailed("return E alone, one number per shell k = 0, 1, 2, ...: your "
                          "function returned two arrays (the wavenumbers k and E?)")
    if shape is None or len(shape) != 1:
        raise CheckFailed(f"energy_spectrum should return one number per shell (a 1D "
                          f"array), but it returned something of shape {shape} {where}")
    got = as_array(result, "your E", shape)
    least = n // 2 + 1
    hint = _name_spectrum_mistake(got, psi)
    if len(got) < least:
        raise CheckFailed(f"your E has {len(got)} shells {where}, expected at least "
                          f"{least} (k = 0, 1, ..., n/2; np.bincount of the rounded |k| "
                          "gives them all); " + (hint or "the wavenumbers of an n x n grid "
                                                "on [0, 2π) are np.fft.fftfreq(n, 1/n)"))
    total = float(expected.sum())
    atol = spectrum_tolerance(_single(result), total)
    length = max(len(got), len(expected))
    a, b = _padded(got.astype(float), length), _padded(expected, length)
    bad = np.flatnonzero(np.abs(a - b) > atol + 1e-6 * np.abs(b))
    if bad.size:
        k = int(bad[0])
        raise CheckFailed(
            f"{where}, your E({k}) is {a[k]:.8g}, expected {b[k]:.8g} (the field's mean "
            f"kinetic energy, the sum of E, is {total:.8g}; yours sums to {a.sum():.8g}); "
            + (hint or "E(k) = Σ (1/2)|k|²|ψ̂_k|² over the shell k - 1/2 <= |k| < k + 1/2, "
               "with ψ̂ = np.fft.fft2(psi) / n² and the integer wavenumbers "
               "np.fft.fftfreq(n, 1/n)"))
    passed(f"energy_spectrum matches E(k) shell by shell {where}; the spectrum sums to "
           f"the mean kinetic energy {total:.4g}")


# -- Task 2: the first layer from the residue's largest modes ------------------------
def _coefficients(field: np.ndarray) -> np.ndarray:
    return np.fft.fft2(field) / field.size


def _reference_layer(residue: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(w, b): the ``width`` largest modes on the half-plane ky > 0 or (ky = 0, kx > 0)."""
    n = len(residue)
    kx, ky = np.meshgrid(np.fft.fftfreq(n, 1.0 / n), np.fft.fftfreq(n, 1.0 / n))
    coeffs = _coefficients(residue)
    half = ((ky > 0) | ((ky == 0) & (kx > 0))) & (np.abs(kx) < n / 2) & (np.abs(ky) < n / 2)
    idx = np.flatnonzero(half.ravel())
    order = idx[np.argsort(-np.abs(coeffs.ravel()[idx]), kind="stable")[:width]]
    w = np.stack([kx.ravel()[order], ky.ravel()[order]], axis=1).astype(int)
    return w, np.angle(coeffs.ravel()[order]) + np.pi / 2


def _canonical(w: np.ndarray) -> list[tuple[int, int]]:
    """Each wavevector as the one of k, -k on the half-plane ky > 0 or (ky = 0, kx > 0)."""
    out = []
    for kx, ky in np.rint(w).astype(int):
        if ky < 0 or (ky == 0 and kx < 0):
            kx, ky = -kx, -ky
        out.append((int(kx), int(ky)))
    return out


def _wrap(angle: np.ndarray) -> np.ndarray:
    return np.angle(np.exp(1j * np.asarray(angle, dtype=float)))


def phase_tolerance(single: bool) -> float:
    """Radians a right phase may be off (see MARGINS)."""
    return 1e-4 if single else 1e-6


def _layer_problem(gen: np.random.Generator) -> tuple[np.ndarray, int]:
    """A residue whose ``width``-th and next largest modes differ by at least 1 %."""
    n = _pick_grid(gen)
    residue = _random_field(gen, n, slope=gen.uniform(1.0, 2.5), k_max=n / 3 - 1,
                            k_min=gen.uniform(1.0, 3.0))
    w, _ = _reference_layer(residue, 32)
    sizes = np.abs(_coefficients(residue)[w[:, 1] % n, w[:, 0] % n])  # decreasing
    widths = [k for k in range(8, 31) if sizes[k - 1] > 1.01 * sizes[k]]
    return residue, int(gen.choice(widths))


def check_first_layer(first_layer: Callable) -> None:
    """Compare ``first_layer(residue, width)`` = (w, b) with the residue's largest modes."""
    require_own_function(first_layer, "first_layer",
                         forbidden=(largest_modes, spectral_sine_net, wavenumbers))
    gen = fresh_rng()
    residue, width = _layer_problem(gen)
    n = len(residue)
    where = f"for a random {n} x {n} residue and width = {width}"
    result = first_layer(residue.copy(), width)
    w_got, b_got = returned(result, "first_layer", ("w", "b"),
                            f"the wavevectors, shape ({width}, 2), and the phases, shape "
                            f"({width},)")
    shape = _shape(w_got)
    hints = {(2, width): f"one wavevector (kx, ky) per row: shape ({width}, 2); you "
                         "returned its transpose",
             (2 * width, 2): "k and -k are one real mode (a real field has c_-k = conj c_k): "
                             "keep one of each pair, e.g. from the half-plane ky > 0 or "
                             "(ky = 0, kx > 0)"}
    w = as_array(w_got, "your w", (width, 2),
                 hint=hints.get(shape, f"w holds one wavevector (kx, ky) per neuron, "
                                       f"shape ({width}, 2)"))
    b = as_array(b_got, "your b", (width,), hint=f"b holds one phase per neuron, shape "
                                                 f"({width},)")
    coeffs = _coefficients(residue)
    w_ref, b_ref = _reference_layer(residue, width)
    if not np.allclose(w, np.rint(w), rtol=0, atol=1e-6):
        if np.allclose(w * n, np.rint(w * n), rtol=0, atol=1e-4):
            hint = ("they are in cycles per grid spacing (np.fft.fftfreq(n)): the "
                    "integer wavevectors of the box [0, 2π) are n times those, "
                    "np.fft.fftfreq(n, 1/n)")
        elif np.allclose(w * n / (2 * np.pi), np.rint(w * n / (2 * np.pi)), rtol=0,
                         atol=1e-4):
            hint = ("they are in radians per grid spacing (2π fftfreq(n)): the integer "
                    "wavevectors of the box [0, 2π) are np.fft.fftfreq(n, 1/n)")
        else:
            hint = "each is a pair of integers (kx, ky), from np.fft.fftfreq(n, 1/n)"
        raise CheckFailed(f"your wavevectors are not integers {where}, e.g. {w[0]}; {hint}")
    got_set = _canonical(w)
    ref_set = set(_canonical(w_ref))
    found = []
    if (0, 0) in got_set:
        found.append("(0, 0) is the mean, not a wave: it goes into the output layer's "
                     "offset c; take the largest modes with k ≠ 0")
    if len(set(got_set)) < len(got_set):
        found.append("your w has a mode twice: k and -k are one real mode (a real field "
                     "has c_-k = conj c_k, and the pair is 2|c_k| cos(k·x + arg c_k)); keep "
                     "one of each pair, e.g. from the half-plane ky > 0 or (ky = 0, kx > 0)")
    if found:
        raise CheckFailed(f"{where}, " + "; and ".join(found))
    if set(got_set) != ref_set:
        missing = sorted(ref_set - set(got_set), key=lambda k: -np.abs(coeffs[k[1], k[0]]))
        extra = sorted(set(got_set) - ref_set)
        swapped = set(_canonical(np.fliplr(w)))
        mirrored = set(_canonical(w * np.array([1, -1])))
        unsigned = set(_canonical((np.rint(w).astype(int) + n // 2) % n - n // 2))
        smallest = float(np.min(np.abs(coeffs[w_ref[:, 1], w_ref[:, 0]])))
        sizes = [float(np.abs(coeffs[ky % n, kx % n])) for kx, ky in extra]
        if swapped == ref_set:
            hint = ("you swapped kx and ky: the grid is indexed [iy, ix] (y along axis 0), "
                    "so fft2's first index is ky and its second kx; a neuron's weight is "
                    "(kx, ky), the factors of x and y")
        elif mirrored == ref_set:
            hint = ("your ky has the wrong sign: with psi[iy, ix] and y = 2π iy / n, "
                    "fft2's row index is ky itself (np.fft.fftfreq(n, 1/n)), not -ky")
        elif np.max(np.abs(w)) >= n / 2 and unsigned == ref_set:
            hint = ("your wavenumbers run 0, 1, ..., n-1: past n/2 they stand for "
                    "negative ones (k - n); np.fft.fftfreq(n, 1/n) gives them")
        elif sizes and max(sizes) < smallest:
            hint = ("your modes are smaller than the ones left out: sort by |c_k| in "
                    "decreasing order (np.argsort(-np.abs(c)))")
        else:
            hint = ("w must hold the wavevectors of the residue's largest Fourier "
                    "coefficients |c_k|, c = np.fft.fft2(residue) / n², one of k, -k each")
        show = ", ".join(f"({a}, {b})" for a, b in missing[:3])
        raise CheckFailed(f"{where}, your w leaves out {len(missing)} of the {width} "
                          f"largest modes, e.g. (kx, ky) = {show}; {hint}")
    # Phases: neuron sin(w·x + b) must be the mode's cos(w·x + arg c_w), for either sign.
    wi = np.rint(w).astype(int)
    c_w = coeffs[wi[:, 1] % n, wi[:, 0] % n]
    expected = np.angle(c_w) + np.pi / 2
    tol = phase_tolerance(_single(b_got))
    off = np.abs(_wrap(b - expected))
    if np.any(off > tol):
        i = int(np.argmax(off > tol))
        suspects = [
            (np.angle(c_w), "you left out the π/2: the mode is 2|c_k| cos(k·x + arg c_k) "
                            "= 2|c_k| sin(k·x + arg c_k + π/2), and the neuron is a sine"),
            (np.angle(c_w) - np.pi / 2, "the sign: cos θ = sin(θ + π/2), so the phase is "
                                        "arg c_k + π/2, not arg c_k - π/2"),
            (np.angle(c_w) + 3 * np.pi / 2, "the sign: cos θ = sin(θ + π/2), so the phase "
                                            "is arg c_k + π/2"),
            (-np.angle(c_w) + np.pi / 2, "the phase has the wrong sign for its wavevector: "
                                         "with c_k = fft2(residue)[ky, kx] / n² and weight "
                                         "k, the phase is +arg c_k + π/2 (np.fft.ifft2, or "
                                         "the phase of -k, gives -arg c_k)"),
            (np.angle(c_w, deg=True) + 90.0, "your phases are in degrees: use radians, "
                                             "np.angle(c) + π/2"),
            (np.angle(c_w, deg=True) + np.pi / 2, "your phases are in degrees: use "
                                                  "radians, np.angle(c) + π/2"),
            (np.angle(coeffs[wi[:, 0] % n, wi[:, 1] % n]) + np.pi / 2,
             "you swapped kx and ky: the phase of your neuron w = (kx, ky) is that of "
             "c[kx, ky], but the array is indexed [ky, kx] (y along axis 0), so the "
             "mode (kx, ky) is c[ky, kx]"),
            (np.angle(coeffs[-wi[:, 1] % n, wi[:, 0] % n]) + np.pi / 2,
             "your ky has the wrong sign: the phase of your neuron w = (kx, ky) is that "
             "of the mode (kx, -ky); with psi[iy, ix] and y = 2π iy / n, fft2's row index "
             "is ky itself (np.fft.fftfreq(n, 1/n))"),
        ]
        hint = next((h for v, h in suspects if np.all(np.abs(_wrap(b - v)) < 1e-3)),
                    "the neuron sin(k·x + b) must equal the mode's cos(k·x + arg c_k): "
                    "b = arg c_k + π/2, with c_k = fft2(residue)[ky, kx] / n²")
        raise CheckFailed(f"{where}, the phase of your neuron with w = ({wi[i, 0]}, "
                          f"{wi[i, 1]}) is {b[i]:.8g}, expected {expected[i]:.8g} (modulo "
                          f"2π); {hint}")
    kept = float(np.sum(np.abs(c_w) ** 2) / (np.sum(np.abs(coeffs) ** 2)
                                              - np.abs(coeffs[0, 0]) ** 2) * 2)
    passed(f"first_layer picks the {width} largest modes with their phases {where}; they "
           f"hold {kept:.1%} of the residue's energy (its mean left aside)")


# -- Task 3: ε and the output layer by least squares ---------------------------------
def _grid(n: int, kind: str = "xy") -> tuple[np.ndarray, np.ndarray]:
    if kind == "cycles":
        s = np.arange(n) / n
    elif kind == "linspace":
        s = np.linspace(0, 2 * np.pi, n)
    else:
        s = 2 * np.pi * np.arange(n) / n
    x, y = np.meshgrid(s, s, indexing="ij" if kind == "ij" else "xy")
    return x, y


def _features(w: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.sin(np.outer(np.ravel(x), w[:, 0]) + np.outer(np.ravel(y), w[:, 1]) + b)


def _reference_output(residue: np.ndarray, w: np.ndarray, b: np.ndarray, *,
                      eps: float | None = None, grid: str = "xy",
                      offset: bool = True) -> tuple[float, np.ndarray, float]:
    """(eps, a, c): least squares of residue / eps on the grid's sine features and 1."""
    n = len(residue)
    eps = float(np.abs(residue).max()) if eps is None else eps
    x, y = _grid(n, grid)
    design = _features(w, b, x, y)
    if offset:
        design = np.column_stack([design, np.ones(n * n)])
    coef = np.linalg.lstsq(design, residue.ravel() / eps, rcond=None)[0]
    return eps, coef[:len(w)], float(coef[-1]) if offset else 0.0


def output_tolerance(single: bool) -> float:
    """Tolerance of the weights relative to the largest of them (see MARGINS)."""
    return 1e-4 if single else 1e-9


def _output_problem(gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A residue whose largest value is negative (so max r ≠ max |r|), and the modes
    that hold 99.9 % of its energy (at most 80) as w with their own phases b."""
    n = _pick_grid(gen)
    residue = _random_field(gen, n, slope=gen.uniform(3.5, 4.5), k_max=n / 3 - 1,
                            k_min=gen.uniform(1.0, 2.5))
    if residue.max() > 0.9 * -residue.min():
        residue = -residue
        if residue.max() > 0.9 * -residue.min():
            residue = residue - 0.25 * np.abs(residue).max()
    residue *= 10.0 ** gen.uniform(-4, -1) / np.abs(residue).max()  # small, as residues are
    coeffs = np.abs(_coefficients(residue)).ravel() ** 2
    coeffs[0] = 0.0
    share = np.cumsum(np.sort(coeffs)[::-1]) / coeffs.sum()
    width = int(min(80, max(8, (np.searchsorted(share, 0.999) + 2) // 2)))
    w, b = _reference_layer(residue, width)
    return residue, w, b


def check_output_layer(output_layer: Callable) -> None:
    """Compare ``output_layer(residue, w, b)`` = (eps, a, c) with eps = max|r| and the
    least-squares fit of r / eps, then judge the stage at random points off the grid."""
    require_own_function(output_layer, "output_layer",
                         forbidden=(spectral_sine_net, largest_modes, levenberg_marquardt))
    gen = fresh_rng()
    residue, w, b_own = _output_problem(gen)
    n, width = len(residue), len(w)
    # Phases that are not the modes' own: only a least-squares fit gets the weights.
    b = b_own + gen.uniform(-1.0, 1.0, width)
    where = (f"for a random {n} x {n} residue (max|r| = {np.abs(residue).max():.3g}, mean "
             f"{residue.mean():.3g}) and {width} sine neurons")
    eps_ref, a_ref, c_ref = _reference_output(residue, w, b)
    eps, a, c = _output_result(output_layer(residue.copy(), w.copy(), b.copy()), width)
    _judge_eps(eps, residue, where)
    single = _single(a)
    atol = output_tolerance(single) * float(np.max(np.abs(a_ref)))
    coeffs = _coefficients(residue)
    amplitudes = 2 * np.abs(coeffs[w[:, 1] % n, w[:, 0] % n]) / eps_ref
    suspects = [
        (a_ref * eps_ref, "your output weights fit the residue itself: divide it by ε "
                          "first, so that the stage fits r/ε, a target of size one, and "
                          "multiply by ε only when the stage is added (you forgot ε)"),
        (a_ref / eps_ref, "you divided by ε twice: fit r/ε once"),
        (amplitudes, "those are the amplitudes 2|c_k|/ε, right only at each mode's own "
                     "phase: with the phases b you were given, fit a and c by least "
                     "squares to the features sin(w_i·x + b_i) on the grid"),
        (_reference_output(residue, w, b, grid="ij")[1],
         "x and y are swapped: the fields are indexed [iy, ix], so x varies along axis 1 "
         "(X, Y = np.meshgrid(s, s)), and w[:, 0] multiplies x"),
        (_reference_output(residue, w, b, grid="cycles")[1],
         "your grid is in [0, 1): the box is [0, 2π), with nodes 2π j / n"),
        (_reference_output(residue, w, b, grid="linspace")[1],
         "np.linspace(0, 2π, n) puts a node on 2π, which is 0 again: the periodic grid's "
         "nodes are 2π j / n, j = 0, ..., n-1 (np.arange(n) * 2π / n, or endpoint=False)"),
    ]
    if not _close(a, a_ref, atol):
        hint = next((h for v, h in suspects if _close(a, v, 1e-3 * np.max(np.abs(v)))),
                    "a and c are the least-squares solution of "
                    "Σ_i a_i sin(w_i·x + b_i) + c = r(x)/ε at the n² grid nodes "
                    "(np.linalg.lstsq of the features and a column of ones)")
        i = int(np.argmax(np.abs(a - a_ref)))
        raise CheckFailed(f"{where}, your a[{i}] (w = ({w[i, 0]}, {w[i, 1]})) is "
                          f"{a[i]:.8g}, expected {a_ref[i]:.8g}; {hint}")
    if abs(c - c_ref) > atol + 1e-6 * abs(c_ref):
        mean = float(residue.mean())
        hint = ("the offset c fits the residue's mean: add a column of ones to the "
                "least-squares fit" if abs(c) <= atol else
                "the offset fits r/ε too: c is the mean of r divided by ε"
                if abs(c - mean) <= 1e-4 * abs(mean) else
                "c is the least-squares offset of r/ε (with the sines, it is the mean of "
                "r/ε on the grid)")
        raise CheckFailed(f"{where}, your c is {c:.8g}, expected {c_ref:.8g}; {hint}")
    # The modes' own phases: the stage must lower the error between the nodes.
    eps2, a2, c2 = _output_result(output_layer(residue.copy(), w.copy(), b_own.copy()),
                                  width)
    x, y = gen.uniform(0, 2 * np.pi, (2, 2000))
    truth = fourier_series(residue, x, y)
    stage = eps2 * (_features(w, b_own, x, y) @ a2 + c2)
    gain = float(np.linalg.norm(truth) / np.linalg.norm(truth - stage))
    if gain < REQUIRED_GAIN:
        raise CheckFailed(f"{where}, with the modes' own phases your stage ε(Σ a_i sin(w_i·x "
                          f"+ b_i) + c) lowers the residue's error at 2000 random points "
                          f"off the grid only {gain:.3g} times, expected at least "
                          f"{REQUIRED_GAIN:g}; fit a and c by least squares on the grid "
                          "nodes, as for the other phases")
    passed(f"output_layer matches ε = max|r| and the least-squares weights {where}; with "
           f"the modes' own phases the stage lowers the residue's error {gain:.0f} times at "
           "2000 random points off the grid")


def _close(got: np.ndarray, expected: np.ndarray, atol: float) -> bool:
    return bool(np.all(np.abs(np.asarray(got, dtype=float) - expected)
                       <= atol + 1e-6 * np.abs(expected)))


def _output_result(result: object, width: int) -> tuple[float, np.ndarray, float]:
    eps, a, c = returned(result, "output_layer", ("eps", "a", "c"),
                         f"the scale ε, the {width} output weights and the offset")
    shape = _shape(a)
    hint = ("a holds the sines' weights only; return the offset as c" if shape == (width + 1,)
            else f"a holds one output weight per neuron, shape ({width},)")
    a = as_array(a, "your a", (width,), hint=hint)
    return (as_number(eps, "your eps"), a,
            as_number(c, "your c", hint="c is the offset, a single number"))


def _judge_eps(eps: float, residue: np.ndarray, where: str) -> None:
    size = float(np.abs(residue).max())
    if abs(eps - size) <= 1e-4 * size:
        return
    rms = float(np.sqrt(np.mean(residue**2)))
    suspects = [
        (1.0, "ε = 1 is no rescaling at all (you forgot ε): ε = max|r|, the residue's "
              "size, so that the stage fits r/ε, a target of size one"),
        (float(residue.max()), "max r misses the negative values: ε = max|r|, the largest "
                               "size, np.abs(residue).max()"),
        (1.0 / size, "ε is the residue's size max|r| itself: the stage fits r/ε and is "
                     "added as ε u1"),
        (rms, "that is the root-mean-square of r: the chapter's ε is its largest size, "
              "max|r|"),
        (float(residue.std()), "that is the standard deviation of r: the chapter's ε is "
                               "its largest size, max|r|"),
    ]
    hint = next((h for v, h in suspects if abs(eps - v) <= 1e-4 * abs(v)),
                "ε = max|r| on the grid, np.abs(residue).max()")
    raise CheckFailed(f"{where}, your eps is {eps:.8g}, expected max|r| = {size:.8g}; "
                      f"{hint}")
