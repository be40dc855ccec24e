"""The multistage helpers, tested on targets the chapter does not use."""

import copy

import numpy as np
import pytest

from nnbasics.engine import MLP
from nnbasics.multistage import (
    StageRecipe,
    amplitude_spectrum,
    combine,
    fit_multistage,
    fit_sine_features,
    fit_stage,
    forward,
    init_mlp,
    jacobian,
    kappa_from_spectrum,
    kappa_from_zero_crossings,
    levenberg_marquardt,
    relative_l2,
    zero_crossings,
)
from nnbasics.seeding import rng


def bump(x):
    """A smooth target unlike the chapter's: a shifted Gaussian plus a slow sine."""
    x = np.asarray(x, dtype=float)
    return np.exp(-4.0 * (x - 0.2) ** 2) + 0.3 * np.sin(2.0 * x)


@pytest.mark.parametrize("sizes, first, kappa", [
    ([1, 5, 1], "tanh", 1.0),
    ([1, 4, 3, 1], "sin", 7.0),
    ([2, 3, 4, 1], "tanh", 2.5),
])
def test_jacobian_matches_finite_differences(sizes, first, kappa):
    net = init_mlp(sizes, rng(5, 0), first=first, kappa=kappa)
    for b in net.biases:
        b[:] = rng(5, 1).normal(size=b.shape)
    x = rng(5, 2).uniform(-1, 1, (7, sizes[0]))
    theta = net.theta.copy()
    J = jacobian(net, x)
    numeric = np.zeros_like(J)
    h = 1e-6
    for i in range(len(theta)):
        step = np.zeros_like(theta)
        step[i] = h
        net.theta[:] = theta + step
        up = forward(net, x)
        net.theta[:] = theta - step
        numeric[:, i] = (up - forward(net, x)) / (2 * h)
    net.theta[:] = theta
    assert J.shape == (7, net.theta.size)
    assert np.allclose(J, numeric, rtol=1e-6, atol=1e-8)


def test_a_stage_network_is_the_course_network_with_its_own_start():
    """init_mlp is the engine's MLP: tanh layers, a scaled first layer, Xavier weights."""
    net = init_mlp([1, 3, 2, 1], rng(0, 0), first="sin", kappa=4.0)
    assert isinstance(net, MLP) and net.sizes == [1, 3, 2, 1]
    assert net.activation_names == ["sin", "tanh", "identity"] and net.kappa == 4.0
    assert all(np.all(b == 0) for b in net.biases)
    x = np.linspace(-1, 1, 5)
    h1 = np.sin(4.0 * net.weights[0] @ x[None, :] + net.biases[0][:, None])
    h2 = np.tanh(net.weights[1] @ h1 + net.biases[1][:, None])
    assert np.allclose(forward(net, x), (net.weights[2] @ h2 + net.biases[2])[0],
                       rtol=0, atol=1e-14)


def test_a_copied_network_keeps_its_weights_as_views_of_its_own_theta():
    import copy

    net = init_mlp([1, 4, 1], rng(1, 0))
    twin = copy.deepcopy(net)
    twin.weights[-1] *= 2.0
    assert np.shares_memory(twin.weights[-1], twin.theta)
    assert not np.shares_memory(twin.theta, net.theta)
    assert np.allclose(forward(twin, [0.3]) - twin.biases[-1], 2 * (forward(net, [0.3])
                                                                    - net.biases[-1]))


def test_levenberg_marquardt_lowers_the_loss_to_round_off_on_a_reachable_target():
    teacher = init_mlp([1, 3, 1], rng(2, 0))
    teacher.biases[0][:] = [0.5, -0.3, 0.1]
    x = np.linspace(-2, 2, 200)
    y = forward(teacher, x)
    student = init_mlp([1, 3, 1], rng(2, 1))
    result = levenberg_marquardt(student, x, y, iterations=300)
    assert np.all(np.diff(result.losses) <= 0), "LM only keeps steps that lower the loss"
    assert result.losses[-1] < 1e-6 * result.losses[0]
    assert relative_l2(forward(student, x), y) < 1e-4


def test_levenberg_marquardt_sums_a_big_jacobian_block_by_block(monkeypatch):
    """A Jacobian bigger than one block is summed over blocks of points, the last one
    short: the same normal equations and the same fit as from one block."""
    import nnbasics.multistage as multistage

    x = rng(4, 0).uniform(-1, 1, (301, 2))
    y = np.sin(3 * x[:, 0]) * np.cos(2 * x[:, 1])
    start = init_mlp([2, 6, 1], rng(4, 1), first="sin", kappa=2.0)
    whole = copy.deepcopy(start)
    one_block = levenberg_marquardt(whole, x, y, iterations=20).losses
    columns = x.T
    r = whole.forward(columns)[0] - y
    J = whole.jacobian(columns)
    monkeypatch.setattr(multistage, "JACOBIAN_BLOCK_BYTES", 8 * start.theta.size * 64)
    A, g = multistage._normal_equations(whole, columns, r)  # 64 + ... + 45 points
    np.testing.assert_allclose(A, J.T @ J, rtol=1e-12, atol=1e-12 * np.abs(A).max())
    np.testing.assert_allclose(g, J.T @ r, rtol=1e-12, atol=1e-12 * np.abs(g).max())
    blocks = levenberg_marquardt(copy.deepcopy(start), x, y, iterations=20).losses
    np.testing.assert_allclose(blocks, one_block, rtol=1e-8)
    assert one_block[-1] < 1e-3 * one_block[0], "the fit itself must get somewhere"


