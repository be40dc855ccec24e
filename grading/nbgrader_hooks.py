"""nbgrader preprocessors that apply :mod:`grading.integrity` in ``nbgrader autograde``.

``python -m grading setup COURSE`` switches them on in the course's
``nbgrader_config.py``; the autograde chain becomes::

    InspectSubmission, Execute, ApplyFindings, IgnorePattern, ..., SaveAutoGrades,
    ..., RecordFindings

* :class:`InspectSubmission` runs before the kernel starts: it reads the submission's
  answer cells against the source notebook (never running them), keeps the findings
  in nbgrader's ``resources``, and sets ``NNBASICS_CHECK_SEED`` for this student and
  assignment, so the checks draw the same points on every re-grade;
* :class:`ApplyFindings` runs after execution: every graded cell a finding voids gets
  an error output ``IntegrityFlag: <reason>`` (nbgrader scores a graded cell with an
  error zero, and the feedback shows the reason); a cell that ran out of time gets
  ``CellTimeoutError`` named in its comment;
* :class:`RecordFindings` runs after ``SaveAutoGrades``: the voided or timed-out parts
  are marked "needs manual grade" in the gradebook, with the reason as the comment, so
  the formgrader lists them. An instructor who decides otherwise types a manual
  score there; nbgrader keeps a manual score on re-grading.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool

from .integrity import affected_parts, inspect_notebook

KEY = "nnbasics_integrity"
SEED_VARIABLE = "NNBASICS_CHECK_SEED"


def grading_seed(course: str, assignment: str, student: str) -> int:
    """The checks' seed for one student's assignment: fixed, and unlike a practice run."""
    digest = hashlib.sha256(f"{course}\0{assignment}\0{student}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def _source_notebook(resources: dict, config) -> dict | None:
    info = resources.get("nbgrader", {})
    try:
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".",
                                            info["assignment"]))
        return json.loads((folder / f"{info['notebook']}.ipynb").read_text())
    except (ImportError, KeyError, OSError, ValueError):
        return None


class InspectSubmission(Preprocessor):
    """Inspect the answer cells before execution; seed the checks per submission."""

    enabled = Bool(True).tag(config=True)  # nbconvert runs only enabled ones

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources.setdefault("nbgrader", {})
        source = _source_notebook(resources, self.config)
        findings = inspect_notebook(nb, source)
        resources[KEY] = {part: [str(f) for f in found]
                          for part, found in affected_parts(nb, findings).items()}
        for finding in findings:
            self.log.warning("integrity: %s/%s: %s", info.get("student"),
                             info.get("assignment"), finding)
        course = getattr(getattr(self.config, "CourseDirectory", None), "course_id", "") or ""
        os.environ[SEED_VARIABLE] = str(grading_seed(str(course), info.get("assignment", ""),
                                                     info.get("student", "")))
        return nb, resources


def _timed_out(cell: NotebookNode) -> bool:
    return any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError"
               for o in cell.get("outputs", []))


class ApplyFindings(Preprocessor):
    """Void the graded parts that a finding reaches; name the reason in the output."""

    enabled = Bool(True).tag(config=True)  # nbconvert runs only enabled ones

    def preprocess(self, nb: NotebookNode, resources: dict):
        voided = resources.get(KEY, {})
        timed_out = []
        for index, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if cell.get("cell_type") == "code" and _timed_out(cell):
                timed_out.append(index)
            if not meta.get("grade") or grade_id not in voided:
                continue
            reasons = voided[grade_id]
            text = ("this part scores 0 because an answer cell reaches around the "
                    "checks: " + "; ".join(reasons))
            cell.setdefault("outputs", []).append(NotebookNode(
                output_type="error", ename="IntegrityFlag", evalue=text,
                traceback=[f"IntegrityFlag: {text}"]))
        # a cell past the time limit: every later cell has run, the grade shows it below
        resources[KEY + "_timeout"] = timed_out
        if timed_out:
            self.log.warning("timed out: %s/%s in %s",
                             resources.get("nbgrader", {}).get("student"),
                             resources.get("nbgrader", {}).get("assignment"), timed_out)
        return nb, resources


class RecordFindings(Preprocessor):
    """Mark voided and timed-out parts for review in the gradebook, with the reason."""

    enabled = Bool(True).tag(config=True)  # nbconvert runs only enabled ones

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources.get("nbgrader", {})
        voided = resources.get(KEY, {})
        timed_out = resources.get(KEY + "_timeout", [])
        if not (voided or timed_out) or "db_url" not in info:
            return nb, resources
        from nbgrader.api import Gradebook, MissingEntry

        graded = [c.metadata.nbgrader.grade_id for c in nb.cells
                  if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        later_than_timeout = {
            c.metadata.nbgrader.grade_id for i, c in enumerate(nb.cells)
            if timed_out and i >= min(timed_out)
            and c.get("metadata", {}).get("nbgrader", {}).get("grade")}
        with Gradebook(info["db_url"]) as gb:
            for part in graded:
                if part not in voided and part not in later_than_timeout:
                    continue
                grade = gb.find_grade(part, info["notebook"], info["assignment"],
                                      info["student"])
                grade.needs_manual_grade = True
                why = (["integrity: " + "; ".join(voided[part])] if part in voided else [])
                why += (["timed out: a cell ran past Execute.timeout (cells "
                         f"{timed_out})"] if part in later_than_timeout else [])
                # nbgrader keeps comments on answer cells: check-NAME's answer is NAME
                for cell_id in (part, part.removeprefix("check-")):
                    try:
                        comment = gb.find_comment(cell_id, info["notebook"],
                                                  info["assignment"], info["student"])
                    except MissingEntry:
                        continue
                    comment.auto_comment = " | ".join(why)
                    break
            gb.db.commit()
        return nb, resources
