"""Fair checks: right answers written many ways pass, likely mistakes fail, every run.

Each check draws fresh points on every run, so each variant runs many times here
(``RUNS``; fewer where one run trains a network) and must give the same verdict every
time; a wrong answer's message must name its mistake. The functions are defined the
way a notebook defines them (module ``__main__``), with the learner's own names,
including names the course's package uses too (``step``, ``neuron_gradient``).
"""

import numpy as np
import pytest
import torch

from nnbasics.checks import backpropagation as bp
from nnbasics.checks import gradient_descent as gd
from nnbasics.checks import spectral_bias as sb
from nnbasics.checks import universal_approximation as ua
from nnbasics.checks import what_is_a_neural_network as wn
from nnbasics.checks.core import CheckFailed
from nnbasics.models import sigmoid, sigmoid_prime
from tests.variants import always_fails, always_passes, define

#: Runs per variant for the cheapest checks that draw fresh points (the verdict must not
#: change); costlier checks run fewer times here (tests.variants: NNBASICS_FAIRNESS_RUNS
#: raises every variant's count).
RUNS = 100


def notebook(source: str, name: str):
    """Define ``source`` as a notebook cell would (tests.variants.define)."""
    return define(source, name, sigmoid=sigmoid, sigmoid_prime=sigmoid_prime)


# -- gradient descent -------------------------------------------------------------
GRADIENTS = {
    "vectorised": """
def cost_gradient(w, b, x, y_d):
    y = sigmoid(w * x + b)
    common = 2 * (y - y_d) * y * (1 - y)
    return np.mean(common * x), np.mean(common)
""",
    "float32": """
def cost_gradient(w, b, x, y_d):
    x, y_d = np.float32(x), np.float32(y_d)
    y = 1 / (1 + np.exp(-(np.float32(w) * x + np.float32(b))))
    common = 2 * (y - y_d) * y * (1 - y)
    return np.array([np.mean(common * x), np.mean(common)], dtype=np.float32)
""",
    "loop over points, own helper called neuron_gradient": """
def neuron_gradient(w, b, xi, yi):
    y = 1 / (1 + np.exp(-(w * xi + b)))
    c = 2 * (y - yi) * y * (1 - y)
    return c * xi, c
def cost_gradient(w, b, x, y_d):
    dw = db = 0.0
    for xi, yi in zip(x, y_d):
        gw, gb = neuron_gradient(w, b, xi, yi)
        dw, db = dw + gw, db + gb
    return [dw / len(x), db / len(x)]
""",
    "torch autograd": """
def cost_gradient(w, b, x, y_d):
    t = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
    y = torch.sigmoid(t[0] * torch.as_tensor(x) + t[1])
    torch.mean((y - torch.as_tensor(y_d)) ** 2).backward()
    return t.grad
""",
    "tuple of 1-element arrays": """
def cost_gradient(w, b, x, y_d):
    y = sigmoid(w * x + b)
    common = 2 * (y - y_d) * y * (1 - y)
    return np.array([np.mean(common * x)]), np.array([np.mean(common)])
""",
}


@pytest.mark.parametrize("way", GRADIENTS)
def test_right_gradients_pass_every_run(way):
    always_passes(gd.check_gradient, notebook(GRADIENTS[way], "cost_gradient"), RUNS)


