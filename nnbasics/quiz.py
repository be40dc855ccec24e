"""Self-check questions that a reader answers in the page, with or without a kernel.

Each chapter keeps its questions in one module, ``nnbasics/quizzes/<chapter>.py``, as a
dictionary from a section's short name to a list of :class:`Numeric` and :class:`Choice`
questions. The chapter shows a section's questions with one call::

    show_quiz("gradient_descent", "learning-rate", critical_rate=alpha_crit)

Numeric answers are never typed into the question file: a question names the value it
asks for (``answer="critical_rate"``) and the chapter passes that value, computed by its
own code, when the cell runs, so a changed chapter cannot leave a stale answer. The
same values can appear in the question's text (``[[width]]`` or ``[[width:.3g]]``).

The questions are drawn by jupyterquiz, which writes them into the cell's output as
HTML and JavaScript: they work in the built book (no kernel), in Jupyter and on Colab.
A wrong numeric answer that matches a known slip gets that slip's explanation; every
wrong choice carries the misconception it stands for.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

#: Colours of the quiz boxes. Every colour is a theme variable of the book's theme
#: (so the dark theme gets its own), with a light-theme fallback for Jupyter and Colab.
#: Right and wrong are told apart by the words "Correct"/"Not quite" as well as by
#: colour, blue against orange, which colour-blind readers can tell apart: Okabe–Ito
#: blue and a darkened vermillion (#B34700, 5.5:1 on white, where Okabe–Ito's own
#: #D55E00 has 3.9:1, below WCAG AA's 4.5:1 for the feedback text); darker still in the
#: book's dark theme, whose outputs sit on a light grey card (_static/quiz.css).
QUIZ_COLOURS = {
    "--jq-multiple-choice-bg": "var(--pst-color-surface, #eef3f8)",
    "--jq-many-choice-bg": "var(--pst-color-surface, #eef3f8)",
    "--jq-numeric-bg": "var(--pst-color-surface, #eef3f8)",
    "--jq-string-bg": "var(--pst-color-surface, #eef3f8)",
    "--jq-mc-button-bg": "var(--pst-color-background, #ffffff)",
    "--jq-mc-button-border": "var(--pst-color-border, #b0b8c0)",
    "--jq-mc-button-inset-shadow": "var(--pst-color-border, #888888)",
    "--jq-numeric-input-bg": "var(--pst-color-background, #ffffff)",
    "--jq-numeric-input-label": "var(--pst-color-text-base, #1a1a1a)",
    "--jq-numeric-input-shadow": "var(--pst-color-border, #888888)",
    "--jq-text-color": "var(--pst-color-text-base, #1a1a1a)",
    "--jq-link-color": "var(--pst-color-link, #0a5fa3)",
    # The book's quiz.css sets these per theme; the fallbacks are the light theme's.
    "--jq-correct-color": "var(--nnb-quiz-correct, #0072B2)",
    "--jq-incorrect-color": "var(--nnb-quiz-incorrect, #B34700)",
}

#: What a numeric question says to a value that matches neither the answer nor a
#: known slip: where to look, not just "try again".
DEFAULT_HINT = "Not quite. Recompute it step by step from the section above."


@dataclass(frozen=True)
class Numeric:
    """A question whose answer is a number the chapter computes.

    ``answer`` names the value the chapter passes to :func:`show_quiz`; ``rtol`` is the
    relative tolerance a reader's answer must meet (stated in the question's text by
    :func:`to_jupyterquiz`). ``slips`` are likely mistakes, each a function of the
    chapter's values giving the wrong number, and the explanation a reader who typed
    it gets. ``hint`` replaces :data:`DEFAULT_HINT` for any other wrong number.
    """

    question: str
    answer: str
    rtol: float = 0.02
    explanation: str = ""
    slips: Sequence[tuple[Callable[[Mapping[str, float]], float], str]] = ()
    hint: str = DEFAULT_HINT


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question: ``options`` are ``(text, correct, feedback)``.

    Every option carries feedback: a right one says why it is right, a wrong one names
    the misconception it stands for.
    """

    question: str
    options: Sequence[tuple[str, bool, str]] = field(default_factory=tuple)


Question = Numeric | Choice


def chapter_questions(chapter: str) -> dict[str, list[Question]]:
    """The question bank of one chapter: ``{section: [questions]}``."""
    if not isinstance(chapter, str) or not chapter.isidentifier():
        raise ValueError(f"chapter must be a chapter's file name without .ipynb, got {chapter!r}")
    try:
        module = importlib.import_module(f"nnbasics.quizzes.{chapter}")
    except ModuleNotFoundError as err:
        raise ValueError(f"chapter {chapter!r} has no questions in nnbasics/quizzes/") from err
    return module.QUESTIONS


