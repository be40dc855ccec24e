import numpy as np
import pytest

from nnbasics.discovery import (
    ensemble_kalman_inversion,
    kmeans,
    lorenz63,
    principal_components,
    rk4,
    sparse_regression,
)


def test_pca_finds_the_patterns_of_a_rank_two_field():
    rng = np.random.default_rng(0)
    space = np.linspace(0, 1, 50)
    a, b = np.sin(np.pi * space), np.cos(3 * np.pi * space)
    X = 5 * rng.standard_normal((200, 1)) * a + rng.standard_normal((200, 1)) * b
    pca = principal_components(X)
    assert pca.explained[:2].sum() > 1 - 1e-12
    first = pca.components[0]
    assert abs(first @ a) / np.linalg.norm(a) > 0.99
    assert np.allclose(pca.scores @ pca.components + pca.mean, X)


def test_kmeans_separates_distant_blobs():
    rng = np.random.default_rng(1)
    truth = np.repeat([0, 1, 2], 40)
    points = np.array([[0, 0], [10, 0], [0, 10]])[truth] + rng.standard_normal((120, 2))
    labels = kmeans(points, 3, seed=4)
    # Labels are arbitrary: each true blob must map to one cluster.
    assert all(len(set(labels[truth == j])) == 1 for j in range(3))
    assert len(set(labels)) == 3


def test_eki_recovers_the_parameters_of_a_linear_model():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((20, 2))
    truth = np.array([1.5, -0.7])
    noise = 0.01
    data = A @ truth + noise * rng.standard_normal(20)
    prior = rng.normal(0.0, 2.0, size=(50, 2))
    result = ensemble_kalman_inversion(lambda t: A @ t, data, noise**2 * np.eye(20), prior,
                                       iterations=10, seed=3)
    least_squares = np.linalg.lstsq(A, data, rcond=None)[0]
    assert np.allclose(result.mean, least_squares, atol=0.01)
    assert np.all(result.spread < 0.05)


def test_sparse_regression_recovers_a_damped_oscillator():
    # x' = v, v' = -4x - 0.2v, simulated; library [1, x, v, x², xv, v²].
    traj = rk4(lambda s: np.array([s[1], -4 * s[0] - 0.2 * s[1]]), [1.0, 0.0], 1e-3, 5000)
    x, v = traj.T
    derivative = np.stack([v, -4 * x - 0.2 * v], axis=1)
    library = np.stack([np.ones_like(x), x, v, x * x, x * v, v * v], axis=1)
    xi = sparse_regression(library, derivative, threshold=0.05)
    expected = np.zeros((6, 2))
    expected[2, 0], expected[1, 1], expected[2, 1] = 1.0, -4.0, -0.2
    assert np.allclose(xi, expected, atol=1e-8)


def test_rk4_is_fourth_order():
    errors = [abs(rk4(lambda s: -s, [1.0], dt, round(1 / dt))[-1, 0] - np.exp(-1))
              for dt in (0.1, 0.05)]
    assert 14 < errors[0] / errors[1] < 18


def test_lorenz63_has_its_fixed_points():
    beta, rho = 8 / 3, 28.0
    c = np.sqrt(beta * (rho - 1))
    assert np.allclose(lorenz63(np.array([c, c, rho - 1])), 0)


@pytest.mark.parametrize("call, error, name", [
    (lambda: principal_components([1, 2, 3]), ValueError, "snapshots"),
    (lambda: kmeans(np.zeros((5, 2)), 6, seed=0), ValueError, "k"),
    (lambda: kmeans(np.eye(5), 2, seed=-1), ValueError, "seed"),
    (lambda: kmeans(np.ones((5, 2)), 2, seed=0), ValueError, "k must"),
    (lambda: ensemble_kalman_inversion(lambda t: t, [1.0, 2.0], np.eye(3), np.zeros((4, 2)),
                                       2, seed=0), ValueError, "noise_cov"),
    (lambda: ensemble_kalman_inversion(lambda t: t[:1], [1.0, 2.0], np.eye(2),
                                       np.zeros((4, 2)), 2, seed=0), ValueError, "forward"),
    (lambda: sparse_regression(np.ones((4, 2)), np.ones(3), 0.1), ValueError, "targets"),
    (lambda: sparse_regression(np.ones((4, 2)), np.ones(4), -1.0), ValueError, "threshold"),
    (lambda: rk4(lambda s: s, [1.0], 0.0, 10), ValueError, "dt"),
    (lambda: rk4(lambda s: s, [1.0], 0.1, 10**7), ValueError, "steps"),
])
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
