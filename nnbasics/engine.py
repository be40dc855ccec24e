"""Backpropagation from scratch: a multilayer perceptron in NumPy, forward, backward, update.

The notation is the lecture's, for a batch of ``m`` examples stored as columns:

    forward   Z(l) = W(l) A(l-1) + b(l),   A(l) = f(Z(l)),   A(0) = X,   y = A(L)
    cost      J = (1/m) sum over examples and outputs of (y - y_d)^2
    backward  delta(l) = dJ/dA(l) * f'(Z(l))           (elementwise)
              dJ/dW(l) = delta(l) A(l-1)^T,   dJ/db(l) = delta(l) summed over examples
              dJ/dA(l-1) = W(l)^T delta(l)             (passed to the layer below)

``W(l)`` has shape (units in layer l, units in layer l-1), so ``W[j, k]`` is the
lecture's w_jk: the weight from unit k below to unit j above.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import activations
from .validation import require_in_range, require_int

#: name -> (f, f'): the smooth activations the backpropagation chapter compares, from
#: their one home (:mod:`nnbasics.activations`), and the identity for a linear output
#: layer. Not ReLU: its kink makes the chapter's finite-difference checks ill-posed.
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    **{name: (activations.ACTIVATIONS[name].function, activations.ACTIVATIONS[name].derivative)
       for name in ("sigmoid", "tanh", "sin")},
    "identity": (lambda z: z, np.ones_like),
}


def lookup_activation(name: str) -> tuple[Callable, Callable]:
    """The pair (f, f') for an activation's name, or a ValueError listing the names."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


def layer_backward(W, a_prev, z, grad_a, f_prime):
    """One layer backwards: from dJ/dA(l) to (dJ/dW(l), dJ/db(l), dJ/dA(l-1))."""
    delta = grad_a * f_prime(z)          # dJ/dZ(l): the chain rule through f
    grad_W = delta @ a_prev.T            # sums over the examples of the batch
    grad_b = delta.sum(axis=1)
    grad_a_prev = W.T @ delta            # sums over the units j of layer l
    return grad_W, grad_b, grad_a_prev


class MLP:
    """A multilayer perceptron y = f_L(W(L) ... f_1(W(1) x + b(1)) ... + b(L)).

    ``sizes`` lists the units per layer, inputs first: ``[1, 3, 2]`` is one input,
    three hidden units and two outputs. Hidden layers use ``activation``, the last
    layer ``output``. Weights start as N(0, 1/fan-in), biases as N(0, 1/4), drawn
    from ``seed`` (a whole number or a NumPy Generator).
    """

    def __init__(self, sizes: Sequence[int], activation: str = "tanh",
                 output: str = "identity", *, seed: int | np.random.Generator = 0):
        if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least 2 layer sizes, got {sizes!r}")
        self.sizes = [require_int(f"sizes[{i}]", n, 1) for i, n in enumerate(sizes)]
        self.activation_names = [activation] * (len(sizes) - 2) + [output]
        self.activations = [lookup_activation(name) for name in self.activation_names]
        gen = seed if isinstance(seed, np.random.Generator) else \
            np.random.default_rng(require_int("seed", seed, 0))
        # Every weight and bias lives in one vector theta; W(l) and b(l) are views into it,
        # so changing theta[j] changes the network (finite differences) and vice versa.
        pairs = list(zip(self.sizes[:-1], self.sizes[1:], strict=True))
        self.theta = np.empty(sum((n_in + 1) * n_out for n_in, n_out in pairs))
        self.weights, self.biases, start = [], [], 0
        for n_in, n_out in pairs:
            W = self.theta[start:start + n_out * n_in].reshape(n_out, n_in)
            b = self.theta[start + n_out * n_in:start + (n_in + 1) * n_out]
            W[...] = gen.normal(0.0, 1.0 / np.sqrt(n_in), W.shape)
            b[...] = gen.normal(0.0, 0.5, b.shape)
            self.weights.append(W)
            self.biases.append(b)
            start += (n_in + 1) * n_out

    @property
    def parameters(self) -> list[np.ndarray]:
        """[W(1), b(1), W(2), b(2), ...]: views into ``theta``, in its order."""
        return [p for pair in zip(self.weights, self.biases, strict=True) for p in pair]

    def _inputs(self, x: object) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.ndim != 2 or x.shape[0] != self.sizes[0] or x.shape[1] < 1:
            raise ValueError(f"x must have shape ({self.sizes[0]}, m): one column per example, "
                             f"got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ValueError("x must contain only finite values")
        return x

    def forward(self, x: object) -> np.ndarray:
        """The outputs A(L), shape (outputs, m); keeps every Z(l) and A(l) for backward."""
        a = self._inputs(x)
        self._a, self._z = [a], []
        for W, b, (f, _) in zip(self.weights, self.biases, self.activations, strict=True):
            z = W @ a + b[:, None]
            a = f(z)
            self._z.append(z)
            self._a.append(a)
        return a

    def cost(self, y_d: object) -> float:
        """J of the last forward pass: the mean over examples of sum_j (y_j - y_d,j)^2."""
        y_d = self._targets(y_d)
        y = self._a[-1]
        return float(np.sum((y - y_d) ** 2) / y.shape[1])

    def backward(self, y_d: object, layer_backward: Callable = layer_backward) -> np.ndarray:
        """dJ/dtheta, laid out like ``theta``, by one pass from the output to the input."""
        y_d = self._targets(y_d)
        y = self._a[-1]
        grad_a = 2.0 * (y - y_d) / y.shape[1]       # dJ/dA(L) of the mean over examples
        grads = []
        for layer in reversed(range(len(self.weights))):
            grad_W, grad_b, grad_a = layer_backward(self.weights[layer], self._a[layer],
                                                    self._z[layer], grad_a,
                                                    self.activations[layer][1])
            for name, g, p in (("dJ/dW", grad_W, self.weights[layer]),
                               ("dJ/db", grad_b, self.biases[layer])):
                if np.shape(g) != p.shape:
                    raise ValueError(f"layer_backward returned {name} of shape {np.shape(g)} "
                                     f"for layer {layer + 1}, expected {p.shape}")
            grads = [grad_W, grad_b, *grads]
        self.grad = np.concatenate([np.ravel(g) for g in grads])
        return self.grad

    def update(self, learning_rate: float) -> None:
        """One gradient-descent step for all weights and biases: theta <- theta - rate * grad."""
        learning_rate = require_in_range("learning_rate", learning_rate, 0.0,
                                         low_inclusive=False)
        if not hasattr(self, "grad"):
            raise RuntimeError("call backward before update: there is no gradient yet")
        self.theta -= learning_rate * self.grad

    def _targets(self, y_d: object) -> np.ndarray:
        if not hasattr(self, "_a"):
            raise RuntimeError("call forward first: there is no output to compare y_d with")
        y_d = np.asarray(y_d, dtype=float)
        if y_d.shape != self._a[-1].shape:
            raise ValueError(f"y_d must have the outputs' shape {self._a[-1].shape}, "
                             f"got {y_d.shape}")
        return y_d
