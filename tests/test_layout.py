"""The repository's layout as readers, learners and instructors rely on it.

What a reader trips over first: the files the project promises, a table of contents
that matches the chapters, exercise and solution pairs, notebooks committed clean
and portable (no outputs, no paths of one machine), and images with alt text.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.book import toc_entries
from tests.conftest import ROOT

REQUIRED = ["_config.yml", "_toc.yml", "chapters", "exercises", "solutions",
            "requirements.txt", "README.md", "CONTRIBUTING.md", ".ci/run", "references.bib"]
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|tmp|root|home)/[\w.-]+")
IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(")
SKIP = {".git", ".venv", "_build", ".cache", "node_modules", ".pytest_cache", ".ruff_cache"}


def tracked(pattern: str) -> list:
    return sorted(p for p in ROOT.rglob(pattern)
                  if not SKIP & set(p.relative_to(ROOT).parts)
                  and ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("item", REQUIRED)
def test_promised_files_exist(item):
    assert (ROOT / item).exists(), f"missing {item}"


def test_table_of_contents_matches_the_chapters():
    listed = set(toc_entries())
    for entry in listed:
        assert any((ROOT / entry).with_suffix(s).exists() for s in (".md", ".ipynb")), \
            f"_toc.yml lists {entry}, which does not exist"
    for path in tracked("chapters/*"):
        if path.suffix in (".md", ".ipynb"):
            rel = path.relative_to(ROOT).with_suffix("").as_posix()
            assert rel in listed, f"{rel} is not in _toc.yml"


def test_every_exercise_has_its_solution_and_both_are_in_the_book():
    solutions = {p.stem for p in (ROOT / "solutions").glob("*.ipynb")}
    exercises = {p.stem for p in (ROOT / "exercises").glob("*.ipynb")}
    assert solutions == exercises, f"in only one of solutions/, exercises/: {solutions ^ exercises}"
    listed = set(toc_entries())
    for name in solutions:
        assert {f"solutions/{name}", f"exercises/{name}"} <= listed, f"{name} is not in _toc.yml"


@pytest.mark.parametrize("path", [p.relative_to(ROOT).as_posix() for p in tracked("*.ipynb")])
def test_notebook_is_committed_clean_and_portable(path):
    nb = json.loads((ROOT / path).read_text())
    assert "kernelspec" in nb.get("metadata", {}), f"{path}: no kernelspec"
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell.get("source", []))
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and not cell.get("execution_count"), \
                f"{path}: cell {i} has stored outputs; run `make exercises`"
        assert not MACHINE_PATH.search(source), f"{path}: cell {i} names a path of one machine"
        assert not IMAGE_WITHOUT_ALT.search(source), f"{path}: cell {i}: image without alt text"


@pytest.mark.parametrize("path", [p.relative_to(ROOT).as_posix() for p in tracked("*.md")])
def test_markdown_has_alt_text_and_no_machine_paths(path):
    text = (ROOT / path).read_text()
    assert not IMAGE_WITHOUT_ALT.search(text), f"{path}: an image without alt text"
    assert not MACHINE_PATH.search(text), f"{path}: names a path of one machine"


@pytest.mark.parametrize("path", [p.relative_to(ROOT).as_posix()
                                  for p in tracked("solutions/*.ipynb")
                                  + tracked("exercises/*.ipynb")])
def test_exercise_text_reads_in_jupyter(path):
    """Learners read exercises in Jupyter, where a MyST role such as {doc} shows as raw text."""
    nb = json.loads((ROOT / path).read_text())
    for i, cell in enumerate(nb["cells"]):
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] == "markdown" and "author-note" not in tags:
            source = "".join(cell["source"])
            assert not re.search(r"\{(doc|ref|numref|cite:[pt])\}`", source), (
                f"{path}: cell {i} uses a MyST role; link with [title](../chapters/NAME.ipynb)")
