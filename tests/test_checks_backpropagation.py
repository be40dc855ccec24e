"""The backpropagation exercise's checks, called directly (the notebook runs are slower).

A learner's functions live in the notebook's module ``__main__``; :func:`notebook`
defines them the same way, so the checks see what they see in a notebook.
"""

import numpy as np
import pytest

from nnbasics.checks import backpropagation as bp
from nnbasics.checks.core import CheckFailed
from nnbasics.engine import layer_backward as engine_layer_backward
from nnbasics.models import sigmoid, sigmoid_prime


def notebook(source: str) -> dict:
    scope = {"__name__": "__main__", "np": np, "sigmoid": sigmoid,
             "sigmoid_prime": sigmoid_prime}
    exec(source, scope)
    return scope


LAYER = """
def layer_backward(W, a_prev, z, grad_a, f_prime):
    delta = grad_a * f_prime(z)
    return {result}
"""


def test_right_layer_passes_and_prints_a_tick(capsys):
    bp.check_layer(notebook(LAYER.format(
        result="delta @ a_prev.T, delta.sum(axis=1), W.T @ delta"))["layer_backward"])
    assert "✔" in capsys.readouterr().out


@pytest.mark.parametrize(("result", "words"), [
    ("a_prev @ delta.T, delta.sum(axis=1), W.T @ delta", "transposed"),
    ("delta @ a_prev.T, delta.sum(axis=1), W @ delta", "transposed matrix"),
    ("delta @ a_prev.T, delta.sum(axis=1)", "3 arrays"),
    ("delta @ a_prev.T, delta, W.T @ delta", "sum δ over the examples"),
])
def test_wrong_layers_are_named(result, words):
    with pytest.raises(CheckFailed, match=words):
        bp.check_layer(notebook(LAYER.format(result=result))["layer_backward"])


def test_the_engine_s_own_layer_is_refused():
    with pytest.raises(CheckFailed, match="write it yourself"):
        bp.check_layer(engine_layer_backward)


def test_a_function_that_returns_nothing_is_told_so():
    scope = notebook("def chain_gradient(w1, b1, w2, b2, x, y_d):\n    2 * x\n")
    with pytest.raises(CheckFailed, match="forget to `return`"):
        bp.check_chain(scope["chain_gradient"])


def test_scalars_as_arrays_and_lists_are_accepted(capsys):
    scope = notebook("""
def hidden_gradient(w1, b1, w2, b2, x, y_d):
    a1 = sigmoid(w1 * x + b1)
    z2 = float(w2 @ a1 + b2)
    g = 2 * (sigmoid(z2) - y_d) * sigmoid_prime(z2)
    return list(g * a1), np.array(g * w2 * a1 * (1 - a1) * x)[:, None]
""")
    bp.check_hidden(scope["hidden_gradient"])
    assert "✔" in capsys.readouterr().out
