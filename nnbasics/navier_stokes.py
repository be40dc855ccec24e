"""A small pseudo-spectral solver for 2D incompressible flow, and spectral tools for its fields.

The vorticity equation in the periodic box [0, 2 pi)^2,

    d omega/dt + psi_y omega_x - psi_x omega_y = (1/Re) lap omega,   lap psi = -omega,

is advanced in Fourier space with an integrating-factor fourth-order Runge-Kutta
scheme: the viscous term is integrated exactly, the advection term is computed on the
grid and dealiased with the 2/3 rule. Arrays are indexed [iy, ix], with y along axis 0.

The same module holds the spectral tools the multistage chapter applies to the field:
the radial energy spectrum, exact evaluation of the field's Fourier series off the grid,
and a sine network that starts as the residue's largest Fourier modes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import MLP
from .fourier import shell_index
from .seeding import Seed, generator
from .validation import require_in_range, require_int

TWO_PI = 2.0 * np.pi


def wavenumbers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer wavenumbers (kx, ky) of an n x n grid, as 2D arrays in numpy's FFT order."""
    n = require_int("n", n, 4)
    k = np.fft.fftfreq(n, 1.0 / n)
    kx, ky = np.meshgrid(k, k)
    return kx, ky


def grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (x, y) of the n x n grid on [0, 2 pi)^2, indexed [iy, ix]."""
    n = require_int("n", n, 4)
    s = TWO_PI * np.arange(n) / n
    x, y = np.meshgrid(s, s)
    return x, y


def _field(name: str, values: object) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[0] != values.shape[1] or values.shape[0] < 4:
        raise ValueError(f"{name} must be a square 2D grid of at least 4 x 4, got {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must contain only finite values")
    return values


def streamfunction(omega: object) -> np.ndarray:
    """psi with lap psi = -omega and zero mean (the mean of omega must be zero)."""
    omega = _field("omega", omega)
    kx, ky = wavenumbers(len(omega))
    k2 = kx**2 + ky**2
    k2[0, 0] = 1.0
    psi_hat = np.fft.fft2(omega) / k2
    psi_hat[0, 0] = 0.0
    return np.real(np.fft.ifft2(psi_hat))


def laplacian(field: object) -> np.ndarray:
    """The spectral Laplacian of a periodic grid field."""
    field = _field("field", field)
    kx, ky = wavenumbers(len(field))
    return np.real(np.fft.ifft2(-(kx**2 + ky**2) * np.fft.fft2(field)))


def kinetic_energy(psi: object) -> float:
    """Mean kinetic energy (1/2) <|grad psi|^2> over the box, by Parseval."""
    psi = _field("psi", psi)
    kx, ky = wavenumbers(len(psi))
    psi_hat = np.fft.fft2(psi) / psi.size
    return float(0.5 * np.sum((kx**2 + ky**2) * np.abs(psi_hat) ** 2))


def random_vorticity(n: int, seed: Seed, k_low: float = 4.0,
                     k_high: float = 10.0, rms_velocity: float = 1.0) -> np.ndarray:
    """A random vorticity field with energy only in k_low <= |k| <= k_high, random phases,
    scaled so that the root-mean-square velocity is ``rms_velocity``; drawn from ``seed``
    (a whole number or a NumPy Generator)."""
    n = require_int("n", n, 8)
    k_low = require_in_range("k_low", k_low, 1.0)
    k_high = require_in_range("k_high", k_high, k_low, n / 3)
    rms_velocity = require_in_range("rms_velocity", rms_velocity, 0.0, low_inclusive=False)
    kx, ky = wavenumbers(n)
    kk = np.hypot(kx, ky)
    band = (kk >= k_low) & (kk <= k_high)
    noise = generator(seed).normal(size=(n, n))
    omega_hat = np.fft.fft2(noise) * band  # a real field's spectrum keeps Hermitian symmetry
    omega = np.real(np.fft.ifft2(omega_hat))
    energy = kinetic_energy(streamfunction(omega))
    return omega * rms_velocity / np.sqrt(2.0 * energy)


@dataclass
class Flow:
    """The solver's output: vorticity and stream function at the saved times."""

    times: np.ndarray
    omega: np.ndarray  # shape (n_saved, n, n)
    psi: np.ndarray
    energy: np.ndarray
    steps: int
    dt: float
    courant: float = 0.0  # the largest dt x (max|u| + max|v|) / dx over the steps


