"""The universal-approximation checks, called directly: right weights pass, mistakes are named."""

import numpy as np
import pytest

from nnbasics.approximation import column_network
from nnbasics.checks.core import CheckFailed
from nnbasics.checks.universal_approximation import check_columns, check_tower


def as_learner(fn):
    fn.__module__ = "__main__"  # as if defined in the notebook
    return fn


def columns(bias_sign=-1.0, where=0.5, second=-1.0):
    def build_columns(f, a, b, n, w):
        edges = np.linspace(a, b, n + 1)
        heights = f(edges[:-1] + where * (edges[1] - edges[0]))
        s = np.concatenate([edges[:-1], edges[1:]])
        return (np.full(2 * n, w), bias_sign * w * s,
                np.concatenate([heights, second * heights]), 0.0)
    return as_learner(build_columns)


def tower(threshold=-1.5, bias_sign=-1.0, y_axis=1):
    def tower_parameters(x0, x1, y0, y1, h):
        w = 400.0 / min(x1 - x0, y1 - y0)
        W1 = np.zeros((4, 2))
        W1[:2, 0] = w
        W1[2:, y_axis] = w
        return (W1, bias_sign * w * np.array([x0, x1, y0, y1]),
                50.0 * np.array([1.0, -1.0, 1.0, -1.0]), threshold * 50.0, h)
    return as_learner(tower_parameters)


def test_right_columns_pass(capsys):
    check_columns(columns())
    assert "mean |error|" in capsys.readouterr().out


@pytest.mark.parametrize("learner, words", [
    (columns(bias_sign=1.0), "yours is +w s"),
    (columns(where=0.0), "not at its left edge"),
    (columns(where=1.0), "not at its right edge"),
    (columns(second=1.0), "output weight −h"),
])
def test_column_mistakes_are_named(learner, words):
    with pytest.raises(CheckFailed, match="largest error") as info:
        check_columns(learner)
    assert words in str(info.value)


def test_the_course_reference_is_refused():
    wrapper = as_learner(lambda f, a, b, n, w: column_network(f, a, b, n, w))
    with pytest.raises(CheckFailed, match="column_network"):
        check_columns(wrapper)


def test_right_tower_passes(capsys):
    check_tower(tower())
    assert "height inside" in capsys.readouterr().out


@pytest.mark.parametrize("learner, words", [
    (tower(threshold=-1.0), "threshold at 3/2"),
    (tower(threshold=-2.0), "σ(0) = 1/2"),
    (tower(bias_sign=1.0), "edges off"),
    (tower(y_axis=0), "edges off"),
])
def test_tower_mistakes_are_named(learner, words):
    with pytest.raises(CheckFailed, match="leakage outside") as info:
        check_tower(learner)
    assert words in str(info.value)


def test_returning_the_wrong_number_of_things_says_what_is_expected():
    with pytest.raises(CheckFailed, match="four things"):
        check_columns(as_learner(lambda f, a, b, n, w: (1.0, 2.0)))
    with pytest.raises(CheckFailed, match="five things"):
        check_tower(as_learner(lambda x0, x1, y0, y1, h: None))
