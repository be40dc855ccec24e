"""Synthetic data sets, generated in code from a seed so every run sees the same numbers."""

from __future__ import annotations

import numpy as np

from .models import sigmoid
from .seeding import Seed, generator
from .validation import require_array, require_finite, require_in_range, require_int


def neuron_data(m: int = 40, w: float = 3.0, b: float = -1.0, noise: float = 0.03,
                seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """``m`` noisy samples of y = σ(w x + b) with x uniform in [-2, 2].

    ``seed`` is a whole number or a :class:`numpy.random.Generator` (which is advanced).
    """
    m = require_int("m", m, 2, 10**7)
    w, b = require_finite("w", w), require_finite("b", b)
    noise = require_in_range("noise", noise, 0.0)
    rng = generator(seed)
    x = rng.uniform(-2.0, 2.0, m)
    return x, sigmoid(w * x + b) + noise * rng.standard_normal(m)


def linear_data(m: int = 50, w: float = 2.0, b: float = 0.5, noise: float = 0.3,
                x_scale: float = 1.0, x_offset: float = 0.0,
                seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """``m`` noisy samples of y = w x + b, with x uniform in [offset - scale, offset + scale].

    The line's parameters refer to the standardised input u = (x - offset) / scale,
    so the data look the same at every scale; only the numbers on the x axis change.
    ``seed`` is a whole number or a :class:`numpy.random.Generator` (which is advanced).
    """
    m = require_int("m", m, 2, 10**7)
    w, b = require_finite("w", w), require_finite("b", b)
    noise = require_in_range("noise", noise, 0.0)
    x_scale = require_in_range("x_scale", x_scale, 0.0, low_inclusive=False)
    x_offset = require_finite("x_offset", x_offset)
    rng = generator(seed)
    u = rng.uniform(-1.0, 1.0, m)
    return x_offset + x_scale * u, w * u + b + noise * rng.standard_normal(m)


def standardise(x: np.ndarray) -> tuple[np.ndarray, float, float]:
    """(x - mean) / std, with the mean and std needed to map new inputs the same way."""
    x = require_array("x", x, min_length=2)
    mean, std = float(np.mean(x)), float(np.std(x))
    if std == 0.0:
        raise ValueError("x must not be constant: its standard deviation is 0")
    return (x - mean) / std, mean, std
