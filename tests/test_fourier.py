"""The Fourier helpers, on signals whose spectra are known in closed form."""

import numpy as np
import pytest
import torch

from nnbasics.fourier import (
    amplitude_spectrum,
    fourier_features,
    gaussian_frequencies,
    relative_error_per_frequency,
    shell_index,
)


def grid_1d(n):
    return 2 * np.pi * np.arange(n) / n


def grid_2d(ny, nx):
    y, x = np.meshgrid(grid_1d(ny), grid_1d(nx), indexing="ij")
    return x, y


def test_amplitudes_of_a_sum_of_sines_and_a_constant():
    x = grid_1d(64)
    values = 0.5 + 2.0 * np.sin(3 * x) + 0.25 * np.cos(7 * x + 1.0)
    ks, amps = amplitude_spectrum(values)
    assert ks[0] == 0 and ks[-1] == 31 and len(amps) == 32
    expected = np.zeros(32)
    expected[[0, 3, 7]] = [0.5, 2.0, 0.25]
    np.testing.assert_allclose(amps, expected, atol=1e-12)


def test_amplitude_spectrum_of_a_gaussian_matches_its_fourier_transform():
    # exp(-x²/2s²) on a wide periodic window: c_k = (s / sqrt(2π)) (2π/L) exp(-k²s²/2)
    # with L = 2π here, so the amplitude is 2 c_k for k > 0.
    n, s = 256, 0.3
    x = grid_1d(n) - np.pi
    ks, amps = amplitude_spectrum(np.exp(-x**2 / (2 * s**2)))
    expected = 2 * s / np.sqrt(2 * np.pi) * np.exp(-ks**2 * s**2 / 2)
    expected[0] /= 2
    np.testing.assert_allclose(amps[:20], expected[:20], rtol=1e-9)


def test_2d_plane_waves_land_on_their_shells():
    x, y = grid_2d(32, 48)  # a non-square grid: kmax is set by the coarser axis
    values = 1.5 * np.cos(3 * x + 4 * y) + 0.5 * np.sin(2 * y) + 0.5 * np.sin(2 * x)
    ks, amps = amplitude_spectrum(values)
    assert ks[-1] == 15
    expected = np.zeros(16)
    expected[5] = 1.5
    expected[2] = np.sqrt(0.5**2 + 0.5**2)  # two modes on one shell: root sum of squares
    np.testing.assert_allclose(amps, expected, atol=1e-12)


def test_parseval_the_shell_amplitudes_carry_the_variance():
    rng = np.random.default_rng(0)
    x = grid_1d(128)
    values = sum(rng.normal() * np.sin(k * x + rng.uniform(0, 6)) for k in range(1, 20))
    _, amps = amplitude_spectrum(values)
    assert np.isclose(np.sum(amps[1:] ** 2) / 2, np.var(values))


def test_shell_index_in_1d_pairs_plus_and_minus_k():
    shells = shell_index((8,))
    np.testing.assert_array_equal(shells, [0, 1, 2, 3, 4, 3, 2, 1])


def test_relative_error_per_frequency_isolates_each_frequency():
    x = grid_1d(256)
    target = np.sin(x) + np.sin(3 * x) + np.sin(5 * x) + np.sin(7 * x)
    fit = np.sin(x) + 0.9 * np.sin(3 * x) + np.sin(5 * x + 0.2) + 0.0 * x
    got = relative_error_per_frequency(target, fit, [1, 3, 5, 7])
    phase_error = abs(1 - np.exp(0.2j))  # |e^{iφ} - 1| for a phase shift φ
    np.testing.assert_allclose(got, [0.0, 0.1, phase_error, 1.0], atol=1e-12)


def test_relative_error_per_frequency_in_2d_and_with_torch_inputs():
    x, y = grid_2d(32, 32)
    target = np.cos(x + y) + np.sin(6 * x)
    fit = np.cos(x + y) + 0.5 * np.sin(6 * x)
    got = relative_error_per_frequency(torch.tensor(target), torch.tensor(fit), np.array([1, 6]))
    np.testing.assert_allclose(got, [0.0, 0.5], atol=1e-12)


