"""Keep the course's notebooks in their committed form.

``python -m booktools.authoring sync`` (``make exercises``) does four things, and
``python -m booktools.authoring check`` fails if any of them would change a file:

1. writes ``exercises/NAME.ipynb`` from ``solutions/NAME.ipynb``, the single source:
   every region between nbgrader's markers ``### BEGIN SOLUTION`` and
   ``### END SOLUTION`` becomes a stub that raises ``NotImplementedError`` with the
   task as its message (the task is the ``# TASK: ...`` comment line just above the
   region, outside it, so that nbgrader's own release keeps it too; one region per
   cell, and the cell's id, a short name such as ``gradient``, is its nbgrader grade
   id, so adding a task never renumbers the others); a heading "# Solution: ..."
   becomes "# Exercise: ..." and is followed by a note that says where to open or
   download the notebook (Colab, Binder, the raw file, from ``repository.url`` in
   ``_config.yml``); cells tagged ``solution-only`` (the prose that explains an
   answer) or ``author-note`` (notes for the course's authors) are dropped; cells that
   will raise in the untouched exercise (a stub at the top level, or a cell tagged
   ``check`` or ``uses-answers`` because it calls the learner's code) are tagged
   ``raises-exception`` so nbval expects it (the book does not execute exercises:
   ``_config.yml``); solution and check cells carry nbgrader metadata, so
   instructors can grade the notebooks with nbgrader;
2. rewrites the first cell of every notebook, which installs the helper package
   on Colab, from the repository address in ``_config.yml`` (kept in that one place);
3. writes, after it, the set-up cell of every solution and exercise: it imports the
   helper package and, where the kernel lacks it, stops with the one command that
   installs it (under ``nbgrader autograde`` it ends the kernel, which is what makes
   nbgrader report the submission as failed instead of scoring it zero);
4. strips outputs and execution counts.

``check`` also reports each task that ``solutions/NAME_answers.py`` gives no wrong or
no right answer (the lists ``WRONG[task]`` and ``RIGHT[task]``, which
``tests/test_exercises.py`` runs).

``python -m booktools.authoring nbgrader-source COURSE`` writes, for nbgrader, each
solution as ``COURSE/source/NAME/NAME.ipynb``: the solution with its markers, titled
"# Exercise: ...", without ``solution-only`` and ``author-note`` cells, so that
``nbgrader generate_assignment NAME`` releases a notebook that reads as an exercise.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import runpy
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
SETUP_ID = "setup"  # the set-up cell's id, and its nbgrader grade id (a locked cell)
#: Tags of cells that the exercise (and nbgrader's release) leaves out: the prose that
#: explains an answer, which the book's solution page shows, and notes for authors,
#: which nothing but Jupyter shows (booktools.sphinx_ext drops them from the book).
SOLUTION_ONLY, AUTHOR_NOTE = "solution-only", "author-note"
OPEN_NOTE_ID = "open-this-notebook"
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


SETUP_CELL = '''\
# Set-up: every cell below uses the course's helper package, nnbasics.
try:
    import nnbasics  # noqa: F401
except ModuleNotFoundError:
    import os
    import sys

    package = "nnbasics @ git+{url}@{branch}"
    message = (
        "the course's helper package is missing in this kernel: run "
        f'`pip install "{{package}}"` (or `pip install -e .` in the course folder), '
        "then restart the kernel"
    )
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        # nbgrader scores an error in a cell as a lost part and carries on; only a
        # kernel that exits makes it report the whole submission as failed.
        try:
            stderr = sys.stderr.fileno()  # ipykernel: the kernel's own stderr
        except (AttributeError, OSError):
            stderr = 2
        os.write(stderr, f"\\n{{message}}\\n".encode())
        os._exit(1)
    raise ModuleNotFoundError(message) from None'''

OPEN_NOTE = """\
> **Work on this exercise in a notebook**, not on this page: open it in
> [Colab]({colab}) or [Binder]({binder}), or [download it]({raw}) and open it
> in Jupyter. Fill in each task, then run the check cell after it."""


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


def release_tag(root: Path) -> str:
    """The book's release tag, ``v`` and the package's version in ``pyproject.toml``:
    Colab installs the helper package at this tag, so a copy of a notebook keeps the
    package it was written for (push the tag when publishing)."""
    match = re.search(r'^version\s*=\s*"([^"]+)"', (root / "pyproject.toml").read_text(), re.M)
    if not match:
        raise AuthoringError("pyproject.toml must set [project] version")
    return f"v{match.group(1)}"


def colab_cell(url: str, branch: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": COLAB_TAG,
        "metadata": {"tags": [COLAB_TAG, "remove-cell"]},
        "outputs": [],
        "source": COLAB_CELL.format(url=url, branch=branch),
    }


def setup_cell(url: str, branch: str) -> dict:
    """The set-up cell: import the helper package or say how to install it."""
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": SETUP_ID,
        "metadata": {"tags": [SETUP_ID, "remove-cell"],
                     "nbgrader": {"grade": False, "solution": False, "locked": True,
                                  "grade_id": SETUP_ID, "schema_version": NBGRADER_SCHEMA}},
        "outputs": [],
        "source": SETUP_CELL.format(url=url, branch=branch),
    }


def open_links(root: Path, notebook: str) -> dict[str, str]:
    """Where a reader opens ``notebook`` (a path in the repository): Colab, Binder, raw file."""
    url, branch = repository(root)
    config = yaml.safe_load((root / "_config.yml").read_text())
    launch = config.get("launch_buttons") or {}
    match = re.match(r"^https://github\.com/(?P<repo>[^/]+/[^/]+?)(\.git)?$", url)
    if match is None:
        raise AuthoringError(f"_config.yml: repository.url must be a GitHub address "
                             f"(https://github.com/OWNER/NAME) for the Colab, Binder and "
                             f"download links of the exercises, got {url!r}")
    repo = match["repo"]
    colab = launch.get("colab_url", "https://colab.research.google.com").removesuffix("/")
    binder = launch.get("binderhub_url", "https://mybinder.org").removesuffix("/")
    return {
        "colab": f"{colab}/github/{repo}/blob/{branch}/{notebook}",
        "binder": f"{binder}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{notebook}",
        "raw": f"https://raw.githubusercontent.com/{repo}/{branch}/{notebook}",
    }


def open_note(links: dict[str, str]) -> dict:
    """The Markdown cell under an exercise's title: where to work on it."""
    return {"cell_type": "markdown", "id": OPEN_NOTE_ID, "metadata": {},
            "source": OPEN_NOTE.format(**links)}


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
            f"dashes; e.g. '{example}'), got {name!r}; set the cell's \"id\" field in the "
            "notebook's JSON (Jupyter's editors don't show it)"
        )
    return name


