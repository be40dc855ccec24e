"""nbgrader's own round trip, for every exercise, as an instructor runs it.

For each ``solutions/NAME.ipynb`` a temporary nbgrader course gets nbgrader's source
(``python -m booktools.authoring nbgrader-source``), a grading kernel (ipykernel's
``python3`` kernelspec for this Python, the one with the course's package) and
``nbgrader generate_assignment "*"`` (every exercise in one run). Then one
``nbgrader autograde "*"`` grades, as submissions built from each release the way a
learner fills it in: the solution
(full marks), the untouched release (zero on every graded part), and, for each task,
its first wrong answer from ``solutions/NAME_answers.py`` (that task's part lost, the
other tasks' parts kept). Scores are read back with nbgrader's gradebook API.

Last, a kernel whose Python has the course's libraries but not its helper package
must make ``nbgrader autograde`` fail, printing the command that installs it (tried on
one exercise: the set-up cell that does it is generated, the same in every one).

These are the commands of the README's "Teach with it" section. How nbgrader picks
the kernel: ``autograde`` runs each notebook with the kernelspec named in the source
notebook's metadata (``python3``; its ``OverwriteKernelspec`` step puts the source's
back into every submission), looked up in Jupyter's data path, where a directory in
``JUPYTER_PATH`` comes first. So ``JUPYTER_PATH`` names the grading kernel here.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from booktools.authoring import BEGIN, END
from tests.conftest import ROOT

# One xdist worker runs this whole module (`--dist loadgroup`), so the session-wide
# grading below happens once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader")]
SOLUTIONS = sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb"))
# Execute.timeout: a cell may take longer than nbgrader's default 30 s on a busy machine.
NBGRADER_CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "nnbasics"
c.Execute.timeout = 300
"""
#: nbgrader's own stub for a Python solution region (nbgrader.utils / ClearSolutions).
NBGRADER_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")


