"""Figures driven by sliders that work with a live kernel and in the static HTML book.

A chapter describes its parameters once, with :class:`Slider`, and gives a
``draw(fig, **params)`` function.  :func:`slider_figure` then shows

* in a live kernel (Jupyter, Binder, Colab): ipywidgets sliders that redraw the
  figure through the same ``draw`` function;
* in the built book, where no kernel runs: every combination of slider values is
  drawn once at build time, and a few lines of JavaScript swap the pictures as the
  reader moves a labelled HTML slider ("learning rate α = 0.35").

The book build switches to the static form through the ``NNBASICS_STATIC_SLIDERS``
environment variable, which :mod:`booktools.sphinx_ext` sets for the kernels that
execute the notebooks.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .style import DPI, MAX_FIGURE_WIDTH_IN
from .validation import require_finite, require_in_range, require_int

STATIC_ENV_VAR = "NNBASICS_STATIC_SLIDERS"
#: Frames make up the static page; 400 frames of about 25 kB keep a page near its budget.
MAX_FRAMES = 400
#: The most one slider figure may add to its page (the book's budget is 3 MB a page).
FIGURE_BUDGET_BYTES = 2_000_000
#: Frames are drawn at this multiple of ``dpi`` (see SliderFigure.density).
PIXEL_DENSITY = 2
#: Above this estimated weight a figure's frames fall back to the plain density, so
#: that a page with several sliders stays within the page budget.
DENSE_FIGURE_BUDGET_BYTES = 1_000_000
MAX_VALUES_PER_SLIDER = 101


@dataclass(frozen=True)
class Slider:
    """One parameter of a slider figure.

    ``name`` is the keyword passed to ``draw``; ``label`` is what the reader sees
    ("learning rate α"); ``values`` are the positions of the slider, in order: numbers
    (whole numbers stay ``int``, so a stage number or a step count can index a list) or
    named choices (strings such as ``"tanh"``, ``"sin"``); ``fmt`` formats a value for
    display; ``initial`` is the starting value (for numbers the closest value is used;
    a choice must be one of ``values``; by default the middle position).
    """

    name: str
    label: str
    values: tuple[Any, ...]
    fmt: str | None = None
    initial: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"Slider name must be a Python identifier, got {self.name!r}")
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError(f"Slider {self.name!r}: label must be a non-empty string")
        values = _slider_values(self.name, self.values)
        if not 2 <= len(values) <= MAX_VALUES_PER_SLIDER:
            raise ValueError(
                f"Slider {self.name!r}: values must hold between 2 and "
                f"{MAX_VALUES_PER_SLIDER} entries, got {len(values)}"
            )
        if len(set(values)) != len(values):
            raise ValueError(f"Slider {self.name!r}: values must be distinct, got {values}")
        fmt = self.fmt
        if fmt is None:
            fmt = "{}" if isinstance(values[0], str | int) else "{:.3g}"
        if not isinstance(fmt, str):
            raise TypeError(f"Slider {self.name!r}: fmt must be a format string such as "
                            f"'{{:.2g}}', got {type(fmt).__name__} {fmt!r}")
        try:
            [fmt.format(v) for v in values]
        except (ValueError, IndexError, KeyError, TypeError) as exc:
            raise ValueError(
                f"Slider {self.name!r}: fmt {fmt!r} cannot format the value {values[0]!r}"
            ) from exc
        if self.initial is not None:
            if isinstance(values[0], str):
                if self.initial not in values:
                    raise ValueError(f"Slider {self.name!r}: initial must be one of {values}, "
                                     f"got {self.initial!r}")
            else:
                require_finite(f"Slider {self.name!r} initial", self.initial)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "fmt", fmt)

    @classmethod
    def linspace(cls, name: str, label: str, start: float, stop: float, num: int,
                 **kwargs: Any) -> Slider:
        """A slider over ``num`` evenly spaced values from ``start`` to ``stop``."""
        start = require_finite("start", start)
        stop = require_finite("stop", stop)
        if start == stop:
            raise ValueError(f"Slider {name!r}: empty range, start and stop are both {start:g}")
        num = require_int("num", num, 2, MAX_VALUES_PER_SLIDER)
        return cls(name, label, tuple(float(v) for v in np.linspace(start, stop, num)), **kwargs)

    @classmethod
    def geomspace(cls, name: str, label: str, start: float, stop: float, num: int,
                  **kwargs: Any) -> Slider:
        """A slider over ``num`` values evenly spaced on a log scale (both ends > 0)."""
        start = require_in_range("start", start, 0.0, low_inclusive=False)
        stop = require_in_range("stop", stop, 0.0, low_inclusive=False)
        if start == stop:
            raise ValueError(f"Slider {name!r}: empty range, start and stop are both {start:g}")
        num = require_int("num", num, 2, MAX_VALUES_PER_SLIDER)
        return cls(name, label, tuple(float(v) for v in np.geomspace(start, stop, num)),
                   **kwargs)

    @property
    def initial_index(self) -> int:
        if self.initial is None:
            return (len(self.values) - 1) // 2
        if isinstance(self.values[0], str):
            return self.values.index(self.initial)
        return int(np.argmin(np.abs(np.asarray(self.values, dtype=float) - self.initial)))

    def text(self, value: Any) -> str:
        return self.fmt.format(value)  # type: ignore[union-attr]


def _slider_values(name: str, raw: object) -> tuple[Any, ...]:
    """The slider's positions: all named choices, or all finite numbers (ints kept)."""
    if isinstance(raw, str):
        raise TypeError(f"Slider {name!r}: values must be a sequence, not the string {raw!r}")
    try:
        items = list(raw) if not isinstance(raw, np.ndarray) else raw.ravel().tolist()
    except TypeError:
        raise TypeError(f"Slider {name!r}: values must be a sequence of numbers or of names, "
                        f"got {type(raw).__name__} {raw!r}") from None
    if items and all(isinstance(v, str) for v in items):
        if any(not v.strip() for v in items):
            raise ValueError(f"Slider {name!r}: a named choice must not be empty")
        return tuple(items)
    if any(isinstance(v, str) for v in items):
        raise TypeError(f"Slider {name!r}: values must be all numbers or all names, got {items}")
    numbers = [require_finite(f"Slider {name!r} value", v) for v in items]
    if all(isinstance(v, Integral) for v in items):
        return tuple(int(v) for v in items)
    return tuple(numbers)


