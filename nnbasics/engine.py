"""The course's one dense network in NumPy: forward, backward, Jacobian, update.

Every NumPy network of the course is an :class:`MLP`, from the affine collapse of the
first chapters and the hand-built columns of universal approximation to the
backpropagation chapter (which derives it) and the stages of a multistage fit (which
train it by Levenberg-Marquardt through its Jacobian).

The notation is the lecture's, for a batch of ``m`` examples stored as columns:

    forward   Z(l) = W(l) A(l-1) + b(l),   A(l) = f_l(Z(l)),   A(0) = X,   y = A(L)
    cost      J = (1/m) sum over examples and outputs of (y - y_d)^2
    backward  delta(l) = dJ/dA(l) * f_l'(Z(l))         (elementwise)
              dJ/dW(l) = delta(l) A(l-1)^T,   dJ/db(l) = delta(l) summed over examples
              dJ/dA(l-1) = W(l)^T delta(l)             (passed to the layer below)

``W(l)`` has shape (units in layer l, units in layer l-1), so ``W[j, k]`` is the
lecture's w_jk: the weight from unit k below to unit j above. ``kappa`` (1 unless
chosen) scales the first layer, Z(1) = kappa W(1) X + b(1): the multistage chapters set
it from a residue's frequencies, so that weights of order one give the right ones.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from . import activations
from .seeding import Seed, generator
from .validation import require_in_range, require_int

#: name -> (f, f'): the smooth activations the course's networks use, from their one
#: home (:mod:`nnbasics.activations`), and the identity for a linear output layer. Not
#: ReLU: its kink makes the finite-difference checks of gradients and Jacobians ill-posed.
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    **{name: (activations.ACTIVATIONS[name].function, activations.ACTIVATIONS[name].derivative)
       for name in ("sigmoid", "tanh", "sin")},
    "identity": (lambda z: z, np.ones_like),
}

#: How the weights start. "lecture": W ~ N(0, 1/fan-in) and b ~ N(0, 1/4), the
#: backpropagation chapter's choice; "xavier": W ~ N(0, 2/(fan-in + fan-out)) and b = 0
#: (Glorot & Bengio), the multistage stages' choice, as in Wang & Lai's code.
INITIALISATIONS = ("lecture", "xavier")


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
    """A multilayer perceptron y = f_L(W(L) ... f_1(kappa W(1) x + b(1)) ... + b(L)).

    ``sizes`` lists the units per layer, inputs first: ``[1, 3, 2]`` is one input,
    three hidden units and two outputs. Hidden layers use ``activation``, except the
    first hidden layer when ``first`` names another one (a sine layer, say); the last
    layer uses ``output``. ``init`` is one of :data:`INITIALISATIONS`, drawn from
    ``seed`` (a whole number or a NumPy Generator, which is advanced).
    """

    def __init__(self, sizes: Sequence[int], activation: str = "tanh",
                 output: str = "identity", *, first: str | None = None, kappa: float = 1.0,
                 init: str = "lecture", seed: Seed = 0):
        if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least 2 layer sizes, got {sizes!r}")
        self.sizes = [require_int(f"sizes[{i}]", n, 1) for i, n in enumerate(sizes)]
        names = [activation] * (len(sizes) - 2) + [output]
        if first is not None and len(names) > 1:
            names[0] = first
        self.activation_names = names
        self.activations = [lookup_activation(name) for name in names]
        self.kappa = require_in_range("kappa", kappa, 0.0, low_inclusive=False)
        if init not in INITIALISATIONS:
            raise ValueError(f"init must be one of {INITIALISATIONS}, got {init!r}")
        gen = generator(seed)
        # Every weight and bias lives in one vector theta; W(l) and b(l) are views into it,
        # so changing theta[j] changes the network (finite differences, Levenberg-Marquardt)
        # and vice versa.
        self.theta = np.empty(sum((n_in + 1) * n_out for n_in, n_out in self._pairs()))
        self._bind_views()
        for W, b in zip(self.weights, self.biases, strict=True):
            n_out, n_in = W.shape
            if init == "lecture":
                W[...] = gen.normal(0.0, 1.0 / np.sqrt(n_in), W.shape)
                b[...] = gen.normal(0.0, 0.5, b.shape)
            else:
                W[...] = gen.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), W.shape)
                b[...] = 0.0

    @classmethod
    def from_layers(cls, weights: Sequence[object], biases: Sequence[object],
                    activation: str = "tanh", output: str = "identity", *,
                    first: str | None = None, kappa: float = 1.0) -> MLP:
        """The network with these weight matrices and bias vectors (copied into theta).

        For networks whose weights are set by a construction rather than drawn: the
        columns of universal approximation, the sine layer read off a spectrum.
        """
        weights = [np.atleast_2d(np.asarray(W, dtype=float)) for W in weights]
        biases = [np.atleast_1d(np.asarray(b, dtype=float)) for b in biases]
        if not weights or len(weights) != len(biases):
            raise ValueError("weights and biases must be non-empty lists of the same length, "
                             f"got {len(weights)} and {len(biases)}")
        sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
            if W.ndim != 2 or W.shape[1] != sizes[layer - 1] or b.shape != (W.shape[0],):
                raise ValueError(f"layer {layer}: W must have shape (n_out, {sizes[layer - 1]})"
                                 f" and b shape (n_out,), got {W.shape} and {b.shape}")
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
                raise ValueError(f"layer {layer}: weights and biases must be finite")
        net = cls(sizes, activation, output, first=first, kappa=kappa, init="xavier", seed=0)
        for W, b, W_new, b_new in zip(net.weights, net.biases, weights, biases, strict=True):
            W[...], b[...] = W_new, b_new
        return net

    def _pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.sizes[:-1], self.sizes[1:], strict=True))

    def _bind_views(self) -> None:
        self.weights, self.biases, start = [], [], 0
        for n_in, n_out in self._pairs():
            self.weights.append(self.theta[start:start + n_out * n_in].reshape(n_out, n_in))
            self.biases.append(self.theta[start + n_out * n_in:start + (n_in + 1) * n_out])
            start += (n_in + 1) * n_out

    def __deepcopy__(self, memo: dict) -> MLP:
        # A plain deep copy would copy every view apart from the copied theta, and the
        # copy's weights would no longer be its parameters.
        new = copy.copy(self)
        new.theta = self.theta.copy()
        new._bind_views()
        for name in ("_a", "_z", "grad"):
            new.__dict__.pop(name, None)
        return new

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
        for layer, (W, b, (f, _)) in enumerate(zip(self.weights, self.biases,
                                                   self.activations, strict=True)):
            z = W @ a
            if layer == 0 and self.kappa != 1.0:
                z = self.kappa * z
            z += b[:, None]
            a = f(z)
            self._z.append(z)
            self._a.append(a)
        return a

    def __call__(self, x: object) -> np.ndarray:
        """The network as a function of points: y = net(x).

        ``x`` has any shape for a one-input network (every entry a point) and shape
        (..., d) for d inputs; the result has the points' shape, with the outputs as a
        last axis when there is more than one. The same numbers as :meth:`forward`,
        which takes the examples as columns.
        """
        x = np.asarray(x, dtype=float)
        d = self.sizes[0]
        if d == 1:
            shape = x.shape
        elif x.ndim >= 1 and x.shape[-1] == d:
            shape = x.shape[:-1]
        else:
            raise ValueError(f"x must have shape (..., {d}): one row of {d} inputs per point, "
                             f"got shape {x.shape}")
        y = self.forward(x.reshape(-1, d).T)
        return y[0].reshape(shape) if self.sizes[-1] == 1 else y.T.reshape(*shape, -1)

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
            grad_W, grad_b, grad_a = layer_backward(self.weights[layer], self._input(layer),
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

    def jacobian(self, x: object) -> np.ndarray:
        """dy/dtheta at each example of a one-output network: shape (m, theta.size).

        The same backward recursion as :meth:`backward`, run for the output itself
        instead of the cost, keeping one row per example instead of their sum.
        Levenberg-Marquardt rebuilds it at every iteration, so each layer's block is
        written straight into one preallocated array (building the blocks apart and
        concatenating them took four times as long).
        """
        if self.sizes[-1] != 1:
            raise ValueError(f"the Jacobian is for one-output networks; this one has "
                             f"{self.sizes[-1]} outputs")
        self.forward(x)
        m = self._a[0].shape[1]
        jt = np.empty((self.theta.size, m))  # transposed: each parameter's row is contiguous
        delta = np.ones((1, m))  # dy/dA(L)
        end = self.theta.size
        for layer in reversed(range(len(self.weights))):
            name = self.activation_names[layer]
            if name == "tanh":  # f' from the output: cheaper than tanh again
                delta = delta * (1.0 - self._a[layer + 1] ** 2)
            elif name != "identity":
                delta = delta * self.activations[layer][1](self._z[layer])
            n_out, n_in = self.weights[layer].shape  # delta is now dy/dZ(l)
            jt[end - n_out:end] = delta
            end -= n_out
            block = jt[end - n_out * n_in:end].reshape(n_out, n_in, m)
            np.multiply(delta[:, None, :], self._input(layer)[None, :, :], out=block)
            end -= n_out * n_in
            if layer > 0:
                delta = self.weights[layer].T @ delta
        return jt.T

    def _input(self, layer: int) -> np.ndarray:
        """What W(l) multiplies, as the gradient sees it: A(l-1), and kappa X for l = 1."""
        a = self._a[layer]
        return self.kappa * a if layer == 0 and self.kappa != 1.0 else a

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
