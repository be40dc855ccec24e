"""Grade the cheats of tests/test_integrity.py with nbgrader (gradient descent only).

    python scripts/grade_cheats.py COURSE [--plain] [--root REPO]

``--plain`` uses the README's former configuration (no integrity inspection), to
measure the scores before; otherwise ``python -m grading setup COURSE``. Prints each
submission's score per graded part. Slow: one autograde of about 25 submissions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_grading_nbgrader import fill  # noqa: E402
from tests.test_integrity import CHEATS  # noqa: E402
from tests.test_nbgrader import task_answers  # noqa: E402

NAME = "gradient_descent"
PLAIN = 'c = get_config()\nc.CourseDirectory.course_id = "nnbasics"\nc.Execute.timeout = 300\n'


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("course", type=Path)
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    course, root = args.course.resolve(), args.root.resolve()
    env = {**os.environ, "PYTHONPATH": str(root),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if args.plain:
        course.mkdir(parents=True, exist_ok=True)
        (course / "nbgrader_config.py").write_text(PLAIN)
        subprocess.run([sys.executable, "-m", "booktools.authoring", "nbgrader-source",
                        str(course), "--root", str(root)], check=True, env=env)
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix",
                        str(course / "grading-kernel"), "--name", "python3"], check=True)
        env["JUPYTER_PATH"] = str(course / "grading-kernel" / "share" / "jupyter")
    else:
        subprocess.run([sys.executable, "-m", "grading", "setup", str(course), "--root",
                        str(root)], check=True, env=env)

    def nbgrader(*a: str) -> None:
        subprocess.run([sys.executable, "-m", "nbgrader", *a], cwd=course, env=env,
                       check=True, capture_output=True)

    nbgrader("generate_assignment", NAME, "--force")
    release = json.loads((course / "release" / NAME / f"{NAME}.ipynb").read_text())
    stubs = {"gradient": "    return 0.0, 0.0", "descent": "    return np.zeros((steps + 1, 2))",
             "learning-rate": "learning_rate = 0.5"}
    subs = {"solution": fill(release, task_answers(NAME)), "wrong": fill(release, stubs)}
    for cheat, code in CHEATS.items():
        subs[cheat] = fill(release, {**stubs, **code})
    for student, nb in subs.items():
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{NAME}.ipynb").write_text(json.dumps(nb))
    start = time.time()
    nbgrader("autograde", NAME, "--force")
    print(f"autograde of {len(subs)} submissions: {time.time() - start:.0f} s")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="nnbasics") as gb:
        for student in subs:
            nbk = gb.find_submission_notebook(NAME, NAME, student)
            parts = {g.name: g.score for g in nbk.grades}
            review = [g.name for g in nbk.grades if g.needs_manual_grade]
            print(f"{student:26s} {sum(parts.values()):g}/4  "
                  + " ".join(f"{k.removeprefix('check-')}={v:g}" for k, v in parts.items())
                  + (f"  review: {','.join(review)}" if review else ""))


if __name__ == "__main__":
    main()