def static_mode() -> bool:
    """True while the book is being built (no kernel will be there for the reader)."""
    return os.environ.get(STATIC_ENV_VAR, "") not in ("", "0")


class SliderFigure:
    """A figure with sliders; display it (last expression of a cell) to show it."""

    def __init__(self, draw: Callable[..., None], sliders: Sequence[Slider], *,
                 alt: str, figsize: tuple[float, float] = (MAX_FIGURE_WIDTH_IN, 3.4),
                 dpi: int = DPI,
                 mode: str = "auto") -> None:
        if not callable(draw):
            raise TypeError(f"draw must be a function draw(fig, **params), got {draw!r}")
        sliders = tuple(sliders)
        if not sliders or not all(isinstance(s, Slider) for s in sliders):
            raise TypeError("sliders must be a non-empty sequence of Slider objects")
        names = [s.name for s in sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"sliders must have distinct names, got {names}")
        frames = int(np.prod([len(s.values) for s in sliders]))
        if frames > MAX_FRAMES:
            raise ValueError(
                f"sliders make {frames} frames (the product of their lengths); at most "
                f"{MAX_FRAMES} keep the static page small: use fewer values"
            )
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError("alt must describe the figure for readers who cannot see it")
        try:
            alt.format(**{s.name: s.text(s.values[0]) for s in sliders})
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"alt may only use the slider names {names} as {{placeholders}}: {exc}"
            ) from None
        if mode not in ("auto", "live", "static"):
            raise ValueError(f"mode must be 'auto', 'live' or 'static', got {mode!r}")
        if isinstance(figsize, str) or not hasattr(figsize, "__len__") or len(figsize) != 2:
            raise ValueError(f"figsize must be two sizes (width, height) in inches, got "
                             f"{figsize!r}")
        width, height = (require_finite("figsize", v) for v in figsize)
        if not (0 < width <= 20 and 0 < height <= 20):
            raise ValueError(f"figsize must be two sizes in (0, 20] inches, got {figsize}")
        self.draw = draw
        self.sliders = sliders
        self.alt = alt
        self.figsize = (width, height)
        self.dpi = require_int("dpi", dpi, 30, 300)
        #: Pixels per figure pixel in the static frames: 2 keeps them sharp on
        #: high-density screens (phones, laptops), as the SVG figures are; the page
        #: shows each frame at its 1x size. Falls back to 1 if a figure would be heavy.
        self.density = PIXEL_DENSITY
        self.mode = mode
        self._rendered: dict[int, bytes] = {}
        self._refuse_heavy_pages(frames)

    def _refuse_heavy_pages(self, frames: int) -> None:
        """Estimate the static page's weight from the first and last frames; refuse a heavy one."""
        grid = self._grid()
        for index in {0, len(grid) - 1}:
            self._rendered[index] = self.render(**grid[index])
        mean = sum(len(f) for f in self._rendered.values()) / len(self._rendered)
        estimate = mean * 4 / 3 * frames  # base64 makes every byte 4/3 as long
        if self.density > 1 and estimate > DENSE_FIGURE_BUDGET_BYTES:
            # Sharp frames for high-density screens cost too much here: draw them at
            # the plain resolution instead, as before.
            self.density = 1
            self._rendered.clear()
            self._refuse_heavy_pages(frames)
            return
        if estimate > FIGURE_BUDGET_BYTES:
            raise ValueError(
                f"the static page would carry about {estimate / 1e6:.1f} MB for this figure "
                f"({frames} frames of about {mean / 1e3:.0f} kB; at most "
                f"{FIGURE_BUDGET_BYTES / 1e6:.0f} MB): use fewer slider values, a smaller "
                "figsize or dpi, or simpler frames (fewer points, no rasterised fields)"
            )

    # -- drawing --------------------------------------------------------------
    def render(self, **params: Any) -> bytes:
        """The PNG of the figure for one choice of parameters."""
        fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        self.draw(fig, **params)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=self.dpi * self.density)
        return buffer.getvalue()

    def alt_text(self, **params: Any) -> str:
        return self.alt.format(**{s.name: s.text(params[s.name]) for s in self.sliders})

    def _grid(self) -> list[dict[str, Any]]:
        """Every combination of slider values, the last slider varying fastest."""
        return [
            {s.name: v for s, v in zip(self.sliders, combo, strict=True)}
            for combo in itertools.product(*(s.values for s in self.sliders))
        ]

    # -- static HTML ------------------------------------------------------------
    def to_html(self) -> str:
        """Self-contained HTML: every frame, labelled range inputs, a script to swap frames."""
        grid = self._grid()
        frames = [
            base64.b64encode(self._rendered.pop(i, None) or self.render(**p)).decode("ascii")
            for i, p in enumerate(grid)
        ]
        data = {
            "sizes": [len(s.values) for s in self.sliders],
            "names": [s.label for s in self.sliders],
            "labels": [[s.text(v) for v in s.values] for s in self.sliders],
            "frames": frames,
            "alts": [self.alt_text(**p) for p in grid],
        }
        key = json.dumps([data["names"], data["labels"]]) + frames[0][:200]
        uid = "nnb-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        start = [s.initial_index for s in self.sliders]
        first = int(np.ravel_multi_index(start, data["sizes"]))
        controls = []
        for i, s in enumerate(self.sliders):
            value_text = html.escape(data["labels"][i][start[i]])
            controls.append(
                f'<div class="nnb-slider-control" style="{_CONTROL_STYLE}">'
                f'<label for="{uid}-{i}" style="white-space:nowrap">'
                f'{html.escape(s.label)} = '
                f'<output class="nnb-slider-value">{value_text}</output></label>'
                f'<input type="range" class="nnb-slider-input" style="{_TRACK_STYLE}" '
                f'id="{uid}-{i}" min="0" '
                f'max="{len(s.values) - 1}" step="1" value="{start[i]}" '
                f'aria-valuetext="{html.escape(s.label)} = {value_text}"></div>'
            )
        # "</" inside the JSON would end the <script> element early.
        payload = json.dumps(data).replace("</", "<\\/")
        return (
            f'<div class="nnb-slider-figure" id="{uid}" data-nnb-slider-figure>'
            f'<div class="nnb-slider-controls">{"".join(controls)}</div>'
            f'<img class="nnb-slider-frame" style="{_FRAME_STYLE}" '
            f'data-nnb-dpi="{self.dpi * self.density}" '
            f'src="data:image/png;base64,{frames[first]}" '
            f'alt="{html.escape(data["alts"][first])}">'
            f'<script type="application/json" class="nnb-slider-data">'
            f"{payload}</script>"
            f"<script>{_PLAYER_JS.replace('__UID__', uid)}</script></div>"
        )

    # -- live widgets -----------------------------------------------------------
    def widget(self):
        """ipywidgets sliders that redraw the figure through ``draw``."""
        import ipywidgets as widgets

        controls = [
            widgets.SelectionSlider(
                options=[(s.text(v), v) for v in s.values],
                value=s.values[s.initial_index],
                description=s.label,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="480px"),
            )
            for s in self.sliders
        ]
        image = widgets.Image(format="png")

        def redraw(_change: object = None) -> None:
            params = {s.name: c.value for s, c in zip(self.sliders, controls, strict=True)}
            image.value = self.render(**params)
            # ipywidgets' Image has no alt attribute; its tooltip is the nearest thing.
            image.tooltip = self.alt_text(**params)

        for control in controls:
            control.observe(redraw, names="value")
        redraw()
        return widgets.VBox([*controls, image])

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        static = self.mode == "static" or (self.mode == "auto" and static_mode())
        display(HTML(self.to_html()) if static else self.widget())