LOOPS = {
    "loop": """
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    path = [(w, b)]
    for _ in range(steps):
        dw, db = cost_gradient(w, b, x, y_d)
        w, b = w - learning_rate * dw, b - learning_rate * db
        path.append((w, b))
    return np.array(path)
""",
    "recursive": """
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    if steps == 0:
        return [(w, b)]
    dw, db = cost_gradient(w, b, x, y_d)
    rest = gradient_descent(w - learning_rate * dw, b - learning_rate * db, x, y_d,
                            learning_rate, steps - 1)
    return [(w, b)] + list(rest)
""",
    "float32, preallocated": """
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    path = np.zeros((steps + 1, 2), dtype=np.float32)
    theta = np.array([w, b])
    path[0] = theta
    for i in range(steps):
        theta = theta - learning_rate * np.asarray(cost_gradient(*theta, x, y_d))
        path[i + 1] = theta
    return path
""",
    "own helper called step": """
def step(theta, g, rate):
    return theta - rate * np.asarray(g)
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    theta, path = np.array([w, b]), [np.array([w, b])]
    for _ in range(steps):
        theta = step(theta, cost_gradient(theta[0], theta[1], x, y_d), learning_rate)
        path.append(theta)
    return torch.tensor(np.array(path))
""",
    "list of lists": """
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    path = [[w, b]]
    for _ in range(steps):
        g = cost_gradient(w, b, x, y_d)
        w -= learning_rate * g[0]
        b -= learning_rate * g[1]
        path.append([w, b])
    return path
""",
}


@pytest.mark.parametrize("way", LOOPS)
def test_right_loops_pass_every_run(way):
    always_passes(gd.check_descent, notebook(LOOPS[way], "gradient_descent"), runs=30)


def test_a_loop_bound_to_its_gradient_by_a_default_is_told_so():
    source = """
def cost_gradient(w, b, x, y_d):
    return 0.5, 0.5
def gradient_descent(w, b, x, y_d, learning_rate, steps, grad=cost_gradient):
    path = [(w, b)]
    for _ in range(steps):
        dw, db = grad(w, b, x, y_d)
        w, b = w - learning_rate * dw, b - learning_rate * db
        path.append((w, b))
    return path
"""
    always_fails(gd.check_descent, notebook(source, "gradient_descent"),
                 "never called cost_gradient", runs=20)


# -- what is a neural network -----------------------------------------------------
@pytest.fixture(scope="module")
def trained():
    """A (1, 16, 16, 1) tanh network trained once, in float64, and its data."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    layers = [torch.nn.Linear(1, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
              torch.nn.Tanh(), torch.nn.Linear(16, 1)]
    net = torch.nn.Sequential(*layers).double()
    x, y = (torch.from_numpy(v[:, None]) for v in wn.exercise_data())
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-2)
    for _ in range(2000):
        optimiser.zero_grad()
        torch.mean((net(x) - y) ** 2).backward()
        optimiser.step()
    return net


class TanhInForward(torch.nn.Module):
    """torch.tanh in forward, no nn.Tanh module."""

    def __init__(self, net, activation=torch.tanh, extra=None):
        super().__init__()
        self.l1, self.l2, self.l3 = net[0], net[2], net[4]
        self.activation = activation
        self.unused = extra

    def forward(self, x):
        return self.l3(self.activation(self.l2(self.activation(self.l1(x)))))


class Formula(torch.nn.Module):
    """Right layers, never trained, but forward returns the target formula."""

    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = (torch.nn.Linear(1, 16), torch.nn.Linear(16, 16),
                                     torch.nn.Linear(16, 1))
        self.act = torch.nn.Tanh()

    def forward(self, x):
        return torch.sin(3 * x) + 0.5 * x**2


def copy(net, dtype):
    import copy as _copy
    return _copy.deepcopy(net).to(dtype)


def test_right_tanh_networks_pass_every_run(trained):
    for net in (trained, copy(trained, torch.float32), TanhInForward(trained),
                TanhInForward(copy(trained, torch.float32)),
                torch.nn.Sequential(*list(trained))):
        always_passes(wn.check_tanh_network, net, runs=20)


def test_wrong_tanh_networks_fail_with_their_mistake(trained):
    torch.manual_seed(1)
    same_count = torch.nn.Sequential(  # 321 parameters, other shapes
        torch.nn.Linear(1, 10), torch.nn.Tanh(), torch.nn.Linear(10, 25), torch.nn.Tanh(),
        torch.nn.Linear(25, 1)).double()
    assert sum(p.numel() for p in same_count.parameters()) == 321
    relu_unused_tanh = TanhInForward(trained, torch.relu, torch.nn.Tanh())
    untrained = copy(trained, torch.float64)
    for p in untrained.parameters():
        torch.nn.init.normal_(p, 0, 0.1)
    for net, words in ((same_count, "needs [(1, 16)"), (relu_unused_tanh, "ReLU"),
                       (Formula(), "never calls its Linear layers"),
                       (untrained, "no better than the best line")):
        always_fails(wn.check_tanh_network, net, words, runs=20)


# -- universal approximation ------------------------------------------------------
COLUMNS = {
    "vectorised": """
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n + 1)
    h = f((edges[:-1] + edges[1:]) / 2)
    s = np.concatenate([edges[:-1], edges[1:]])
    return np.full(2 * n, w), -w * s, np.concatenate([h, -h]), 0.0
