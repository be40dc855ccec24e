"""Keep the course's notebooks in their committed form.

``python -m nnbasics.authoring sync`` (``make exercises``) does three things, and
``python -m nnbasics.authoring check`` fails if any of them would change a file:

1. writes ``exercises/NAME.ipynb`` from ``solutions/NAME.ipynb``, the single source:
   every region between nbgrader's markers ``### BEGIN SOLUTION`` and
   ``### END SOLUTION`` becomes a stub that raises ``NotImplementedError`` with the
   task as its message (the task is the ``# TASK: ...`` comment line just above the
   region, outside it, so that nbgrader's own release keeps it too; one region per
   cell, and the cell's id, a short name such as ``gradient``, is its nbgrader grade
   id, so adding a task never renumbers the others); a heading "# Solution: ..."
   becomes "# Exercise: ..."; cells tagged ``solution-only`` are dropped; cells that
   will raise in the untouched exercise (a stub at the top level, or a cell tagged
   ``check`` or ``uses-answers`` because it calls the learner's code) are tagged
   ``raises-exception`` so nbval and the book build expect it;
   solution and check cells carry nbgrader metadata, so instructors can grade the
   notebooks with nbgrader;
2. rewrites the first cell of every notebook, which installs the helper package
   on Colab, from the repository address in ``_config.yml`` (kept in that one place);
3. strips outputs and execution counts.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

import nbformat
import yaml

NOTEBOOK_DIRS = ("chapters", "solutions", "exercises")
BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?P<rest>.*)$")
END = re.compile(r"^\s*### END SOLUTION(?P<rest>.*)$")
TASK = re.compile(r"^\s*# TASK:\s*(?P<task>.*?)\s*$")
#: Cell ids of solution and check cells: short names that become nbgrader grade ids.
CELL_NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
#: What Jupyter generates as a cell id (hex digits): a position-like id, not a name.
GENERATED_ID = re.compile(r"^[0-9a-f-]{8,}$")
COLAB_TAG = "colab-setup"
NBGRADER_SCHEMA = 3
SOLUTION_TITLE, EXERCISE_TITLE = "# Solution:", "# Exercise:"  # the notebook's heading
MAX_LINE = 100  # ruff's line length for the generated stubs

COLAB_CELL = '''\
# Runs only on Google Colab: install this course's helper package there.
# (Colab ships its own torch, so the course never pins torch there.)
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "nnbasics @ git+{url}@{branch}"],
        check=True,
    )'''


class AuthoringError(ValueError):
    """A notebook breaks one of the rules above; the message names the file and cell."""


def repository(root: Path) -> tuple[str, str]:
    """The repository address and branch, from ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    repo = config.get("repository") or {}
    url, branch = repo.get("url"), repo.get("branch", "main")
    if not url:
        raise AuthoringError("_config.yml must set repository.url")
    return url.removesuffix("/"), branch


def colab_cell(url: str, branch: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": COLAB_TAG,
        "metadata": {"tags": [COLAB_TAG, "remove-cell"]},
        "outputs": [],
        "source": COLAB_CELL.format(url=url, branch=branch),
    }


