"""Sphinx extension for the course's book: static slider figures, author-year bibliography.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``.  The kernels that
myst-nb starts to execute the notebooks inherit this process's environment, so
setting the variable here makes every :func:`nnbasics.sliders.slider_figure`
precompute its frames for the HTML page instead of showing live widgets.

It also registers the pybtex style ``author_year`` (:mod:`nnbasics.bibstyle`), which
``bibtex_default_style`` in ``_config.yml`` selects, so that the printed bibliography
is labelled "Andersson et al., 2021", as the text cites, not "[AHPerezO+21]".
"""

from __future__ import annotations

import os

from .sliders import STATIC_ENV_VAR


def setup(app: object) -> dict[str, object]:
    os.environ[STATIC_ENV_VAR] = "1"
    # Imported here: pybtex comes with the book's tools, not with the notebooks' package.
    from .bibstyle import register

    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