""",
    "loops, own helper called step": """
def step(s, w):
    return w, -w * s
def build_columns(f, a, b, n, w):
    ws, bs, vs = [], [], []
    width = (b - a) / n
    for i in range(n):
        left, right = a + i * width, a + (i + 1) * width
        h = f(np.array([(left + right) / 2]))[0]
        for s, sign in ((left, 1.0), (right, -1.0)):
            wk, bk = step(s, w)
            ws.append(wk)
            bs.append(bk)
            vs.append(sign * h)
    return ws, bs, vs, 0
""",
    "one step per edge": """
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n + 1)
    h = f((edges[:-1] + edges[1:]) / 2)
    jumps = np.diff(np.concatenate([[0.0], h, [0.0]]))
    return np.full(n + 1, w), -w * edges, jumps, 0.0
""",
    "float32 tensors": """
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n + 1)
    h = f((edges[:-1] + edges[1:]) / 2)
    s = np.concatenate([edges[:-1], edges[1:]])
    return (torch.full((2 * n,), w, dtype=torch.float64), torch.tensor(-w * s),
            torch.tensor(np.concatenate([h, -h]), dtype=torch.float32), torch.tensor(0.0))
""",
    "tuple output, bias c as 1-element array": """
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n + 1)
    h = f((edges[:-1] + edges[1:]) / 2)
    s = np.concatenate([edges[:-1], edges[1:]])
    return tuple(np.full(2 * n, w)), tuple(-w * s), list(np.concatenate([h, -h])), np.zeros(1)
""",
}


@pytest.mark.parametrize("way", COLUMNS)
def test_right_columns_pass_every_run(way):
    always_passes(ua.check_columns, notebook(COLUMNS[way], "build_columns"), runs=8)


WRONG_COLUMNS = {
    "n - 1 columns from linspace(a, b, n)": ("""
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n)
    h = f((edges[:-1] + edges[1:]) / 2)
    s = np.concatenate([edges[:-1], edges[1:]])
    return np.full(len(s), w), -w * s, np.concatenate([h, -h]), 0.0
""", "np.linspace(a, b, n + 1)"),
    "ignores w": ("""
def build_columns(f, a, b, n, w):
    w = 300.0
    edges = np.linspace(a, b, n + 1)
    h = f((edges[:-1] + edges[1:]) / 2)
    s = np.concatenate([edges[:-1], edges[1:]])
    return np.full(2 * n, w), -w * s, np.concatenate([h, -h]), 0.0
""", "use the w you are given"),
    "bias +w s": ("""
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n + 1)
    h = f((edges[:-1] + edges[1:]) / 2)
    s = np.concatenate([edges[:-1], edges[1:]])
    return np.full(2 * n, w), w * s, np.concatenate([h, -h]), 0.0
""", "b = −w s"),
    "heights at the left edge": ("""
