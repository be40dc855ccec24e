"""The course's torch networks and their Adam loop (nnbasics.torchnets)."""

import numpy as np
import pytest
import torch

from nnbasics.fourier import gaussian_frequencies
from nnbasics.networks import count_parameters
from nnbasics.torchnets import (
    ACTIVATIONS,
    FourierFeatureNet,
    SinFirstLayerNet,
    activation_module,
    as_function,
    dense_network,
    train,
)

torch.set_num_threads(1)


def n_parameters(net):
    return sum(p.numel() for p in net.parameters())


def sine_data(n=64):
    x = torch.linspace(-np.pi, np.pi, n)[:, None]
    return x, torch.sin(x)


@pytest.mark.parametrize("widths", [[1, 1], [1, 64, 1], [1, 64, 64, 1], [3, 5, 7, 2]])
def test_dense_network_has_the_parameters_of_its_widths(widths):
    assert n_parameters(dense_network(widths)) == count_parameters(widths)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_every_activation_name_matches_its_numpy_function(name):
    from nnbasics.activations import ACTIVATIONS as NUMPY

    net = dense_network([1, 1, 1], name, dtype=torch.float64)
    with torch.no_grad():
        net[0].weight.fill_(1.0), net[0].bias.zero_()
        net[2].weight.fill_(1.0), net[2].bias.zero_()
    z = np.linspace(-2, 2, 9)
    expected = z if name == "identity" else NUMPY[name](z)
    assert np.allclose(as_function(net)(z), expected, rtol=1e-12, atol=1e-12)


def test_activation_modules_are_the_torch_functions_of_the_engines_names():
    z = torch.linspace(-3, 3, 13, dtype=torch.float64)
    expected = {"sigmoid": torch.sigmoid(z), "tanh": torch.tanh(z), "sin": torch.sin(z),
                "relu": torch.relu(z), "identity": z}
    for name in ACTIVATIONS:
        assert torch.equal(activation_module(name)(z), expected[name]), name
    net = dense_network([1, 4, 4, 1])
    assert net[1] is not net[3], "one module per layer"


def test_dense_network_is_the_chapters_old_sequential_under_a_seed():
    torch.manual_seed(3)
    old = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Sigmoid(),
                              torch.nn.Linear(8, 1)).double()
    torch.manual_seed(3)
    new = dense_network([1, 8, 1], "sigmoid", dtype=torch.float64)
    for p, q in zip(old.parameters(), new.parameters(), strict=True):
        assert p.dtype == q.dtype == torch.float64 and torch.equal(p, q)


def test_the_fourier_and_sine_networks_have_the_chapters_sizes():
    B = gaussian_frequencies(32, 1, 3.0, np.random.default_rng(0))
    assert n_parameters(FourierFeatureNet(B)) == 4225
    assert n_parameters(SinFirstLayerNet(3.0)) == 4353
    assert n_parameters(dense_network([1, 64, 64, 1])) == 4353


def test_fourier_frequencies_are_fixed_while_the_rest_trains():
    torch.manual_seed(0)
    B = gaussian_frequencies(8, 1, 2.0, np.random.default_rng(1))
    net = FourierFeatureNet(B, width=16)
    assert "B" not in dict(net.named_parameters()) and "B" in dict(net.named_buffers())
    before = net.B.clone()
    first = net.body[0].weight.detach().clone()
    train(net, *sine_data(), steps=20, lr=1e-2)
    assert torch.equal(net.B, before), "the frequencies must not train"
    assert not torch.equal(net.body[0].weight, first), "the body must train"


def test_the_sine_first_layer_is_sin_of_kappa_w_x_plus_b():
    net = SinFirstLayerNet(5.0, width=4)
    x = torch.linspace(-1, 1, 7)[:, None]
    first = torch.sin(5.0 * x @ net.first.weight.T + net.first.bias)
    assert torch.allclose(net(x), net.body(first), rtol=0, atol=1e-6)


def test_training_lowers_the_loss_on_a_small_problem():
    torch.manual_seed(0)
    net = dense_network([1, 16, 1])
    x, y = sine_data()
    history = train(net, x, y, steps=300, lr=1e-2)
    assert history.losses.shape == (300,)
    assert history.losses[-1] < 0.05 * history.losses[0]
    # the recorded output is the trained network's
    assert np.allclose(history.outputs[-1], as_function(net)(x.numpy()[:, 0]),
                       rtol=0, atol=1e-6)


def test_outputs_are_recorded_every_few_steps_and_at_the_end():
    torch.manual_seed(0)
    x, y = sine_data(32)
    x_eval = torch.linspace(-1, 1, 5)[:, None]
    history = train(dense_network([1, 8, 1]), x, y, steps=25, x_eval=x_eval, every=10)
    assert list(history.steps_at) == [0, 10, 20, 25]
    assert history.seconds.shape == (4,) and np.all(np.diff(history.seconds) >= 0)
    assert history.outputs.shape == (4, 5) and history.outputs.dtype == np.float64
    assert train(dense_network([1, 8, 1]), x, y, steps=5).outputs.shape == (1, 32)


def test_the_same_seed_gives_the_same_run():
    runs = []
    for _ in range(2):
        torch.manual_seed(7)
        runs.append(train(dense_network([1, 8, 8, 1]), *sine_data(), steps=50).losses)
    assert np.array_equal(runs[0], runs[1])
    torch.manual_seed(8)
    other = train(dense_network([1, 8, 8, 1]), *sine_data(), steps=50).losses
    assert not np.array_equal(runs[0], other)


def test_float64_networks_train_on_float64_data():
    torch.manual_seed(0)
    net = dense_network([1, 8, 1], dtype=torch.float64)
    x = np.linspace(-1, 1, 20)[:, None]  # arrays are taken too
    history = train(net, x, np.sin(3 * x), steps=3, lr=1e-2)
    assert next(net.parameters()).dtype == torch.float64 and len(history.losses) == 3


def test_a_y_that_would_broadcast_is_refused():
    x, y = sine_data()
    with pytest.raises(ValueError, match="y must have the shape of net"):
        train(dense_network([1, 4, 1]), x, y[:, 0][None, :], steps=1)
    with pytest.raises(ValueError, match="y must have the shape of net"):
        train(dense_network([1, 4, 1]), x, torch.cat([y, y], dim=1), steps=1)
