"""The linear-versus-tanh checks, called directly: right answers pass, mistakes are named."""

import numpy as np
import pytest
import torch

from nnbasics.checks.core import CheckFailed
from nnbasics.checks.what_is_a_neural_network import (
    check_best_affine_error,
    check_tanh_network,
    exercise_data,
)


def as_learner(fn):
    fn.__module__ = "__main__"  # as if defined in the notebook
    return fn


@as_learner
def polyfit_error(x, y):
    A, C = np.polyfit(x, y, 1)
    return np.mean((A * x + C - y) ** 2)


def test_least_squares_passes(capsys):
    check_best_affine_error(polyfit_error)
    assert "matches least squares" in capsys.readouterr().out


@pytest.mark.parametrize("learner, words", [
    (lambda x, y: np.sqrt(polyfit_error(x, y)), "root of the mean squared error"),
    (lambda x, y: len(x) * polyfit_error(x, y), "sum of squared errors"),
    (lambda x, y: np.mean((x * (x @ y / (x @ x)) - y) ** 2), "through the origin"),
    (lambda x, y: np.var(y), "constant only"),
])
def test_affine_mistakes_are_named(learner, words):
    with pytest.raises(CheckFailed, match=words):
        check_best_affine_error(as_learner(learner))


def network(activation, widths=(1, 16, 16, 1)):
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out), activation()]
    return torch.nn.Sequential(*layers[:-1]).double()


def test_an_untrained_or_linear_or_misshapen_network_fails():
    torch.manual_seed(0)
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        check_tanh_network(None)
    with pytest.raises(CheckFailed, match="no better than the best line"):
        check_tanh_network(network(torch.nn.Tanh))
    with pytest.raises(CheckFailed, match="nothing is applied after Linear layer 1"):
        check_tanh_network(network(torch.nn.Identity))
    with pytest.raises(CheckFailed, match=r"needs \[\(1, 16\)"):
        check_tanh_network(network(torch.nn.Tanh, (1, 40, 1)))
    with pytest.raises(CheckFailed, match="torch network"):
        check_tanh_network(lambda t: t)


def test_a_trained_tanh_network_passes(capsys):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    net = network(torch.nn.Tanh)
    x, y = (torch.from_numpy(v[:, None]) for v in exercise_data())
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-2)
    for _ in range(2000):
        optimiser.zero_grad()
        torch.mean((net(x) - y) ** 2).backward()
        optimiser.step()
    check_tanh_network(net)
    assert "times smaller" in capsys.readouterr().out