def build_columns(f, a, b, n, w):
    edges = np.linspace(a, b, n + 1)
    h = f(edges[:-1])
    s = np.concatenate([edges[:-1], edges[1:]])
    return np.full(2 * n, w), -w * s, np.concatenate([h, -h]), 0.0
""", "left edge"),
}


@pytest.mark.parametrize("way", WRONG_COLUMNS)
def test_wrong_columns_fail_every_run_with_their_mistake(way):
    source, words = WRONG_COLUMNS[way]
    always_fails(ua.check_columns, notebook(source, "build_columns"), words, runs=8)


TOWER = """
def tower_parameters(x0, x1, y0, y1, h):
    w = 400.0 / min(x1 - x0, y1 - y0)
    W1 = np.zeros((4, 2))
    W1[:2, {x_col}] = w
    W1[2:, {y_col}] = w
    b1 = -w * np.array([x0, x1, y0, y1])
    w2 = {weight} * np.array([1.0, -1.0, 1.0, -1.0]) * {w2_scale}
    return W1, b1, w2, {bias}, {out}
"""
RIGHT_TOWER = dict(x_col=0, y_col=1, weight=50.0, w2_scale=1.0, bias="-1.5 * 50.0", out="h")
RIGHT_TOWERS = {
    "arrays": TOWER.format(**RIGHT_TOWER),
    "float32 tensors": """
def tower_parameters(x0, x1, y0, y1, h):
    w = 400.0 / min(x1 - x0, y1 - y0)
    W1 = torch.tensor([[w, 0], [w, 0], [0, w], [0, w]], dtype=torch.float32)
    b1 = torch.tensor([-w * x0, -w * x1, -w * y0, -w * y1], dtype=torch.float64)
    return W1, b1, torch.tensor([60.0, -60, 60, -60]), torch.tensor([-90.0]), h
""",
    "lists, own helper called step": """
def step(edge, w):
    return -w * edge
def tower_parameters(x0, x1, y0, y1, h):
    w = 1000.0
    W1 = [[w, 0], [w, 0], [0, w], [0, w]]
    b1 = [step(e, w) for e in (x0, x1, y0, y1)]
    return W1, b1, [100, -100, 100, -100], -150, float(h)
""",
}


@pytest.mark.parametrize("way", RIGHT_TOWERS)
def test_right_towers_pass_every_run(way):
    always_passes(ua.check_tower, notebook(RIGHT_TOWERS[way], "tower_parameters"), runs=40)


WRONG_TOWERS = {
    "1 % taller": (dict(out="1.01 * h"), "exactly as high as asked"),
    "height in w2": (dict(w2_scale="h", bias="-1.5 * 50.0 * h", out="1.0"), "do not put the "
                     "height in w2"),
    "threshold weight 8": (dict(weight=8.0, bias="-1.5 * 8.0"), "weight is too small"),
    "threshold bias not scaled": (dict(bias="-1.5"), "b2 = −3/2 × weight"),
    "x and y swapped": (dict(x_col=1, y_col=0), "x and y swapped"),
    "threshold at one column": (dict(bias="-1.0 * 50.0"), "leaks h/2"),
}


@pytest.mark.parametrize("way", WRONG_TOWERS)
def test_wrong_towers_fail_every_run_with_their_mistake(way):
    change, words = WRONG_TOWERS[way]
    source = TOWER.format(**{**RIGHT_TOWER, **change})
    always_fails(ua.check_tower, notebook(source, "tower_parameters"), words, runs=40)


# -- backpropagation --------------------------------------------------------------
CHAINS = {
    "numbers": """
def chain_gradient(w1, b1, w2, b2, x, y_d):
    a1 = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * a1 + b2)
    d2 = 2 * (y - y_d) * y * (1 - y)
    d1 = d2 * w2 * a1 * (1 - a1)
    return d1 * x, d1, d2 * a1, d2
""",
    "float32": """
