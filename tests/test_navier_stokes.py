"""The 2D flow solver and spectral tools, tested on fields the chapter does not use."""

import re

import numpy as np
import pytest

from nnbasics.navier_stokes import (
    energy_spectrum,
    fourier_series,
    grid,
    kinetic_energy,
    laplacian,
    largest_modes,
    random_vorticity,
    resample,
    solve_vorticity,
    spectral_sine_net,
    streamfunction,
)
from nnbasics.seeding import rng


def test_streamfunction_inverts_the_laplacian():
    omega = random_vorticity(32, rng(1, 0), k_low=2, k_high=8)
    psi = streamfunction(omega)
    assert np.max(np.abs(laplacian(psi) + omega)) < 1e-12 * np.max(np.abs(omega))


def test_random_vorticity_is_band_limited_with_the_requested_speed():
    omega = random_vorticity(48, rng(2, 0), k_low=3, k_high=6, rms_velocity=2.0)
    k, spectrum = energy_spectrum(streamfunction(omega))
    assert np.isclose(np.sqrt(2 * kinetic_energy(streamfunction(omega))), 2.0)
    assert spectrum[:3].sum() < 1e-20 and spectrum[7:].sum() < 1e-20


def test_energy_spectrum_of_one_mode():
    x, y = grid(32)
    psi = np.sin(3 * x) * np.cos(4 * y)  # |k| = 5; <|grad psi|^2> = 25/4
    k, spectrum = energy_spectrum(psi)
    assert np.isclose(spectrum.sum(), 25 / 8) and np.isclose(spectrum[5], 25 / 8)
    assert np.isclose(kinetic_energy(psi), 25 / 8)


def test_a_single_shell_decays_viscously_at_the_exact_rate():
    # A field made of modes with one |k| is a steady solution of the Euler equations,
    # so only viscosity acts: E(t) = E(0) exp(-2 |k|^2 t / Re).
    x, y = grid(32)
    psi0 = np.sin(3 * x + 4 * y) + 0.5 * np.cos(5 * x + 0.3)
    flow = solve_vorticity(-laplacian(psi0), reynolds=50.0, t_end=0.5, n_saves=3)
    expected = flow.energy[0] * np.exp(-2 * 25 * flow.times / 50.0)
    assert np.allclose(flow.energy, expected, rtol=1e-9)


def test_a_random_flow_loses_energy_and_keeps_lap_psi_equal_minus_omega():
    omega0 = random_vorticity(32, rng(3, 0), k_low=2, k_high=5)
    flow = solve_vorticity(omega0, reynolds=300.0, t_end=1.0, n_saves=4)
    assert np.all(np.diff(flow.energy) < 0)
    assert np.max(np.abs(laplacian(flow.psi[-1]) + flow.omega[-1])) < 1e-11


def test_fourier_series_and_resample_are_exact_for_trigonometric_polynomials():
    def field(x, y):
        return np.cos(2 * x - 3 * y + 0.4) + 0.2 * np.sin(5 * y) - 0.1

    x, y = grid(16)
    points = rng(4, 0).uniform(0, 2 * np.pi, (2, 50))
    assert np.allclose(fourier_series(field(x, y), *points), field(*points), atol=1e-12)
    xf, yf = grid(40)
    assert np.allclose(resample(field(x, y), 40), field(xf, yf), atol=1e-12)


def test_spectral_sine_net_starts_as_the_largest_modes():
    x, y = grid(24)
    residue = (2.0 * np.sin(3 * x + y + 0.3) + 0.5 * np.cos(x - 2 * y)
               + 0.01 * np.sin(7 * y) + 0.2)
    wavevectors, _ = largest_modes(residue, 2)
    as_sets = {tuple(abs(int(v)) for v in w) for w in wavevectors}
    assert as_sets == {(3, 1), (1, 2)}
    net = spectral_sine_net(residue, 2)
    assert np.allclose(np.sort(net.weights[1][0]), [0.5, 2.0], atol=1e-12)
    # Off the grid, the two-neuron start misses exactly the third mode.
    points = rng(5, 0).uniform(0, 2 * np.pi, (2, 100))
    exact = (2.0 * np.sin(3 * points[0] + points[1] + 0.3)
             + 0.5 * np.cos(points[0] - 2 * points[1]) + 0.2)
    assert np.allclose(net.forward(points)[0], exact, atol=1e-12)


def test_adaptive_time_step_keeps_the_courant_number_and_the_save_times():
    omega0 = random_vorticity(32, rng(7, 0), k_low=2, k_high=5)
    flow = solve_vorticity(omega0, reynolds=200.0, t_end=0.7, n_saves=3,
                           cfl=0.5)
    assert np.allclose(flow.times, [0.0, 0.35, 0.7], rtol=0, atol=1e-15)
    assert 0.3 < flow.courant <= 0.5 + 1e-12


def test_a_resolved_flow_does_not_change_when_the_grid_is_refined():
    # The chapter's check (128^2 vs 256^2 at Re = 100) on a cheaper flow.
    omega0 = random_vorticity(64, rng(3, 0), k_low=4, k_high=10)
    coarse = solve_vorticity(omega0, reynolds=30.0, t_end=2.0, n_saves=2)
    fine = solve_vorticity(resample(omega0, 128), reynolds=30.0, t_end=2.0,
                           n_saves=2)
    gap = (np.linalg.norm(resample(coarse.psi[-1], 128) - fine.psi[-1])
           / np.linalg.norm(fine.psi[-1]))
    assert gap < 1e-3


@pytest.mark.parametrize("call, exc, named", [
    (lambda: grid(2), ValueError, "n"),
    (lambda: streamfunction(np.zeros((4, 5))), ValueError, "omega"),
    (lambda: laplacian(np.full((4, 4), np.nan)), ValueError, "field"),
    (lambda: random_vorticity(32, rng(0), k_low=0.5), ValueError, "k_low"),
    (lambda: random_vorticity(32, rng(0), k_high=20), ValueError, "k_high"),
    (lambda: random_vorticity(32, rng(0), rms_velocity=0), ValueError, "rms_velocity"),
    (lambda: solve_vorticity(np.zeros((8, 8)), reynolds=-1, t_end=1), ValueError, "reynolds"),
    (lambda: solve_vorticity(np.zeros((8, 8)), reynolds=1, t_end=0), ValueError, "t_end"),
    (lambda: solve_vorticity(np.zeros((8, 8)), 1, 1, n_saves=1), ValueError, "n_saves"),
    (lambda: solve_vorticity(np.zeros((8, 8)), 1, 1, cfl=2), ValueError, "cfl"),
    (lambda: energy_spectrum(np.zeros(8)), ValueError, "psi"),
    (lambda: fourier_series(np.zeros((8, 8)), [1.0, 2.0], [1.0]), ValueError, "x and y"),
    (lambda: resample(np.zeros((8, 8)), 4), ValueError, "m"),
    (lambda: largest_modes(np.zeros((8, 8)), 0), ValueError, "n_modes"),
    (lambda: largest_modes(np.zeros((8, 8)), 1000), ValueError, "n_modes"),
    (lambda: spectral_sine_net(np.zeros((8, 8)), 0), ValueError, "n_modes"),
    (lambda: spectral_sine_net(np.zeros((8, 5)), 1), ValueError, "residue"),
])
def test_bad_calls_name_the_argument(call, exc, named):
    with pytest.raises(exc, match=re.escape(named)):
        call()
