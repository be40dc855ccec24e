"""Self-checks for the backpropagation exercise (solutions/backpropagation.ipynb).

Each check evaluates the learner's function at fresh random points, compares every
partial derivative with central finite differences of the cost, and when one is off
names that partial derivative and the likely mistake (a missing σ', a missing w2, a
missing sum over outputs, a transposed matrix), found by recomputing the derivative
with that mistake made on purpose.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..descent import numerical_gradient
from ..engine import MLP, lookup_activation
from ..engine import layer_backward as _engine_layer_backward
from ..models import sigmoid, sigmoid_prime
from .core import CheckFailed, as_array, compare, fresh_rng, passed, require_own_function

#: Points per check, and the finite-difference step (central: error of order EPS²).
POINTS, EPS = 4, 1e-5
#: The learner's derivative must match finite differences to this (FD's own error ~1e-9).
RTOL, ATOL = 1e-5, 1e-8


def _finite(cost: Callable[[np.ndarray], float], theta: np.ndarray) -> np.ndarray:
    return numerical_gradient(cost, theta, eps=EPS)


def _at(**values: object) -> str:
    shown = ", ".join(f"{k}={np.array2string(np.asarray(v), precision=3, separator=', ')}"
                      .replace("\n", "") for k, v in values.items())
    return f"at {shown}"


def _call(fn: Callable, name: str, *args: object) -> tuple:
    result = fn(*args)
    if result is None:
        raise CheckFailed(f"{name} returned None: did it forget to `return` its result?")
    if hasattr(result, "detach"):  # a torch tensor: its rows
        result = result.detach().cpu().numpy()
    if isinstance(result, np.ndarray) and result.ndim >= 1:
        return tuple(result)  # an array of the derivatives: its rows, as a tuple would be
    if not isinstance(result, tuple | list):
        raise CheckFailed(f"{name} must return a tuple of derivatives, got {type(result).__name__}")
    return tuple(result)


def _order_hint(got: tuple, expected: list, names: list[str]) -> None:
    """Fail with a clear message when the right numbers come back in another order.

    Only when every returned value is one of the expected derivatives: a wrong value
    that happens to equal another derivative (∂J/∂b1 times x is ∂J/∂w1) is not an order
    mistake.
    """
    def near(g, e):
        return np.shape(g) == np.shape(e) and np.allclose(np.asarray(g, float), e,
                                                          rtol=RTOL, atol=ATOL)

    if not all(any(near(g, e) for e in expected) for g in got):
        return
    for i in range(len(got)):
        for j in range(len(got)):
            # only when position j is wrong too: the right number in the wrong place, not a
            # wrong number that happens to equal another derivative (∂J/∂b1 times x)
            if i != j and np.shape(got[i]) == np.shape(expected[j]) and np.allclose(
                    np.asarray(got[i], float), expected[j], rtol=RTOL, atol=ATOL) and \
                    not np.allclose(expected[i], expected[j], rtol=RTOL, atol=ATOL) and \
                    not (np.shape(got[j]) == np.shape(expected[j]) and np.allclose(
                        np.asarray(got[j], float), expected[j], rtol=RTOL, atol=ATOL)):
                raise CheckFailed(f"your value in position {i + 1} is {names[j]}, not "
                                  f"{names[i]}: return them in the order {', '.join(names)}")


# -- Task 1: the single-neuron chain ------------------------------------------------
def _chain_parts(w1, b1, w2, b2, x, y_d):
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    r = 2 * (sigmoid(z2) - y_d)
    return r, sigmoid_prime(z2), sigmoid_prime(z1), a1


def check_chain(chain_gradient: Callable) -> None:
    """``chain_gradient(w1, b1, w2, b2, x, y_d)`` → (∂J/∂w1, ∂J/∂b1, ∂J/∂w2, ∂J/∂b2)."""
    require_own_function(chain_gradient, "chain_gradient", forbidden=(numerical_gradient,),
                         numpy_only=True)
    names = ["∂J/∂w1", "∂J/∂b1", "∂J/∂w2", "∂J/∂b2"]
    gen = fresh_rng()
    for _ in range(POINTS):
        w1, b1, w2, b2 = gen.normal(0, 1.5, 4)
        x, y_d = gen.uniform(-2, 2), gen.uniform(0, 1)

        def cost(t, x=x, y_d=y_d):
            return float((sigmoid(t[2] * sigmoid(t[0] * x + t[1]) + t[3]) - y_d) ** 2)

        expected = list(_finite(cost, np.array([w1, b1, w2, b2])))
        got = _call(chain_gradient, "chain_gradient", w1, b1, w2, b2, x, y_d)
        if len(got) != 4:
            raise CheckFailed(f"chain_gradient must return 4 numbers ({', '.join(names)}), "
                              f"got {len(got)}")
        got = [as_array(g, name, ()) for g, name in zip(got, names, strict=True)]
        _order_hint(got, expected, names)
        r, s2, s1, a1 = _chain_parts(w1, b1, w2, b2, x, y_d)
        first_neuron = {"∂J/∂w1": x, "∂J/∂b1": 1.0}
        for i, name in enumerate(names):
            if name in first_neuron:
                inner = first_neuron[name]
                suspects = [
                    (r * s2 * s1 * inner, "you left out the factor w2 = ∂z2/∂a1: the path "
                     "from the first neuron to the output goes through the weight w2"),
                    (r * w2 * s1 * inner, "you left out σ'(z2), the derivative of the output "
                     "neuron"),
                    (r * s2 * w2 * inner, "you left out σ'(z1), the derivative of the first "
                     "neuron"),
                ]
                if name == "∂J/∂w1":
                    suspects.append((r * s2 * w2 * s1, "you left out ∂z1/∂w1 = x"))
                else:
                    suspects.append((r * s2 * w2 * s1 * x, "∂z1/∂b1 = 1: ∂J/∂b1 has no "
                                     "factor x (that factor belongs to ∂J/∂w1 only)"))
            else:
                inner = a1 if name == "∂J/∂w2" else 1.0
                suspects = [(r * inner, "you left out σ'(z2), the derivative of the output "
                             "neuron")]
                if name == "∂J/∂w2":
                    suspects.append((r * s2 * x, "∂z2/∂w2 is a1 = σ(z1), the first neuron's "
                                     "output, not the input x"))
            suspects += [(expected[i] / 2, "yours is half the expected value: d(y - y_d)²/dy "
                          "= 2(y - y_d)"),
                         (-expected[i], "yours has the wrong sign: use 2(y - y_d), not "
                          "2(y_d - y)")]
            compare(name, got[i], expected[i], where=_at(w1=w1, b1=b1, w2=w2, b2=b2, x=x,
                                                         y_d=y_d),
                    suspects=suspects, rtol=RTOL, atol=ATOL,
                    otherwise="multiply one factor per link of the chain, from J back to "
                              "the parameter: 2(y - y_d), σ'(z2), then w2 and σ'(z1) for "
                              "the first neuron, and finally ∂z/∂(parameter)")
    passed(f"chain_gradient matches finite differences at {POINTS} random points "
           f"(relative tolerance {RTOL:g})")


# -- Task 2: several hidden units ---------------------------------------------------
def check_hidden(hidden_gradient: Callable) -> None:
    """``hidden_gradient(w1, b1, w2, b2, x, y_d)`` → (∂J/∂w^(2), ∂J/∂w^(1)), 3 values each."""
    require_own_function(hidden_gradient, "hidden_gradient", forbidden=(numerical_gradient,),
                         numpy_only=True)
    gen = fresh_rng()
    for _ in range(POINTS):
        w1, b1, w2 = gen.normal(0, 1.5, (3, 3))
        b2, x, y_d = gen.normal(0, 1.5), gen.uniform(-2, 2), gen.uniform(0, 1)

        def cost(t, x=x, y_d=y_d, b1=b1, b2=b2):
            return float((sigmoid(t[:3] @ sigmoid(t[3:] * x + b1) + b2) - y_d) ** 2)

        finite = _finite(cost, np.concatenate([w2, w1]))
        expected = [finite[:3], finite[3:]]
        got = _call(hidden_gradient, "hidden_gradient", w1.copy(), b1.copy(), w2.copy(), b2,
                    x, y_d)
        names = ["∂J/∂w^(2)", "∂J/∂w^(1)"]
        if len(got) != 2:
            raise CheckFailed("hidden_gradient must return 2 arrays (∂J/∂w^(2), ∂J/∂w^(1)), "
                              f"got {len(got)} values")
        a1, s1 = sigmoid(w1 * x + b1), sigmoid_prime(w1 * x + b1)
        z2 = w2 @ a1 + b2
        r, s2 = 2 * (sigmoid(z2) - y_d), sigmoid_prime(z2)
        if np.ndim(got[0]) == 0 and np.isclose(float(got[0]), r * s2 * x, rtol=1e-6):
            raise CheckFailed("your ∂J/∂w^(2) is a single number, 2(a^(2) - y_d) σ'(z^(2)) x: "
                              "∂z^(2)/∂w_k^(2) is a_k^(1), hidden unit k's output, not x, "
                              "which gives one value per hidden unit")
        got = [as_array(g, name, (3,)) for g, name in zip(got, names, strict=True)]
        _order_hint(got, expected, names)
        suspects = {
            0: [(r * a1, "you left out σ'(z^(2)), the derivative of the output unit"),
                (r * s2 * x, "∂z^(2)/∂w_k^(2) is a_k^(1), hidden unit k's output, not x")],
            1: [(r * s2 * s1 * x, "you left out the factor w_k^(2): hidden unit k reaches "
                 "the output only through its own weight w_k^(2)"),
                (r * s2 * w2.sum() * s1 * x, "use unit k's own weight w_k^(2), not the sum of "
                 "all w^(2): only one path leads from w_k^(1) to the output"),
                (r * w2 * s1 * x, "you left out σ'(z^(2)), the derivative of the output unit"),
                (r * s2 * w2 * x, "you left out σ'(z_k^(1)), the derivative of hidden unit k"),
                (r * s2 * w2 * s1, "you left out ∂z_k^(1)/∂w_k^(1) = x")],
        }
        for i, level in enumerate(("2", "1")):
            for k in range(3):
                compare(f"∂J/∂w_{k + 1}^({level})", got[i][k], expected[i][k],
                        where=_at(w1=w1, b1=b1, w2=w2, b2=b2, x=x, y_d=y_d),
                        suspects=[(np.broadcast_to(v, (3,))[k], hint) for v, hint in suspects[i]],
                        rtol=RTOL, atol=ATOL,
                        otherwise="follow the chain from J to the weight, one factor per "
                                  "link: 2(a^(2) - y_d), σ'(z^(2)), then w_k^(2), σ'(z_k^(1)) "
                                  "and x for a hidden weight")
    passed(f"hidden_gradient matches finite differences at {POINTS} random points "
           f"(relative tolerance {RTOL:g})")


# -- Task 3: several outputs ---------------------------------------------------------
def check_outputs(outputs_gradient: Callable) -> None:
    """``outputs_gradient(w1, b1, W2, b2, x, y_d)`` → (∂J/∂W2 of shape (2, 3), ∂J/∂w1 (3,))."""
    require_own_function(outputs_gradient, "outputs_gradient", forbidden=(numerical_gradient,),
                         numpy_only=True)
    gen = fresh_rng()
    for _ in range(POINTS):
        w1, b1 = gen.normal(0, 1.5, (2, 3))
        W2, b2 = gen.normal(0, 1.5, (2, 3)), gen.normal(0, 1.5, 2)
        x, y_d = gen.uniform(-2, 2), gen.uniform(0, 1, 2)

        def cost(t, x=x, y_d=y_d, b1=b1, b2=b2):
            y = sigmoid(t[:6].reshape(2, 3) @ sigmoid(t[6:] * x + b1) + b2)
            return float(np.sum((y - y_d) ** 2))

        finite = _finite(cost, np.concatenate([W2.ravel(), w1]))
        expected = [finite[:6].reshape(2, 3), finite[6:]]
        got = _call(outputs_gradient, "outputs_gradient", w1.copy(), b1.copy(), W2.copy(),
                    b2.copy(), x, y_d.copy())
        if len(got) != 2:
            raise CheckFailed("outputs_gradient must return 2 arrays (∂J/∂W2, ∂J/∂w1), "
                              f"got {len(got)} values")
        dW2 = got[0]
        if np.shape(dW2) == (3, 2):
            raise CheckFailed("your ∂J/∂W2 has shape (3, 2), the transpose of W2's (2, 3): "
                              "entry [j, k] must be ∂J/∂w_jk^(2), the weight from hidden unit "
                              "k to output j, so build it as np.outer(δ, a^(1)) (rows j)")
        dW2 = as_array(dW2, "∂J/∂W2", (2, 3))
        dw1 = as_array(got[1], "∂J/∂w1", (3,))
        a1, s1 = sigmoid(w1 * x + b1), sigmoid_prime(w1 * x + b1)
        z2 = W2 @ a1 + b2
        delta = 2 * (sigmoid(z2) - y_d) * sigmoid_prime(z2)      # ∂J/∂z_j^(2)
        r = 2 * (sigmoid(z2) - y_d)
        where = _at(w1=w1, b1=b1, W2=W2, b2=b2, x=x, y_d=y_d)
        for j in range(2):
            for k in range(3):
                compare(f"∂J/∂w_{j + 1}{k + 1}^(2)", dW2[j, k], expected[0][j, k], where=where,
                        suspects=[(r[j] * a1[k], "you left out σ'(z_j^(2)), the derivative of "
                                   "output j"),
                                  (delta[j] * x, "∂z_j^(2)/∂w_jk^(2) is a_k^(1), not x")],
                        rtol=RTOL, atol=ATOL,
                        otherwise="an output weight w_jk^(2) feeds only output j: "
                                  "2(a_j^(2) - y_d,j) σ'(z_j^(2)) a_k^(1)")
        for k in range(3):
            compare(f"∂J/∂w_{k + 1}^(1)", dw1[k], expected[1][k], where=where,
                    suspects=[
                        (delta[0] * W2[0, k] * s1[k] * x, "you kept only output 1: hidden unit "
                         "k feeds both outputs, so add the two paths, Σ_j δ_j w_jk^(2)"),
                        (delta[1] * W2[1, k] * s1[k] * x, "you kept only output 2: hidden unit "
                         "k feeds both outputs, so add the two paths, Σ_j δ_j w_jk^(2)"),
                        ((W2.T @ delta)[k] * s1[k] * x / 2, "you averaged over the outputs: J "
                         "is their sum, so add the two paths"),
                        ((W2.T @ r)[k] * s1[k] * x, "you left out σ'(z_j^(2)) inside the sum "
                         "over outputs"),
                        ((W2.T @ delta)[k] * x, "you left out σ'(z_k^(1)), the derivative of "
                         "hidden unit k"),
                        (delta.sum() * s1[k] * x, "you left out w_jk^(2) inside the sum: each "
                         "path from hidden unit k to output j goes through w_jk^(2)"),
                        ((W2.T @ delta)[k] * s1[k], "you left out ∂z_k^(1)/∂w_k^(1) = x"),
                    ],
                    rtol=RTOL, atol=ATOL,
                    otherwise="sum over the outputs j: Σ_j 2(a_j^(2) - y_d,j) σ'(z_j^(2)) "
                              "w_jk^(2), then multiply by σ'(z_k^(1)) x")
    passed(f"outputs_gradient matches finite differences at {POINTS} random points "
           f"(relative tolerance {RTOL:g})")


# -- Task 4: the backward pass of one layer ------------------------------------------
#: Layers (units in, units out) the one-layer check uses: a square one, so that a
#: transposed matrix gives wrong numbers rather than a wrong shape, and two others.
LAYERS = ((3, 3), (2, 4), (4, 2))
#: Networks the learner's layer_backward must give correct gradients for.
NETWORKS = (([2, 3, 3, 2], "tanh", "sigmoid"), ([1, 4, 3, 1], "sin", "identity"),
            ([3, 2, 4, 2], "sigmoid", "tanh"))


def _layer_variants(W, a_prev, z, grad_a, f_prime) -> list[tuple[tuple, str]]:
    """What common mistakes would return for one layer, each with its hint.

    A mistake whose shapes do not fit this layer (a transpose of a non-square matrix)
    is left out: the shape check reports it instead.
    """
    delta = grad_a * f_prime(z)
    m = a_prev.shape[1]
    mistakes = [
        (lambda: (grad_a @ a_prev.T, grad_a.sum(axis=1), W.T @ grad_a),
         "you left out f'(Z): δ = ∂J/∂A ⊙ f'(Z) comes first, then everything uses δ"),
        (lambda: (a_prev @ delta.T, delta.sum(axis=1), W.T @ delta),
         "∂J/∂W is transposed: it is δ A_prevᵀ, entry [j, k] = Σ_i δ_ji a_ki"),
        (lambda: (delta @ a_prev.T, delta.sum(axis=1), W @ delta),
         "∂J/∂A_prev needs the transposed matrix, Wᵀ δ: entry [k, i] = Σ_j w_jk δ_ji sums "
         "over the units j that unit k feeds"),
        (lambda: (delta @ a_prev.T, delta.sum(axis=1), W.T @ grad_a),
         "∂J/∂A_prev is Wᵀ δ, with δ = ∂J/∂A ⊙ f'(Z), not Wᵀ ∂J/∂A"),
        (lambda: (delta @ a_prev.T, delta.mean(axis=1), W.T @ delta),
         "sum δ over the examples for ∂J/∂b, do not average: the 1/m is already in ∂J/∂A"),
        (lambda: (delta @ a_prev.T / m, delta.sum(axis=1), W.T @ delta),
         "do not divide ∂J/∂W by m: the 1/m is already in ∂J/∂A, and δ A_prevᵀ sums over "
         "the examples"),
    ]
    variants = []
    for make, hint in mistakes:
        try:
            variants.append((make(), hint))
        except ValueError:
            continue
    return variants


def _check_one_layer(layer_backward: Callable, n_in: int, n_out: int, name: str,
                     gen: np.random.Generator) -> None:
    m = 5
    W, b = gen.normal(0, 1, (n_out, n_in)), gen.normal(0, 0.5, n_out)
    a_prev, grad_a = gen.normal(0, 1, (n_in, m)), gen.normal(0, 1, (n_out, m))
    f, f_prime = lookup_activation(name)
    z = W @ a_prev + b[:, None]
    # J restricted to this layer: a linear function of its output A whose gradient is
    # grad_a, so its finite differences are exactly dJ/dW, dJ/db and dJ/dA_prev.
    sizes = (W.size, b.size, a_prev.size)

    def cost(t):
        W_, b_, a_ = np.split(t, np.cumsum(sizes)[:2])
        return float(np.sum(grad_a * f(W_.reshape(W.shape) @ a_.reshape(a_prev.shape)
                                       + b_[:, None])))

    finite = _finite(cost, np.concatenate([W.ravel(), b, a_prev.ravel()]))
    expected = [part.reshape(shape) for part, shape in zip(
        np.split(finite, np.cumsum(sizes)[:2]), (W.shape, b.shape, a_prev.shape), strict=True)]
    got = _call(layer_backward, "layer_backward", W.copy(), a_prev.copy(), z.copy(),
                grad_a.copy(), f_prime)
    labels = ["∂J/∂W", "∂J/∂b", "∂J/∂A_prev"]
    if len(got) != 3:
        raise CheckFailed("layer_backward must return 3 arrays (∂J/∂W, ∂J/∂b, ∂J/∂A_prev), "
                          f"got {len(got)} values")
    shapes = (W.shape, b.shape, a_prev.shape)
    hints = ("∂J/∂W has W's shape (units out, units in): δ A_prevᵀ",
             "∂J/∂b has one value per unit: sum δ over the examples, δ.sum(axis=1)",
             "∂J/∂A_prev has A_prev's shape (units in, examples): Wᵀ δ")
    for g, label, shape, hint in zip(got, labels, shapes, hints, strict=True):
        if np.shape(g) != shape:
            flipped = " (that is transposed)" if np.shape(g) == shape[::-1] else ""
            raise CheckFailed(f"for a layer with {n_in} inputs, {n_out} units and {m} "
                              f"examples your {label} has shape {np.shape(g)}{flipped}, "
                              f"expected {shape}: {hint}")
    got = [as_array(g, label, shape) for g, label, shape in zip(got, labels, shapes,
                                                                   strict=True)]
    # A mistake shows in all three outputs at once, so name the one that explains all three.
    hint = next((hint for variant, hint in _layer_variants(W, a_prev, z, grad_a, f_prime)
                 if all(np.shape(v) == np.shape(g) and np.allclose(g, v, rtol=1e-6, atol=1e-12)
                        for v, g in zip(variant, got, strict=True))),
                "use the recursion: δ = ∂J/∂A ⊙ f'(Z), ∂J/∂W = δ A_prevᵀ, "
                "∂J/∂b = δ summed over examples, ∂J/∂A_prev = Wᵀ δ")
    for i, label in enumerate(labels):
        compare(label, got[i], expected[i],
                where=f"for a {name} layer with {n_in} inputs and {n_out} units",
                rtol=RTOL, atol=ATOL, otherwise=hint)


def check_layer(layer_backward: Callable) -> None:
    """``layer_backward(W, a_prev, z, grad_a, f_prime)`` → (∂J/∂W, ∂J/∂b, ∂J/∂A_prev)."""
    require_own_function(layer_backward, "layer_backward", forbidden=(_engine_layer_backward,))
    gen = fresh_rng()
    for (n_in, n_out), name in zip(LAYERS, ("tanh", "sigmoid", "sin"), strict=True):
        _check_one_layer(layer_backward, n_in, n_out, name, gen)
    # The gradient check of whole networks, with the learner's layer in the engine.
    for sizes, hidden, output in NETWORKS:
        net = MLP(sizes, hidden, output, seed=gen)
        x, y_d = gen.normal(size=(sizes[0], 6)), gen.normal(size=(sizes[-1], 6))

        def cost(theta, net=net, x=x, y_d=y_d):
            saved = net.theta.copy()
            net.theta[:] = theta
            net.forward(x)
            value = net.cost(y_d)
            net.theta[:] = saved
            return value

        expected = _finite(cost, net.theta.copy())
        net.forward(x)
        try:
            got = net.backward(y_d, layer_backward=layer_backward)
        except ValueError as exc:
            raise CheckFailed(f"in the network {sizes}: {exc}") from None
        compare(f"gradient of the network {sizes} ({hidden} hidden layers)", got, expected,
                rtol=1e-4, atol=1e-7, otherwise="the one-layer checks passed, so look at what "
                "your function keeps between calls: it must use only its arguments")
    passed(f"layer_backward matches finite differences on {len(LAYERS)} layers and gives "
           f"correct gradients in {len(NETWORKS)} networks")
