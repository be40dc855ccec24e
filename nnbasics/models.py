"""The small models of the first chapters, with their costs and derived gradients.

``w`` and ``b`` may be scalars or arrays of the same shape (a grid of parameter
values, for contour plots); the data ``x``, ``y_d`` are 1-D arrays of ``m`` examples.
The cost is the mean squared error J(w, b) = (1/m) sum_i (y(x_i) - y_d,i)^2.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .validation import require_array, require_numbers, require_same_length


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), written with tanh so large |z| cannot overflow.

    ``z`` may be ±inf (σ is 0 or 1 there); ``None`` or NaN is refused, not turned into NaN.
    """
    return logistic(require_numbers("z", z, allow_infinite=True))


def logistic(z: np.ndarray) -> np.ndarray:
    """σ(z) for a float array already checked: the kernel behind :func:`sigmoid`.

    The package's own loops (a network's forward pass, a grid of towers) call this once
    their inputs have been checked at the front door, instead of scanning every
    intermediate array for NaN again.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z: np.ndarray | float) -> np.ndarray:
    """dσ/dz = σ(z) (1 - σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def logistic_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) for a float array already checked: the kernel behind :func:`sigmoid_prime`."""
    s = logistic(z)
    return s * (1.0 - s)


def _data(x: object, y_d: object) -> tuple[np.ndarray, np.ndarray]:
    x = require_array("x", x)
    y_d = require_array("y_d", y_d)
    require_same_length(("x", "y_d"), x, y_d)
    return x, y_d


def _pre_activation(w: object, b: object, x: np.ndarray) -> np.ndarray:
    """z = w x + b for every parameter pair (leading axes) and every example (last axis)."""
    w = require_numbers("w", w)
    b = require_numbers("b", b)
    if w.shape != b.shape:
        raise ValueError(f"w and b must have the same shape, got {w.shape} and {b.shape}")
    return w[..., None] * x + b[..., None]


def neuron_cost(w: object, b: object, x: object, y_d: object) -> np.ndarray:
    """J(w, b) for the neuron y = σ(w x + b)."""
    x, y_d = _data(x, y_d)
    return np.mean((sigmoid(_pre_activation(w, b, x)) - y_d) ** 2, axis=-1)


def neuron_gradient(w: object, b: object, x: object, y_d: object) -> tuple[np.ndarray, np.ndarray]:
    """(∂J/∂w, ∂J/∂b) for y = σ(w x + b), from the chain rule.

    Per example, ∂L/∂w = 2 (y - y_d) σ'(z) x and ∂L/∂b = 2 (y - y_d) σ'(z);
    J is their mean over the data set.
    """
    x, y_d = _data(x, y_d)
    z = _pre_activation(w, b, x)
    common = 2.0 * (sigmoid(z) - y_d) * sigmoid_prime(z)
    return np.mean(common * x, axis=-1), np.mean(common, axis=-1)


def linear_cost(w: object, b: object, x: object, y_d: object) -> np.ndarray:
    """J(w, b) for the linear model y = w x + b."""
    x, y_d = _data(x, y_d)
    return np.mean((_pre_activation(w, b, x) - y_d) ** 2, axis=-1)


def linear_gradient(w: object, b: object, x: object, y_d: object) -> tuple[np.ndarray, np.ndarray]:
    """(∂J/∂w, ∂J/∂b) for y = w x + b: the means of 2 (y - y_d) x and 2 (y - y_d)."""
    x, y_d = _data(x, y_d)
    residual = _pre_activation(w, b, x) - y_d
    return np.mean(2.0 * residual * x, axis=-1), np.mean(2.0 * residual, axis=-1)


def linear_hessian(x: object) -> np.ndarray:
    """The (constant) Hessian of the linear model's cost: 2 [[<x²>, <x>], [<x>, 1]]."""
    x = require_array("x", x)
    return 2.0 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])


def linear_least_squares(x: object, y_d: object) -> np.ndarray:
    """The exact minimiser (w*, b*) of the linear model's cost, from the normal equations."""
    x, y_d = _data(x, y_d)
    design = np.stack([x, np.ones_like(x)], axis=1)
    return np.linalg.lstsq(design, y_d, rcond=None)[0]


def flat_problem(cost: object, gradient: object, x: object,
                 y_d: object) -> tuple[Callable[[np.ndarray], float],
                                       Callable[[np.ndarray], np.ndarray]]:
    """The cost and gradient of a two-parameter model as functions of one vector θ = (w, b).

    The optimisers of :mod:`nnbasics.descent` take one parameter vector; the models
    here take ``w`` and ``b`` separately.  ``flat_problem(neuron_cost, neuron_gradient,
    x, y_d)`` returns ``(J(θ), ∇J(θ))`` with the data fixed, the one adapter the course
    uses for that.
    """
    if not callable(cost) or not callable(gradient):
        raise TypeError("cost and gradient must be functions f(w, b, x, y_d), got "
                        f"{type(cost).__name__} and {type(gradient).__name__}")
    x, y_d = _data(x, y_d)

    def cost_of(theta: np.ndarray) -> float:
        w, b = _two_parameters(theta)
        return float(cost(w, b, x, y_d))

    def gradient_of(theta: np.ndarray) -> np.ndarray:
        w, b = _two_parameters(theta)
        result = np.asarray(gradient(w, b, x, y_d), dtype=float)
        if result.shape != (2,):
            raise ValueError(f"gradient must return the pair (dJ/dw, dJ/db), got shape "
                             f"{result.shape}")
        return result

    return cost_of, gradient_of


def _two_parameters(theta: object) -> tuple[float, float]:
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (2,):
        raise ValueError(f"θ must be the pair (w, b), got shape {theta.shape}")
    return float(theta[0]), float(theta[1])
