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

import os
import sys

import matplotlib as mpl
import numpy as np

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
        # Room between the axes and their tick labels and title, so the lowest y label
        # and the leftmost x label do not touch at a corner, nor the top y label the
        # title (matplotlib's 3.5 pt and 6 pt are too tight for FONT_PT text).
        "xtick.major.pad": 5.0,
        "xtick.minor.pad": 5.0,
        "axes.titlepad": 8.0,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        # Text stays text in SVG (smaller files, selectable, sharp at any zoom).
        "svg.fonttype": "none",
    })
    _draw_inline_figures_as_svg()
    install_overlap_check()


def _draw_inline_figures_as_svg() -> None:
    """In a notebook, show figures as SVG: crisp on high-DPI screens, small for line plots."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg")


#: ``NNBASICS_CHECK_OVERLAP=raise`` makes every figure drawn after use_course_style()
#: fail on overlapping text; ``=report`` appends each overlap to the file named by
#: ``NNBASICS_OVERLAP_REPORT`` (standard error if unset) and draws the figure anyway.
OVERLAP_ENV_VAR = "NNBASICS_CHECK_OVERLAP"
OVERLAP_REPORT_ENV_VAR = "NNBASICS_OVERLAP_REPORT"
#: Two text boxes may touch by this many pixels (at the figure's dpi) in each direction.
OVERLAP_TOLERANCE_PX = 1.0


def text_overlaps(fig, tolerance_px: float = OVERLAP_TOLERANCE_PX) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts of ``fig`` whose boxes overlap.

    Every text artist counts: titles, axis labels, tick labels, legend entries,
    annotations, colour-bar labels. Boxes are matplotlib's own extents after a
    layout pass (:meth:`matplotlib.figure.Figure.draw_without_rendering`), so tick
    labels that run into each other, an axis label on the next panel's title, or a
    legend entry written over a label are found. Returns ``[]`` for a clean figure.
    """
    from matplotlib.text import Text

    if not hasattr(fig, "draw_without_rendering"):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not (0 <= tolerance_px <= 50):
        raise ValueError(f"tolerance_px must be in [0, 50] pixels, got {tolerance_px}")
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    undrawn = _undrawn_tick_labels(fig)
    boxes = []
    for artist in fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        if id(artist) in undrawn:
            continue
        if artist.axes is not None and not artist.axes.get_visible():
            continue
        box = artist.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            boxes.append((artist.get_text().strip(), box))
    found = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > tolerance_px and dy > tolerance_px:
                found.append((text_a, text_b))
    return found


def _undrawn_tick_labels(fig) -> set[int]:
    """The ids of tick labels that matplotlib keeps but does not draw.

    An axis keeps a pool of tick objects; the ones whose location lies outside the
    view limits keep a stale label with ``get_visible()`` still true, which is never
    drawn. Counting them would report overlaps no reader sees.
    """
    undrawn = set()
    for ax in fig.axes:
        for axis in (getattr(ax, "xaxis", None), getattr(ax, "yaxis", None)):
            if axis is None or not hasattr(axis, "majorTicks"):
                continue
            # Compare in the axis's scale (log axes in decades), as matplotlib does.
            scale = axis.get_transform()
            lo, hi = sorted(scale.transform(np.asarray(axis.get_view_interval())))
            slack = 1e-9 * (hi - lo)
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                loc = tick.get_loc()
                where = None if loc is None else scale.transform(np.asarray([loc]))[0]
                if where is None or not (lo - slack <= where <= hi + slack):
                    undrawn.update({id(tick.label1), id(tick.label2)})
    return undrawn


def install_overlap_check() -> None:
    """Check every figure as it is drawn, if ``NNBASICS_CHECK_OVERLAP`` asks for it.

    The tests and the book's build set the variable; a reader's notebook does not,
    so it pays nothing. Installed once, on the canvas class every backend draws with.
    """
    mode = os.environ.get(OVERLAP_ENV_VAR, "")
    if mode not in ("raise", "report"):
        return
    from matplotlib.backend_bases import FigureCanvasBase

    original = FigureCanvasBase.print_figure
    if getattr(original, "_nnbasics_overlap_check", False):
        return

    def print_figure(self, *args, **kwargs):
        try:
            overlaps = text_overlaps(self.figure)
        except Exception as exc:  # the check must never cost a reader a figure
            overlaps, error = [], exc
        else:
            error = None
        if overlaps:
            titles = [ax.get_title() for ax in self.figure.axes if ax.get_title()]
            where = f"figure {titles[:2]} (in {os.getcwd()})"
            message = f"text overlaps in {where}: {overlaps}"
            if os.environ.get(OVERLAP_ENV_VAR) == "raise":
                raise AssertionError(message)
            path = os.environ.get(OVERLAP_REPORT_ENV_VAR)
            if path:
                with open(path, "a", encoding="utf-8") as report:
                    report.write(message + "\n")
            else:
                print(message, file=sys.stderr)
        elif error is not None and os.environ.get(OVERLAP_ENV_VAR) == "raise":
            raise error
        return original(self, *args, **kwargs)

    print_figure._nnbasics_overlap_check = True
    FigureCanvasBase.print_figure = print_figure