def test_zero_crossings_and_kappa():
    x = np.linspace(-1, 1, 2001)
    assert zero_crossings(np.sin(5 * np.pi * x + 0.1)) == 10
    assert zero_crossings(np.array([1.0, 0.0, -1.0, 0.0, 2.0])) == 2
    assert kappa_from_zero_crossings(np.sin(5 * np.pi * x + 0.1), factor=3) == 30
    assert kappa_from_zero_crossings(np.ones(10)) == 1.0


def test_amplitude_spectrum_and_kappa_from_spectrum():
    length = 3.0
    x = np.arange(300) * length / 300
    omega0 = 2 * np.pi * 7 / length
    values = 0.4 + 1.5 * np.cos(omega0 * x) + 0.2 * np.sin(3 * omega0 * x)
    omega, amp = amplitude_spectrum(values, length)
    assert np.isclose(amp[0], 0.4) and np.isclose(amp[7], 1.5) and np.isclose(amp[21], 0.2)
    assert np.isclose(omega[7], omega0)
    assert np.isclose(kappa_from_spectrum(values, length), omega0)


def test_two_stages_on_another_target():
    x = np.linspace(-1, 1, 401)
    x_test = rng(3, 0).uniform(-1, 1, 500)
    first = fit_stage([], bump, x, StageRecipe([1, 12, 1], 150), rng(3, 1), x_test=x_test)
    stages = [first]
    second = fit_stage(stages, bump, x, StageRecipe([1, 8, 8, 1], 150, kappa_factor=2),
                       rng(3, 2), x_test=x_test)
    assert stages == [first], "fit_stage leaves the list of stages alone"
    stages.append(second)
    assert first.eps == 1.0 and second.eps < 1e-2
    assert second.kappa >= 1 and stages[1].net.activation_names[0] == "sin"
    assert second.test_error < first.test_error / 20
    assert np.allclose(combine(stages, x), forward(stages[0].net, x)
                       + second.eps * forward(stages[1].net, x))


def test_a_fixed_sine_layer_with_a_least_squares_output_fits_off_its_grid():
    """Judged at random points off the training grid, on a target that is no finite sum
    of the layer's sines (not periodic on the interval), alone and after a rough stage."""
    x = np.linspace(-1, 1, 401)
    x_test = rng(6, 0).uniform(-1, 1, 3000)
    alone = fit_sine_features([], bump, x, 40, x_test=x_test)
    assert alone.net.sizes == [1, 80, 1] and alone.net.activation_names[0] == "sin"
    assert alone.test_error < 1e-9
    assert fit_sine_features([], bump, x, 4, x_test=x_test).test_error > 1e-4, \
        "too few frequencies cannot hold the bump"
    rough = fit_stage([], bump, x, StageRecipe([1, 6, 1], 40), rng(6, 1), x_test=x_test)
    polished = fit_sine_features([rough], bump, x, 40, x_test=x_test)
    assert polished.test_error < rough.test_error / 1e4
    assert np.allclose(combine([rough, polished], x_test), bump(x_test), rtol=0, atol=1e-8)


def test_random_starts_keep_the_best_and_train_it_on():
    x = np.linspace(-1, 1, 201)
    stages = [fit_stage([], bump, x, StageRecipe([1, 6, 1], 30), rng(4, 1))]
    trial_only = fit_stage(stages, bump, x, StageRecipe([1, 6, 6, 1], 20, candidates=3,
                                                        trial_iterations=20), rng(4, 2))
    assert len(trial_only.candidate_losses) == 3
    y = (bump(x) - combine(stages, x)) / trial_only.eps
    loss = 0.5 * np.mean((forward(trial_only.net, x) - y) ** 2)
    assert np.isclose(loss, min(trial_only.candidate_losses)), "the best start is kept"
    trained_on = fit_stage(stages, bump, x, StageRecipe([1, 6, 6, 1], 80, candidates=3,
                                                        trial_iterations=20), rng(4, 2))
    assert trained_on.candidate_losses == trial_only.candidate_losses, "same seed, same starts"
    assert trained_on.train_error < trial_only.train_error, "the kept start trains on"
    assert fit_stage([], bump, x, StageRecipe([1, 4, 1], 5), rng(0)).candidate_losses == []