def nbgrader(course: Path, jupyter_path: Path, *args: str,
             env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course`` with the kernels under ``jupyter_path``."""
    env = {**(os.environ if env is None else env), "JUPYTER_PATH": str(jupyter_path)}
    # nbgrader runs `alembic` from PATH, as in an activated environment.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=1800)


def install_kernel(python: str, prefix: Path, env: dict | None = None) -> Path:
    """ipykernel's ``python3`` kernelspec for ``python``; returns the Jupyter data dir."""
    subprocess.run([python, "-m", "ipykernel", "install", "--prefix", str(prefix),
                    "--name", "python3"], check=True, capture_output=True, env=env)
    return prefix / "share" / "jupyter"


def task_answers(name: str) -> dict[str, str]:
    """The solution's answer to each task: the lines between its markers, by cell id."""
    nb = json.loads((ROOT / "solutions" / f"{name}.ipynb").read_text())
    answers = {}
    for cell in nb["cells"]:
        lines = "".join(cell["source"]).split("\n")
        begin = [i for i, line in enumerate(lines) if BEGIN.match(line)]
        if cell["cell_type"] == "code" and begin:
            end = next(j for j in range(begin[0], len(lines)) if END.match(lines[j]))
            answers[cell["id"]] = "\n".join(lines[begin[0] + 1:end])
    return answers


def fill_in(release: dict, answers: dict[str, str]) -> dict:
    """The release with nbgrader's stub in the cell of each task in ``answers`` replaced."""
    nb = json.loads(json.dumps(release))
    for cell in nb["cells"]:
        if cell.get("id") not in answers:
            continue
        lines = "".join(cell["source"]).split("\n")
        at = next(i for i, line in enumerate(lines) if line.strip() == NBGRADER_STUB[0])
        assert lines[at + 1].strip() == NBGRADER_STUB[1], lines
        cell["source"] = "\n".join(lines[:at] + [answers[cell["id"]]] + lines[at + 2:])
    return nb


def scores(course: Path, name: str, student: str) -> dict[str, float]:
    """Each graded part's score (by grade id) from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="nnbasics") as gb:
        notebook = gb.find_submission_notebook(name, name, student)
        return {grade.name: grade.score for grade in notebook.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder with nbgrader's config, every exercise's source and a kernel."""
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    subprocess.run([sys.executable, "-m", "booktools.authoring", "nbgrader-source", str(course),
                    "--root", str(ROOT)], check=True, capture_output=True)
    return course


@pytest.fixture(scope="module")
def grading_kernel(course) -> Path:
    """The grading kernel: this Python, which imports this checkout's nnbasics."""
    return install_kernel(sys.executable, course / "grading-kernel")


@pytest.fixture(scope="module")
def graded(course, grading_kernel) -> dict[str, dict]:
    """Generate, submit and autograde every exercise; the scores by exercise and student.

    One ``generate_assignment`` and one ``autograde`` for all exercises (nbgrader takes
    the assignment as a glob, ``"*"``): each nbgrader process costs about two seconds
    before it converts anything, 30 s of the test command when run once per exercise.
    """
    done = nbgrader(course, grading_kernel, "generate_assignment", "*", "--force")
    assert done.returncode == 0, done.stderr[-5000:]
    students = {}
    for name in SOLUTIONS:
        release = json.loads((course / "release" / name / f"{name}.ipynb").read_text())
        wrong = runpy.run_path(str(ROOT / "solutions" / f"{name}_answers.py"))["WRONG"]
        submissions = {"solution": fill_in(release, task_answers(name)), "release": release}
        for task, cases in wrong.items():
            answers = {**task_answers(name), task: cases[0][0]}
            submissions[f"wrong-{task}"] = fill_in(release, answers)
        for student, nb in submissions.items():
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.ipynb").write_text(json.dumps(nb, indent=1))
        students[name] = list(submissions)
    done = nbgrader(course, grading_kernel, "autograde", "*", "--force")
    assert done.returncode == 0, done.stderr[-5000:]
    results = {}
    for name, names in students.items():
        results[name] = {student: scores(course, name, student) for student in names}
        print(f"\n{name}: nbgrader scores by graded part")
        for student, parts in results[name].items():
            print(f"  {student:24s} " + "  ".join(f"{k} {v:g}" for k, v in parts.items()))
    return results


@pytest.fixture(scope="module")
def exported(course, grading_kernel, graded) -> list[dict]:
    """``nbgrader export``'s table of every graded submission (one run for all)."""
    import csv

    done = nbgrader(course, grading_kernel, "export")
    assert done.returncode == 0, done.stderr[-3000:]
    with open(course / "grades.csv") as table:
        return list(csv.DictReader(table))


@pytest.mark.parametrize("name", SOLUTIONS)
def test_export_writes_each_submission_total(exported, graded, name):
    totals = {r["student_id"]: float(r["score"]) for r in exported if r["assignment"] == name}
    for student, parts in graded[name].items():
        assert totals[student] == sum(parts.values()), (student, totals)


def graded_parts(course: Path, name: str) -> dict[str, float]:
    """Each graded cell of the source notebook and its points."""
    nb = json.loads((course / "source" / name / f"{name}.ipynb").read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
            for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}


@pytest.mark.parametrize("name", SOLUTIONS)
def test_release_reads_as_an_exercise(course, grading_kernel, graded, name):
    release = json.loads((course / "release" / name / f"{name}.ipynb").read_text())
    text = ["".join(c["source"]) for c in release["cells"]]
    assert any(t.startswith("# Exercise:") for t in text), "the release has no exercise title"
    assert not any(re.search(r"^#+ Solution", t, re.M) for t in text), "a 'Solution' title"
    tags = [t for c in release["cells"] for t in c["metadata"].get("tags", [])]
    assert not {"solution-only", "author-note"} & set(tags), tags
    for cell_id, answer in task_answers(name).items():
        cell = next(c for c in release["cells"] if c.get("id") == cell_id)
        source = "".join(cell["source"])
        assert re.search(r"^\s*# TASK: \S", source, re.M), f"{cell_id}: the task text is lost"
        assert answer.strip() not in source, f"{cell_id}: the answer reached the release"
        assert "### BEGIN SOLUTION" not in source and NBGRADER_STUB[0] in source


@pytest.mark.parametrize("name", SOLUTIONS)
def test_solution_scores_full_marks(course, graded, name):
    assert graded[name]["solution"] == graded_parts(course, name)


@pytest.mark.parametrize("name", SOLUTIONS)
def test_untouched_release_scores_zero_on_every_part(course, graded, name):
    assert graded[name]["release"] == dict.fromkeys(graded_parts(course, name), 0)


@pytest.mark.parametrize("name", SOLUTIONS)
def test_a_wrong_answer_loses_its_own_part_and_keeps_the_other_tasks(course, graded, name):
    points = graded_parts(course, name)
    task_parts = {task: f"check-{task}" for task in task_answers(name)}
    for task, part in task_parts.items():
        got = graded[name][f"wrong-{task}"]
        assert got[part] == 0, f"{name}: the wrong answer to {task!r} kept {part}: {got}"
        kept = {p: got[p] for p in task_parts.values() if p != part}
        assert kept == {p: points[p] for p in kept}, \
            f"{name}: the wrong answer to {task!r} cost another task's part: {got}"


@pytest.fixture(scope="module")
def kernel_without_package(course, tmp_path_factory) -> Path:
    """A kernel whose Python has the course's libraries but not its helper package.

    A fresh virtual environment that sees this environment's site-packages through a
    ``.pth`` line: numpy, ipykernel and the rest import, but the editable install of
    ``nnbasics`` (itself a ``.pth`` hook, which Python does not follow from there)
    does not, and no ``PYTHONPATH`` names a checkout.
    """
    venv = tmp_path_factory.mktemp("no-package") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    Path(site.stdout.strip(), "course-libraries.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    lacks = subprocess.run([python, "-c", "import nnbasics"], cwd=course, env=env,
                           capture_output=True, text=True)
    assert "No module named 'nnbasics'" in lacks.stderr, \
        f"nnbasics should come only from the editable install (-e .): {lacks.stderr}"
    return install_kernel(python, venv.parent / "kernel", env)


# One exercise is enough: the set-up cell that stops the kernel is generated, the same
# in every solution and exercise (`python -m booktools.authoring check`, test_authoring).
@pytest.mark.parametrize("name", ["gradient_descent"])
def test_autograde_without_the_package_fails_with_the_command_that_fixes_it(
        course, graded, kernel_without_package, name):
    student = "no-package"
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    solution = fill_in(json.loads((course / "release" / name / f"{name}.ipynb").read_text()),
                       task_answers(name))
    (folder / f"{name}.ipynb").write_text(json.dumps(solution, indent=1))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = nbgrader(course, kernel_without_package, "autograde", name,
                    "--student", student, "--force", env=env)
    print(f"\n$ nbgrader autograde {name} --student {student}  (exit {done.returncode})")
    print(done.stdout[-2000:] + done.stderr[-4000:])
    assert done.returncode != 0, "nbgrader scored a submission it could not run"
    output = done.stdout + done.stderr
    assert "the course's helper package is missing in this kernel" in output
    assert re.search(r'pip install "nnbasics @ git\+https://\S+@\S+"', output), output[-3000:]
    assert "There was an error processing assignment" in output