def _where(name: str, index: int, cell: dict) -> str:
    """A cell as an author finds it: file, position, id and first line."""
    first = _source(cell).split("\n")[0]
    first = first if len(first) <= 40 else first[:37] + "..."
    return f"{name}, cell {index} (id {cell.get('id')!r}, {first!r})"


def normalise(nb: dict, colab: dict, name: str, setup: dict | None = None) -> dict:
    """The committed form of a chapter or solution notebook.

    ``name`` is the notebook's path for messages; ``setup``, the set-up cell that
    solutions (and so exercises) carry after the Colab cell.
    """
    nb = copy.deepcopy(nb)
    cells = [_clean(c, f"{Path(name).stem}-{i}") for i, c in enumerate(nb["cells"])]
    generated = {COLAB_TAG, SETUP_ID}
    cells = [c for c in cells if not generated & set(_tags(c))]
    for index, cell in enumerate(cells, start=1):
        meta = cell.setdefault("metadata", {})
        where = _where(name, index, cell)
        if cell["cell_type"] != "code":
            if has_solution(_source(cell)):
                raise AuthoringError(f"{where}: a '### BEGIN SOLUTION' region in a Markdown "
                                     "cell would reach learners unchanged; put each answer "
                                     "in a code cell")
            continue
        if has_solution(_source(cell)):
            stub_solutions(_source(cell), where)  # validates the markers and the task line
            meta["nbgrader"] = _nbgrader("solution", _graded_name(cell, "solution", where))
        elif "check" in _tags(cell):
            meta["nbgrader"] = _nbgrader("check", _graded_name(cell, "check", where))
        elif any(END.match(line) for line in _source(cell).split("\n")):
            stub_solutions(_source(cell), where)  # reports the stray END marker
    generated_cells = [colab] + ([setup] if setup else [])
    ids = [c["id"] for c in generated_cells + cells]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise AuthoringError(f"{name}: cell ids must be distinct; rename the cells with id "
                             f"{', '.join(map(repr, twice))} (the ids 'colab-setup' and "
                             "'setup' belong to the generated cells)")
    nb["cells"] = [*generated_cells, *cells]
    return nb


