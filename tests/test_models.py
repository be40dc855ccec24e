import numpy as np
import pytest

from nnbasics.data import linear_data, neuron_data, standardise
from nnbasics.descent import numerical_gradient, numerical_hessian
from nnbasics.models import (
    flat_problem,
    linear_cost,
    linear_gradient,
    linear_hessian,
    linear_least_squares,
    neuron_cost,
    neuron_gradient,
    sigmoid,
    sigmoid_prime,
)


def test_sigmoid_is_stable_and_symmetric():
    z = np.array([-1000.0, -2.0, 0.0, 2.0, 1000.0])
    s = sigmoid(z)
    assert np.all(np.isfinite(s))
    assert s[2] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    assert np.allclose(s + sigmoid(-z), 1.0)


def test_sigmoid_prime_matches_finite_differences():
    z = np.linspace(-6, 6, 25)
    h = 1e-6
    assert np.allclose(sigmoid_prime(z), (sigmoid(z + h) - sigmoid(z - h)) / (2 * h), atol=1e-9)


@pytest.mark.parametrize("point", [(0.5, -0.2), (3.0, -1.0), (-2.0, 1.5)])
def test_neuron_gradient_matches_finite_differences(point):
    x, y = neuron_data(seed=5)
    expected = numerical_gradient(flat_problem(neuron_cost, neuron_gradient, x, y)[0], point)
    assert np.allclose(neuron_gradient(*point, x, y), expected, rtol=1e-7, atol=1e-11)


def test_costs_broadcast_over_parameter_grids():
    x, y = neuron_data(m=10)
    W, B = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(0, 1, 3))
    grid = neuron_cost(W, B, x, y)
    assert grid.shape == (3, 4)
    assert grid[1, 2] == pytest.approx(float(neuron_cost(W[1, 2], B[1, 2], x, y)))
    gw, gb = linear_gradient(W, B, x, y)
    assert gw.shape == gb.shape == (3, 4)


def test_linear_gradient_hessian_and_minimiser_agree():
    x, y = linear_data(m=30, x_offset=2.0, seed=1)
    theta = linear_least_squares(x, y)
    assert np.allclose(linear_gradient(*theta, x, y), 0.0, atol=1e-12)
    H = linear_hessian(x)
    numeric = numerical_hessian(flat_problem(linear_cost, linear_gradient, x, y)[1], [0.3, -0.4])
    assert np.allclose(H, numeric, rtol=1e-6)
    # A quadratic is its own second-order Taylor expansion.
    d = np.array([0.7, -1.1])
    expected = linear_cost(*theta, x, y) + 0.5 * d @ H @ d
    assert linear_cost(*(theta + d), x, y) == pytest.approx(expected, rel=1e-12)


def test_models_reject_mismatched_data():
    with pytest.raises(ValueError, match="x and y_d must have the same length"):
        neuron_cost(1.0, 0.0, [1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="w and b must have the same shape"):
        neuron_cost(np.zeros(2), np.zeros(3), [1.0], [1.0])


def test_data_are_seeded_and_validated():
    assert np.array_equal(neuron_data(seed=3)[0], neuron_data(seed=3)[0])
    assert not np.array_equal(neuron_data(seed=3)[0], neuron_data(seed=4)[0])
    x, _ = linear_data(x_scale=100.0, x_offset=1000.0)
    assert 900 <= x.min() and x.max() <= 1100
    with pytest.raises(ValueError, match=r"x_scale must lie in \(0, inf\)"):
        linear_data(x_scale=0.0)
    with pytest.raises(ValueError, match="m must be a whole number"):
        neuron_data(m=1)


def test_data_take_a_generator_and_advance_it():
    from nnbasics.seeding import rng

    assert np.array_equal(linear_data(seed=rng(4, 1))[0], linear_data(seed=rng(4, 1))[0])
    shared = rng(4, 1)
    first, second = neuron_data(seed=shared)[0], neuron_data(seed=shared)[0]
    assert not np.array_equal(first, second)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        neuron_data(seed=-3)
    with pytest.raises(TypeError, match="seed"):
        linear_data(seed="zero")


def test_standardise_gives_zero_mean_unit_std():
    u, mean, std = standardise(np.array([1000.0, 1001.0, 1003.0]))
    assert abs(u.mean()) < 1e-12 and u.std() == pytest.approx(1.0)
    assert mean == pytest.approx(1001.333333, rel=1e-6) and std > 0
    with pytest.raises(ValueError, match="must not be constant"):
        standardise(np.ones(4))