def needed_values(questions: Sequence[Question]) -> set[str]:
    """The names of the values a list of questions needs from the chapter: the numeric
    answers and every ``{name}`` in a question's texts."""
    names = {q.answer for q in questions if isinstance(q, Numeric)}
    for q in questions:
        names |= _placeholders(q)
    return names


def _number(name: str, value: object) -> float:
    try:
        number = float(value)  # accepts NumPy scalars and 0-d arrays and tensors
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a number, got {type(value).__name__}") from err
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def _interval(value: float, rtol: float) -> list[float]:
    half = abs(value) * rtol if value != 0 else rtol
    return [value - half, value + half]


#: A chapter's value inside a question's text: ``[[name]]`` or ``[[name:.3g]]``
#: (double brackets, so that TeX's braces need no escaping).
PLACEHOLDER = re.compile(r"\[\[(\w+)(?::([^\]]+))?\]\]")


def _fill(text: str, values: Mapping[str, float]) -> str:
    def value(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2) or "g"
        return format(values[name], spec)

    return PLACEHOLDER.sub(value, text)


def _numeric_item(q: Numeric, values: Mapping[str, float]) -> dict:
    value = values[q.answer]
    correct = _interval(value, q.rtol)
    answers = [{"type": "range", "range": correct, "correct": True,
                "feedback": "Correct. " + _fill(q.explanation, values)}]
    for wrong, because in q.slips:
        try:
            slip = _number(f"a slip of question {q.question[:40]!r}", wrong(values))
        except KeyError as err:
            raise TypeError(f"a slip of question {q.question[:40]!r} needs the chapter's "
                            f"value {err.args[0]}") from err
        lo, hi = _interval(slip, q.rtol)
        if hi >= correct[0] and lo <= correct[1]:
            raise ValueError(f"a slip of question {q.question[:40]!r} gives {slip:g}, "
                             f"within the tolerance of the answer {value:g}")
        answers.append({"type": "range", "range": [lo, hi], "correct": False,
                        "feedback": "Not quite. " + _fill(because, values)})
    answers.append({"type": "default", "feedback": _fill(q.hint, values)})
    tolerance = f"(Within {q.rtol:.0%}; press Enter to check.)" if q.rtol >= 0.01 else (
        f"(Within a relative {q.rtol:g}; press Enter to check.)")
    return {"question": _fill(q.question, values) + " " + tolerance,
            "type": "numeric", "answers": answers}


def _choice_item(q: Choice, values: Mapping[str, float]) -> dict:
    if sum(correct for _, correct, _ in q.options) != 1 or len(q.options) < 2:
        raise ValueError(f"question {q.question[:40]!r} needs two or more options, one right")
    answers = [{"answer": _fill(text, values), "correct": bool(correct),
                "feedback": ("Correct. " if correct else "Not quite. ") + _fill(why, values)}
               for text, correct, why in q.options]
    return {"question": _fill(q.question, values), "type": "multiple_choice",
            "answers": answers}


def to_jupyterquiz(questions: Sequence[Question], values: Mapping[str, object]) -> list[dict]:
    """jupyterquiz's JSON for ``questions``, with the chapter's ``values`` filled in."""
    needed = needed_values(questions)
    missing = sorted(needed - set(values))
    if missing:
        raise TypeError(f"these questions need the chapter's value(s) {', '.join(missing)}")
    numbers = {name: _number(name, value) for name, value in values.items()}
    items = []
    for q in questions:
        item = _numeric_item(q, numbers) if isinstance(q, Numeric) else _choice_item(q, numbers)
        items.append(item)
    return items


def show_quiz(chapter: str, section: str, **values: object) -> None:
    """Show the questions of ``section`` in ``chapter``, answered by the chapter's values."""
    bank = chapter_questions(chapter)
    if section not in bank:
        raise ValueError(f"section must be one of {sorted(bank)} for {chapter!r}, "
                         f"got {section!r}")
    questions = bank[section]
    items = to_jupyterquiz(questions, values)
    from jupyterquiz import display_quiz  # imported here: only a quiz cell needs it

    display_quiz(items, shuffle_answers=False, max_width=720, colors=QUIZ_COLOURS)


def _placeholders(q: Question) -> set[str]:
    texts = [q.question] + ([q.explanation, q.hint] + [why for _, why in q.slips]
                            if isinstance(q, Numeric)
                            else [t for opt in q.options for t in (opt[0], opt[2])])
    return {m.group(1) for text in texts for m in PLACEHOLDER.finditer(text)}
