"""What the tests and the benchmark know about the built book: where it is, what a page weighs."""

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