def solve_vorticity(omega0: object, reynolds: float, t_end: float, n_saves: int = 5,
                    cfl: float = 1.0) -> Flow:
    """Advance the vorticity equation from omega0 to t_end (pseudo-spectral, IF-RK4, 2/3 rule).

    Each time step is cfl x dx / (max|u| + max|v|) of the *current* field (so the step
    shrinks if the flow speeds up; cfl = 1 keeps RK4 well inside its stability limit),
    shortened where needed to land on the save times. ``n_saves`` fields are saved at
    equal intervals, t = 0 included. ``Flow.dt`` is the largest step taken.
    """
    omega0 = _field("omega0", omega0)
    reynolds = require_in_range("reynolds", reynolds, 0.0, low_inclusive=False)
    t_end = require_in_range("t_end", t_end, 0.0, low_inclusive=False)
    n_saves = require_int("n_saves", n_saves, 2)
    cfl = require_in_range("cfl", cfl, 0.0, 1.0, low_inclusive=False)
    n = len(omega0)
    # Real-to-complex transforms: the field is real, so half of the spectrum suffices.
    kx = np.fft.rfftfreq(n, 1.0 / n)[None, :]
    ky = np.fft.fftfreq(n, 1.0 / n)[:, None]
    k2 = kx**2 + ky**2
    inv_k2 = np.where(k2 > 0, 1.0 / np.where(k2 > 0, k2, 1.0), 0.0)
    keep = (np.abs(kx) < n / 3) & (np.abs(ky) < n / 3)  # the 2/3 rule
    ikx, iky = 1j * kx, 1j * ky
    dx = TWO_PI / n

    def advection(w_hat: np.ndarray) -> tuple[np.ndarray, float]:
        psi_hat = w_hat * inv_k2
        u = np.fft.irfft2(iky * psi_hat, s=(n, n))  # u = psi_y
        v = np.fft.irfft2(-ikx * psi_hat, s=(n, n))  # v = -psi_x
        wx = np.fft.irfft2(ikx * w_hat, s=(n, n))
        wy = np.fft.irfft2(iky * w_hat, s=(n, n))
        speed = float(np.max(np.abs(u)) + np.max(np.abs(v)))
        return -np.fft.rfft2(u * wx + v * wy) * keep, speed

    w_hat = np.fft.rfft2(omega0) * keep
    save_times = np.linspace(0.0, t_end, n_saves)
    omegas, psis = [], []
    steps, largest, courant = 0, 0.0, 0.0

    def save(w_hat: np.ndarray) -> None:
        omegas.append(np.fft.irfft2(w_hat, s=(n, n)))
        psis.append(np.fft.irfft2(w_hat * inv_k2, s=(n, n)))

    save(w_hat)
    t = 0.0
    for t_save in save_times[1:]:
        while t < t_save - 1e-12 * t_end:
            a, speed = advection(w_hat)
            dt = min(cfl * dx / max(speed, 1e-12), t_save - t)
            half = np.exp(-k2 / reynolds * dt / 2)
            full = half**2
            b = advection(half * (w_hat + dt / 2 * a))[0]
            c = advection(half * w_hat + dt / 2 * b)[0]
            d = advection(full * w_hat + dt * half * c)[0]
            w_hat = full * w_hat + dt / 6 * (full * a + 2 * half * (b + c) + d)
            t += dt
            steps += 1
            largest = max(largest, dt)
            courant = max(courant, dt * speed / dx)
        save(w_hat)
    psi = np.array(psis)
    return Flow(times=save_times, omega=np.array(omegas), psi=psi,
                energy=np.array([kinetic_energy(p) for p in psi]), steps=steps, dt=largest,
                courant=courant)


