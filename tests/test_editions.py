"""The students' edition (``python -m grading students_edition OUT``) and the grading
course folder (``python -m grading setup COURSE``), without running nbgrader."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from booktools.authoring import BEGIN, END
from grading.__main__ import CELL_TIMEOUT, setup, students_edition
from tests.conftest import ROOT


def solution_lines() -> dict[str, set[str]]:
    """Each solution's answer lines (those long enough to be the answer's own text) and
    the sentences of its "why this answer" cells), less lines the chapters teach (the
    backpropagation chapter works the lecture's chain-rule exercises in the text)."""
    taught = [p.read_text() for p in (ROOT / "chapters").glob("*.ipynb")]
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        lines = found.setdefault(path.stem, set())
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"]).split("\n")
            if "solution-only" in cell["metadata"].get("tags", []):
                lines |= {t.strip() for t in text if len(t.strip()) > 40}
                continue
            begin = [i for i, t in enumerate(text) if BEGIN.match(t)]
            if cell["cell_type"] == "code" and begin:
                end = next(j for j in range(begin[0], len(text)) if END.match(text[j]))
                lines |= {t.strip() for t in text[begin[0] + 1:end] if len(t.strip()) > 24}
                text = text[:begin[0]] + text[end + 1:]
            taught.append(json.dumps("\n".join(text)))  # what the exercise gives
    taught = "\n".join(taught)
    return {name: {line for line in lines if json.dumps(line)[1:-1] not in taught}
            for name, lines in found.items()}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "students"
    students_edition(out)
    return out


def test_no_solution_text_reaches_the_students_edition(edition):
    assert not (edition / "solutions").exists()
    # the helper package (nnbasics/, which learners install anyway) holds the chapters'
    # own code, some of which a task asks to rewrite; every other file is checked
    texts = {p: p.read_text(errors="ignore") for p in edition.rglob("*")
             if p.is_file() and "nnbasics" not in p.relative_to(edition).parts}
    assert any(p.parent.name == "exercises" for p in texts)
    for name, lines in solution_lines().items():
        assert lines, f"{name}: no answer lines found"
        for path, text in texts.items():
            leaked = [line for line in lines if line in text or json.dumps(line)[1:-1] in text]
            assert not leaked, f"{path.relative_to(edition)} has {name}'s answer: {leaked[:2]}"


def test_the_students_edition_has_no_solutions_part(edition):
    toc = yaml.safe_load((edition / "_toc.yml").read_text())
    captions = [part["caption"] for part in toc["parts"]]
    assert "Solutions" not in captions and "Chapters" in captions
    files = json.dumps(toc)
    assert "solutions/" not in files
    original = yaml.safe_load((ROOT / "_toc.yml").read_text())
    assert [p["caption"] for p in original["parts"]] == \
        ["Chapters", "Back matter", "For instructors", "Solutions"]
    assert [p for p in original["parts"] if p["caption"] != "Solutions"] == toc["parts"]


def test_the_students_edition_refuses_a_used_folder(tmp_path):
    (tmp_path / "x").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        students_edition(tmp_path)


def test_setup_is_safe_to_rerun_and_keeps_weights(tmp_path):
    course = tmp_path / "course"
    setup(course)
    (course / "points.json").write_text(json.dumps({"multistage": {"check-second-stage": 3}}))
    (course / "nbgrader_config_local.py").write_text("c = get_config()\n")
    setup(course)  # a second run updates the same folder, nothing elsewhere
    source = json.loads((course / "source" / "multistage" / "multistage.ipynb").read_text())
    points = [c["metadata"]["nbgrader"]["points"] for c in source["cells"]
              if c["metadata"].get("nbgrader", {}).get("grade")]
    assert points == [3]
    config = (course / "nbgrader_config.py").read_text()
    for setting in ("OverwriteCells.add_missing_cells = True",
                    f"Execute.timeout = {CELL_TIMEOUT}", "grading.nbgrader_hooks.InspectSubmission",
                    "OMP_NUM_THREADS", "JUPYTER_PATH", "nbgrader_config_local.py",
                    "not implemented yet"):
        assert setting in config, setting
    assert (course / "nbgrader_config_local.py").read_text() == "c = get_config()\n"
    kernel = course / "grading-kernel" / "share" / "jupyter" / "kernels" / "python3"
    assert json.loads((kernel / "kernel.json").read_text())["argv"][0] == sys.executable
    assert not (ROOT / "source").exists() and not (ROOT / "gradebook.db").exists()
    (course / "points.json").write_text(json.dumps({"multistage": {"check-nope": 1}}))
    done = subprocess.run([sys.executable, "-m", "grading", "setup", str(course)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "no graded cell ['check-nope']" in done.stderr
    done = subprocess.run([sys.executable, "-m", "grading", "setup", str(ROOT / "inside")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "outside the repository" in done.stderr
