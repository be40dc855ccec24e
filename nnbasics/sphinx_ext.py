"""Sphinx extension for the course's book; listed in ``_config.yml`` (``extra_extensions``).

* It puts the slider figures in static mode during the build. The kernels that
  myst-nb starts to execute the notebooks inherit this process's environment, so
  setting the variable here makes every :func:`nnbasics.sliders.slider_figure`
  precompute its frames for the HTML page instead of showing live widgets.
* It shows each solution notebook (``solutions/``) as a reader's page: without
  nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines and without the
  cells tagged ``author-note`` (:func:`nnbasics.authoring.solution_page`). Sphinx
  hands every source to ``source-read`` before myst-nb parses (and executes) it, so
  the notebook on disk, which nbgrader and the tests read, keeps both.
* It registers the pybtex style ``author_year`` (:mod:`nnbasics.bibstyle`), which
  ``bibtex_default_style`` in ``_config.yml`` selects, so that the printed
  bibliography is labelled "Andersson et al., 2021", as the text cites, not
  "[AHPerezO+21]".
"""

from __future__ import annotations

import json
import os

from .authoring import solution_page
from .sliders import STATIC_ENV_VAR

SOLUTIONS_DIR = "solutions/"


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
    # Imported here: pybtex comes with the book's tools, not with the notebooks' package.
    from .bibstyle import register

    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
