"""Every exercise is tested from both sides.

For each solution notebook: the solution passes every check; the generated exercise,
untouched, fails each check with "not implemented yet"; each deliberately wrong
answer (``WRONG`` in ``solutions/NAME_answers.py``, one or more per task) makes that
task's check fail with a message a learner can act on; and each right answer written
differently (``RIGHT``) passes every check.

The variants are many (over a hundred) and a kernel per variant was most of the test
command's time, so each solution notebook runs once, in one kernel, and every variant
of a task is tried in that kernel just before the task's own solution runs: the
variant's cell, then the cells after it up to the next task (its check, and the cells
that use its answer), then everything the variant changed is put back (the
notebook's names and the random generators' states). ``run_with_variants`` holds
the outcomes; each test below reads its own.
"""

from __future__ import annotations

import copy
import functools
import json
import runpy
from dataclasses import dataclass

import nbformat
import pytest
from nbclient import NotebookClient

from booktools.authoring import BEGIN, END, has_solution
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


# A line that raises inside a function task's body: the learner's own error.
OWN_ERROR_LINE = "    ratio = 1 / 0  # the learner's own line"
# Run in the kernel around each variant: keep the notebook's names and the random
# generators' states, then put them back, so the next variant and the solution itself
# start where a fresh run of the notebook would be.
SNAPSHOT = """
import random as _nnb_random, sys as _nnb_sys
_nnb_saved = (dict(globals()), __import__("numpy").random.get_state(), _nnb_random.getstate(),
              _nnb_sys.modules["torch"].get_rng_state() if "torch" in _nnb_sys.modules else None)
"""
RESTORE = """
def _nnb_restore(saved=_nnb_saved):
    names, np_state, py_state, torch_state = saved
    for name in [k for k in globals() if k not in names]:
        del globals()[name]
    globals().update(names)
    __import__("numpy").random.set_state(np_state)
    _nnb_random.setstate(py_state)
    if torch_state is not None:
        _nnb_sys.modules["torch"].set_rng_state(torch_state)
_nnb_restore()
"""


@dataclass(frozen=True)
class Outcome:
    """What running one answer's cells gave: the first cell that raised, if any."""

    failing_cell: str | None = None
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    check_outputs: tuple[str, ...] = ()


def _outcome(cells: list) -> Outcome:
    for cell in cells:
        error = cell_error(cell)
        if error:
            return Outcome(cell.get("id"), error["ename"], error["evalue"],
                           "\n".join(error["traceback"]))
    return Outcome(check_outputs=tuple("".join(o.get("text", "") for o in c.outputs)
                                       for c in check_cells(cells)))


def variants(name: str, task: str, function_task: bool) -> dict[tuple, str]:
    """Every answer tried for ``task``: key (kind, index) -> the region's new body."""
    found = answers(name)
    tried = {("wrong", i): body for i, (body, _) in enumerate(found["WRONG"].get(task, []))}
    tried |= {("right", i): body for i, body in enumerate(found["RIGHT"].get(task, []))}
    if function_task:
        tried[("own-error", 0)] = OWN_ERROR_LINE
    return tried


@functools.cache
def run_with_variants(name: str) -> dict[tuple, Outcome]:
    """Run ``solutions/NAME.ipynb`` once, trying every variant of each task before it.

    Keys: ("solution",) for the notebook itself, and (task, kind, index) per variant.
    """
    nb = nbformat.reads(json.dumps(load("solutions", name)), as_version=4)
    cells = nb.cells
    task_at = [i for i, c in enumerate(cells)
               if c.cell_type == "code" and has_solution(c.source)]
    own_error_tasks = set(function_tasks(name))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "solutions")}})
    outcomes: dict[tuple, Outcome] = {}

    def run(cell, index: int):
        client.execute_cell(cell, index)
        return cell

    def hidden(source: str) -> None:
        cell = run(nbformat.v4.new_code_cell(source), 0)
        assert not cell_error(cell), cell_error(cell)

    with client.setup_kernel():
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            if index in task_at:
                section = cells[index + 1:next((t for t in task_at if t > index), len(cells))]
                task = cell.id
                for key, body in variants(name, task, task in own_error_tasks).items():
                    hidden(SNAPSHOT)
                    trial = copy.deepcopy(cell)
                    trial.source = source(replace_region({"cells": [trial]}, task, body)
                                          ["cells"][0])
                    ran = []
                    for offset, later in enumerate([trial, *section]):
                        if later.cell_type != "code":
                            continue
                        ran.append(run(copy.deepcopy(later), index + offset))
                        if cell_error(ran[-1]):
                            break
                    outcomes[(task, *key)] = _outcome(ran)
                    hidden(RESTORE)
            run(cell, index)
    outcomes[("solution",)] = _outcome([c for c in cells if c.cell_type == "code"])
    return outcomes


@pytest.mark.parametrize("name", SOLUTIONS)
def test_solution_passes_every_check(name):
    outcome = run_with_variants(name)[("solution",)]
    assert outcome.failing_cell is None, \
        f"{name}: the solution raised {outcome.ename}: {outcome.evalue}"
    assert all("✔" in text for text in outcome.check_outputs if text), outcome.check_outputs


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
    index = next(i for i, (body, _) in enumerate(answers(name)["WRONG"][task]) if body == wrong)
    outcome = run_with_variants(name)[(task, "wrong", index)]
    assert outcome.failing_cell, f"{name}: the wrong answer to {task!r} passed every check"
    assert outcome.failing_cell == f"check-{task}", \
        f"{name}: the wrong answer to {task!r} must fail check-{task}, not {outcome.failing_cell}"
    assert outcome.ename == "CheckFailed" and hint in outcome.evalue, outcome.evalue


@pytest.mark.parametrize("name, task, right", RIGHT_CASES)
def test_right_answer_written_differently_passes(name, task, right):
    index = answers(name)["RIGHT"][task].index(right)
    outcome = run_with_variants(name)[(task, "right", index)]
    assert outcome.failing_cell is None, \
        f"{name}: a right answer to {task!r} failed in {outcome.failing_cell}: {outcome.evalue}"


OWN_ERROR_CASES = [pytest.param(name, task, id=f"{name}:{task}")
                   for name in SOLUTIONS for task in function_tasks(name)]


@pytest.mark.parametrize("name, task", OWN_ERROR_CASES)
def test_an_error_in_the_learners_code_is_shown_as_that_error_with_its_line(name, task):
    """Not relabelled by the check, and not hidden by a minimal traceback mode."""
    assert not any("%xmode" in source(c) for c in load("solutions", name)["cells"])
    outcome = run_with_variants(name)[(task, "own-error", 0)]
    assert outcome.failing_cell == f"check-{task}", outcome
    assert outcome.ename == "ZeroDivisionError", outcome
    assert "the learner's own line" in outcome.traceback
