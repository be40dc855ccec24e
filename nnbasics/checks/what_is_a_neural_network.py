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


def _check_architecture(tanh_net) -> None:
    """Linear layers (1→16), (16→16), (16→1), tanh after each hidden one, and the last
    layer's output returned: checked by running the network, whatever its modules are
    called (``nn.Tanh`` or ``torch.tanh`` in ``forward`` both pass)."""
    import torch

    calls: list[tuple[torch.nn.Linear, torch.Tensor, torch.Tensor]] = []

    def hook(module, args, out):
        calls.append((module, args[0].detach().double(), out.detach().double()))

    handles = [m.register_forward_hook(hook) for m in tanh_net.modules()
               if isinstance(m, torch.nn.Linear)]
    try:
        dtype = next(tanh_net.parameters()).dtype
    except StopIteration:
        raise CheckFailed("tanh_net has no parameters: build it from torch.nn.Linear "
                          "layers") from None
    probe = torch.linspace(-1, 1, 41, dtype=dtype)[:, None]
    try:
        with torch.no_grad():
            out = tanh_net(probe)
    except Exception as exc:
        raise CheckFailed(f"calling tanh_net on x of shape (41, 1) failed: "
                          f"{type(exc).__name__}: {exc}") from None
    finally:
        for handle in handles:
            handle.remove()
    if not calls and handles:
        raise CheckFailed("tanh_net's forward never calls its Linear layers: it must return "
                          "the trained network's output, not a formula or a copy of y")
    shapes = [(m.in_features, m.out_features) for m, _, _ in calls]
    wanted = list(zip(SHAPE[:-1], SHAPE[1:], strict=True))
    if shapes != wanted:
        raise CheckFailed(f"tanh_net's Linear layers map {shapes or 'nothing'} (in, out) when "
                          f"called; the shape (1, 16, 16, 1) needs {wanted}: two hidden "
                          "layers of 16 units, like the linear network it is compared with")
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    for i in range(2):
        z, a = calls[i][2], calls[i + 1][1]
        if torch.allclose(a, torch.tanh(z), rtol=0, atol=tol):
            continue
        if torch.allclose(a, torch.relu(z), rtol=0, atol=tol):
            raise CheckFailed(f"after Linear layer {i + 1} your network applies ReLU, "
                              "max(0, z); the exercise asks for tanh (nn.Tanh() or "
                              "torch.tanh) after each hidden layer")
        if torch.allclose(a, z, rtol=0, atol=tol):
            raise CheckFailed(f"nothing is applied after Linear layer {i + 1}: put tanh "
                              "(nn.Tanh() or torch.tanh) after each hidden layer; without "
                              "it the network is an affine map again")
        raise CheckFailed(f"what Linear layer {i + 2} receives is not tanh of what Linear "
                          f"layer {i + 1} returns: apply tanh after each hidden layer")
    got = torch.as_tensor(out).detach().double().reshape(-1)
    if got.shape != calls[2][2].reshape(-1).shape or not torch.allclose(
            got, calls[2][2].reshape(-1), rtol=0, atol=tol):
        raise CheckFailed("tanh_net's output is not what its last Linear layer returns: "
                          "forward must return the network's output (no formula, no "
                          "activation after the last layer)")


def check_tanh_network(tanh_net: object) -> None:
    """A trained torch network of shape (1, 16, 16, 1) with tanh, far below the best line."""
    not_implemented(tanh_net, "train tanh_net, a (1, 16, 16, 1) tanh network")
    import torch

    if not isinstance(tanh_net, torch.nn.Module):
        raise CheckFailed(f"tanh_net must be a torch network (torch.nn.Module), got "
                          f"{type(tanh_net).__name__}")
    _check_architecture(tanh_net)
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
    if errors[0] > 0.5 * best:
        raise CheckFailed(f"{summary}; it is no better than the best line: either it was "
                          "hardly trained (does your loop run, for enough steps, on this very "
                          "network?) or training cannot help: check the shapes (a target "
                          "y of shape (200,) against an output of shape (200, 1) broadcasts to "
                          "(200, 200) in the loss: use y[:, None]) and the data (all 200 "
                          "points of exercise_data(), x as input and y as target)")
    if errors[0] > level:
        raise CheckFailed(f"{summary}; it must be below {level:.3g} ({TANH_FRACTION:g} of the "
                          "best line): train longer or with a larger learning rate (Adam with "
                          "lr = 0.01 for 2000 full-batch steps does it)")
    if errors[1] > 2 * level:
        raise CheckFailed(f"{summary}; between the data points it must stay below "
                          f"{2 * level:.3g} too: did the network see the right x?")
    passed(f"{summary}: {best / errors[0]:.0f} times smaller")
