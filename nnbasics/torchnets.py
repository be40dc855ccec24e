"""The course's torch networks and their training, written once for every chapter.

* :func:`activation_module` – the torch module for an activation's name (the names of
  :mod:`nnbasics.activations` and of the engine, ``"identity"`` included);
* :func:`dense_network` – a fully connected network from its layer widths and the name of
  its activation;
* :class:`FourierFeatureNet` – fixed Fourier features ``[cos Bx, sin Bx]``, then a
  dense tanh network (the spectral-bias chapter);
* :class:`SinFirstLayerNet` – a first layer ``sin(κ w x + b)``, then a dense tanh network;
* :func:`train` – full-batch Adam on the mean squared error, returning the loss at every
  step and, if asked, the network's outputs every few steps (with the time of each);
* :func:`as_function` – a trained network as a function of NumPy arrays, for plots and
  errors.

This is the one module of the package that imports torch; the others stay NumPy-only, so
a chapter that never trains a torch network never pays for importing it. Import torch in
the notebook before ``course_seed()`` so that the initial weights are seeded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import torch

from .activations import ACTIVATIONS as _NUMPY_ACTIVATIONS
from .descent import MAX_STEPS
from .fourier import fourier_features
from .validation import require_in_range, require_int

__all__ = [
    "ACTIVATIONS",
    "FourierFeatureNet",
    "SinFirstLayerNet",
    "Training",
    "activation_module",
    "as_function",
    "dense_network",
    "train",
]

#: The activation names a network may use: those of :mod:`nnbasics.activations`, and
#: ``"identity"`` (σ(z) = z, the linear network that collapses to one affine map).
ACTIVATIONS: tuple[str, ...] = (*_NUMPY_ACTIVATIONS, "identity")

#: The floating-point types of the course's networks: float32 (fast), float64 (exact).
DTYPES = (torch.float32, torch.float64)


class Sine(torch.nn.Module):
    """sin(z), elementwise: torch has no module for it."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sin(z)


_MODULES: dict[str, Callable[[], torch.nn.Module]] = {
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "sin": Sine,
    "relu": torch.nn.ReLU,
    "identity": torch.nn.Identity,
}


def activation_module(activation: str) -> torch.nn.Module:
    """The torch module for an activation's name: ``torch.nn.Tanh()`` for ``"tanh"``."""
    if not isinstance(activation, str) or activation not in _MODULES:
        raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
    return _MODULES[activation]()


def _widths(name: str, widths: object) -> list[int]:
    try:
        items = list(widths)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(f"{name} must be a sequence of layer widths, got {widths!r}") from None
    if len(items) < 2:
        raise ValueError(f"{name} must list at least an input and an output width, "
                         f"got {items}")
    return [require_int(f"{name}[{i}]", n, 1) for i, n in enumerate(items)]


def dense_network(widths: Sequence[int], activation: str = "tanh",
                  dtype: torch.dtype = torch.float32) -> torch.nn.Sequential:
    """A fully connected network, e.g. ``widths = [1, 64, 64, 1]``, with ``activation``
    after every layer but the last (a linear output).

    The layers are ``torch.nn.Linear`` with torch's default initialisation, drawn in
    float32 and then cast to ``dtype``, so that a seed gives the same starting weights
    in both precisions.
    """
    widths = _widths("widths", widths)
    activation_module(activation)  # the name, checked before any layer is drawn
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype!r}")
    layers: list[torch.nn.Module] = []
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out), activation_module(activation)]
    return torch.nn.Sequential(*layers[:-1]).to(dtype)