def chain_gradient(w1, b1, w2, b2, x, y_d):
    w1, b1, w2, b2, x, y_d = (np.float32(v) for v in (w1, b1, w2, b2, x, y_d))
    a1 = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * a1 + b2)
    d2 = 2 * (y - y_d) * y * (1 - y)
    d1 = d2 * w2 * a1 * (1 - a1)
    return d1 * x, d1, d2 * a1, d2
""",
    "a NumPy array": """
def chain_gradient(w1, b1, w2, b2, x, y_d):
    a1 = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * a1 + b2)
    d2 = 2 * (y - y_d) * sigmoid_prime(w2 * a1 + b2) / (y * (1 - y)) * y * (1 - y)
    d1 = d2 * w2 * sigmoid_prime(w1 * x + b1)
    return np.array([d1 * x, d1, d2 * a1, d2])
""",
    "1-element arrays, own helper called step": """
def step(z):
    s = 1 / (1 + np.exp(-z))
    return s, s * (1 - s)
def chain_gradient(w1, b1, w2, b2, x, y_d):
    a1, s1 = step(np.array([w1 * x + b1]))
    y, s2 = step(w2 * a1 + b2)
    d2 = 2 * (y - y_d) * s2
    return (d2 * w2 * s1 * x, d2 * w2 * s1, d2 * a1, d2)
""",
    "list": """
def chain_gradient(w1, b1, w2, b2, x, y_d):
    a1 = sigmoid(w1 * x + b1)
    y = sigmoid(w2 * a1 + b2)
    r = 2 * (y - y_d)
    g = [r * y * (1 - y) * w2 * a1 * (1 - a1) * x, r * y * (1 - y) * w2 * a1 * (1 - a1)]
    return g + [r * y * (1 - y) * a1, r * y * (1 - y)]
""",
}


@pytest.mark.parametrize("way", CHAINS)
def test_right_chain_gradients_pass_every_run(way):
    always_passes(bp.check_chain, notebook(CHAINS[way], "chain_gradient"), runs=30)


WRONG_CHAINS = {
    "∂J/∂b1 times x": ("return d1 * x, d1 * x, d2 * a1, d2", "no factor x"),
    "w2 left out": ("return d2 * a1 * (1 - a1) * x, d2 * a1 * (1 - a1), d2 * a1, d2",
                    "left out the factor w2"),
    "half": ("return d1 * x / 2, d1 / 2, d2 * a1 / 2, d2 / 2", "half the expected"),
    "order": ("return d1, d1 * x, d2 * a1, d2", "in the order"),
}


@pytest.mark.parametrize("way", WRONG_CHAINS)
def test_wrong_chain_gradients_fail_every_run_with_their_mistake(way):
    ret, words = WRONG_CHAINS[way]
    source = CHAINS["numbers"].replace("return d1 * x, d1, d2 * a1, d2", ret)
    always_fails(bp.check_chain, notebook(source, "chain_gradient"), words, runs=30)


def test_autograd_is_refused_in_the_chain_tasks():
    source = """
def chain_gradient(w1, b1, w2, b2, x, y_d):
    t = torch.tensor([w1, b1, w2, b2], dtype=torch.float64, requires_grad=True)
    y = torch.sigmoid(t[2] * torch.sigmoid(t[0] * x + t[1]) + t[3])
    ((y - y_d) ** 2).backward()
    return tuple(t.grad)
"""
    always_fails(bp.check_chain, notebook(source, "chain_gradient"), "NumPy only", runs=3)


LAYERS = {
    "vectorised": "return delta @ a_prev.T, delta.sum(axis=1), W.T @ delta",
    "float32": ("delta = delta.astype(np.float32)\n    return (delta @ a_prev.T.astype("
                "np.float32), delta.sum(axis=1), W.T.astype(np.float32) @ delta)"),
    "einsum, tuple": ("return (np.einsum('ji,ki->jk', delta, a_prev), np.einsum('ji->j', "
                      "delta), np.einsum('jk,ji->ki', W, delta))"),
    "list, own helper called step": ("return step(delta, a_prev, W)"),
    "torch tensors": ("d = torch.as_tensor(delta)\n    return (d @ torch.as_tensor(a_prev).T, "
                      "d.sum(dim=1), torch.as_tensor(W).T @ d)"),
}
LAYER = """
def step(delta, a_prev, W):
    return [delta @ a_prev.T, delta.sum(axis=1), W.T @ delta]
