import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from nnbasics.activations import ACTIVATIONS, activation  # noqa: E402
from nnbasics.engine import MLP  # noqa: E402
from nnbasics.networks import (  # noqa: E402
    affine_collapse,
    count_parameters,
    draw_network,
)


@pytest.mark.parametrize("sizes", [(1, 1), (3, 1, 1), (2, 5, 7, 3), (10, 64, 64, 64, 2)])
def test_parameter_count_matches_torch(sizes):
    layers = [torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    assert count_parameters(sizes) == sum(p.numel() for p in torch.nn.ModuleList(layers)
                                          .parameters())


def test_linear_network_collapses_to_one_affine_map():
    net = MLP((3, 8, 8, 2), "identity", seed=1)
    A, c = affine_collapse(net.weights, net.biases)
    x = np.random.default_rng(2).normal(size=(3, 5))
    assert A.shape == (2, 3)
    assert np.allclose(net.forward(x), A @ x + c[:, None], rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivatives_match_finite_differences(name):
    act = activation(name)
    z = np.linspace(-4, 4, 81)
    z = z[np.abs(z) > 1e-3]
    h = 1e-6
    assert np.allclose(act.derivative(z), (act(z + h) - act(z - h)) / (2 * h), atol=1e-8)


def test_drawing_has_one_line_per_weight_and_one_label_per_parameter():
    fig, ax = plt.subplots()
    draw_network(ax, (3, 2, 1), weight_labels=True)
    assert len(ax.lines) == 3 * 2 + 2 * 1
    assert len(ax.texts) == count_parameters((3, 2, 1))
    plt.close(fig)


BAD_CALLS = [
    (lambda: count_parameters([3]), ValueError, "sizes"),
    (lambda: count_parameters([3, 0, 1]), ValueError, "sizes[1]"),
    (lambda: count_parameters([3, 2.5, 1]), TypeError, "sizes[1]"),
    (lambda: count_parameters(5), TypeError, "sizes"),
    (lambda: affine_collapse([np.eye(2)], []), ValueError, "weights and biases"),
    (lambda: affine_collapse([np.eye(2), np.ones((1, 3))], [np.zeros(2), np.zeros(1)]),
     ValueError, "layer 2"),
    (lambda: activation("softplus"), ValueError, "name"),
    (lambda: draw_network(None, (2, 1), layer_names=["in"]), ValueError, "layer_names"),
]


@pytest.mark.parametrize("call, error, named", BAD_CALLS)
def test_bad_calls_name_the_argument(call, error, named):
    with pytest.raises(error) as info:
        call()
    assert named in str(info.value)