class FourierFeatureNet(torch.nn.Module):
    """``γ(x) = [cos(x Bᵀ), sin(x Bᵀ)]`` with a fixed ``B`` of shape ``(m, d)``, then a
    dense tanh network ``[2m, width, 1]``.

    ``B`` is a buffer, not a parameter: the optimiser never changes the frequencies.
    """

    def __init__(self, B: object, width: int = 64):
        super().__init__()
        B = torch.as_tensor(np.asarray(B, dtype=float), dtype=torch.float32)
        if B.ndim != 2 or B.shape[0] < 1 or B.shape[1] < 1:
            raise ValueError(f"B must have shape (m, d) with m, d >= 1, got {tuple(B.shape)}")
        if not torch.all(torch.isfinite(B)):
            raise ValueError("B must contain only finite values")
        width = require_int("width", width, 1)
        self.register_buffer("B", B)
        self.body = dense_network([2 * B.shape[0], width, 1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(fourier_features(x, self.B))


class SinFirstLayerNet(torch.nn.Module):
    """A first layer ``sin(κ (x Wᵀ) + b)`` of ``width`` neurons, then a dense tanh
    network ``[width, width, 1]``.

    ``W`` and ``b`` start as torch's default (uniform in ±1/√d), so ``κ`` sets the range
    of frequencies the network starts from; unlike Fourier features, they are trained.
    """

    def __init__(self, kappa: float, dim: int = 1, width: int = 64):
        super().__init__()
        self.kappa = require_in_range("kappa", kappa, 0.0, None, low_inclusive=False)
        dim = require_int("dim", dim, 1)
        width = require_int("width", width, 1)
        self.first = torch.nn.Linear(dim, width)
        self.body = dense_network([width, width, 1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.kappa * (x @ self.first.weight.T) + self.first.bias
        return self.body(torch.sin(z))


class Training(NamedTuple):
    """What :func:`train` returns.

    ``losses[k]``: the mean squared error after ``k`` Adam steps (the loss each step
    descends from). ``outputs[i]``: the network on ``x_eval`` after ``steps_at[i]``
    steps, a NumPy float64 array (``(n,)`` for one output, else ``(n, k)``);
    ``outputs[-1]`` is the trained network's. ``seconds[i]``: the wall-clock time from
    the start of training to that record.
    """

    losses: np.ndarray
    outputs: np.ndarray
    steps_at: np.ndarray
    seconds: np.ndarray


def _parameter_dtype(net: torch.nn.Module) -> torch.dtype:
    for p in net.parameters():
        return p.dtype
    raise ValueError("net has no parameters to train")


def _tensor(name: str, value: object, dtype: torch.dtype) -> torch.Tensor:
    if value is None:
        raise TypeError(f"{name} must be a 2D tensor or array of numbers, got None")
    try:
        tensor = torch.as_tensor(value, dtype=dtype)
    except (TypeError, ValueError, RuntimeError) as exc:
        raise TypeError(f"{name} must be a 2D tensor or array of numbers ({exc})") from None
    if tensor.ndim != 2 or tensor.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n, d), one row per point, "
                         f"got {tuple(tensor.shape)}")
    if not torch.all(torch.isfinite(tensor)):
        raise ValueError(f"{name} must contain only finite values")
    return tensor


def _numpy(y: torch.Tensor) -> np.ndarray:
    y = y.detach()
    return (y[:, 0] if y.shape[1] == 1 else y).double().numpy()


def train(net: torch.nn.Module, x: object, y: object, steps: int, lr: float = 1e-3,
          x_eval: object | None = None, every: int = 0) -> Training:
    """Full-batch Adam on the mean squared error ``mean((net(x) - y)²)``, ``steps`` times.

    ``x`` and ``y`` have one row per point (``y`` the shape of ``net(x)``); tensors or
    arrays, in the network's dtype. The network's outputs on ``x_eval`` (default ``x``)
    are recorded every ``every`` steps (never if 0) and after the last step, so that
    figures can replay a run without training again.
    """
    if not isinstance(net, torch.nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    dtype = _parameter_dtype(net)
    x = _tensor("x", x, dtype)
    y = _tensor("y", y, dtype)
    x_eval = x if x_eval is None else _tensor("x_eval", x_eval, dtype)
    steps = require_int("steps", steps, 0, MAX_STEPS)
    lr = require_in_range("lr", lr, 0.0, 1.0, low_inclusive=False)
    every = require_int("every", every, 0, MAX_STEPS)
    with torch.no_grad():
        shape = tuple(net(x[:1]).shape)
    if shape != (1, y.shape[1]) or y.shape[0] != x.shape[0]:
        raise ValueError(f"y must have the shape of net(x), ({x.shape[0]}, {shape[-1]}), "
                         f"got {tuple(y.shape)}")
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    losses, outputs, steps_at, seconds = [], [], [], []
    start = time.perf_counter()
    for step in range(steps + 1):
        if step == steps or (every and step % every == 0):
            seconds.append(time.perf_counter() - start)
            with torch.no_grad():
                outputs.append(_numpy(net(x_eval)))
            steps_at.append(step)
        if step < steps:
            optimiser.zero_grad()
            loss = torch.mean((net(x) - y) ** 2)
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
    return Training(np.array(losses), np.array(outputs), np.array(steps_at),
                    np.array(seconds))


def as_function(net: torch.nn.Module) -> Callable[[object], np.ndarray]:
    """``net`` as a function of NumPy inputs: ``f(x)`` with ``x`` of shape ``(n,)`` (one
    input) or ``(n, d)``, returning the outputs as a float64 array, ``(n,)`` for one
    output. The inputs are cast to the network's dtype; no gradient is recorded.
    """
    if not isinstance(net, torch.nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    dtype = _parameter_dtype(net)

    def evaluate(x: object) -> np.ndarray:
        array = np.asarray(x, dtype=float)
        if array.ndim == 1:
            array = array[:, None]
        with torch.no_grad():
            return _numpy(net(_tensor("x", array, dtype)))

    return evaluate
