"""The built book, opened in headless Chromium as a reader opens it.

Run after `make book` (``make test`` does both). A missing build or browser fails
these tests instead of skipping them: a reader cannot skip the page either.
"""

from __future__ import annotations

import http.server
import re
from pathlib import Path

import pytest

from nnbasics.style import DPI, FONT_PT
from tests.book import (
    HTML,
    PAGE_BUDGET_BYTES,
    content_pages,
    contrast_ratio,
    page_weight,
    toc_entries,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
#: Viewports a reader uses: desktop, tablet, phone.
DESKTOP, TABLET, PHONE = (1280, 900), (768, 1024), (390, 844)
#: The smallest figure text, in CSS pixels, that a reader can still read.
MIN_TEXT_PX = 7.0
#: Contrast of black figure labels on the figures' background (WCAG AAA: small text).
FIGURE_LABEL_CONTRAST = 7.0
#: Alt text shorter than this many words names a figure rather than describing it.
MIN_ALT_WORDS = 8
#: A word from each chapter that the book's search must find on that chapter's page.
SEARCH_TERMS = {
    "chapters/why_neural_networks": "surrogate",
    "chapters/what_is_a_neural_network": "logistic",
    "chapters/universal_approximation": "tower",
    "chapters/gradient_descent": "learning",
    "chapters/backpropagation": "backward",
    "chapters/spectral_bias": "Fourier",
    "chapters/multistage_1d": "Marquardt",
    "chapters/multistage_navier_stokes": "vorticity",
    "chapters/ml_for_climate_physics": "Kalman",
}
SHOTS = ROOT / "_build" / "screenshots"
# Console errors every page may log and that change nothing for the reader; empty: any
# console error fails the tests (THEBE_JS_URL's double declaration is fixed in
# tools/booktools/sphinx_ext.py, the theme's missing colour mode by html_context in _config.yml).
KNOWN_THEME_ERRORS: tuple[str, ...] = ()
#: What axe's own CSSOM preload requests and a reader's browser never does: it resolves
#: the theme's ``@import "../basic.css"`` (in _static/styles/theme.css) against the page
#: instead of the stylesheet and asks for /basic.css, a 404. The pages' errors are shared
#: by every test of a page (tests/conftest.py), so tests after the audit would see it.
AXE_OWN_404 = re.compile(r"status of 404 .*\(http://127\.0\.0\.1:\d+/basic\.css\)$")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def slider_pages() -> list[Path]:
    return [p for p in content_pages()
            if p.exists() and "data-nnb-slider-figure" in p.read_text()]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output readable
        pass


def open_page(browser, url: str, viewport: tuple[int, int] = DESKTOP):
    """Open ``url`` as a reader without internet; return the page and its errors.

    Every request that leaves the book (any other host) is blocked and counts as an
    error: the book must work offline, as a folder or a zip, MathJax included
    (served from its own ``_static/mathjax``). So does every console error and every
    failed request for one of the book's own files. The browser's favicon is left out.
    """
    origin = "/".join(url.split("/", 3)[:3])
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    errors: list[str] = []

    def offline(route) -> None:
        request_url = route.request.url
        if request_url.startswith((origin + "/", "data:", "blob:")):
            route.continue_()
        else:
            errors.append(f"request outside the book: {request_url[:120]}")
            route.abort()

    def on_console(msg) -> None:
        source = msg.location.get("url", "")
        if msg.type != "error" or source.endswith("/favicon.ico"):
            return
        if msg.text.startswith("Failed to load resource") and not source.startswith(origin):
            return  # already counted by offline() as a request outside the book
        errors.append(f"{msg.text} ({source})")

    page.route("**/*", offline)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", on_console)
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url[:120]}")
            if r.url.startswith(origin) and not r.url.endswith("/favicon.ico") else None)
    page.goto(url, wait_until="load")
    page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("window.MathJax ? MathJax.startup.promise.then(() => true) : true")
    return page, errors


def real_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(k in e for k in KNOWN_THEME_ERRORS)
            and not AXE_OWN_404.search(e)]


def test_every_page_of_the_table_of_contents_was_built():
    missing = [p.relative_to(HTML).as_posix() for p in content_pages() if not p.exists()]
    assert missing == [], f"not built (run `make book`): {missing}"


def test_the_slider_pages_are_there():
    names = {p.stem for p in slider_pages()}
    assert "gradient_descent" in names, "the learning-rate slider page is missing"


