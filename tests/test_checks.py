"""The exercise checks, called directly with right and wrong answers."""

import numpy as np
import pytest

from nnbasics.checks import CheckFailed, check_descent, check_gradient, check_learning_rate
from nnbasics.data import neuron_data
from nnbasics.models import neuron_gradient, sigmoid

X, Y = neuron_data(seed=0)


def right_gradient(w, b, x, y_d):
    return neuron_gradient(w, b, x, y_d)


def scaled(factor):
    return lambda w, b, x, y_d: tuple(factor * g for g in neuron_gradient(w, b, x, y_d))


def no_sigma_prime(w, b, x, y_d):
    r = 2 * (sigmoid(w * x + b) - y_d)
    return np.mean(r * x), np.mean(r)


def no_inner_x(w, b, x, y_d):
    return neuron_gradient(w, b, x, y_d)[1], neuron_gradient(w, b, x, y_d)[1]


def test_right_gradient_passes(capsys):
    check_gradient(right_gradient, X, Y)
    assert "matches finite differences" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [
    (scaled(0.5), "check the factor 2"),
    (scaled(-1.0), "wrong sign"),
    (scaled(len(X)), f"m = {len(X)} times too large"),
    (no_sigma_prime, "you left out σ'"),
    (no_inner_x, "inner derivative ∂z/∂w = x"),
    (scaled(1.7), "check each factor of the chain rule"),
])
def test_wrong_gradients_fail_with_an_actionable_hint(answer, hint):
    expected = r"your dJ/d[wb] at w=0\.5, b=-0\.2 is .* expected"
    with pytest.raises(CheckFailed, match=expected) as err:
        check_gradient(answer, X, Y)
    assert hint in str(err.value)


def test_swapped_gradient_pair_is_named():
    def swapped(w, b, x, y_d):
        return neuron_gradient(w, b, x, y_d)[::-1]

    with pytest.raises(CheckFailed, match=r"which is \(dJ/db, dJ/dw\): return the pair"):
        check_gradient(swapped, X, Y)


def test_gradient_must_return_two_numbers():
    with pytest.raises(CheckFailed, match="must return two numbers"):
        check_gradient(lambda w, b, x, y_d: 1.0, X, Y)


def descent(sign=-1.0, use_rate=True, freeze=False, extra_row=False):
    def run(w, b, x, y_d, learning_rate, steps):
        rate = learning_rate if use_rate else 1.0
        path = [(w, b)]
        gw0, gb0 = neuron_gradient(w, b, x, y_d)
        for _ in range(steps):
            gw, gb = (gw0, gb0) if freeze else neuron_gradient(w, b, x, y_d)
            w, b = w + sign * rate * gw, b + sign * rate * gb
            path.append((w, b))
        return np.array(path[1:] if extra_row else path)
    return run


def test_right_descent_passes(capsys):
    check_descent(descent(), X, Y)
    assert "follows the reference path" in capsys.readouterr().out


@pytest.mark.parametrize("answer, message", [
    (descent(sign=+1.0), "you stepped uphill"),
    (descent(use_rate=False), "scaled by the learning rate"),
    (descent(freeze=True), "each step must use the gradient at the current"),
    (descent(extra_row=True), r"expected \(26, 2\): the starting point"),
    (descent(use_rate=False), "with learning_rate=3.7, your first step"),
])
def test_wrong_descents_fail_with_an_actionable_hint(answer, message):
    with pytest.raises(CheckFailed, match=message):
        check_descent(answer, X, Y)


def test_learning_rate_check():
    check_learning_rate(10.0, X, Y, steps=100, tolerance=1e-4)
    check_learning_rate(np.float32(10.0), X, Y, steps=100, tolerance=1e-4)
    check_learning_rate(10, X, Y, steps=100, tolerance=1e-4)
    with pytest.raises(CheckFailed, match="too small, so try a larger"):
        check_learning_rate(0.5, X, Y, steps=100, tolerance=1e-4)
    with pytest.raises(CheckFailed, match=r"stable only for α < 2/λ_max ≈ 52"):
        check_learning_rate(200.0, X, Y, steps=100, tolerance=1e-4)
    with pytest.raises(CheckFailed, match="must be a number"):
        check_learning_rate("10", X, Y, steps=100, tolerance=1e-4)
    with pytest.raises(CheckFailed, match="positive finite"):
        check_learning_rate(-1.0, X, Y, steps=100, tolerance=1e-4)
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        check_learning_rate(None, X, Y, steps=100, tolerance=1e-4)