def _exercise_cells(solution: dict, where: str) -> list[dict]:
    """The solution's cells without its answers' prose and its notes for authors."""
    cells = []
    for cell in copy.deepcopy(solution["cells"]):
        if {SOLUTION_ONLY, AUTHOR_NOTE} & set(_tags(cell)):
            continue
        if cell["cell_type"] == "markdown" and _source(cell).startswith(SOLUTION_TITLE):
            cell["source"] = EXERCISE_TITLE + _source(cell).removeprefix(SOLUTION_TITLE)
        cells.append(cell)
    if not any(c["cell_type"] == "markdown" and _source(c).startswith(EXERCISE_TITLE)
               for c in cells):
        raise AuthoringError(f"{where}: start the solution's first Markdown cell with "
                             f"'{SOLUTION_TITLE} ...' (the exercise's title becomes "
                             f"'{EXERCISE_TITLE} ...')")
    return cells


def make_exercise(solution: dict, where: str, links: dict[str, str] | None = None) -> dict:
    """The exercise notebook generated from a (normalised) solution notebook.

    ``links`` (from :func:`open_links`) adds, under the title, the note that says
    where to open or download the notebook.
    """
    nb = copy.deepcopy(solution)
    cells = []
    for index, cell in enumerate(_exercise_cells(solution, where)):
        tags = _tags(cell)
        if cell["cell_type"] == "code":
            source, raises = stub_solutions(_source(cell), f"{where}, cell {index}")
            cell["source"] = source
            calls_answers = "check" in tags or "uses-answers" in tags
            if (raises or calls_answers) and "raises-exception" not in tags:
                cell["metadata"]["tags"] = [*tags, "raises-exception"]
        cells.append(cell)
        if links and _source(cell).startswith(EXERCISE_TITLE):
            cells.append(open_note(links))
    nb["cells"] = cells
    nb["metadata"]["nnbasics"] = {
        "generated_from": where,
        "note": "Generated by `make exercises`; edit the solution notebook instead.",
    }
    return nb


#: A link from an exercise to a chapter, ``[title](../chapters/NAME.ipynb#anchor)``.
CHAPTER_LINK = re.compile(r"\]\(\.\./chapters/([\w-]+)\.ipynb(#[^)]*)?\)")


def absolute_chapter_links(text: str, url: str, ref: str) -> str:
    """``text`` with its relative chapter links pointing at the chapters in the
    repository at ``ref``: a released notebook lands in ``release/NAME/`` or a
    learner's home, where ``../chapters`` does not exist."""
    return CHAPTER_LINK.sub(
        lambda m: f"]({url}/blob/{ref}/chapters/{m.group(1)}.ipynb{m.group(2) or ''})", text)


def nbgrader_source(solution: dict, where: str, url: str = "", ref: str = "main") -> dict:
    """What nbgrader's ``source/`` folder gets: the exercise, answers and markers kept.

    nbgrader copies its source notebook into the release (replacing each marked
    region by its own stub), so the source must already read as an exercise. Given
    the repository's ``url``, links to chapters point at the chapters at ``ref``.
    """
    nb = copy.deepcopy(solution)
    nb["cells"] = _exercise_cells(solution, where)
    if url:
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                cell["source"] = absolute_chapter_links(_source(cell), url, ref)
    nb["metadata"]["nnbasics"] = {
        "generated_from": where,
        "note": "nbgrader's source notebook, written by "
                "`python -m booktools.authoring nbgrader-source`.",
    }
    return nb


def solution_page(nb: dict) -> dict:
    """A solution notebook as the book shows it (see :mod:`booktools.sphinx_ext`).

    Without nbgrader's marker lines (each task keeps its ``# TASK:`` line) and
    without the notes for authors; the prose that explains each answer
    (``solution-only``) stays: it is what the solution page is for.
    """
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        if AUTHOR_NOTE in _tags(cell):
            continue
        if cell["cell_type"] == "code" and has_solution(_source(cell)):
            lines = _source(cell).split("\n")
            cell["source"] = "\n".join(line for line in lines
                                       if not (BEGIN.match(line) or END.match(line)))
        cells.append(cell)
    nb["cells"] = cells
    return nb


