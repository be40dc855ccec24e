"""One look for every figure of the course: colour-blind-safe colours, readable sizes.

The line colours are the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness; maps of a scalar field use ``cividis``, which is
perceptually uniform and readable in grey scale too.
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


def use_course_style() -> None:
    """Set matplotlib defaults for every figure in the course (call once per notebook)."""
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=LINE_COLOURS),
        "image.cmap": FIELD_CMAP,
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "figure.figsize": (7.0, 3.6),
        "font.size": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
    })
