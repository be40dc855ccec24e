"""What the tests and the benchmark know about the built book: where it is, what a page
weighs, and how legible its colours are."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
#: The most a reader may download for one page, its images included.
PAGE_BUDGET_BYTES = 3 * 1024 * 1024


def page_weight(page: Path) -> int:
    """Bytes a reader downloads for one built page: its HTML and the images it links."""
    size = page.stat().st_size
    for src in re.findall(r'src="((?:\.\./)*_images/[^"]+)"', page.read_text()):
        size += (page.parent / src).resolve().stat().st_size
    return size


def toc_entries() -> list[str]:
    """Every page the table of contents lists, as paths without a suffix."""
    def walk(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node[k] for k in ("root", "file") if k in node]
            return own + [f for v in node.values() for f in walk(v)]
        if isinstance(node, list):
            return [f for item in node for f in walk(item)]
        return []

    return walk(yaml.safe_load((ROOT / "_toc.yml").read_text()))


def content_pages() -> list[Path]:
    """The built page of every table-of-contents entry (stale pages are not looked at)."""
    return [HTML / f"{entry}.html" for entry in toc_entries()]


def relative_luminance(css_colour: str) -> float:
    """WCAG 2's relative luminance (0 black, 1 white) of a CSS rgb()/rgba() colour, its
    sRGB channels linearised; 0 for a fully transparent colour."""
    numbers = [float(v) for v in re.findall(r"[\d.]+", css_colour)]
    if len(numbers) == 4 and numbers[3] == 0:
        return 0.0
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
               for c in (v / 255 for v in numbers[:3]))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(text: str, background: str) -> float:
    """WCAG 2's contrast ratio of two CSS colours, 1 (none) to 21 (black on white)."""
    bright, dark = sorted(map(relative_luminance, (text, background)), reverse=True)
    return (bright + 0.05) / (dark + 0.05)