def test_fourier_features_match_the_formula_in_numpy_and_torch():
    rng = np.random.default_rng(1)
    B = gaussian_frequencies(5, 2, 3.0, rng)
    x = rng.uniform(-1, 1, size=(7, 2))
    feats = fourier_features(x, B)
    assert feats.shape == (7, 10)
    np.testing.assert_allclose(feats[:, :5], np.cos(x @ B.T))
    np.testing.assert_allclose(feats[:, 5:], np.sin(x @ B.T))
    x_t = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    feats_t = fourier_features(x_t, B)
    assert feats_t.dtype == torch.float32 and feats_t.shape == (7, 10)
    np.testing.assert_allclose(feats_t.detach().numpy(), feats, atol=1e-5)
    feats_t.sum().backward()  # differentiable in x
    assert x_t.grad is not None


def test_fourier_features_accept_a_flat_1d_input():
    B = np.array([[1.0], [2.0]])
    x = np.array([0.0, np.pi / 2])
    np.testing.assert_allclose(fourier_features(x, B),
                               [[1, 1, 0, 0], [0, -1, 1, 0]], atol=1e-12)
    assert fourier_features(torch.zeros(3), B).shape == (3, 4)


def test_gaussian_frequencies_have_standard_deviation_kappa():
    B = gaussian_frequencies(20_000, 1, 4.0, np.random.default_rng(2))
    assert B.shape == (20_000, 1)
    assert abs(B.std() - 4.0) < 0.1 and abs(B.mean()) < 0.1


TARGET = np.sin(grid_1d(16))
BAD_CALLS = [
    (lambda: amplitude_spectrum(np.zeros((2, 2, 2))), ValueError, "values"),
    (lambda: amplitude_spectrum([1.0]), ValueError, "values"),
    (lambda: amplitude_spectrum([1.0, np.nan, 2.0]), ValueError, "values"),
    (lambda: amplitude_spectrum(["a", "b"]), TypeError, "values"),
    (lambda: relative_error_per_frequency(TARGET, TARGET[:8], [1]), ValueError, "fit"),
    (lambda: relative_error_per_frequency(TARGET, TARGET, [9]), ValueError, "ks"),
    (lambda: relative_error_per_frequency(TARGET, TARGET, [1.5]), TypeError, "ks"),
    (lambda: relative_error_per_frequency(TARGET, TARGET, [2]), ValueError, "ks"),
    (lambda: relative_error_per_frequency(TARGET, TARGET, []), ValueError, "ks"),
    (lambda: gaussian_frequencies(0, 1, 1.0, np.random.default_rng()), ValueError, "count"),
    (lambda: gaussian_frequencies(4, 0, 1.0, np.random.default_rng()), ValueError, "dim"),
    (lambda: gaussian_frequencies(4, 1, 0.0, np.random.default_rng()), ValueError, "kappa"),
    (lambda: gaussian_frequencies(4, 1, 1.0, 2.5), TypeError, "seed"),
    (lambda: gaussian_frequencies(4, 1, 1.0, -3), ValueError, "seed"),
    (lambda: fourier_features(np.zeros((3, 2)), np.zeros((4, 1))), ValueError, "B"),
    (lambda: fourier_features(np.zeros((3, 2, 1)), np.zeros((4, 1))), ValueError, "x"),
    (lambda: fourier_features(np.zeros(3), np.zeros(4)), ValueError, "B"),
    (lambda: fourier_features(torch.zeros(3, 2), np.zeros((4, 1))), ValueError, "B"),
    (lambda: fourier_features(np.array([np.inf]), np.ones((1, 1))), ValueError, "x"),
]


@pytest.mark.parametrize(("call", "exc", "argument"), BAD_CALLS)
def test_bad_calls_name_the_argument(call, exc, argument):
    with pytest.raises(exc, match=argument):
        call()


def test_the_relative_error_has_one_home_importable_from_multistage_too():
    from nnbasics import multistage
    from nnbasics.fourier import relative_l2

    assert multistage.relative_l2 is relative_l2
    assert np.isclose(relative_l2([3.0, 4.0], [3.0, 0.0]), 4.0 / 3.0, rtol=1e-15, atol=0)