@pytest.mark.parametrize("path", [p.relative_to(HTML).as_posix() for p in slider_pages()]
                         or ["(no slider page was built)"])
def test_every_slider_changes_the_picture(browser, server, path):
    page, errors = open_page(browser, f"{server}/{path}")
    figures = page.locator("[data-nnb-slider-figure]")
    assert figures.count() >= 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    for f in range(figures.count()):
        figure = figures.nth(f)
        figure.scroll_into_view_if_needed()
        image = figure.locator("img.nnb-slider-frame")
        inputs = figure.locator("input.nnb-slider-input")
        for i in range(inputs.count()):
            slider, value = inputs.nth(i), figure.locator("output.nnb-slider-value").nth(i)
            label = figure.locator("label").nth(i).inner_text()
            assert re.search(r"\S+ = \S+", label), f"slider label {label!r} lacks 'name = value'"
            before_text, before_src = value.inner_text(), image.get_attribute("src")
            before_png = figure.screenshot()
            slider.focus()
            slider.press("End" if slider.input_value() != slider.get_attribute("max") else "Home")
            image.evaluate("img => img.decode()")  # the new frame is on screen before the shot
            after_png = figure.screenshot(path=str(SHOTS / f"{Path(path).stem}-{f}-{i}.png"))
            assert value.inner_text() != before_text, f"{label}: the shown value did not change"
            assert image.get_attribute("src") != before_src, f"{label}: the frame did not change"
            assert after_png != before_png, f"{label}: the picture on screen did not change"
            assert image.get_attribute("alt"), "every frame needs alt text"
    assert real_errors(errors) == [], f"JavaScript errors on {path}: {errors}"
    page.close()


def test_page_loads_without_errors_within_budget(desktop):
    path, page, errors = desktop
    size = page_weight(HTML / path)
    text = (HTML / path).read_text()
    assert size <= PAGE_BUDGET_BYTES, f"{path} weighs {size / 1e6:.2f} MB with images (budget 3 MB)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (path.replace("/", "__") + ".png")), full_page=False)
    broken = page.evaluate("Array.from(document.images).filter(i => i.complete && "
                           "i.naturalWidth === 0).map(i => i.src.slice(0, 80))")
    assert broken == [], f"{path}: images that did not load: {broken}"
    alts = page.evaluate("Array.from(document.querySelectorAll('article img'))"
                         ".map(i => [i.src.slice(-60), i.alt || ''])")
    vague = [(src, alt) for src, alt in alts if len(alt.split()) < MIN_ALT_WORDS]
    assert vague == [], f"{path}: images whose alt text does not describe them: {vague}"
    assert real_errors(errors) == [], f"JavaScript errors on {path}: {errors}"
    typeset = page.evaluate("document.querySelectorAll('article mjx-container').length")
    raw_math = "\\(" in text or "\\[" in text or "$$" in text
    if raw_math:
        assert typeset > 0, f"{path}: MathJax typeset none of the page's formulas"
    failed = page.evaluate("Array.from(document.querySelectorAll('mjx-merror'))"
                           ".map(e => e.getAttribute('data-mjx-error') || e.textContent)")
    assert failed == [], f"{path}: formulas MathJax could not typeset: {failed}"
    leftover = page.evaluate("document.querySelector('article').innerText")
    assert "\\(" not in leftover and "\\[" not in leftover, f"{path}: untypeset LaTeX"