def slider_figure(draw: Callable[..., None], sliders: Sequence[Slider], *, alt: str,
                  figsize: tuple[float, float] = (MAX_FIGURE_WIDTH_IN, 3.4),
                  dpi: int = DPI,
                  mode: str = "auto") -> SliderFigure:
    """Make a figure driven by ``sliders``; see the module docstring.

    ``draw(fig, **params)`` draws onto an empty :class:`matplotlib.figure.Figure` for
    one value of each slider.  ``alt`` describes the picture for screen readers and
    may name the sliders as ``{placeholders}``.  ``mode`` forces ``"live"`` widgets
    or the ``"static"`` HTML; ``"auto"`` picks static while the book is built.
    """
    return SliderFigure(draw, sliders, alt=alt, figsize=figsize, dpi=dpi, mode=mode)


# Inline styles, so the figure looks the same in any theme without a stylesheet.
_CONTROL_STYLE = ("display:flex;flex-wrap:wrap;align-items:center;column-gap:0.8em;"
                  "margin:0.2em 0;font-size:0.95em;max-width:100%")
# The track keeps 16em on a wide screen and shrinks to the column on a phone.
_TRACK_STYLE = "width:16em;max-width:100%;min-width:0;flex:0 1 16em"
# Every slider figure shows at the width of the course's widest figure (scaled down
# with the column), centred, whatever figsize it was drawn at.
_FRAME_STYLE = (f"display:block;margin:0 auto;width:{round(MAX_FIGURE_WIDTH_IN * DPI)}px;"
                "max-width:100%;height:auto")

# Kept free of top-level declarations: the theme loads pages' scripts more than once.
_PLAYER_JS = """
(function () {
  var root = document.getElementById("__UID__");
  if (!root) { return; }
  var data = JSON.parse(root.querySelector("script.nnb-slider-data").textContent);
  var img = root.querySelector("img.nnb-slider-frame");
  var inputs = root.querySelectorAll("input.nnb-slider-input");
  var outputs = root.querySelectorAll("output.nnb-slider-value");
  function update() {
    var index = 0;
    for (var i = 0; i < inputs.length; i++) {
      var k = parseInt(inputs[i].value, 10);
      index = index * data.sizes[i] + k;
      outputs[i].textContent = data.labels[i][k];
      inputs[i].setAttribute("aria-valuetext", data.names[i] + " = " + data.labels[i][k]);
    }
    img.src = "data:image/png;base64," + data.frames[index];
    img.alt = data.alts[index];
  }
  for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener("input", update); }
})();
"""
