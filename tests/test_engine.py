"""The from-scratch engine against torch autograd and finite differences, and its refusals."""

import numpy as np
import pytest
import torch

from nnbasics.descent import numerical_gradient
from nnbasics.engine import ACTIVATIONS, MLP, layer_backward, lookup_activation

TORCH_ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "sin": torch.sin,
                     "identity": lambda z: z}
SHAPES = [[1, 1, 1], [1, 3, 1], [1, 3, 2], [2, 5, 3], [3, 4, 4, 2], [1, 8, 8, 8, 1], [4, 2]]


def torch_cost_and_gradient(net, x, y_d):
    """J and dJ/dθ of the same network, written in torch and differentiated by autograd."""
    theta = torch.tensor(net.theta, requires_grad=True)
    a, start = torch.tensor(x), 0
    layers = zip(net.sizes[:-1], net.sizes[1:], strict=True)
    for (n_in, n_out), name in zip(layers, net.activation_names,
                                   strict=True):
        W = theta[start:start + n_out * n_in].reshape(n_out, n_in)
        b = theta[start + n_out * n_in:start + (n_in + 1) * n_out]
        a = TORCH_ACTIVATIONS[name](W @ a + b[:, None])
        start += (n_in + 1) * n_out
    J = ((a - torch.tensor(y_d)) ** 2).sum() / x.shape[1]
    J.backward()
    return J.item(), theta.grad.numpy()


def random_problem(sizes, seed, m=7):
    gen = np.random.default_rng(seed)
    return gen.normal(size=(sizes[0], m)), gen.normal(size=(sizes[-1], m))


@pytest.mark.parametrize("sizes", SHAPES)
@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
@pytest.mark.parametrize("output", ["identity", "sigmoid", "tanh"])
def test_gradient_equals_torch_autograd(sizes, hidden, output):
    for seed in range(3):
        net = MLP(sizes, hidden, output, seed=seed)
        x, y_d = random_problem(sizes, 100 + seed)
        net.forward(x)
        J = net.cost(y_d)
        grad = net.backward(y_d)
        J_torch, grad_torch = torch_cost_and_gradient(net, x, y_d)
        assert J == pytest.approx(J_torch, rel=1e-13)
        assert grad.shape == net.theta.shape
        assert np.max(np.abs(grad - grad_torch)) <= 1e-10 * np.max(np.abs(grad_torch))


@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
def test_gradient_matches_finite_differences(hidden):
    net = MLP([2, 4, 3, 2], hidden, "sigmoid", seed=4)
    x, y_d = random_problem(net.sizes, 9, m=5)

    def cost(theta):
        net.theta[:] = theta
        net.forward(x)
        return net.cost(y_d)

    theta0 = net.theta.copy()
    expected = numerical_gradient(cost, theta0, eps=1e-6)
    cost(theta0)
    assert np.allclose(net.backward(y_d), expected, rtol=1e-6, atol=1e-9)


def test_weights_and_biases_are_views_into_theta():
    net = MLP([2, 3, 1], seed=1)
    assert net.theta.size == (2 + 1) * 3 + (3 + 1) * 1
    net.theta[0] = 42.0
    assert net.weights[0][0, 0] == 42.0
    net.biases[1][0] = -7.0
    assert net.theta[-1] == -7.0
    assert [p.shape for p in net.parameters] == [(3, 2), (3,), (1, 3), (1,)]


def test_update_is_one_gradient_step_and_lowers_the_cost():
    net = MLP([1, 6, 1], "tanh", seed=2)
    x = np.linspace(-1, 1, 20)[None, :]
    y_d = np.sin(2 * x)
    net.forward(x)
    J0 = net.cost(y_d)
    before = net.theta.copy()
    grad = net.backward(y_d).copy()
    net.update(0.01)
    assert np.allclose(net.theta, before - 0.01 * grad, rtol=0, atol=1e-15)
    net.forward(x)
    assert net.cost(y_d) < J0


def test_same_seed_same_network_and_generator_accepted():
    assert np.array_equal(MLP([1, 4, 1], seed=3).theta, MLP([1, 4, 1], seed=3).theta)
    gen = np.random.default_rng(3)
    assert MLP([1, 4, 1], seed=gen).theta.shape == (13,)


def test_layer_backward_shapes_and_activation_pairs():
    gen = np.random.default_rng(0)
    W, a_prev, z, grad_a = (gen.normal(size=s) for s in [(3, 2), (2, 5), (3, 5), (3, 5)])
    gW, gb, ga = layer_backward(W, a_prev, z, grad_a, np.cos)
    assert gW.shape == (3, 2) and gb.shape == (3,) and ga.shape == (2, 5)
    zs = np.linspace(-4, 4, 41)
    for name, (f, f_prime) in ACTIVATIONS.items():
        assert np.allclose(f_prime(zs), (f(zs + 1e-6) - f(zs - 1e-6)) / 2e-6, atol=1e-8), name
    assert lookup_activation("sin") == ACTIVATIONS["sin"]