def test_notebook_pages_launch_their_own_notebook_on_binder_colab_and_jupyterhub():
    """Binder and Colab always; a JupyterHub button only when _config.yml names a hub."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/").rstrip("/")
    branch = config["repository"]["branch"]
    hub = (config["launch_buttons"].get("jupyterhub_url") or "").rstrip("/")
    notebooks = [p for p in content_pages()
                 if (ROOT / p.relative_to(HTML)).with_suffix(".ipynb").exists()]
    assert notebooks, "no notebook pages were built"
    for page in notebooks:
        path = page.relative_to(HTML).with_suffix(".ipynb").as_posix()
        links = set(re.findall(r'href="(https://[^"]+)"', page.read_text()))
        expected = {
            "Binder": f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}",
            "Colab": f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}",
        }
        for where, link in expected.items():
            assert link in links, f"{page.name}: no {where} link to its own notebook ({link})"
        if not hub:
            hubs = [link for link in links if "/hub/user-redirect/" in link]
            assert hubs == [], f"{page.name}: JupyterHub links without a hub: {hubs}"
            continue
        hub_links = [link for link in links if link.startswith(hub)]
        assert any(link.split("urlpath=")[-1].split("&")[0].endswith(path)
                   for link in hub_links), f"{page.name}: no JupyterHub link to {path}"


def test_every_chapter_has_a_search_term():
    chapters = [e for e in toc_entries() if e.startswith("chapters/")]
    missing = [c for c in chapters if c not in SEARCH_TERMS]
    assert missing == [], f"add a word each of these chapters contains to SEARCH_TERMS: {missing}"


@pytest.mark.parametrize("chapter, term", sorted(SEARCH_TERMS.items()))
def test_search_finds_each_chapter(browser, server, chapter, term):
    page, errors = open_page(browser, f"{server}/search.html?q={term}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(f"{chapter}.html" in (h or "") for h in hrefs), \
        f"searching {term!r} does not list {chapter}: {hrefs}"
    assert real_errors(errors) == [], f"JavaScript errors: {errors}"
    page.close()


def set_theme(page, theme: str | None) -> str | None:
    """Switch the open page to ``theme`` (None: the theme's default); return the one
    it had, for the test to put back."""
    return page.evaluate("t => { const d = document.documentElement.dataset; "
                         "const before = d.theme === undefined ? null : d.theme; "
                         "if (t === null) delete d.theme; else d.theme = t; "
                         "return before; }", theme)


def test_figures_stay_readable_in_the_dark_theme(desktop):
    path, page, _ = desktop
    before = set_theme(page, "dark")
    # Figures have black labels on a white face; the theme must keep a light card behind
    # them (it does: a light grey, 14:1 with black), or their transparent parts turn the
    # labels unreadable. Figure text is small, so the bar is WCAG's enhanced 7:1.
    backgrounds = page.eval_on_selector_all(
        "article img", "imgs => imgs.map(i => getComputedStyle(i).backgroundColor)")
    set_theme(page, before)
    dark = [b for b in backgrounds if contrast_ratio("rgb(0, 0, 0)", b) < FIGURE_LABEL_CONTRAST]
    assert dark == [], f"{path}: figures on a dark background in the dark theme: {dark}"


# Figure text as the reader sees it: the course style's font size, scaled as the browser
# scales the image. SVG text is in points (4/3 px each); PNG text is drawn at the image's
# dpi (slider frames state theirs; other PNGs use the course's DPI).
FIGURE_TEXT_PX = """imgs => imgs
  .filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0)
  .map(i => {
    const svg = /\\.svg($|\\?)/.test(i.src) || i.src.startsWith("data:image/svg");
    const dpi = parseFloat(i.dataset.nnbDpi || "DPI");
    const natural = svg ? PT * 4 / 3 : PT * dpi / 72;
    return [i.src.slice(-60), natural * i.getBoundingClientRect().width / i.naturalWidth];
  })""".replace("DPI", str(DPI)).replace("PT", str(FONT_PT))


def test_page_reads_on_a_phone(phone):
    path, page, errors = phone
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / ("phone__" + path.replace("/", "__") + ".png")))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path}: the page is {overflow} px wider than a phone screen"
    sizes = page.eval_on_selector_all("article img", FIGURE_TEXT_PX)
    small = [(src, round(px, 1)) for src, px in sizes if px < MIN_TEXT_PX]
    assert small == [], f"{path}: figure text below {MIN_TEXT_PX} px on a phone: {small}"
    assert real_errors(errors) == [], f"JavaScript errors on {path}: {errors}"


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_contents_open_on_a_narrow_screen_and_lead_to_a_chapter(browser, server, viewport):
    page, errors = open_page(browser, f"{server}/intro.html", viewport=viewport)
    toggle = page.locator("button.primary-toggle:visible, label.primary-toggle:visible").first
    toggle.click()
    sidebar = page.locator("#pst-primary-sidebar, .bd-sidebar-primary").first
    sidebar.wait_for(state="visible", timeout=5000)
    page.screenshot(path=str(SHOTS / f"contents-open-{viewport[0]}px.png"))
    link = sidebar.locator("a.reference.internal", has_text="Gradient descent").first
    link.click()
    page.wait_for_url("**/chapters/gradient_descent.html")
    assert "Gradient descent" in page.title()
    assert real_errors(errors) == [], f"JavaScript errors: {errors}"
    page.close()


# The page's visible text without code, formulas MathJax typeset, scripts and styles.
PROSE_TEXT = """() => {
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('pre, code, .highlight, mjx-container, script, style, '
    + '.cell_input, .nnb-slider-data').forEach(e => e.remove());
  return article.innerText;
}"""
#: Markup a reader must never see: $...$ or $$ left over, TeX commands, table pipes.
RAW_MARKUP = {
    "TeX between dollars": re.compile(r"\$[^$\s][^$\n]{0,200}?\$"),
    "display-math dollars": re.compile(r"\$\$"),
    "TeX command": re.compile(r"\\(?:frac|partial|sum|int|sqrt|mathrm|mathbf|"
                              r"alpha|beta|lambda|sigma|kappa|approx|cdot|big|left|right|"
                              r"begin|end|text|hat|tilde)\b"),
    "Markdown table row": re.compile(r"^\s*\|.*\|.*\|\s*$", re.MULTILINE),
    "Markdown table rule": re.compile(r"\|\s*:?[-—–]{2,}:?\s*\|"),
}


# Formulas MathJax typeset with an error: a TeX error box, or an undefined macro, which
# MathJax's noundefined extension prints in red (the TeX source of the formula is shown).
MATH_ERRORS = """() => [...document.querySelectorAll(
    'mjx-merror, mjx-container [style*="color: red"]')]
  .map(e => e.closest('mjx-container'))
  .map(c => (c.querySelector('mjx-assistive-mml') || c).textContent.slice(0, 80))"""


def test_page_shows_no_raw_markdown_or_tex(desktop):
    path, page, _ = desktop
    text = page.evaluate(PROSE_TEXT)
    found = {what: [m.group(0)[:60] for m in pattern.finditer(text)][:3]
             for what, pattern in RAW_MARKUP.items()}
    found = {what: hits for what, hits in found.items() if hits}
    assert found == {}, f"{path}: raw markup in the rendered text: {found}"
    broken = page.evaluate(MATH_ERRORS)
    assert broken == [], f"{path}: formulas MathJax could not typeset: {broken[:3]}"


#: axe-core impact levels that fail the audit; the others are listed in the README.
AXE_FAILING = ("critical", "serious")


def axe_violations(page) -> list[tuple[str, str, int]]:
    """axe-core's critical and serious findings on the open page: (rule, impact, nodes)."""
    from axe_playwright_python.sync_playwright import Axe


    # Only the violations: axe then skips writing out every node that passed, which
    # halved its time on the longest pages (13 s to 5.5 s on gradient_descent) and
    # changes no finding.
    violations = Axe().run(page, options={"resultTypes": ["violations"]}
                           ).response["violations"]
    return [(v["id"], v["impact"], len(v["nodes"])) for v in violations
            if v["impact"] in AXE_FAILING]


