"""Every exercise is tested from both sides.

For each solution notebook: the solution passes every check; the generated exercise,
untouched, fails each check with "not implemented yet"; and each deliberately wrong
answer (listed in WRONG_ANSWERS, one or more per solution region) makes a check fail
with a message a learner can act on.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from nnbasics.authoring import BEGIN, END, has_solution
from tests.conftest import ROOT, cell_error, run_notebook

#: solution notebook -> list of (region number, wrong code, words the failure must contain).
WRONG_ANSWERS = {
    "gradient_descent": [
        (1, "    z = w * x + b\n    y = sigmoid(z)\n    common = (y - y_d) * y * (1 - y)\n"
            "    return np.mean(common * x), np.mean(common)",
         "check the factor 2"),
        (1, "    common = 2 * (sigmoid(w * x + b) - y_d)\n"
            "    return np.mean(common * x), np.mean(common)",
         "you left out σ'"),
        (1, "    y = sigmoid(w * x + b)\n    common = 2 * (y - y_d) * y * (1 - y)\n"
            "    return np.mean(common), np.mean(common * x)",
         "return the pair in the order (dJ/dw, dJ/db)"),
        (2, "    path = [(w, b)]\n    for _ in range(steps):\n"
            "        gw, gb = cost_gradient(w, b, x, y_d)\n"
            "        w, b = w + learning_rate * gw, b + learning_rate * gb\n"
            "        path.append((w, b))\n    return np.array(path)",
         "you stepped uphill"),
        (2, "    path = [(w, b)]\n    for _ in range(steps):\n"
            "        gw, gb = cost_gradient(w, b, x, y_d)\n"
            "        w, b = w - gw, b - gb\n"
            "        path.append((w, b))\n    return np.array(path)",
         "the step must be scaled by the learning rate"),
        (2, "    path = []\n    for _ in range(steps):\n"
            "        gw, gb = cost_gradient(w, b, x, y_d)\n"
            "        w, b = w - learning_rate * gw, b - learning_rate * gb\n"
            "        path.append((w, b))\n    return np.array(path)",
         "the starting point, then one (w, b) row per step"),
        (3, "learning_rate = 0.5", "too small, so try a larger learning rate"),
        (3, "learning_rate = 500.0", "so try a smaller learning rate"),
    ],
}

SOLUTIONS = sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb"))


def load(folder: str, name: str) -> dict:
    return json.loads((ROOT / folder / f"{name}.ipynb").read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"])


def replace_region(nb: dict, number: int, body: str) -> dict:
    """Put ``body`` in place of the ``number``-th solution region (counting from 1)."""
    nb = copy.deepcopy(nb)
    seen = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or not has_solution(source(cell)):
            continue
        lines = source(cell).split("\n")
        starts = [i for i, line in enumerate(lines) if BEGIN.match(line)]
        for start in starts:
            seen += 1
            if seen == number:
                end = next(j for j in range(start, len(lines)) if END.match(lines[j]))
                cell["source"] = "\n".join(lines[:start] + [body] + lines[end + 1:])
                return nb
    raise AssertionError(f"the notebook has no solution region number {number}")


def check_cells(cells: list[dict]) -> list[dict]:
    return [c for c in cells if "check" in c["metadata"].get("tags", [])]


def test_every_solution_has_wrong_answers_for_every_region():
    for name in SOLUTIONS:
        regions = sum(len(re.findall(BEGIN.pattern, source(c), re.M))
                      for c in load("solutions", name)["cells"] if c["cell_type"] == "code")
        covered = {number for number, _, _ in WRONG_ANSWERS.get(name, [])}
        assert covered == set(range(1, regions + 1)), f"{name}: list wrong answers per region"


@pytest.mark.parametrize("name", SOLUTIONS)
def test_solution_passes_every_check(name):
    cells = run_notebook(load("solutions", name), ROOT / "solutions")
    errors = [cell_error(c) for c in cells if cell_error(c)]
    assert not errors, f"{name}: the solution raised {errors[0]['ename']}: {errors[0]['evalue']}"
    assert all(any("✔" in o.get("text", "") for o in c.outputs) or "plt.show" in source(c)
               for c in check_cells(cells))


@pytest.mark.parametrize("name", SOLUTIONS)
def test_untouched_exercise_fails_every_check_with_not_implemented(name):
    cells = run_notebook(load("exercises", name), ROOT / "exercises")
    for cell in cells:
        error = cell_error(cell)
        tags = cell["metadata"].get("tags", [])
        if "check" in tags:
            assert error, f"{name}: a check passed on the untouched exercise:\n{source(cell)}"
        if error:
            assert "raises-exception" in tags, f"{name}: untagged cell raised:\n{source(cell)}"
            assert error["ename"] == "NotImplementedError", error
            assert error["evalue"].startswith("not implemented yet: "), error


@pytest.mark.parametrize("name, number, wrong, hint",
                         [(n, *case) for n, cases in WRONG_ANSWERS.items() for case in cases])
def test_wrong_answer_fails_its_check_with_a_hint(name, number, wrong, hint):
    cells = run_notebook(replace_region(load("solutions", name), number, wrong),
                         ROOT / "solutions")
    failing = [c for c in cells if cell_error(c)]
    assert failing, f"{name}: the wrong answer to region {number} passed every check"
    first = failing[0]
    assert "check" in first["metadata"].get("tags", []), "the failure must come from a check"
    error = cell_error(first)
    assert error["ename"] == "CheckFailed" and hint in error["evalue"], error["evalue"]