def layer_backward(W, a_prev, z, grad_a, f_prime):
    delta = grad_a * f_prime(z)
    {body}
"""


@pytest.mark.parametrize("way", LAYERS)
def test_right_layers_pass_every_run(way):
    fn = notebook(LAYER.format(body=LAYERS[way]), "layer_backward")
    always_passes(bp.check_layer, fn, runs=10)


# -- spectral bias ----------------------------------------------------------------
class Features(torch.nn.Module):
    def __init__(self, kappa, trainable=False, dtype=torch.float32):
        super().__init__()
        B = kappa * torch.randn(32, 1, dtype=dtype)
        if trainable:
            self.B = torch.nn.Parameter(B)
        else:
            self.register_buffer("B", B)

    def forward(self, x):
        z = x @ self.B.T
        return torch.cat([torch.cos(z), torch.sin(z)], dim=1)


def features_model(kappa, trainable=False, dtype=torch.float32):
    def make_model():
        net = torch.nn.Sequential(Features(kappa, trainable, dtype), torch.nn.Linear(64, 64),
                                  torch.nn.Tanh(), torch.nn.Linear(64, 1))
        return net.to(dtype)
    make_model.__module__ = "__main__"
    return make_model


@pytest.mark.parametrize(("kappa", "inside"), [(8.0, True), (10.0, True), (14.0, True),
                                               (1.9, False), (60.0, False)])
def test_the_measured_kappa_is_on_one_side_of_the_band_for_every_draw(kappa, inside):
    """The verdict on Fourier features rests on the measured κ: 100 draws of B, no training."""
    low, high = sb.KAPPA_BAND
    x = torch.linspace(-np.pi, np.pi, 32)[:, None]
    for seed in range(RUNS):
        torch.manual_seed(seed)
        found = sb._feature_layers(features_model(kappa)(), x)
        measured = float(np.sqrt(np.mean(found[0][1] ** 2)))
        assert (low <= measured <= high) == inside, (kappa, seed, measured)


@pytest.fixture
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_right_spectral_models_pass(one_thread):
    for make_model in (features_model(10.0), features_model(12.0, dtype=torch.float64)):
        always_passes(sb.check_model, make_model, runs=1)


def test_wrong_spectral_models_fail_with_their_mistake(one_thread):
    zero = notebook("""
def make_model():
    from nnbasics.fourier import fourier_features
    B = 0.0 * torch.randn(32, 1)
    return fourier_features(torch.zeros(3, 1), B, kappa=0.0)
""", "make_model")
    for make_model, words in ((features_model(1.9), "divided by 2π"),
                              (features_model(1.0), "without the scale"),
                              (features_model(10.0, trainable=True), "B changed"),
                              (features_model(60.0), "far too large")):
        always_fails(sb.check_model, make_model, words, runs=1)
    with pytest.raises((CheckFailed, TypeError)) as failure:
        sb.check_model(zero)
    assert "\n" not in str(failure.value)


@pytest.mark.parametrize("network", ["FourierFeatureNet", "SinFirstLayerNet"])
def test_the_chapters_own_network_is_not_an_answer(network):
    make_model = notebook(f"""
from nnbasics.torchnets import {network}
def make_model():
    return {network}(8.0 * torch.randn(32, 1)) if "{network}" == "FourierFeatureNet" \\
        else {network}(8.0)
""", "make_model")
    with pytest.raises(CheckFailed, match=f"calls the course's {network}"):
        sb.check_model(make_model)
