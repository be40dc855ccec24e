"""Sphinx extension that puts the course's slider figures in static mode during the build.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``.  The kernels that
myst-nb starts to execute the notebooks inherit this process's environment, so
setting the variable here makes every :func:`nnbasics.sliders.slider_figure`
precompute its frames for the HTML page instead of showing live widgets.
"""

from __future__ import annotations

import os

from .sliders import STATIC_ENV_VAR


def setup(app: object) -> dict[str, object]:
    os.environ[STATIC_ENV_VAR] = "1"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
