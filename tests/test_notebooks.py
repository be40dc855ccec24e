"""Conventions every committed notebook keeps (what nbval cannot see)."""

from __future__ import annotations

import json
import re

import pytest

from booktools.authoring import NOTEBOOK_DIRS
from tests.conftest import ROOT

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix()
                   for folder in NOTEBOOK_DIRS
                   for p in (ROOT / folder).glob("*.ipynb"))
SHOWS_FIGURE = re.compile(r"plt\.show\(\)|\bfig\.show\(\)")


def cells(path: str) -> list[dict]:
    return json.loads((ROOT / path).read_text())["cells"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_figure_has_alt_text(path):
    for cell in cells(path):
        if cell["cell_type"] == "code" and SHOWS_FIGURE.search("".join(cell["source"])):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 40, f"{path}: a figure cell needs mystnb.image.alt:\n{cell['source']}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_randomness_is_seeded(path):
    for cell in cells(path):
        src = "".join(cell["source"])
        assert not re.search(r"default_rng\(\s*\)", src), f"{path}: seed default_rng"
        assert "np.random.rand" not in src and "np.random.seed" not in src, \
            f"{path}: use a seeded np.random.default_rng(seed) or the data helpers"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_nothing_is_downloaded(path):
    text = (ROOT / path).read_text()
    for pattern in ("urlretrieve", "requests.get", "torch.hub", "from_pretrained", "wget "):
        assert pattern not in text, f"{path}: notebooks must run offline ({pattern})"


SMALL_FONT = re.compile(r"fontsize\s*=\s*(?:[0-8](?:\.\d+)?\b|[\"'](?:x-|xx-)?small[\"'])")


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_no_figure_text_is_set_smaller_than_the_course_style(path):
    # The course style's font size keeps labels legible on a phone; a smaller one does not.
    for cell in cells(path):
        match = SMALL_FONT.search("".join(cell["source"]))
        assert not match, f"{path}: {match.group(0)} is too small to read on a phone"
