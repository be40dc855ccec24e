"""The instructors' pages list what the course holds, with the numbers it has."""

from __future__ import annotations

import json
import re

import pytest

from booktools.authoring import has_solution
from tests.book import toc_entries
from tests.conftest import ROOT

COURSE_MAP = (ROOT / "guide" / "course_map.md").read_text()
INSTRUCTORS = (ROOT / "guide" / "instructors.md").read_text()
CHAPTERS = [e for e in toc_entries() if e.startswith("chapters/")]
EXERCISES = sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb"))


def task_count(name: str) -> int:
    cells = json.loads((ROOT / "solutions" / f"{name}.ipynb").read_text())["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code" and has_solution("".join(c["source"])))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_course_map_lists_every_chapter_with_its_run_time(chapter):
    row = next((line for line in COURSE_MAP.splitlines() if f"`../{chapter}`" in line
                and line.startswith("| ")), None)
    assert row, f"guide/course_map.md has no row for {chapter}"
    assert re.search(r"\| \d+ s \|", row), f"the row for {chapter} needs its run time: {row}"


@pytest.mark.parametrize("name", EXERCISES)
def test_every_exercise_is_listed_with_its_number_of_tasks(name):
    for page, text in (("instructors", INSTRUCTORS), ("course_map", COURSE_MAP)):
        rows = [line for line in text.splitlines() if f"`../exercises/{name}`" in line]
        assert rows, f"guide/{page}.md does not list exercises/{name}"
    row = next(line for line in INSTRUCTORS.splitlines() if f"`../exercises/{name}`" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2] == str(task_count(name)), f"{name} has {task_count(name)} tasks: {row}"
    assert f"{{doc}}`../exercises/{name}` ({task_count(name)})" in COURSE_MAP
