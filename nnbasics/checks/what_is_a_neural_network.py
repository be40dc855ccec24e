"""Checks of the exercise "linear activations cannot fit a curve".

The best error of any network with σ(z) = z is the error of the best affine map, which
least squares gives exactly; a tanh network of the same shape must get far below it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..models import linear_least_squares
from .core import (
    CheckFailed,
    as_number,
    compare,
    fresh_rng,
    not_implemented,
    passed,
    require_own_function,
)

#: The shape of both networks of the exercise.
SHAPE = (1, 16, 16, 1)
#: The tanh network must reach this fraction of the best affine error.
TANH_FRACTION = 0.01


def exercise_data() -> tuple[np.ndarray, np.ndarray]:
    """The exercise's data: 200 points of a curve on [-1, 1] (no noise, so no luck)."""
    x = np.linspace(-1.0, 1.0, 200)
    return x, _curve(x)


def _curve(x: np.ndarray) -> np.ndarray:
    return np.sin(3 * x) + 0.5 * x**2


def _best_affine_mse(x: np.ndarray, y: np.ndarray) -> float:
    design = np.stack([x, np.ones_like(x)], axis=1)
    coefficients = np.linalg.lstsq(design, y, rcond=None)[0]
    return float(np.mean((design @ coefficients - y) ** 2))


def check_best_affine_error(best_affine_error: Callable) -> None:
    """The learner's ``best_affine_error(x, y)`` against least squares, at fresh data."""
    require_own_function(best_affine_error, "best_affine_error",
                         forbidden=(linear_least_squares,))
    rng = fresh_rng()
    for _ in range(3):
        m = int(rng.integers(20, 200))
        x = rng.uniform(-2, 2, m)
        y = np.sin(rng.uniform(1, 4) * x + rng.uniform(0, 6)) + rng.normal(0, 0.1, m) + 0.7
        got = as_number(best_affine_error(x.copy(), y.copy()), "best_affine_error(x, y)")
        expected = _best_affine_mse(x, y)
        slope_only = float(np.mean((x * (x @ y / (x @ x)) - y) ** 2))
        compare("best_affine_error(x, y)", got, expected, where=f"for {m} random points",
                rtol=1e-6, suspects=[
                    (np.sqrt(expected), "you returned the root of the mean squared error; "
                                        "return the mean squared error itself"),
                    (m * expected, "you returned the sum of squared errors; divide by m "
                                   "(the number of points) for the mean"),
                    (slope_only, "your line passes through the origin: the best affine map "
                                 "y = A x + C has a bias C too (a column of ones)"),
                    (float(np.var(y)), "you fitted a constant only: the affine map A x + C "
                                       "has a slope too"),
                ], otherwise="fit y ≈ A x + C by least squares (np.linalg.lstsq with the "
                             "columns x and 1) and return the mean of the squared residuals")
    passed("best_affine_error matches least squares on three fresh data sets")


def check_tanh_network(tanh_net: object) -> None:
    """A trained torch network of shape (1, 16, 16, 1) with tanh, far below the best line."""
    not_implemented(tanh_net, "train tanh_net, a (1, 16, 16, 1) tanh network")
    import torch

    if not isinstance(tanh_net, torch.nn.Module):
        raise CheckFailed(f"tanh_net must be a torch network (torch.nn.Module), got "
                          f"{type(tanh_net).__name__}")
    count = sum(p.numel() for p in tanh_net.parameters())
    expected_count = sum((a + 1) * b for a, b in zip(SHAPE[:-1], SHAPE[1:], strict=True))
    if count != expected_count:
        raise CheckFailed(f"tanh_net has {count} parameters; the shape (1, 16, 16, 1) has "
                          f"{expected_count}: two hidden layers of 16 units, like the linear "
                          "network it is compared with")
    if not any(isinstance(m, torch.nn.Tanh) for m in tanh_net.modules()):
        raise CheckFailed("tanh_net has no torch.nn.Tanh layer: put one after each hidden "
                          "Linear layer; without it the network is an affine map again")
    x, y = exercise_data()
    between = np.sort(fresh_rng().uniform(-1, 1, 300))  # points it was not trained on
    dtype = next(tanh_net.parameters()).dtype
    errors = []
    for points in (x, between):
        with torch.no_grad():
            out = tanh_net(torch.as_tensor(points[:, None], dtype=dtype))
        got = np.asarray(out.detach().cpu().numpy(), dtype=float).reshape(-1)
        errors.append(float(np.mean((got - _curve(points)) ** 2)))
    best = _best_affine_mse(x, y)
    level = TANH_FRACTION * best
    summary = (f"your tanh network's mean squared error is {errors[0]:.3g} on the data and "
               f"{errors[1]:.3g} between them; the best affine map's is {best:.3g}")
    if errors[0] > level:
        raise CheckFailed(f"{summary}; it must be below {level:.3g} ({TANH_FRACTION:g} of the "
                          "best line): train longer or with a larger learning rate (Adam with "
                          "lr = 0.01 for 2000 full-batch steps does it)")
    if errors[1] > 2 * level:
        raise CheckFailed(f"{summary}; between the data points it must stay below "
                          f"{2 * level:.3g} too: did the network see the right x?")
    passed(f"{summary}: {best / errors[0]:.0f} times smaller")
