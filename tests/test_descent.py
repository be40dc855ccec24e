import numpy as np
import pytest

from nnbasics.data import linear_data
from nnbasics.descent import (
    contraction_factor,
    critical_learning_rate,
    gradient_descent,
    minibatch_sgd,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
    optimal_learning_rate,
)
from nnbasics.models import (
    flat_problem,
    linear_cost,
    linear_gradient,
    linear_hessian,
    linear_least_squares,
)

X, Y = linear_data(m=40, x_offset=1.0, seed=0)
cost, grad = flat_problem(linear_cost, linear_gradient, X, Y)


def test_numerical_gradient_of_a_known_function():
    g = numerical_gradient(lambda p: p[0] ** 2 + 3 * p[1], [2.0, 5.0])
    assert np.allclose(g, [4.0, 3.0], atol=1e-8)


def test_numerical_jacobian_of_a_known_vector_function():
    J = numerical_jacobian(lambda p: np.array([p[0] * p[1], np.sin(p[0]), 2 * p[1]]),
                           [0.5, 3.0])
    exact = [[3.0, 0.5], [np.cos(0.5), 0.0], [0.0, 2.0]]
    assert J.shape == (3, 2) and np.allclose(J, exact, rtol=0, atol=1e-8)
    # the Jacobian of the gradient is the Hessian, to round-off
    assert np.allclose(numerical_jacobian(grad, [0.3, -0.2]),
                       numerical_hessian(grad, [0.3, -0.2]), rtol=1e-6, atol=1e-6)


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
        return flat_problem(linear_cost, linear_gradient, X[idx], Y[idx])[1](p)

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


def test_stopping_criterion_stops_at_the_first_small_gradient():
    alpha = 0.5 * critical_learning_rate(grad, [0.0, 0.0])
    run = gradient_descent(cost, grad, [0.0, 0.0], alpha, 10_000, tol=1e-8)
    assert run.converged and not run.diverged and run.steps < 10_000
    assert np.linalg.norm(grad(run.final)) < 1e-8
    assert np.linalg.norm(grad(run.params[-2])) >= 1e-8   # it stopped at the first one
    # Without a tolerance it takes every step; with too few steps it has not converged.
    assert gradient_descent(cost, grad, [0.0, 0.0], alpha, 50).steps == 50
    assert not gradient_descent(cost, grad, [0.0, 0.0], alpha, 3, tol=1e-8).converged
    # Starting at the minimum: no step at all.
    at_min = gradient_descent(cost, grad, linear_least_squares(X, Y), alpha, 10, tol=1e-8)
    assert at_min.converged and at_min.steps == 0


def test_optimal_rate_and_contraction_factor_of_a_quadratic():
    eigenvalues = np.linalg.eigvalsh(linear_hessian(X))
    best = optimal_learning_rate(eigenvalues)
    kappa = eigenvalues[-1] / eigenvalues[0]
    assert contraction_factor(best, eigenvalues) == pytest.approx((kappa - 1) / (kappa + 1))
    rates = np.linspace(0.01, 2.2 / eigenvalues[-1], 400)
    factors = [contraction_factor(a, eigenvalues) for a in rates]
    assert contraction_factor(best, eigenvalues) <= min(factors) + 1e-12
    assert contraction_factor(2 / eigenvalues[-1], eigenvalues) == pytest.approx(1.0)
    # The measured error shrinks by exactly that factor per step, in the long run.
    theta_star = linear_least_squares(X, Y)
    run = gradient_descent(cost, grad, [0.0, 0.0], best, 60)
    errors = np.linalg.norm(run.params - theta_star, axis=1)
    assert errors[-1] <= errors[0] * contraction_factor(best, eigenvalues) ** 60 * (1 + 1e-9)


def test_sgd_takes_a_generator_and_reshuffles_every_epoch():
    def batch_grad(p, idx):
        return flat_problem(linear_cost, linear_gradient, X[idx], Y[idx])[1](p)

    a = minibatch_sgd(cost, batch_grad, [0.0, 0.0], len(X), 8, 0.05, 2,
                      seed=np.random.default_rng(7))
    b = minibatch_sgd(cost, batch_grad, [0.0, 0.0], len(X), 8, 0.05, 2, seed=7)
    assert np.array_equal(a.params, b.params)
    # The same loop written out, with the permutations drawn from the same generator.
    order_rng, theta = np.random.default_rng(7), np.zeros(2)
    for _ in range(2):
        order = order_rng.permutation(len(X))
        for first in range(0, len(X), 8):
            theta = theta - 0.05 * batch_grad(theta, order[first:first + 8])
    assert np.allclose(theta, a.final, rtol=0, atol=1e-15)


@pytest.mark.parametrize("call, exception, argument", [
    (lambda: gradient_descent(cost, grad, [0.0, 0.0], 0.1, 3, tol=-1.0), ValueError, "tol"),
    (lambda: optimal_learning_rate([-1.0, 2.0]), ValueError, "eigenvalues"),
    (lambda: optimal_learning_rate([[1.0, 2.0]]), ValueError, "eigenvalues"),
    (lambda: contraction_factor(0.0, [1.0, 2.0]), ValueError, "learning_rate"),
    (lambda: contraction_factor(0.1, [np.nan]), ValueError, "eigenvalues"),
    (lambda: minibatch_sgd(cost, grad, [0.0, 0.0], 40, 8, 0.1, 1, seed=-1), ValueError,
     "seed"),
    (lambda: minibatch_sgd(cost, grad, [0.0, 0.0], 40, 8, 0.1, 1, seed=1.5), TypeError,
     "seed"),
])
def test_bad_calls_name_the_argument(call, exception, argument):
    with pytest.raises(exception, match=argument):
        call()