def has_solution(source: str) -> bool:
    """Whether ``source`` holds a ``### BEGIN SOLUTION`` marker line."""
    return any(BEGIN.match(line) for line in source.split("\n"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def task_of(lines: list[str], begin: int, where: str) -> str:
    """The task text of the region whose BEGIN marker is ``lines[begin]``."""
    if BEGIN.match(lines[begin])["rest"].strip():
        raise AuthoringError(
            f"{where}: nothing may follow '### BEGIN SOLUTION' on its line (nbgrader drops "
            "that line); put the task on a '# TASK: ...' comment line just above it"
        )
    above = TASK.match(lines[begin - 1]) if begin > 0 else None
    if above is None or not above["task"]:
        raise AuthoringError(
            f"{where}: write the learner's task on the line just above '### BEGIN SOLUTION', "
            "e.g. '# TASK: return the pair (dJ/dw, dJ/db)'"
        )
    return above["task"]


def stub_solutions(source: str, where: str) -> tuple[str, bool]:
    """Replace the marked solution region of a cell by a stub.

    Returns the new source and whether the stub stands at the top level (so that
    running the cell raises).
    """
    lines = source.split("\n")
    begins = [i for i, line in enumerate(lines) if BEGIN.match(line)]
    ends = [i for i, line in enumerate(lines) if END.match(line)]
    if not begins and not ends:
        return source, False
    if len(begins) > 1:
        raise AuthoringError(f"{where}: one solution region per cell; split the cell so that "
                             "each task has its own cell (and its own check after it)")
    if not ends or (begins and ends[0] < begins[0]):
        raise AuthoringError(f"{where}: '### END SOLUTION' must follow '### BEGIN SOLUTION'")
    if not begins:
        raise AuthoringError(f"{where}: '### END SOLUTION' without a '### BEGIN SOLUTION'")
    begin, end = begins[0], ends[0]
    if END.match(lines[end])["rest"].strip():
        raise AuthoringError(f"{where}: nothing may follow '### END SOLUTION' on its line; the "
                             "task belongs on the '# TASK: ...' line above the region")
    task = task_of(lines, begin, where)
    indent = BEGIN.match(lines[begin])["indent"]
    message = json.dumps(f"not implemented yet: {task}", ensure_ascii=False)
    stub = [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError(",
            f"{indent}    {message}", f"{indent})"]
    if len(stub[2]) > MAX_LINE:
        raise AuthoringError(f"{where}: shorten the '# TASK:' line so that the stub's message "
                             f"line fits in {MAX_LINE} characters")
    return "\n".join(lines[:begin] + stub + lines[end + 1:]), indent == ""


def _clean(cell: dict, fallback_id: str) -> dict:
    cell = copy.deepcopy(cell)
    # nbformat 4.5 wants ids; keep an editor's, make a reproducible one where missing.
    cell.setdefault("id", fallback_id)
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    cell["source"] = _source(cell)
    return cell


def _nbgrader(kind: str, grade_id: str) -> dict:
    solution = kind == "solution"
    meta = {"grade": not solution, "solution": solution, "locked": not solution,
            "grade_id": grade_id, "schema_version": NBGRADER_SCHEMA}
    if not solution:
        meta["points"] = 1
    return meta


def _graded_name(cell: dict, kind: str, where: str) -> str:
    """The cell's id, which must be a short name: it is the part's nbgrader grade id."""
    name = cell.get("id", "")
    if not CELL_NAME.match(name) or GENERATED_ID.match(name):
        example = "gradient" if kind == "solution" else "check-gradient"
        raise AuthoringError(
            f"{where}: a {kind} cell needs a short name as its cell id (lower case, digits, "
            f"dashes; e.g. '{example}'), got {name!r}; set it in the notebook's JSON or in "
            "Jupyter's cell metadata editor"
        )
    return name


def normalise(nb: dict, colab: dict, name: str) -> dict:
    """The committed form of a chapter or solution notebook."""
    nb = copy.deepcopy(nb)
    cells = [_clean(c, f"{name}-{i}") for i, c in enumerate(nb["cells"])]
    if cells and COLAB_TAG in _tags(cells[0]):
        cells = cells[1:]
    for index, cell in enumerate(cells, start=1):
        meta = cell.setdefault("metadata", {})
        if cell["cell_type"] != "code":
            continue
        where = f"{name} cell {index}"
        if has_solution(_source(cell)):
            stub_solutions(_source(cell), where)  # validates the markers and the task line
            meta["nbgrader"] = _nbgrader("solution", _graded_name(cell, "solution", where))
        elif "check" in _tags(cell):
            meta["nbgrader"] = _nbgrader("check", _graded_name(cell, "check", where))
    ids = [c["id"] for c in cells]
    if len(set(ids)) != len(ids):
        raise AuthoringError(f"{name}: cell ids must be distinct, got {sorted(ids)}")
    nb["cells"] = [colab, *cells]
    return nb


def make_exercise(solution: dict, where: str) -> dict:
    """The exercise notebook generated from a (normalised) solution notebook."""
    nb = copy.deepcopy(solution)
    cells = []
    for index, cell in enumerate(nb["cells"]):
        tags = _tags(cell)
        if "solution-only" in tags:
            continue
        if cell["cell_type"] == "markdown" and _source(cell).startswith(SOLUTION_TITLE):
            cell["source"] = EXERCISE_TITLE + _source(cell).removeprefix(SOLUTION_TITLE)
        if cell["cell_type"] == "code":
            source, raises = stub_solutions(_source(cell), f"{where} cell {index}")
            cell["source"] = source
            calls_answers = "check" in tags or "uses-answers" in tags
            if (raises or calls_answers) and "raises-exception" not in tags:
                cell["metadata"]["tags"] = [*tags, "raises-exception"]
        cells.append(cell)
    nb["cells"] = cells
    nb["metadata"]["nnbasics"] = {
        "generated_from": where,
        "note": "Generated by `make exercises`; edit the solution notebook instead.",
    }
    return nb


def dumps(nb: dict) -> str:
    """The notebook as nbformat writes it (one JSON string per source line)."""
    nb.setdefault("nbformat", 4)
    nb.setdefault("nbformat_minor", 5)
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def planned_files(root: Path) -> dict[Path, str]:
    """Every notebook's committed text, as the rules above produce it."""
    url, branch = repository(root)
    colab = colab_cell(url, branch)
    planned: dict[Path, str] = {}
    for folder in ("chapters", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            nb = json.loads(path.read_text())
            if "kernelspec" not in nb.get("metadata", {}):
                raise AuthoringError(f"{path.relative_to(root)}: no kernelspec in its metadata")
            normalised = normalise(nb, colab, path.stem)
            planned[path] = dumps(normalised)
            if folder == "solutions":
                rel = path.relative_to(root).as_posix()
                planned[root / "exercises" / path.name] = dumps(make_exercise(normalised, rel))
    return planned


def stale_files(root: Path) -> list[str]:
    """Notebooks whose committed text differs from the planned one, and stray exercises."""
    planned = planned_files(root)
    stale = [str(p.relative_to(root)) for p, text in planned.items()
             if not p.exists() or p.read_text() != text]
    stale += [str(p.relative_to(root)) + " (no solution notebook)"
              for p in sorted((root / "exercises").glob("*.ipynb")) if p not in planned]
    return stale


def sync(root: Path) -> list[str]:
    """Write every planned notebook; remove exercises whose solution is gone."""
    changed = []
    for path, text in planned_files(root).items():
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(str(path.relative_to(root)))
    for path in sorted((root / "exercises").glob("*.ipynb")):
        if not (root / "solutions" / path.name).exists():
            path.unlink()
            changed.append(f"{path.relative_to(root)} (removed)")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnbasics.authoring", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("sync", "check"))
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course repository")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "sync":
            for line in sync(root):
                print(f"wrote {line}")
            return 0
        stale = stale_files(root)
    except AuthoringError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in stale:
        print(f"out of date: {line}", file=sys.stderr)
    if stale:
        print("run `make exercises` and commit the result", file=sys.stderr)
        return 1
    print(f"all notebooks up to date ({len(planned_files(root))} checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
