"""What the tests and the benchmark know about the built book: where it is, what a page weighs."""

from __future__ import annotations

import re
from pathlib import Path

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
