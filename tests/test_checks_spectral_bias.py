"""The spectral-bias check, called directly: a right model passes, each mistake is named."""

import pytest
import torch

from nnbasics.checks.core import CheckFailed
from nnbasics.checks.spectral_bias import check_model
from nnbasics.fourier import fourier_features


@pytest.fixture(autouse=True)
def one_thread():
    """Small networks train fastest on one thread (and fairly on a shared machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def tanh_mlp(widths):
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers[:-1])


class FunctionLayer(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def as_learner(fn):
    fn.__module__ = "__main__"  # as if defined in the notebook
    return fn


def features_then_network(kappa):
    def make_model():
        B = kappa * torch.randn(32, 1)
        return torch.nn.Sequential(FunctionLayer(lambda x: fourier_features(x, B)),
                                   tanh_mlp([64, 64, 1]))
    return as_learner(make_model)


def network_then_features():
    B = 8.0 * torch.randn(32, 1)
    return torch.nn.Sequential(tanh_mlp([1, 64, 64, 1]),
                               FunctionLayer(lambda u: fourier_features(u, B)),
                               torch.nn.Linear(64, 1))


def test_fourier_features_of_the_right_scale_pass(capsys):
    check_model(features_then_network(8.0))
    assert "learns both frequencies" in capsys.readouterr().out


@pytest.mark.parametrize(("make_model", "words"), [
    (features_then_network(1.0), "without the scale"),
    (features_then_network(0.3), "far too small"),
    (features_then_network(1000.0), "far too large"),
    (as_learner(network_then_features), "not to the input"),
    (as_learner(lambda: tanh_mlp([1, 64, 64, 1])), "is missing"),
    (as_learner(lambda: None), "returned None"),
    (as_learner(lambda: "a model"), "torch.nn.Module"),
])
def test_each_mistake_is_named_with_the_error_per_frequency(make_model, words):
    with pytest.raises(CheckFailed, match=words) as failure:
        check_model(make_model)
    if "steps" in str(failure.value):
        assert "relative error at k = 1" in str(failure.value)


def test_the_course_function_is_not_an_answer():
    with pytest.raises(CheckFailed, match="make_model"):
        check_model(features_then_network)  # defined in this test module, not the notebook
