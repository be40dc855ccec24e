"""The self-check questions in the built book, answered in headless Chromium as a
reader answers them: with the mouse, with the keyboard, on a phone, in the dark theme.

Run after `make book`, like tests/test_book_pages.py, whose browser, server and page
helpers this reuses. jupyterquiz keeps each quiz's questions in a global JavaScript
variable ``questions<id>`` (``<id>`` is the id of the quiz's container, which carries
``data-numquestions``); the test reads the right answers, the slips and the options
from there and checks what the page answers to each.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import test_book_pages as book_pages
from tests.book import HTML
from tests.test_book_pages import PHONE, content_pages, luminance, open_page, real_errors

# The book tests' fixtures: one Chromium and one local server for the module.
browser, server = book_pages.browser, book_pages.server

pytestmark = pytest.mark.browser
QUIZ_MARK = "data-numquestions"
#: Contrast a reader needs between an option's text and its button (WCAG AA, 4.5:1).
MIN_CONTRAST = 4.5


def quiz_pages() -> list[str]:
    return [p.relative_to(HTML).as_posix() for p in content_pages()
            if p.exists() and QUIZ_MARK in p.read_text()]


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


def feedback(wrapper) -> tuple[str, str]:
    fb = wrapper.locator(".Feedback")
    return fb.get_attribute("class"), shown(fb.inner_text())


def test_every_chapter_page_has_questions():
    missing = [p for p in chapter_pages() if p not in quiz_pages()]
    assert not missing, f"chapter pages without self-check questions: {missing}"


@pytest.mark.parametrize("path", quiz_pages())
def test_right_and_wrong_answers_get_their_feedback(browser, server, path):
    page, errors = open_page(browser, f"{server}/{path}")
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
                    classes, text = feedback(wrapper)
                    expected = "correct" if answer["correct"] else "incorrect"
                    assert expected in classes.split(), (path, q["question"], text)
                    assert words_outside_math(answer["feedback"]) in text, (
                        path, answer["feedback"], text)
            else:
                labels = wrapper.locator("label.MCButton")
                order = sorted(range(len(q["answers"])),
                               key=lambda j: q["answers"][j]["correct"])
                for j in order:  # the wrong options first, then the right one
                    answer = q["answers"][j]
                    labels.nth(j).click()
                    classes, text = feedback(wrapper)
                    expected = "correct" if answer["correct"] else "incorrect"
                    assert expected in classes.split(), (path, answer["answer"])
                    assert words_outside_math(answer["feedback"]) in text, (
                        path, answer["feedback"], text)
    assert not real_errors(errors), f"{path}: JavaScript errors {errors}"
    page.close()


@pytest.mark.parametrize("path", quiz_pages())
def test_options_work_with_the_keyboard(browser, server, path):
    """Tab reaches an option, which shows that it has the focus; Space picks it and
    the arrow keys move to the next, each with its feedback."""
    page, errors = open_page(browser, f"{server}/{path}")
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
    first_class, first_text = feedback(wrapper)
    assert first_text and {"correct", "incorrect"} & set(first_class.split())
    page.keyboard.press("ArrowDown")
    second_class, second_text = feedback(wrapper)
    assert second_text != first_text, f"{path}: an arrow key gave no new feedback"
    assert not real_errors(errors), f"{path}: JavaScript errors {errors}"
    page.close()


@pytest.mark.parametrize("path", quiz_pages())
def test_questions_fit_a_phone_and_read_in_the_dark_theme(browser, server, path):
    page, errors = open_page(browser, f"{server}/{path}", viewport=PHONE)
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
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_timeout(300)
    colours = page.evaluate("""() => [...document.querySelectorAll('label.MCButton')]
        .map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])""")
    for text, background in colours:
        bright, dark = sorted((luminance(text), luminance(background)), reverse=True)
        contrast = (bright + 0.05) / (dark + 0.05)
        assert contrast >= MIN_CONTRAST, f"{path}: option text {text} on {background}"
    assert not real_errors(errors), f"{path}: JavaScript errors {errors}"
    page.close()