@pytest.mark.parametrize("call, exc, named", [
    (lambda: StageRecipe([1, 3, 1], 10, candidates=0), ValueError, "candidates"),
    (lambda: StageRecipe([1, 3, 1], 10, candidates=2, trial_iterations=11), ValueError,
     "trial_iterations"),
    (lambda: StageRecipe([1, 3, 1], 0), ValueError, "iterations"),
    (lambda: StageRecipe([1, 3, 1], 10, kappa_factor=-1), ValueError, "kappa_factor"),
    (lambda: StageRecipe([1, 3, 1], 10, first="relu"), ValueError, "first"),
    (lambda: fit_stage([], bump, np.zeros(3), StageRecipe([1, 3], 10), rng(0)), ValueError,
     "sizes"),
    (lambda: init_mlp([1, 4], rng(0)), ValueError, "sizes"),
    (lambda: init_mlp([1, 4, 2], rng(0)), ValueError, "sizes[-1]"),
    (lambda: init_mlp([1, 0, 1], rng(0)), ValueError, "sizes[1]"),
    (lambda: init_mlp([1, 4, 1], rng(0), first="relu"), ValueError, "first"),
    (lambda: init_mlp([1, 4, 1], rng(0), kappa=0.0), ValueError, "kappa"),
    (lambda: forward(init_mlp([2, 3, 1], rng(0)), np.zeros(4)), ValueError, "x"),
    (lambda: levenberg_marquardt(init_mlp([1, 3, 1], rng(0)), np.zeros(3), np.zeros(4)),
     ValueError, "x and y"),
    (lambda: levenberg_marquardt(init_mlp([1, 3, 1], rng(0)), np.zeros(3), np.zeros(3),
                                 iterations=0), ValueError, "iterations"),
    (lambda: levenberg_marquardt(init_mlp([1, 3, 1], rng(0)), np.zeros(3), np.zeros(3),
                                 lam=-1.0), ValueError, "lam"),
    (lambda: zero_crossings([1.0]), ValueError, "values"),
    (lambda: kappa_from_zero_crossings([1.0, -1.0], factor=0), ValueError, "factor"),
    (lambda: amplitude_spectrum([1.0, 2.0], length=0), ValueError, "length"),
    (lambda: relative_l2([1.0], [0.0]), ValueError, "exact"),
    (lambda: relative_l2([1.0, 2.0], [1.0]), ValueError, "approx and exact"),
    (lambda: combine([], np.zeros(3)), ValueError, "stages"),
    (lambda: fit_sine_features([], bump, np.linspace(-1, 1, 21), 10), ValueError,
     "n_frequencies"),
    (lambda: fit_sine_features([], np.zeros_like, np.linspace(-1, 1, 21), 3), ValueError,
     "residue is zero"),
])
def test_bad_calls_name_the_argument(call, exc, named):
    with pytest.raises(exc, match=__import__("re").escape(named)):
        call()


def test_fit_multistage_on_a_target_the_chapter_does_not_use():
    """One non-chapter target at one seed, short: three stages, each gaining on the last."""
    lines = []
    fit = fit_multistage(lambda t: np.sin(2 * t + 1) + 0.2 * np.exp(1.3 * t), (0.0, 3.0),
                         1e-30, seed=0, max_stages=3, iterations=(1500, 400),
                         n_test=2000, progress=lines.append)
    assert len(fit.stages) == 3 and len(lines) == 4 and "least squares" in lines[-1]
    assert fit.test_errors[0] < 1e-4
    assert fit.test_errors[1] < fit.test_errors[0] / 100
    assert fit.test_errors[2] < fit.test_errors[1] / 10, "the least-squares stage gains 10x"
    t = np.linspace(0.0, 3.0, 7)
    assert np.allclose(fit(t), np.sin(2 * t + 1) + 0.2 * np.exp(1.3 * t), rtol=0, atol=1e-5)


@pytest.mark.parametrize("target, interval, words", [
    (lambda t: np.full_like(t, np.nan), (0, 1), "finite"),
    (lambda t: t[:-1], (0, 1), "shape"),
    (lambda t: np.ones_like(t), (0, 1), "constant"),
    (np.sin, (1, 1), "interval"),
    (np.sin, (0, np.inf), "interval"),
    (np.sin, "ab", "interval"),
    ("sin", (0, 1), "target must be a function"),
])
def test_fit_multistage_rejects_bad_input(target, interval, words):
    with pytest.raises(ValueError, match=words):
        fit_multistage(target, interval, progress=None)


def test_fit_multistage_rejects_bad_settings():
    with pytest.raises(ValueError, match="tol"):
        fit_multistage(np.sin, (0, 1), tol=0.0, progress=None)
    with pytest.raises(ValueError, match="iterations"):
        fit_multistage(np.sin, (0, 1), iterations=(100,), progress=None)
    with pytest.raises(ValueError, match="iterations"):
        fit_multistage(np.sin, (0, 1), iterations=(8000, 4000, 300), progress=None)
