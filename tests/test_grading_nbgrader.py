"""The grading set-up (``python -m grading setup``) in nbgrader's own round trip, on one
exercise (gradient descent) and two autogrades, since nbgrader is slow:

* hand-ins arrive as an LMS's zip and ``nbgrader zip_collect`` files them;
* a correct notebook whose check cell was deleted gets the cell back and full marks;
* a cheat (the check names rebound) scores 0 on every part it reaches, the parts are
  marked for review with the reason, and the feedback shows the reason;
* a wrong gradient that passes at some points (``abs(w)``) gets the same score per part
  when graded again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_integrity import CHEATS
from tests.test_nbgrader import task_answers

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading-nbgrader")]
NAME = "gradient_descent"
ABS_W = ("    y = sigmoid(abs(w) * x + b)\n    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common * x), np.mean(common)")
REGEXP = ('c = get_config()\nc.FileNameCollectorPlugin.named_regexp = '
          'r".*/(?P<student_id>[^_/]+)_(?P<file_id>[^/]+\\.ipynb)"\n')


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    env.pop("JUPYTER_PATH", None)  # the course's config sets it
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=1800)


def fill(release: dict, answers: dict[str, str]) -> dict:
    nb = json.loads(json.dumps(release))
    for cell in nb["cells"]:
        if cell.get("id") in answers:
            lines = "".join(cell["source"]).split("\n")
            at = next(i for i, line in enumerate(lines) if line.strip() == "# YOUR CODE HERE")
            assert "not implemented yet" in lines[at + 1], "the release's stub"
            cell["source"] = "\n".join(lines[:at] + [answers[cell["id"]]] + lines[at + 2:])
    return nb


def parts(course: Path, student: str) -> dict[str, tuple[float, bool]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="nnbasics") as gb:
        notebook = gb.find_submission_notebook(NAME, NAME, student)
        return {g.name: (g.score, g.needs_manual_grade) for g in notebook.grades}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("grading") / "course"
    subprocess.run([sys.executable, "-m", "grading", "setup", str(course)], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    (course / "nbgrader_config_local.py").write_text(REGEXP)
    done = nbgrader(course, "generate_assignment", NAME, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    release = json.loads((course / "release" / NAME / f"{NAME}.ipynb").read_text())
    solution = fill(release, task_answers(NAME))
    deleted = {**solution, "cells": [c for c in solution["cells"]
                                     if c.get("id") != "check-gradient"]}
    stubs = {"gradient": "    return 0.0, 0.0",
             "descent": "    return np.zeros((steps + 1, 2))",
             "learning-rate": "learning_rate = 0.5"}
    cheat = fill(release, {**stubs, **CHEATS["rebind-checks"]})
    absw = fill(release, {**task_answers(NAME), "gradient": ABS_W})
    archive = course / "downloaded" / NAME / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "handins.zip", "w") as zf:
        for student, nb in (("deleted", deleted), ("cheat", cheat), ("absw", absw)):
            zf.writestr(f"{student}_{NAME}.ipynb", json.dumps(nb))
    done = nbgrader(course, "zip_collect", NAME, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    done = nbgrader(course, "autograde", NAME, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    first = {s: parts(course, s) for s in ("deleted", "cheat", "absw")}
    log = done.stderr
    done = nbgrader(course, "autograde", NAME, "--student", "absw", "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    again = parts(course, "absw")
    for student, got in first.items():
        print(student, got)
    print("absw again", again)
    return course, first, again, log


def test_zip_collect_files_each_hand_in(graded):
    course = graded[0]
    for student in ("deleted", "cheat", "absw"):
        assert (course / "submitted" / student / NAME / f"{NAME}.ipynb").exists()


def test_a_deleted_check_cell_is_restored_and_graded(graded):
    assert {p: s for p, (s, _) in graded[1]["deleted"].items()} == {
        "check-gradient": 1, "check-descent": 1, "check-learning-rate": 1, "check-fit": 1}


def test_a_cheat_scores_zero_marked_for_review_with_its_reason(graded):
    course, first, _, log = graded
    assert all(score == 0 and review for score, review in first["cheat"].values()), first
    assert "integrity: cheat/gradient_descent" in log and "check_gradient" in log
    done = nbgrader(course, "generate_feedback", NAME, "--student", "cheat", "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    html = (course / "feedback" / "cheat" / NAME / f"{NAME}.html").read_text()
    assert "IntegrityFlag" in html and "rebinds check_gradient" in html


def test_regrading_gives_the_same_score(graded):
    _, first, again, _ = graded
    assert {p: s for p, (s, _) in first["absw"].items()} == \
        {p: s for p, (s, _) in again.items()}
