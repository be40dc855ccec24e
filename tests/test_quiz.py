"""The self-check questions: every chapter's bank is well formed, and every chapter
asks only for sections its bank has (a static scan of the notebooks, no kernel)."""

from __future__ import annotations

import ast
import json
import math

import pytest

from nnbasics.quiz import (
    Choice,
    Numeric,
    chapter_questions,
    needed_values,
    show_quiz,
    to_jupyterquiz,
)
from tests.conftest import ROOT

CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
#: Values of the size a chapter passes (seed 0), to build every question without a
#: kernel. The chapters pass their own computed values; these only exercise the banks.
EXAMPLE_VALUES = {
    "gradient_descent": dict(
        n_params=10, forward_passes=20, lam_min=0.2818, lam_max=4.556,
        critical_rate=2 / 4.556, kappa=4.556 / 0.2818, rho_opt=0.8835),
    "backpropagation": dict(n_wide=1_003_001, sig_max=0.25, depth=10,
                            sigmoid_bound=0.25**10),
    "what_is_a_neural_network": dict(on_plane=0.5, sigmoid_slope=0.25, n_params=369),
    "why_neural_networks": dict(width=100, d=100, n_network=10_201,
                                n_cubic=math.comb(103, 3)),
    "universal_approximation": dict(w_step=25.0, s_step=0.4, bias=-10.0,
                                    n_before=256, n_after=512, doubling_gain=2.0),
    "spectral_bias": dict(w_neuron=4.0, tanh_ratio=0.04313,
                          tanh_ratio_no_half=0.001867, n_grid=256, n_train=64,
                          nyquist=32),
    "ml_for_climate_physics": dict(noise=0.05, p=800, n=400, mp_upper=0.0146,
                                   feedback=1.2, capacity=8.0, forcing=3.7,
                                   equilibrium=3.7 / 1.2),
    "multistage_1d": dict(cond_j=3e13, cond_jtj=9e26, n_zero=40, length=2.04,
                          omega_zero=math.pi * 40 / 2.04),
    "multistage_navier_stokes": dict(n_params=369, low=1e-3, high=3e-2,
                                     ring_ratio=30.0),
}
MIN_QUESTIONS, MAX_QUESTIONS = 4, 8
MIN_FEEDBACK_WORDS = 6


def test_every_chapter_has_example_values():
    assert sorted(EXAMPLE_VALUES) == CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_four_to_eight_questions(chapter):
    bank = chapter_questions(chapter)
    total = sum(len(qs) for qs in bank.values())
    assert MIN_QUESTIONS <= total <= MAX_QUESTIONS, f"{chapter}: {total} questions"
    kinds = {type(q) for qs in bank.values() for q in qs}
    assert kinds == {Numeric, Choice}, f"{chapter} must mix numeric and choice questions"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_wrong_answer_explains_itself(chapter):
    for section, questions in chapter_questions(chapter).items():
        for q in questions:
            if isinstance(q, Choice):
                assert sum(right for _, right, _ in q.options) == 1, q.question
                for text, _right, why in q.options:
                    assert len(why.split()) >= MIN_FEEDBACK_WORDS, (section, text)
            else:
                assert 1 <= len(q.slips) <= 3, q.question
                assert 0 < q.rtol <= 0.1, q.question
                assert q.explanation, q.question
                for _, why in q.slips:
                    assert len(why.split()) >= MIN_FEEDBACK_WORDS, (section, why)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_slips_lie_outside_the_answers_tolerance(chapter):
    """Built with the example values: every slip is a different number from the
    answer (to_jupyterquiz refuses an overlapping one), every placeholder is filled."""
    values = EXAMPLE_VALUES[chapter]
    for section, questions in chapter_questions(chapter).items():
        assert needed_values(questions) <= set(values), section
        items = to_jupyterquiz(questions, values)
        for item in items:
            assert "[[" not in json.dumps(item), item["question"]
            if item["type"] == "numeric":
                right, *slips, default = item["answers"]
                assert right["correct"] and default["type"] == "default"
                for slip in slips:
                    assert (slip["range"][0] > right["range"][1]
                            or slip["range"][1] < right["range"][0])


def test_an_overlapping_slip_is_refused():
    q = Numeric("What is x?", "x", rtol=0.05,
                slips=[(lambda v: 1.01 * v["x"], "a slip too close to the answer")])
    with pytest.raises(ValueError, match="within the tolerance"):
        to_jupyterquiz([q], {"x": 1.0})


def test_show_quiz_refuses_an_unknown_section_or_chapter():
    with pytest.raises(ValueError, match="section must be one of"):
        show_quiz("gradient_descent", "no-such-section")
    with pytest.raises(ValueError, match="has no questions"):
        show_quiz("no_such_chapter", "x")


def test_show_quiz_names_a_missing_value():
    with pytest.raises(TypeError, match="critical_rate"):
        show_quiz("gradient_descent", "learning-rate", lam_min=0.3, lam_max=4.0)


def test_show_quiz_refuses_a_value_that_is_not_a_number():
    values = dict(EXAMPLE_VALUES["gradient_descent"], kappa="large")
    with pytest.raises(TypeError, match="kappa must be a number"):
        show_quiz("gradient_descent", "learning-rate", **values)


def quiz_calls(chapter: str) -> list[tuple[str, str, set[str]]]:
    """(chapter, section, keywords) of every show_quiz call in a chapter's code."""
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text())
    calls = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "show_quiz" not in "".join(cell["source"]):
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "show_quiz"):
                first, second = (a.value for a in node.args[:2])
                calls.append((first, second, {k.arg for k in node.keywords}))
                assert "remove-input" in cell["metadata"].get("tags", []), (
                    f"{chapter}: a quiz cell shows the questions, not its code "
                    "(tag it remove-input)")
    return calls


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_ask_for_sections_their_bank_has(chapter):
    bank = chapter_questions(chapter)
    calls = quiz_calls(chapter)
    for named, section, keywords in calls:
        assert named == chapter, f"{chapter} shows the questions of {named}"
        assert section in bank, f"{chapter}: no section {section!r} in its bank"
        missing = needed_values(bank[section]) - keywords
        assert not missing, f"{chapter}, {section}: values {missing} not passed"
