"""The repository's layout as readers, learners and instructors rely on it.

What a reader trips over first: the files the project promises, a table of contents
that matches the chapters, exercise and solution pairs, notebooks committed clean
and portable (no outputs, no paths of one machine), and images with alt text.
"""

from __future__ import annotations

import ast
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


# -- a chapter page as a reader sees it ------------------------------------------------
# The text column holds about 76 characters of code (issue 22); checking cells are
# collapsed (CONTRIBUTING, rule 5); every numeric comparison states its tolerance.
CHAPTERS = [p.relative_to(ROOT).as_posix() for p in tracked("chapters/*.ipynb")]
CODE_COLUMN = 76
COLLAPSED = {"hide-input", "remove-input", "hide-cell", "remove-cell"}
CLOSENESS = {"allclose", "isclose", "assert_allclose"}


def code_cells(path: str) -> list[tuple[int, dict]]:
    nb = json.loads((ROOT / path).read_text())
    return [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]


def shown(cell: dict) -> bool:
    """Whether the cell's code is on the page without a click."""
    return not COLLAPSED & set(cell["metadata"].get("tags", []))


def python_source(cell: dict) -> str:
    """The cell's code with IPython's magics and shell escapes blanked out."""
    lines = "".join(cell["source"]).splitlines()
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)


def closeness_calls(source: str) -> list[tuple[int, str, set[str]]]:
    """(line, name, keyword names) of every allclose / isclose / assert_allclose call."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CLOSENESS:
                calls.append((node.lineno, name, {k.arg for k in node.keywords if k.arg}))
    return calls


def test_closeness_calls_are_found():
    source = "np.allclose(a, b)\nassert_allclose(a, b, rtol=1e-9, atol=0)\n"
    assert [(n, kw) for _, n, kw in closeness_calls(source)] == [
        ("allclose", set()), ("assert_allclose", {"rtol", "atol"})]


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_comparison_states_its_tolerance(path):
    """np.allclose's default rtol = 1e-5 would silently test less than the text claims."""
    missing = []
    for i, cell in code_cells(path):
        for line, name, keywords in closeness_calls(python_source(cell)):
            relative = keywords & {"rtol", "rel_tol"}
            absolute = keywords & {"atol", "abs_tol"}
            if not (relative and absolute):
                missing.append(f"cell {i}, line {line}: {name} without rtol= and atol=")
    assert not missing, f"{path}: " + "; ".join(missing)


@pytest.mark.parametrize("path", CHAPTERS)
def test_no_assert_is_visible_on_the_page(path):
    """Checks are collapsed: an assert belongs in a cell tagged hide-input."""
    visible = [f"cell {i}: {ln.strip()[:60]}"
               for i, cell in code_cells(path) if shown(cell)
               for ln in python_source(cell).splitlines()
               if re.match(r"\s*assert\b", ln)]
    assert not visible, (f"{path}: {len(visible)} visible assert lines "
                         "(tag their cells hide-input): " + "; ".join(visible))


@pytest.mark.parametrize("path", CHAPTERS)
def test_visible_code_fits_the_text_column(path):
    too_wide = [f"cell {i} line {n}: {len(ln)} characters"
                for i, cell in code_cells(path) if shown(cell)
                for n, ln in enumerate("".join(cell["source"]).splitlines(), 1)
                if len(ln) > CODE_COLUMN]
    assert not too_wide, (f"{path}: {len(too_wide)} code lines wider than "
                          f"{CODE_COLUMN} characters: " + "; ".join(too_wide))
