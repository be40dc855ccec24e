"""Page rules checked on the gradient-descent and backpropagation chapters.

Every check is hidden (no visible assert line), every numeric comparison names its
tolerances, and code fits the 76-character text column.
"""

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["chapters/gradient_descent.ipynb", "chapters/backpropagation.ipynb"]
COLUMN = 76


def code_cells(path):
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and "remove-cell" not in tags:
            yield index, "".join(cell["source"]), tags


@pytest.mark.parametrize("path", CHAPTERS)
def test_no_visible_assert_lines(path):
    for index, source, tags in code_cells(path):
        if "hide-input" not in tags:
            tree = ast.parse(source)
            asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
            assert not asserts, f"{path}, cell {index}: visible assert; hide the cell"


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_comparison_names_its_tolerances(path):
    for index, source, _ in code_cells(path):
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("allclose", "isclose")):
                names = {keyword.arg for keyword in node.keywords}
                assert {"rtol", "atol"} <= names, (
                    f"{path}, cell {index}: {ast.unparse(node)[:60]} needs rtol and atol")


@pytest.mark.parametrize("path", CHAPTERS)
def test_code_fits_the_column(path):
    for index, source, _ in code_cells(path):
        for line in source.splitlines():
            assert len(line) <= COLUMN, f"{path}, cell {index}: {len(line)} chars: {line}"


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_figure_is_named_and_captioned(path):
    for index, source, _ in code_cells(path):
        if "plt.show()" in source or "slider_figure(" in source:
            cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
            figure = cells[index]["metadata"].get("mystnb", {}).get("figure", {})
            assert figure.get("name") and figure.get("caption"), f"{path}, cell {index}"