def test_page_passes_the_axe_accessibility_audit_at_1280px(desktop):
    path, page, _ = desktop
    bad = axe_violations(page)
    assert bad == [], f"{path} at {DESKTOP[0]} px: axe violations {bad}"


def test_page_passes_the_axe_accessibility_audit_at_390px(phone):
    path, page, _ = phone
    bad = axe_violations(page)
    assert bad == [], f"{path} at {PHONE[0]} px: axe violations {bad}"


#: Where the strict build's figures are checked for overlapping text (nnbasics.style,
#: NNBASICS_CHECK_OVERLAP=report, set by scripts/run_tests.py for the build).
OVERLAP_REPORT = ROOT / "_build" / "overlaps.txt"
#: Folders whose figures are still being fixed; the report lists them, the test does not
#: fail on them. Remove a folder as soon as its figures are clean.
OVERLAPS_BEING_FIXED: tuple[str, ...] = ()


def test_no_figure_the_book_draws_has_overlapping_text():
    if not OVERLAP_REPORT.exists():  # `make test` writes it, empty when nothing overlaps
        pytest.skip("the build ran without the overlap check (a plain `make book`); "
                    "`make test` runs it")
    lines = [line for line in OVERLAP_REPORT.read_text().splitlines() if line.strip()]
    failing = [line for line in lines
               if not any(f"/{folder})" in line for folder in OVERLAPS_BEING_FIXED)]
    assert failing == [], "figures with overlapping text:\n" + "\n".join(failing)