def dumps(nb: dict) -> str:
    """The notebook as nbformat writes it (one JSON string per source line)."""
    nb.setdefault("nbformat", 4)
    nb.setdefault("nbformat_minor", 5)
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def _read(path: Path, root: Path) -> dict:
    nb = json.loads(path.read_text())
    if "kernelspec" not in nb.get("metadata", {}):
        raise AuthoringError(f"{path.relative_to(root)}: no kernelspec in its metadata; "
                             "open it in Jupyter and choose the Python 3 kernel, or add "
                             '"kernelspec": {"name": "python3", ...} to its metadata')
    return nb


def planned_files(root: Path) -> dict[Path, str]:
    """Every notebook's committed text, as the rules above produce it."""
    url, branch = repository(root)
    colab, setup = colab_cell(url, release_tag(root)), setup_cell(url, branch)
    planned: dict[Path, str] = {}
    for folder in ("chapters", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            rel = path.relative_to(root).as_posix()
            normalised = normalise(_read(path, root), colab, rel,
                                   setup if folder == "solutions" else None)
            planned[path] = dumps(normalised)
            if folder == "solutions":
                links = open_links(root, f"exercises/{path.name}")
                planned[root / "exercises" / path.name] = dumps(
                    make_exercise(normalised, rel, links))
    return planned


def write_nbgrader_sources(root: Path, course: Path) -> list[Path]:
    """Write ``course/source/NAME/NAME.ipynb`` for every solution; return the paths."""
    url, branch = repository(root)
    colab, setup = colab_cell(url, release_tag(root)), setup_cell(url, branch)
    written = []
    for path in sorted((root / "solutions").glob("*.ipynb")):
        rel = path.relative_to(root).as_posix()
        normalised = normalise(_read(path, root), colab, rel, setup)
        target = course / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = nbgrader_source(normalised, rel, url, release_tag(root))
        target.write_text(dumps(source))
        written.append(target)
    return written


def stale_files(root: Path) -> list[str]:
    """Notebooks whose committed text differs from the planned one, and stray exercises."""
    planned = planned_files(root)
    stale = [str(p.relative_to(root)) for p, text in planned.items()
             if not p.exists() or p.read_text() != text]
    stale += [str(p.relative_to(root)) + " (no solution notebook)"
              for p in sorted((root / "exercises").glob("*.ipynb")) if p not in planned]
    return stale


def missing_answers(root: Path) -> list[str]:
    """What each ``solutions/NAME_answers.py`` lacks: a WRONG and a RIGHT list per task."""
    problems = []
    for path in sorted((root / "solutions").glob("*.ipynb")):
        tasks = [c["id"] for c in json.loads(path.read_text())["cells"]
                 if c["cell_type"] == "code" and has_solution(_source(c))]
        answers = path.with_name(f"{path.stem}_answers.py")
        rel = answers.relative_to(root).as_posix()
        if not answers.exists():
            problems.append(f"{rel} is missing: write WRONG and RIGHT there, each a dict with "
                            f"a list per task {tasks} (see CONTRIBUTING.md)")
            continue
        found = runpy.run_path(str(answers))
        for kind, what in (("WRONG", "a wrong answer, with words its check's message must "
                                     "contain,"),
                           ("RIGHT", "a right answer written differently from the solution")):
            entries = found.get(kind, {})
            problems += [f"{rel}: add {what} to the list {kind}[{task!r}]"
                         for task in tasks if not entries.get(task)]
            problems += [f"{rel}: {kind}[{key!r}] names no task of {path.name} (its task "
                         f"cells' ids are {tasks})" for key in sorted(set(entries) - set(tasks))]
    return problems


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
    parser = argparse.ArgumentParser(prog="python -m booktools.authoring", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("sync", "check", "nbgrader-source"))
    parser.add_argument("course", type=Path, nargs="?",
                        help="nbgrader-source only: the nbgrader course folder to write into")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course repository")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if (args.command == "nbgrader-source") != (args.course is not None):
        parser.error("give a course folder with nbgrader-source, and only with it")
    try:
        if args.command == "sync":
            for line in sync(root):
                print(f"wrote {line}")
            return 0
        if args.command == "nbgrader-source":
            for path in write_nbgrader_sources(root, args.course):
                print(f"wrote {path}")
            return 0
        stale = stale_files(root)
        gaps = missing_answers(root)
    except AuthoringError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in stale:
        print(f"out of date: {line}", file=sys.stderr)
    if stale:
        print("run `make exercises` and commit the result", file=sys.stderr)
    for line in gaps:
        print(f"error: {line}", file=sys.stderr)
    if stale or gaps:
        return 1
    print(f"all notebooks up to date ({len(planned_files(root))} checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
