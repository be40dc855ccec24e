"""Bad calls of the helpers, one row each: the call, the exception, the argument it names.

A helper fed ``None``, NaN, a number where a function belongs, a function that returns
the wrong shape, or a runaway step count must say so at once, naming the argument,
instead of turning it into NaN or broadcasting it silently (issue 6).
"""

import re

import numpy as np
import pytest

from nnbasics import torchnets
from nnbasics.checks.climate_physics import lorenz_library
from nnbasics.checks.gradient_descent import cost_gap, descent_verdict, minimum_cost, neuron_minimum
from nnbasics.checks.multistage_navier_stokes import exercise_data
from nnbasics.data import linear_data, neuron_data, standardise
from nnbasics.descent import (
    MAX_STEPS,
    critical_learning_rate,
    gradient_descent,
    minibatch_sgd,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
)
from nnbasics.models import (
    flat_problem,
    linear_gradient,
    linear_hessian,
    neuron_cost,
    neuron_gradient,
    sigmoid,
    sigmoid_prime,
)
from nnbasics.sliders import Slider, slider_figure
from nnbasics.validation import require_callable, require_numbers

X, Y = neuron_data(m=20, seed=0)
NAN = float("nan")


def cost(p):
    return float(neuron_cost(p[0], p[1], X, Y))


def grad(p):
    return np.array(neuron_gradient(p[0], p[1], X, Y))


def batch_grad(p, indices):
    return np.array(neuron_gradient(p[0], p[1], X[indices], Y[indices]))


def descend(**changes):
    args = {"cost": cost, "gradient": grad, "start": [0.0, 0.0], "learning_rate": 1.0,
            "steps": 5} | changes
    return lambda: gradient_descent(**args)


def sgd(**changes):
    args = {"cost": cost, "batch_gradient": batch_grad, "start": [0.0, 0.0],
            "n_examples": len(X), "batch_size": 5, "learning_rate": 1.0, "epochs": 2} | changes
    return lambda: minibatch_sgd(**args)


def figure(**changes):
    def draw(fig, a):
        fig.subplots().plot([0, a])
    return lambda: slider_figure(draw, [Slider("a", "a", (1, 2))], alt="a = {a}", **changes)


def fit(**changes):
    args = {"net": torchnets.dense_network([1, 4, 1]), "x": np.zeros((5, 1)),
            "y": np.zeros((5, 1)), "steps": 2} | changes
    return lambda: torchnets.train(**args)


def gradient_of_flat_problem(gradient):
    return lambda: flat_problem(neuron_cost, gradient, X, Y)[1]([0.0, 0.0])