def energy_spectrum(psi: object) -> tuple[np.ndarray, np.ndarray]:
    """Radial energy spectrum E(k) = sum over k - 1/2 <= |k| < k + 1/2 of (1/2)|k|^2 |psi_hat|^2.

    psi_hat are the Fourier coefficients of the grid field (fft2 / n^2), so that
    sum_k E(k) is the mean kinetic energy. Returns (k, E) for k = 0, 1, ..., n//2 * sqrt 2.
    """
    psi = _field("psi", psi)
    kx, ky = wavenumbers(len(psi))
    density = 0.5 * (kx**2 + ky**2) * np.abs(np.fft.fft2(psi) / psi.size) ** 2
    # The shells of nnbasics.fourier (|k| rounded), as the spectral-bias chapter bins them.
    spectrum = np.bincount(shell_index(psi.shape).ravel(), weights=density.ravel())
    return np.arange(len(spectrum)), spectrum


def fourier_series(values: object, x: object, y: object) -> np.ndarray:
    """Evaluate the Fourier series of a grid field at arbitrary points (x, y).

    Exact for a field whose coefficients vanish at the Nyquist wavenumber n/2 (any
    dealiased field of the solver): it is then a finite Fourier series that passes
    through the grid values, and its value between nodes is the field's true value.
    """
    values = _field("values", values)
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same number of points, got {x.size} and {y.size}")
    n = len(values)
    k = np.fft.fftfreq(n, 1.0 / n)
    coeffs = np.fft.fft2(values) / values.size
    ex = np.exp(1j * np.outer(x, k))
    ey = np.exp(1j * np.outer(y, k))
    return np.real(np.sum((ey @ coeffs) * ex, axis=1))


def resample(values: object, m: int) -> np.ndarray:
    """The field's Fourier series sampled on a finer m x m grid (zero-padding the spectrum)."""
    values = _field("values", values)
    n = len(values)
    m = require_int("m", m, n)
    coeffs = np.fft.fftshift(np.fft.fft2(values) / values.size)
    padded = np.zeros((m, m), dtype=complex)
    start = m // 2 - n // 2
    padded[start:start + n, start:start + n] = coeffs
    return np.real(np.fft.ifft2(np.fft.ifftshift(padded)) * m * m)


def largest_modes(residue: object, n_modes: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer wavevectors (N, 2) and phases of the residue's largest Fourier modes.

    A real field is sum over half of the wavevectors of 2|c_k| cos(k . x + arg c_k), that
    is 2|c_k| sin(k . x + arg c_k + pi/2): each mode is one sine neuron with weight k and
    bias arg c_k + pi/2. The Nyquist row and column are left out (they are not a sine).
    """
    residue = _field("residue", residue)
    n = len(residue)
    n_modes = require_int("n_modes", n_modes, 1)
    kx, ky = wavenumbers(n)
    coeffs = np.fft.fft2(residue) / residue.size
    half = ((ky > 0) | ((ky == 0) & (kx > 0))) & (np.abs(kx) < n / 2) & (np.abs(ky) < n / 2)
    idx = np.flatnonzero(half.ravel())
    if n_modes > len(idx):
        raise ValueError(f"n_modes must be at most {len(idx)} on a {n} x {n} grid, got {n_modes}")
    order = idx[np.argsort(-np.abs(coeffs.ravel()[idx]), kind="stable")[:n_modes]]
    wavevectors = np.rint(np.stack([kx.ravel()[order], ky.ravel()[order]], axis=1)).astype(int)
    return wavevectors, np.angle(coeffs.ravel()[order]) + np.pi / 2


def spectral_sine_net(residue: object, width: int) -> MLP:
    """A sine network sum_i a_i sin(w_i . (x, y) + b_i) that starts as the residue's
    ``width`` largest Fourier modes: w_i the integer wavevector, b_i its phase, a_i its
    amplitude 2|c_k|. Every parameter can then be trained; the offset starts at the mean.
    """
    residue = _field("residue", residue)
    wavevectors, phases = largest_modes(residue, width)
    n = len(residue)
    coeffs = np.fft.fft2(residue) / residue.size
    amplitudes = 2.0 * np.abs(coeffs[wavevectors[:, 1] % n, wavevectors[:, 0] % n])
    return MLP.from_layers([wavevectors.astype(float), amplitudes[None, :]],
                           [phases, np.array([np.real(coeffs[0, 0])])], first="sin")
