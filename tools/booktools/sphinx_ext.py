"""Sphinx extension for the course's book; listed in ``_config.yml`` (``extra_extensions``).

* It puts the slider figures in static mode during the build. The kernels that
  myst-nb starts to execute the notebooks inherit this process's environment, so
  setting the variable here makes every :func:`nnbasics.sliders.slider_figure`
  precompute its frames for the HTML page instead of showing live widgets.
* It shows each solution notebook (``solutions/``) as a reader's page: without
  nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines and without the
  cells tagged ``author-note`` (:func:`booktools.authoring.solution_page`). Sphinx
  hands every source to ``source-read`` before myst-nb parses (and executes) it, so
  the notebook on disk, which nbgrader and the tests read, keeps both.
* It registers the pybtex style ``author_year`` (:mod:`booktools.bibstyle`), which
  ``bibtex_default_style`` in ``_config.yml`` selects, so that the printed
  bibliography is labelled "Andersson et al., 2021", as the text cites, not
  "[AHPerezO+21]".
* It makes the book work offline, as a folder or a zip: MathJax is served from the
  book's own ``_static/mathjax/`` (copied from the PyPI package
  ``django-static-mathjax``, installed with the book's requirements) instead of a
  CDN, so a reader without internet sees typeset formulas, not ``\\frac`` source.
* It removes scripts that a page would include twice (sphinx-thebe adds its
  configuration ``const THEBE_JS_URL = ...`` once per build pass, and a page that
  declares a ``const`` twice logs an error).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from nnbasics.sliders import STATIC_ENV_VAR

from .authoring import solution_page

SOLUTIONS_DIR = "solutions/"
#: Where the book serves MathJax from, relative to its ``_static`` folder.
MATHJAX_STATIC = "mathjax"
MATHJAX_ENTRY = "tex-mml-chtml.js"
#: What of MathJax's es5 build the pages use: the TeX+MathML to CommonHTML bundle,
#: the extensions and fonts it loads on demand, and its menu's accessibility tools.
MATHJAX_PARTS = (MATHJAX_ENTRY, "input", "output/chtml", "a11y", "ui", "sre", "adaptors")


def mathjax_source() -> Path:
    """The es5 folder of the MathJax copy installed by ``django-static-mathjax``."""
    try:
        import mathjax
    except ImportError as exc:
        raise RuntimeError(
            "the book serves MathJax itself and needs the package django-static-mathjax: "
            "run `pip install -r requirements.txt`") from exc
    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (es5 / MATHJAX_ENTRY).is_file():
        raise RuntimeError(f"MathJax's {MATHJAX_ENTRY} is missing from {es5}: reinstall "
                           "django-static-mathjax")
    return es5


def use_local_mathjax(app: object, config: object) -> None:
    """``config-inited`` handler: pages load MathJax from ``_static/``, not from a CDN."""
    mathjax_source()  # fail early, with the fix, if the package is missing
    config.mathjax_path = f"{MATHJAX_STATIC}/{MATHJAX_ENTRY}"


def copy_mathjax(app: object, exception: Exception | None) -> None:
    """``build-finished`` handler: copy MathJax into the built book's ``_static/``."""
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / MATHJAX_STATIC
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        elif (source / part).is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)


def drop_duplicate_script_lines(app: object, exception: Exception | None) -> None:
    """``build-finished`` handler: in every built page, each inline script line once.

    The theme's template renders some extensions' inline scripts twice (sphinx-thebe's
    ``const THEBE_JS_URL``, sphinx-togglebutton's selector) whatever the page context
    holds, so the built files are cleaned: a repeated identical ``<script>`` line in
    the page head is dropped.
    """
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        head, sep, body = text.partition("</head>")
        if not sep:
            continue
        seen, kept = set(), []
        for line in head.split("\n"):
            stripped = line.strip()
            if stripped.startswith("<script>") and stripped.endswith("</script>"):
                if stripped in seen:
                    continue
                seen.add(stripped)
            kept.append(line)
        cleaned = "\n".join(kept) + sep + body
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")


def drop_duplicate_scripts(app: object, pagename: str, templatename: str,
                           context: dict, doctree: object) -> None:
    """``html-page-context`` handler: each script (file or inline body) once per page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (getattr(script, "filename", str(script)), tuple(sorted(
            (k, str(v)) for k, v in getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def show_solution_as_a_page(app: object, docname: str, source: list[str]) -> None:
    """``source-read`` handler: rewrite a solution notebook's JSON for the book."""
    if not docname.startswith(SOLUTIONS_DIR):
        return
    try:
        nb = json.loads(source[0])
    except ValueError:  # a Markdown page under solutions/, not a notebook
        return
    source[0] = json.dumps(solution_page(nb), ensure_ascii=False)


def setup(app) -> dict[str, object]:
    os.environ[STATIC_ENV_VAR] = "1"
    app.connect("source-read", show_solution_as_a_page)
    app.connect("config-inited", use_local_mathjax)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", drop_duplicate_script_lines)
    # Early: html-page-context stops at the first handler that returns a template name.
    app.connect("html-page-context", drop_duplicate_scripts, priority=100)
    # Imported here: pybtex comes with the book's tools, not with the notebooks' package.
    from .bibstyle import register

    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