BAD_CALLS = [
    # models: None and NaN refused where they enter, not turned into NaN
    (lambda: sigmoid(None), TypeError, "z"),
    (lambda: sigmoid(NAN), ValueError, "z"),
    (lambda: sigmoid([0.0, NAN]), ValueError, "z"),
    (lambda: sigmoid("large"), TypeError, "z"),
    (lambda: sigmoid("0.5"), TypeError, "z"),  # NumPy would read it as a number
    (lambda: sigmoid_prime(None), TypeError, "z"),
    (lambda: neuron_gradient(None, 0.0, X, Y), TypeError, "w"),
    (lambda: neuron_gradient(0.0, NAN, X, Y), ValueError, "b"),
    (lambda: neuron_gradient(0.0, 0.0, [1.0, NAN], [0.0, 1.0]), ValueError, "x"),
    (lambda: neuron_gradient(0.0, 0.0, None, Y), TypeError, "x"),
    (lambda: neuron_gradient(0.0, 0.0, X, Y[:-1]), ValueError, "y_d"),
    (lambda: neuron_gradient(0.0, 0.0, X, None), TypeError, "y_d"),
    (lambda: neuron_cost(np.inf, 0.0, X, Y), ValueError, "w"),
    (lambda: neuron_cost([0.0, 1.0], [0.0], X, Y), ValueError, "w and b"),
    (lambda: linear_gradient(None, 0.0, X, Y), TypeError, "w"),
    (lambda: linear_hessian(None), TypeError, "x"),
    (lambda: flat_problem(5, neuron_gradient, X, Y), TypeError, "cost"),
    (gradient_of_flat_problem(lambda w, b, x, y_d: 1.0), ValueError, "gradient"),
    # data
    (lambda: standardise(None), TypeError, "x"),
    (lambda: standardise([1.0, NAN, 2.0]), ValueError, "x"),
    (lambda: standardise(np.ones(4)), ValueError, "x"),
    (lambda: standardise([[1.0, 2.0], [3.0, 4.0]]), ValueError, "x"),
    (lambda: standardise([5.0]), ValueError, "x"),
    (lambda: neuron_data(m=1), ValueError, "m"),
    (lambda: neuron_data(noise=-1.0), ValueError, "noise"),
    (lambda: neuron_data(seed=1.5), TypeError, "seed"),
    (lambda: linear_data(x_scale=0.0), ValueError, "x_scale"),
    # descent: callables, the shape of what they return, step counts, blowup
    (descend(cost=5), TypeError, "cost"),
    (descend(gradient=None), TypeError, "gradient"),
    (descend(gradient=lambda p: 1.0), ValueError, "gradient"),  # no silent broadcast
    (descend(gradient=lambda p: np.zeros(3)), ValueError, "gradient"),
    (descend(gradient=lambda p: None), TypeError, "gradient"),
    (descend(gradient=lambda p: "steep"), TypeError, "gradient"),
    (descend(cost=lambda p: None), TypeError, "cost"),
    (descend(cost=lambda p: np.zeros(2)), ValueError, "cost"),
    (descend(steps=0), ValueError, "steps"),
    (descend(steps=MAX_STEPS + 1), ValueError, "steps"),
    (descend(steps=2.5), TypeError, "steps"),
    (descend(blowup=0.5), ValueError, "blowup"),
    (descend(blowup=NAN), ValueError, "blowup"),
    (descend(blowup="big"), TypeError, "blowup"),
    (descend(learning_rate=0.0), ValueError, "learning_rate"),
    (descend(learning_rate=None), TypeError, "learning_rate"),
    (descend(start=None), TypeError, "start"),
    (descend(start=[0.0, NAN]), ValueError, "start"),
    (sgd(batch_gradient=5), TypeError, "batch_gradient"),
    (sgd(batch_gradient=lambda p, i: 0.0), ValueError, "batch_gradient"),
    (sgd(cost=None), TypeError, "cost"),
    (sgd(n_examples=10**6, batch_size=1, epochs=1), ValueError, "epochs"),
    (sgd(batch_size=0), ValueError, "batch_size"),
    (sgd(epochs=0), ValueError, "epochs"),
    (lambda: numerical_gradient("cost", [0.0, 0.0]), TypeError, "cost"),
    (lambda: numerical_gradient(lambda p: p, [0.0, 0.0]), ValueError, "cost"),
    (lambda: numerical_gradient(cost, [0.0, 0.0], eps=0.0), ValueError, "eps"),
    (lambda: numerical_hessian(None, [0.0, 0.0]), TypeError, "gradient"),
    (lambda: numerical_hessian(lambda p: 1.0, [0.0, 0.0]), ValueError, "gradient"),
    (lambda: critical_learning_rate(3, [0.0, 0.0]), TypeError, "gradient"),
    (lambda: numerical_jacobian(None, [0.0, 0.0]), TypeError, "function"),
    (lambda: numerical_jacobian(lambda p: 1.0, [0.0, 0.0]), ValueError, "function"),
    (lambda: numerical_jacobian(lambda p: [p[0], NAN], [0.0]), ValueError, "function"),
    (lambda: numerical_jacobian(lambda p: p, [0.0], eps=-1.0), ValueError, "eps"),
    # torch networks and their training
    (lambda: torchnets.dense_network([1]), ValueError, "widths"),
    (lambda: torchnets.dense_network(5), TypeError, "widths"),
    (lambda: torchnets.dense_network([1, 0, 1]), ValueError, "widths[1]"),
    (lambda: torchnets.dense_network([1, 2.5, 1]), TypeError, "widths[1]"),
    (lambda: torchnets.dense_network([1, 4, 1], "softplus"), ValueError, "activation"),
    (lambda: torchnets.activation_module(None), ValueError, "activation"),
    (lambda: torchnets.dense_network([1, 4, 1], dtype=np.float64), ValueError, "dtype"),
    (lambda: torchnets.FourierFeatureNet(np.ones(3)), ValueError, "B"),
    (lambda: torchnets.FourierFeatureNet([[1.0], [NAN]]), ValueError, "B"),
    (lambda: torchnets.FourierFeatureNet(np.ones((3, 1)), width=0), ValueError, "width"),
    (lambda: torchnets.SinFirstLayerNet(0.0), ValueError, "kappa"),
    (lambda: torchnets.SinFirstLayerNet(1.0, dim=0), ValueError, "dim"),
    (fit(net=lambda x: x), TypeError, "net"),
    (fit(x=None), TypeError, "x"),
    (fit(x=np.zeros(5)), ValueError, "x"),
    (fit(y=np.full((5, 1), NAN)), ValueError, "y"),
    (fit(y=np.zeros((1, 5))), ValueError, "y"),  # would broadcast to (5, 5)
    (fit(y=np.zeros((5, 2))), ValueError, "y"),
    (fit(steps=-1), ValueError, "steps"),
    (fit(steps=MAX_STEPS + 1), ValueError, "steps"),
    (fit(steps=2.5), TypeError, "steps"),
    (fit(lr=0.0), ValueError, "lr"),
    (fit(lr=None), TypeError, "lr"),
    (fit(every=-1), ValueError, "every"),
    (fit(x_eval=np.zeros((2, 1, 1))), ValueError, "x_eval"),
    (lambda: torchnets.as_function(np.sin), TypeError, "net"),
    # sliders
    (lambda: Slider("a", "a", (1, 2), fmt=5), TypeError, "fmt"),
    (figure(figsize=(8,)), ValueError, "figsize"),
    (figure(figsize=8), ValueError, "figsize"),
    (figure(figsize=(8, 3, 1)), ValueError, "figsize"),
    (figure(figsize=("8", 3)), TypeError, "figsize"),
    # the exercise's minimum and criterion, at any scale of the data
    (lambda: neuron_minimum(None, Y), TypeError, "x"),
    (lambda: neuron_minimum(X, Y[:3]), ValueError, "y_d"),
    (lambda: neuron_minimum(np.ones(5), np.linspace(0, 1, 5)), ValueError, "x"),
    (lambda: minimum_cost([NAN, 1.0], [0.0, 1.0]), ValueError, "x"),
    (lambda: cost_gap(None, 0.0), TypeError, "w"),
    (lambda: cost_gap(0.0, [1.0, 2.0]), ValueError, "b"),
    (lambda: descent_verdict(0.0), ValueError, "learning_rate"),
    # the climate-physics exercise's SINDy library
    (lambda: lorenz_library(None), TypeError, "states"),
    (lambda: lorenz_library(np.ones((5, 2))), ValueError, "states"),
    (lambda: lorenz_library([[1.0, NAN, 2.0]]), ValueError, "states"),
    # the Navier–Stokes multistage exercise's data: an even grid of 16 to 128 points
    (lambda: exercise_data(None), TypeError, "n"),
    (lambda: exercise_data(2.5), TypeError, "n"),
    (lambda: exercise_data(16), ValueError, "n"),
    (lambda: exercise_data(33), ValueError, "n"),
    (lambda: exercise_data(256), ValueError, "n"),
    (lambda: exercise_data(32)[1](np.zeros(3), np.zeros(4)), ValueError, "x and y"),
    # the validators themselves
    (lambda: require_numbers("q", None), TypeError, "q"),
    (lambda: require_callable("f", 3, "f(x)"), TypeError, "f"),
]


@pytest.mark.parametrize("call, error, argument", BAD_CALLS)
def test_bad_input_is_refused_naming_the_argument(call, error, argument):
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    assert re.search(rf"(?<![\w']){re.escape(argument)}(?![\w'])", message), message


def test_the_table_covers_every_kind_of_bad_input_the_issue_lists():
    assert len(BAD_CALLS) >= 60
