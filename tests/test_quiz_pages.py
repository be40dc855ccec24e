"""The self-check questions in the built book, answered in headless Chromium as a
reader answers them: with the mouse, with the keyboard, on a phone, in the dark theme.

Run after `make book`, like tests/test_book_pages.py, on the same open pages (the
session's ``desktop`` and ``phone`` fixtures, tests/conftest.py). jupyterquiz keeps
each quiz's questions in a global JavaScript variable ``questions<id>`` (``<id>`` is
the id of the quiz's container, which carries ``data-numquestions``); the test reads the
right answers, the slips and the options from there and checks what the page answers to
each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.book import HTML, content_pages, contrast_ratio
from tests.test_book_pages import real_errors, set_theme

pytestmark = pytest.mark.browser
QUIZ_MARK = "data-numquestions"
#: Contrast a reader needs between an option's text and its button (WCAG AA, 4.5:1).
MIN_CONTRAST = 4.5


def quiz_pages() -> list[str]:
    return [p.relative_to(HTML).as_posix() for p in content_pages()
            if p.exists() and QUIZ_MARK in p.read_text()]


QUIZ_PAGES = quiz_pages()


def chapter_pages() -> list[str]:
    return [p.relative_to(HTML).as_posix() for p in content_pages()
            if p.relative_to(HTML).parts[0] == "chapters"]


def words_outside_math(html: str) -> str:
    """Three words of a feedback text that lie outside its math, as the page shows
    them (MathJax rewrites what lies between dollars)."""
    plain = re.sub(r"<[^>]+>", " ", html)
    runs = [r.split() for r in re.split(r"\$[^$]*\$", plain)]
    best = max(runs, key=len)
    return " ".join(best[:3])


def shown(text: str) -> str:
    return " ".join(text.split())


def quizzes(page) -> list[tuple[str, list[dict]]]:
    return page.evaluate(f"""() => [...document.querySelectorAll('div[{QUIZ_MARK}]')]
        .map(d => [d.id, window['questions' + d.id]])""")


#: What a reader sees of a question's feedback, read in one round trip to the page (the
#: quiz tests answer a few hundred times): its classes, its text, and its text colour
#: with the first opaque background behind it.
FEEDBACK_SEEN = r"""e => {
    let under = e, background = 'rgb(255, 255, 255)';
    while (under) {
        const bg = getComputedStyle(under).backgroundColor;
        if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
            background = bg;
            break;
        }
        under = under.parentElement;
    }
    return [e.className, e.innerText, getComputedStyle(e).color, background];
}"""


@dataclass(frozen=True)
class Feedback:
    classes: list[str]
    text: str
    contrast: float


def feedback(wrapper) -> Feedback:
    """The feedback a question shows now."""
    classes, text, colour, background = wrapper.locator(".Feedback").evaluate(FEEDBACK_SEEN)
    return Feedback(classes.split(), shown(text), contrast_ratio(colour, background))


def quiz_page(fixture) -> tuple[str, object, list[str]]:
    """The open page of the session's fixture (tests/conftest.py), or a skip if it has no
    quiz: the quiz tests read the pages every other browser test reads, loaded once."""
    path, page, errors = fixture
    if path not in QUIZ_PAGES:
        pytest.skip(f"{path} has no self-check questions")
    return path, page, errors


def test_every_chapter_page_has_questions():
    missing = [p for p in chapter_pages() if p not in quiz_pages()]
    assert not missing, f"chapter pages without self-check questions: {missing}"


def test_right_and_wrong_answers_get_their_feedback(desktop):
    path, page, errors = quiz_page(desktop)
    found = quizzes(page)
    assert found, f"{path}: no quiz found"
    for quiz_id, questions in found:
        assert questions, f"{path}: quiz {quiz_id} has no questions variable"
        wrappers = page.locator(f"[id='{quiz_id}'] .Quiz")
        assert wrappers.count() == len(questions), f"{path}: {quiz_id}"
        if any("$" in q["question"] for q in questions):
            math = page.locator(f"[id='{quiz_id}'] mjx-container").count()
            assert math > 0, f"{path}: the quiz's math is not typeset"
        for i, q in enumerate(questions):
            wrapper = wrappers.nth(i)
            if q["type"] == "numeric":
                box = wrapper.locator("input.Input-text")
                for answer in q["answers"][:-1]:  # the last is the default hint
                    lo, hi = answer["range"]
                    box.fill(repr((lo + hi) / 2))
                    box.press("Enter")
                    seen = feedback(wrapper)
                    expected = "correct" if answer["correct"] else "incorrect"
                    assert expected in seen.classes, (path, q["question"], seen.text)
                    assert words_outside_math(answer["feedback"]) in seen.text, (
                        path, answer["feedback"], seen.text)
            else:
                labels = wrapper.locator("label.MCButton")
                order = sorted(range(len(q["answers"])),
                               key=lambda j: q["answers"][j]["correct"])
                for j in order:  # the wrong options first, then the right one
                    answer = q["answers"][j]
                    labels.nth(j).click()
                    seen = feedback(wrapper)
                    expected = "correct" if answer["correct"] else "incorrect"
                    assert expected in seen.classes, (path, answer["answer"])
                    # axe judges the page as loaded, before any answer: the feedback's
                    # colours are judged here (WCAG AA, like axe).
                    assert seen.contrast >= MIN_CONTRAST, (
                        path, expected, f"contrast {seen.contrast:.2f}")
                    assert words_outside_math(answer["feedback"]) in seen.text, (
                        path, answer["feedback"], seen.text)
    assert not real_errors(errors), f"{path}: JavaScript errors {errors}"


def test_options_work_with_the_keyboard(desktop):
    """Tab reaches an option, which shows that it has the focus; Space picks it and
    the arrow keys move to the next, each with its feedback."""
    path, page, errors = quiz_page(desktop)
    choice = page.locator("div.MultipleChoiceQn").first
    if choice.count() == 0:
        pytest.skip(f"{path} has numeric questions only")
    wrapper = page.locator(".Quiz", has=choice).last
    radios = wrapper.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "radio"
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.closest('label')).outlineStyle")
    assert outline != "none", f"{path}: the focused option is not marked"
    page.keyboard.press("Space")
    first = feedback(wrapper)
    assert first.text and {"correct", "incorrect"} & set(first.classes)
    page.keyboard.press("ArrowDown")
    second = feedback(wrapper)
    assert second.text != first.text, f"{path}: an arrow key gave no new feedback"
    assert not real_errors(errors), f"{path}: JavaScript errors {errors}"
    page.evaluate("document.activeElement && document.activeElement.blur()")


def test_questions_fit_a_phone_and_read_in_the_dark_theme(phone):
    path, page, errors = quiz_page(phone)
    too_wide_now = f"""() => [...document.querySelectorAll(
            'div[{QUIZ_MARK}], div[{QUIZ_MARK}] .Quiz')]
        .filter(e => e.scrollWidth > e.clientWidth + 1
                     || e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.className || e.id)"""
    # The questions are drawn and typeset after the page has loaded; on a busy machine
    # their untypeset TeX can be wide for a moment. Judge the settled page.
    try:
        page.wait_for_function(f"({too_wide_now})().length === 0", timeout=5000)
    except PlaywrightTimeout:
        pass
    too_wide = page.evaluate(too_wide_now)
    assert not too_wide, f"{path}: quiz wider than a 390 px phone: {too_wide}"
    before = set_theme(page, "dark")
    page.wait_for_timeout(300)
    colours = page.evaluate("""() => [...document.querySelectorAll('label.MCButton')]
        .map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])""")
    # An answer's feedback in the dark theme (the last option of the first multiple-
    # choice question; the page stays answered, like a reader's).
    choice = page.locator(".Quiz", has=page.locator("div.MultipleChoiceQn")).first
    if choice.count():
        choice.locator("label.MCButton").last.click()
        dark_feedback = feedback(choice).contrast
    set_theme(page, before)
    for text, background in colours:
        ratio = contrast_ratio(text, background)
        assert ratio >= MIN_CONTRAST, f"{path}: option text {text} on {background}: {ratio:.2f}"
    if choice.count():
        assert dark_feedback >= MIN_CONTRAST, \
            f"{path}: feedback contrast {dark_feedback:.2f} in the dark theme"
    assert not real_errors(errors), f"{path}: JavaScript errors {errors}"