def test_a_layer_backward_with_wrong_shapes_is_named():
    net = MLP([2, 3, 1], seed=0)
    x, y_d = random_problem(net.sizes, 1)
    net.forward(x)

    def transposed(W, a_prev, z, grad_a, f_prime):
        delta = grad_a * f_prime(z)
        return a_prev @ delta.T, delta.sum(axis=1), W.T @ delta

    with pytest.raises(ValueError, match=r"dJ/dW of shape \(3, 1\) for layer 2, expected \(1, 3\)"):
        net.backward(y_d, layer_backward=transposed)


def test_a_network_set_by_hand_evaluates_its_formula_at_points_of_any_shape():
    """from_layers with one sigmoid hidden layer: y = c + sum_k v_k sigma(w_k x + b_k)."""
    from nnbasics.models import sigmoid

    net = MLP.from_layers([[[1.0], [-2.0]], [[3.0, 1.0]]], [[0.5, 0.0], [-1.0]], "sigmoid")
    x = np.array([[0.0, 1.0, 2.0], [-1.0, 0.5, 3.0]])
    assert net(x).shape == x.shape
    assert np.allclose(net(x), -1 + 3 * sigmoid(x + 0.5) + sigmoid(-2 * x), rtol=0, atol=1e-15)
    squashed = MLP.from_layers([[[1.0]], [[2.0]]], [[0.0], [0.0]], "sigmoid", "sigmoid")
    assert np.allclose(squashed(x[0]), sigmoid(2 * sigmoid(x[0])), rtol=0, atol=1e-15)
    two_in_two_out = MLP([2, 3, 2], seed=1)
    points = np.random.default_rng(2).normal(size=(4, 5, 2))
    assert two_in_two_out(points).shape == (4, 5, 2)
    column = two_in_two_out.forward(points[1, 2][:, None])[:, 0]
    assert np.allclose(two_in_two_out(points)[1, 2], column, rtol=0, atol=1e-15)


def _forwarded():
    net = MLP([2, 3, 1], seed=0)
    net.forward(np.zeros((2, 4)))
    return net


BAD_CALLS = [
    (lambda: MLP([3]), ValueError, "sizes"),
    (lambda: MLP("13"), ValueError, "sizes"),
    (lambda: MLP([1, 0, 1]), ValueError, "sizes[1]"),
    (lambda: MLP([1, 2.5, 1]), TypeError, "sizes[1]"),
    (lambda: MLP([1, 3, 1], "relu"), ValueError, "activation"),
    (lambda: MLP([1, 3, 1], output="softmax"), ValueError, "activation"),
    (lambda: MLP([1, 3, 1], seed=-1), ValueError, "seed"),
    (lambda: MLP([2, 3, 1]).forward(np.zeros((3, 4))), ValueError, "x must have shape (2, m)"),
    (lambda: MLP([2, 3, 1]).forward(np.zeros(4)), ValueError, "x must have shape"),
    (lambda: MLP([1, 3, 1]).forward([[np.nan]]), ValueError, "x must contain only finite"),
    (lambda: MLP([1, 3, 1]).cost(np.zeros((1, 4))), RuntimeError, "call forward first"),
    (lambda: _forwarded().cost(np.zeros((1, 5))), ValueError, "y_d must have"),
    (lambda: _forwarded().backward(np.zeros((2, 4))), ValueError, "y_d must have"),
    (lambda: _forwarded().update(0.1), RuntimeError, "call backward before update"),
    (lambda: MLP([1, 3, 1]).update(-0.1), ValueError, "learning_rate"),
    (lambda: MLP([1, 3, 1], kappa=0.0), ValueError, "kappa"),
    (lambda: MLP([1, 3, 1], init="he"), ValueError, "init"),
    (lambda: MLP([1, 3, 1], first="relu"), ValueError, "activation"),
    (lambda: MLP([2, 3, 1])(np.zeros((4, 3))), ValueError, "x must have shape (..., 2)"),
    (lambda: MLP([1, 3, 2]).jacobian(np.zeros((1, 4))), ValueError, "one-output"),
    (lambda: MLP.from_layers([np.eye(2)], []), ValueError, "weights and biases"),
    (lambda: MLP.from_layers([np.eye(2), np.ones((1, 3))], [np.zeros(2), np.zeros(1)]),
     ValueError, "layer 2"),
    (lambda: MLP.from_layers([[[np.nan]]], [[0.0]]), ValueError, "finite"),
]


@pytest.mark.parametrize(("call", "error", "named"), BAD_CALLS)
def test_bad_calls_are_refused_with_a_named_argument(call, error, named):
    with pytest.raises(error) as info:
        call()
    assert named in str(info.value)
