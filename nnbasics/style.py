"""One look for every figure of the course: colour-blind-safe colours, readable sizes.

The line colours are the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness; maps of a scalar field use ``cividis``, which is
perceptually uniform and readable in grey scale too.

Sizes are chosen for the narrowest reader, a phone 390 px wide: a figure at most
:data:`MAX_FIGURE_WIDTH_IN` inches wide, with text of :data:`FONT_PT` points, keeps
its smallest label at about 8 px on such a screen. Static figures are drawn as SVG,
so they stay crisp on high-DPI screens; the browser test measures the text size
from these constants.
"""

from __future__ import annotations

import matplotlib as mpl

#: Okabe & Ito (2008), "Color Universal Design", in the order the course uses them.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
LINE_COLOURS = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple")]
FIELD_CMAP = "cividis"
#: The smallest text of any figure, in points (tick labels, legends).
FONT_PT = 11
#: Widest figure that keeps FONT_PT text legible (about 8 px) on a 390 px phone.
MAX_FIGURE_WIDTH_IN = 6.4
#: Resolution of raster figures (slider frames, rasterised fields).
DPI = 100


def use_course_style() -> None:
    """Set matplotlib defaults for every figure in the course (call once per notebook)."""
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=LINE_COLOURS),
        "image.cmap": FIELD_CMAP,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "figure.figsize": (MAX_FIGURE_WIDTH_IN, 3.6),
        "font.size": FONT_PT,
        "axes.titlesize": FONT_PT + 1,
        "axes.labelsize": FONT_PT,
        "xtick.labelsize": FONT_PT,
        "ytick.labelsize": FONT_PT,
        "legend.fontsize": FONT_PT,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        # Text stays text in SVG (smaller files, selectable, sharp at any zoom).
        "svg.fonttype": "none",
    })
    _draw_inline_figures_as_svg()


def _draw_inline_figures_as_svg() -> None:
    """In a notebook, show figures as SVG: crisp on high-DPI screens, small for line plots."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg")
