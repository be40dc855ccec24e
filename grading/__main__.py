"""The instructor's commands; run from the course repository.

``python -m grading setup COURSE``
    Write (or bring up to date: safe to re-run) an nbgrader course folder: its
    ``nbgrader_config.py`` (integrity inspection, restored check cells, the time
    limit, one thread per kernel, the grading kernel: no ``JUPYTER_PATH`` to export),
    every exercise's ``source/`` with the points in ``COURSE/points.json`` if it
    exists, and the grading kernel (this Python). Settings of your own go in
    ``COURSE/nbgrader_config_local.py``, which is never overwritten.

``python -m grading students_edition OUT``
    Copy the repository's tracked files to ``OUT`` without the solutions: no
    ``solutions/`` folder and no Solutions part in ``_toc.yml``. Build that with
    ``jupyter-book build OUT`` and push it where learners' hub links and nbgitpuller
    point.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Execute.timeout in seconds: the slowest graded cell (multistage, about 8 s idle and
#: 35 s on a busy machine) with room to spare, while an endless loop costs at most this
#: per cell it reaches.
CELL_TIMEOUT = 90
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
STUB = ('# YOUR CODE HERE\nraise NotImplementedError("not implemented yet: the task is '
        'the # TASK line above")')

CONFIG = '''\
# Written by `python -m grading setup` (re-running it rewrites this file);
# put settings of your own in nbgrader_config_local.py next to it.
import os
import sys

c = get_config()  # noqa: F821
sys.path.insert(0, {root!r})  # the course repository: its `grading` package
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    filter(None, [{kernels!r}, os.environ.get("JUPYTER_PATH")]))
for variable in {threads!r}:  # one thread per kernel: grading runs side by side
    os.environ[variable] = "1"

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {course!r}
# A deleted check cell comes back (and is graded) instead of costing its point silently.
c.OverwriteCells.add_missing_cells = True
# Seconds per cell; a cell past it shows CellTimeoutError, and its part and every
# later one are marked "needs manual grade" with the reason.
c.Execute.timeout = {timeout}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.Autograde.autograde_preprocessors = [
    "grading.nbgrader_hooks.InspectSubmission",
    "nbgrader.preprocessors.Execute",
    "grading.nbgrader_hooks.ApplyFindings",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "grading.nbgrader_hooks.RecordFindings",
]
if os.path.exists(os.path.join({course!r}, "nbgrader_config_local.py")):
    load_subconfig(os.path.join({course!r}, "nbgrader_config_local.py"))  # noqa: F821
'''


def apply_points(course: Path, sources: list[Path]) -> None:
    """Set each graded cell's points from ``course/points.json``
    (``{"gradient_descent": {"check-fit": 2}}``), so re-writing the source keeps them."""
    table = course / "points.json"
    if not table.exists():
        return
    points = json.loads(table.read_text())
    for path in sources:
        wanted = points.get(path.stem, {})
        if not wanted:
            continue
        nb = json.loads(path.read_text())
        ids = set()
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and meta.get("grade_id") in wanted:
                value = wanted[meta["grade_id"]]
                if not isinstance(value, int | float) or value < 0:
                    raise ValueError(f"points.json: {path.stem}.{meta['grade_id']} must be a "
                                     f"number ≥ 0, got {value!r}")
                meta["points"] = value
                ids.add(meta["grade_id"])
        unknown = set(wanted) - ids
        if unknown:
            raise ValueError(f"points.json: {path.stem} has no graded cell {sorted(unknown)}")
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def setup(course: Path, root: Path = ROOT, course_id: str = "nnbasics",
          python: str = sys.executable) -> list[Path]:
    """Create or update the course folder; return the source notebooks written."""
    from booktools.authoring import write_nbgrader_sources

    course = course.resolve()
    if course == root or root in course.parents:
        raise ValueError(f"course folder {course} must be outside the repository {root}")
    course.mkdir(parents=True, exist_ok=True)
    kernels = course / "grading-kernel"
    (course / "nbgrader_config.py").write_text(CONFIG.format(
        root=str(root), kernels=str(kernels / "share" / "jupyter"), threads=THREAD_VARIABLES,
        course_id=course_id, course=str(course), timeout=CELL_TIMEOUT, stub=STUB))
    sources = write_nbgrader_sources(root, course)
    apply_points(course, sources)
    subprocess.run([python, "-m", "ipykernel", "install", "--prefix", str(kernels),
                    "--name", "python3"], check=True, capture_output=True)
    return sources


def students_edition(out: Path, root: Path = ROOT) -> list[str]:
    """Copy the tracked files without solutions; return the files copied."""
    out = out.resolve()
    if out == root or root in out.parents:
        raise ValueError(f"out {out} must be outside the repository {root}")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"out {out} exists and is not empty: give a new folder")
    tracked = subprocess.run(["git", "ls-files"], cwd=root, check=True, capture_output=True,
                             text=True).stdout.split("\n")
    copied = []
    for rel in filter(None, tracked):
        if rel.startswith(("solutions/", "tests/")) or not (root / rel).is_file():
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)
        copied.append(rel)
    toc = out / "_toc.yml"
    # drop the Solutions part: from its caption to the next part
    toc.write_text(re.sub(r"\n  - caption: Solutions\n(?:    .*\n|\s*#.*\n)*", "\n",
                          toc.read_text()))
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("setup", "students_edition"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--root", type=Path, default=ROOT, help="the course repository")
    parser.add_argument("--course-id", default="nnbasics")
    args = parser.parse_args(argv)
    try:
        if args.command == "setup":
            for path in setup(args.folder, args.root.resolve(), args.course_id):
                print(f"wrote {path}")
            print(f"wrote {args.folder.resolve() / 'nbgrader_config.py'}; run nbgrader "
                  f"commands in {args.folder.resolve()}")
        else:
            files = students_edition(args.folder, args.root.resolve())
            print(f"copied {len(files)} files to {args.folder} (no solutions); build it with "
                  f"`jupyter-book build {args.folder}`")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
