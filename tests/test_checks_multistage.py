"""The multistage check, called directly on right and wrong second stages.

Right answers are written several ways (kappa = 3 n, pi n, 1.5 n or the FFT peak,
other starts); each
documented mistake must fail with a message that names it. Every verdict is taken
on several fresh sets of held-out points (the check draws new ones each run).
"""

import numpy as np
import pytest

from nnbasics.checks.core import CheckFailed
from nnbasics.checks.multistage import check_second_stage
from nnbasics.multistage import forward, init_mlp, levenberg_marquardt

#: Runs per variant. The check is deterministic but for its held-out points, and each
#: answer below trains from a fixed start, so an answer is trained once (``memoised``)
#: and judged on RUNS fresh sets of held-out points: the verdict must never change.
RUNS = 100


def memoised(second_stage):
    """The same answer, trained once per distinct input instead of once per run."""
    found = {}

    def answer(first, t_train, u_train):
        key = (t_train.tobytes(), u_train.tobytes())
        if key not in found:
            found[key] = second_stage(first, t_train, u_train)
        return found[key]

    answer.__module__ = "__main__"
    return answer


def _crossings(r):
    signs = np.sign(r)
    return np.count_nonzero(signs[1:] != signs[:-1])


def make_answer(kappa_rule="3n", seed=2, iterations=300, scale="max", rescale=True,
                with_eps=True, kappa_from="residue", combined_rule="sum"):
    def second_stage(first, t_train, u_train):
        r = u_train - first(t_train)
        eps = np.max(np.abs(r)) if scale == "max" else 2 * np.sqrt(np.mean(r**2))
        source = r if kappa_from == "residue" else u_train
        n = _crossings(source)
        if kappa_rule == "3n":
            kappa = 3.0 * n
        elif kappa_rule == "pin":
            kappa = np.pi * n
        elif kappa_rule == "1.5n":
            kappa = 1.5 * n
        else:
            spectrum = np.abs(np.fft.rfft(source))
            kappa = 2 * np.pi * (np.argmax(spectrum[1:]) + 1) / 2.0
        net = init_mlp([1, 16, 16, 1], np.random.default_rng(seed), first="sin",
                       kappa=kappa)
        levenberg_marquardt(net, t_train, r / eps if rescale else r, iterations)

        def u1(t):
            return forward(net, t)

        if combined_rule == "sum":
            def combined(t):
                return first(t) + (eps if with_eps else 1.0) * u1(t)
        else:
            def combined(t):
                return first(t)
        return eps, kappa, u1, combined

    second_stage.__module__ = "__main__"
    return second_stage


@pytest.mark.parametrize("kwargs", [
    {}, {"kappa_rule": "pin"}, {"kappa_rule": "fft"}, {"kappa_rule": "1.5n"},
    {"seed": 7},
])
def test_right_second_stages_pass(kwargs, capsys):
    answer = memoised(make_answer(**kwargs))
    for _ in range(RUNS):
        check_second_stage(answer)
    assert "two stages" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, words", [
    ({"rescale": False}, "raw residue"),
    ({"with_eps": False}, "without eps"),
    ({"kappa_from": "target"}, "target's frequency"),
    ({"combined_rule": "first"}, "first stage alone"),
    ({"iterations": 3}, "train u1 longer"),
])
def test_wrong_second_stages_fail_naming_the_mistake(kwargs, words):
    answer = memoised(make_answer(**kwargs))
    for _ in range(RUNS):
        with pytest.raises(CheckFailed, match=words):
            check_second_stage(answer)


def test_handing_back_the_data_is_not_a_second_stage():
    """The target is never handed out; an answer that returns the first stage with a
    tiny offset, or nothing trained, is told what is missing and does not crash."""
    def second_stage(first, t_train, u_train):
        r = u_train - first(t_train)
        return np.max(np.abs(r)), 3.0 * _crossings(r), (lambda t: 0 * t), first

    second_stage.__module__ = "__main__"
    with pytest.raises(CheckFailed, match="not a fit of the rescaled residue"):
        check_second_stage(second_stage)
