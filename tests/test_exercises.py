"""Every exercise is tested from both sides.

For each solution notebook: the solution passes every check; the generated exercise,
untouched, fails each check with "not implemented yet"; each deliberately wrong
answer (``WRONG`` in ``solutions/NAME_answers.py``, one or more per task) makes that
task's check fail with a message a learner can act on; and each right answer written
differently (``RIGHT``) passes every check.
"""

from __future__ import annotations

import copy
import json
import runpy

import pytest

from nnbasics.authoring import BEGIN, END, has_solution
from tests.conftest import ROOT, cell_error, run_notebook

SOLUTIONS = sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb"))


def answers(name: str) -> dict[str, dict]:
    """The WRONG and RIGHT answers kept next to ``solutions/NAME.ipynb``."""
    path = ROOT / "solutions" / f"{name}_answers.py"
    assert path.exists(), f"write {path.relative_to(ROOT)} with WRONG and RIGHT answers"
    found = runpy.run_path(str(path))
    return {"WRONG": found.get("WRONG", {}), "RIGHT": found.get("RIGHT", {})}


def tasks(name: str) -> list[str]:
    """The names (cell ids) of the solution notebook's task cells, in order."""
    return [c["id"] for c in load("solutions", name)["cells"]
            if c["cell_type"] == "code" and has_solution(source(c))]


# The table of student variants: every answer in solutions/NAME_answers.py, one test each.
WRONG_CASES = [pytest.param(name, task, wrong, hint, id=f"{name}:{task}:wrong{i}")
               for name in SOLUTIONS for task, cases in answers(name)["WRONG"].items()
               for i, (wrong, hint) in enumerate(cases)]
RIGHT_CASES = [pytest.param(name, task, right, id=f"{name}:{task}:right{i}")
               for name in SOLUTIONS for task, cases in answers(name)["RIGHT"].items()
               for i, right in enumerate(cases)]


def function_tasks(name: str) -> list[str]:
    """Tasks whose answer is a function body (an indented solution region)."""
    found = []
    for cell in load("solutions", name)["cells"]:
        if cell["cell_type"] == "code" and has_solution(source(cell)):
            begin = next(line for line in source(cell).split("\n") if BEGIN.match(line))
            if BEGIN.match(begin)["indent"]:
                found.append(cell["id"])
    return found


def load(folder: str, name: str) -> dict:
    return json.loads((ROOT / folder / f"{name}.ipynb").read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"])


def replace_region(nb: dict, task: str, body: str) -> dict:
    """Put ``body`` in place of the solution region of the cell named ``task``."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if cell.get("id") != task:
            continue
        lines = source(cell).split("\n")
        start = next(i for i, line in enumerate(lines) if BEGIN.match(line))
        end = next(j for j in range(start, len(lines)) if END.match(lines[j]))
        cell["source"] = "\n".join(lines[:start] + [body] + lines[end + 1:])
        return nb
    raise AssertionError(f"the notebook has no task cell named {task!r}")


def check_cells(cells: list[dict]) -> list[dict]:
    return [c for c in cells if "check" in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("name", SOLUTIONS)
def test_every_task_has_wrong_and_right_answers(name):
    found = answers(name)
    for kind in ("WRONG", "RIGHT"):
        unknown = set(found[kind]) - set(tasks(name))
        assert not unknown, f"solutions/{name}_answers.py: {kind} names no task cell {unknown}"
        missing = [t for t in tasks(name) if not found[kind].get(t)]
        assert not missing, f"solutions/{name}_answers.py: add {kind} answers for {missing}"


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


@pytest.mark.parametrize("name, task, wrong, hint", WRONG_CASES)
def test_wrong_answer_fails_its_check_with_a_hint(name, task, wrong, hint):
    cells = run_notebook(replace_region(load("solutions", name), task, wrong),
                         ROOT / "solutions")
    failing = [c for c in cells if cell_error(c)]
    assert failing, f"{name}: the wrong answer to {task!r} passed every check"
    first = failing[0]
    assert first.get("id") == f"check-{task}", \
        f"{name}: the wrong answer to {task!r} must fail check-{task}, not {first.get('id')}"
    error = cell_error(first)
    assert error["ename"] == "CheckFailed" and hint in error["evalue"], error["evalue"]


@pytest.mark.parametrize("name, task, right", RIGHT_CASES)
def test_right_answer_written_differently_passes(name, task, right):
    cells = run_notebook(replace_region(load("solutions", name), task, right),
                         ROOT / "solutions")
    errors = [cell_error(c) for c in cells if cell_error(c)]
    assert not errors, f"{name}: a right answer to {task!r} failed: {errors[0]['evalue']}"


OWN_ERROR_CASES = [pytest.param(name, task, id=f"{name}:{task}")
                   for name in SOLUTIONS for task in function_tasks(name)]


@pytest.mark.parametrize("name, task", OWN_ERROR_CASES)
def test_an_error_in_the_learners_code_is_shown_as_that_error_with_its_line(name, task):
    """Not relabelled by the check, and not hidden by a minimal traceback mode."""
    assert not any("%xmode" in source(c) for c in load("solutions", name)["cells"])
    line = "    ratio = 1 / 0  # the learner's own line"
    cells = run_notebook(replace_region(load("solutions", name), task, line),
                         ROOT / "solutions")
    failing = [c for c in cells if cell_error(c)]
    assert failing and failing[0].get("id") == f"check-{task}", [c.get("id") for c in failing]
    error = cell_error(failing[0])
    assert error["ename"] == "ZeroDivisionError", error
    assert "the learner's own line" in "\n".join(error["traceback"])
