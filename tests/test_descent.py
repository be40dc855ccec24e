import numpy as np
import pytest

from nnbasics.data import linear_data
from nnbasics.descent import (
    critical_learning_rate,
    gradient_descent,
    minibatch_sgd,
    numerical_gradient,
    numerical_hessian,
)
from nnbasics.models import linear_cost, linear_gradient, linear_hessian, linear_least_squares

X, Y = linear_data(m=40, x_offset=1.0, seed=0)


def cost(p):
    return float(linear_cost(p[0], p[1], X, Y))


def grad(p):
    return np.array(linear_gradient(p[0], p[1], X, Y))


def test_numerical_gradient_of_a_known_function():
    g = numerical_gradient(lambda p: p[0] ** 2 + 3 * p[1], [2.0, 5.0])
    assert np.allclose(g, [4.0, 3.0], atol=1e-8)


def test_numerical_gradient_rejects_bad_eps():
    with pytest.raises(ValueError, match=r"eps must lie in \(0, 1\]"):
        numerical_gradient(cost, [0.0, 0.0], eps=0.0)


def test_descent_converges_below_and_diverges_above_the_critical_rate():
    critical = 2 / np.linalg.eigvalsh(linear_hessian(X))[-1]
    below = gradient_descent(cost, grad, [0.0, 0.0], 0.95 * critical, 3000)
    above = gradient_descent(cost, grad, [0.0, 0.0], 1.05 * critical, 3000)
    assert not below.diverged and np.allclose(below.final, linear_least_squares(X, Y), atol=1e-6)
    assert above.diverged and len(above.costs) < 3001


def test_descent_result_records_start_and_every_step():
    run = gradient_descent(cost, grad, [0.5, 0.5], 0.1, 7)
    assert run.params.shape == (8, 2) and run.costs.shape == (8,)
    assert np.array_equal(run.params[0], [0.5, 0.5])
    assert run.steps_to_reach(run.costs[3]) <= 3
    assert run.steps_to_reach(-1.0) is None


@pytest.mark.parametrize("kwargs, message", [
    (dict(learning_rate=0.0), r"learning_rate must lie in \(0, inf\)"),
    (dict(learning_rate=float("nan")), "learning_rate must be finite"),
    (dict(steps=-1), r"steps must be a whole number in \[1,"),
    (dict(start=[[0.0, 0.0]]), "start must be 1-dimensional"),
])
def test_descent_rejects_bad_arguments(kwargs, message):
    args = dict(start=[0.0, 0.0], learning_rate=0.1, steps=3) | kwargs
    with pytest.raises((ValueError, TypeError), match=message):
        gradient_descent(cost, grad, **args)


def test_minibatch_sgd_is_seeded_and_approaches_the_minimum():
    def batch_grad(p, idx):
        return np.array(linear_gradient(p[0], p[1], X[idx], Y[idx]))

    a = minibatch_sgd(cost, batch_grad, [0.0, 0.0], len(X), 8, 0.05, 30, seed=1)
    b = minibatch_sgd(cost, batch_grad, [0.0, 0.0], len(X), 8, 0.05, 30, seed=1)
    assert np.array_equal(a.params, b.params)
    assert a.params.shape == (1 + 30 * 5, 2)
    best = cost(linear_least_squares(X, Y))
    assert a.costs[-1] - best < 0.05 * (a.costs[0] - best)
    with pytest.raises(ValueError, match=r"batch_size must be a whole number in \[1, 40\]"):
        minibatch_sgd(cost, batch_grad, [0.0, 0.0], len(X), 41, 0.05, 1)


def test_hessian_and_critical_rate_of_a_known_quadratic():
    def gradient(p):
        return np.array([6.0 * p[0] + p[1], p[0] + 2.0 * p[1]])   # J = 3x² + xy + y²

    assert np.allclose(numerical_hessian(gradient, [0.4, -1.0]), [[6.0, 1.0], [1.0, 2.0]])
    expected = 2 / np.max(np.linalg.eigvalsh([[6.0, 1.0], [1.0, 2.0]]))
    assert critical_learning_rate(gradient, [0.0, 0.0]) == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match="not curved upwards"):
        critical_learning_rate(lambda p: -p, [0.0, 0.0])
