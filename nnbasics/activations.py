"""The activation functions of the course, with their derivatives and ranges.

Each entry of :data:`ACTIVATIONS` is an :class:`Activation`: the function, its
derivative (written in closed form, so it can be checked against finite
differences), and the range of values it takes, as text for tables and figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .models import logistic, logistic_prime


@dataclass(frozen=True)
class Activation:
    name: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    range: str  # the set of values, e.g. "(0, 1)"

    def __call__(self, z: object) -> np.ndarray:
        return self.function(np.asarray(z, dtype=float))


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _relu_prime(z: np.ndarray) -> np.ndarray:
    # ReLU has no derivative at 0; 0 there is the convention of every framework.
    return (np.asarray(z) > 0).astype(float)


ACTIVATIONS: dict[str, Activation] = {
    # the unchecked kernels: a network checks its input once, not every layer's values
    "sigmoid": Activation("sigmoid", logistic, logistic_prime, "(0, 1)"),
    "tanh": Activation("tanh", np.tanh, _tanh_prime, "(-1, 1)"),
    "sin": Activation("sin", np.sin, np.cos, "[-1, 1]"),
    "relu": Activation("ReLU", _relu, _relu_prime, "[0, ∞)"),
}


def activation(name: str) -> Activation:
    """The activation called ``name`` (one of the keys of :data:`ACTIVATIONS`)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"name must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]
