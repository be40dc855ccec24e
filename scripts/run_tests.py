"""`make test`: every check of the course, the independent ones side by side, timed.

Stages (each a command; a stage starts once the ones it needs have passed):

* ``lint``      ruff (notebooks included) and ``booktools.authoring check``;
* ``unit``      the package's unit tests, the exercise tests, nbgrader's round trip;
* ``notebooks`` nbval over ``solutions/`` and ``exercises/``;
* ``book``      the strict build (``-W -n --keep-going --all``, empty execution cache),
  which executes every chapter under the default seed and fails on a failing cell:
  it is also the chapters' default-seed run, so nbval does not run them again;
* ``sweep``     nbval over ``chapters/`` under one seed besides the default: the seed
  of the day from ``nnbasics.seeding.SWEEP_SEEDS`` (so successive runs cover them
  all), or ``SWEEP_SEED=2`` / ``SWEEP_SEED=all`` to choose;
* ``browser``   the headless-Chromium tests of the built book (after ``book``).

At most ``--jobs`` stages (default: the number of cores) run at once, in the order
listed (the longest chain first: the build, then the browser tests the moment it
passes); each runs single-threaded (OMP_NUM_THREADS=1 and friends). At the end the
time of every stage and the total are printed; the exit status is non-zero if any
stage failed (the remaining ones still run, so one failure shows all the others).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
#: Written into the logs folder at the end: each stage's time and the total.
STAGE_TIMES = "stage-times.txt"
NBVAL = [PY, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
         "--nbval-cell-timeout=300", "-p", "no:cacheprovider", "-q"]


@dataclass
class Stage:
    name: str
    commands: list[list[str]]
    needs: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    state: str = "waiting"
    seconds: float = 0.0
    log: Path | None = None


def sweep_seeds() -> list[int]:
    from nnbasics.seeding import SWEEP_SEEDS

    choice = os.environ.get("SWEEP_SEED", "")
    if choice == "all":
        return list(SWEEP_SEEDS)
    if choice:
        return [int(choice)]
    return [SWEEP_SEEDS[datetime.date.today().toordinal() % len(SWEEP_SEEDS)]]


def stages() -> list[Stage]:
    from booktools.authoring import NOTEBOOK_DIRS

    others = [d for d in NOTEBOOK_DIRS if d != "chapters"]
    return [
        Stage("book", [["rm", "-rf", "_build/.jupyter_cache", "_build/overlaps.txt"],
                       # An empty report says "checked, nothing found"; a missing one,
                       # that the build ran without the check (the browser test skips).
                       [PY, "-c", "import pathlib; p = pathlib.Path('_build/overlaps.txt'); "
                        "p.parent.mkdir(exist_ok=True); p.write_text('')"],
                       [str(Path(PY).parent / "jupyter-book"), "build", ".", "-W", "-n",
                        "--keep-going", "--all"]],
              # Every figure the build draws is checked for overlapping text; the
              # browser stage's test reads the report (nnbasics.style).
              env={"NNBASICS_CHECK_OVERLAP": "report",
                   "NNBASICS_OVERLAP_REPORT": str(ROOT / "_build" / "overlaps.txt")}),
        # Second: it starts the moment the build passes, so the longest chain (build,
        # then browser) is never kept waiting behind shorter stages.
        Stage("browser", [["bash", "scripts/ensure_browser.sh"],
                          [PY, "-m", "pytest", "tests", "-m", "browser", "-q",
                           "-p", "no:cacheprovider"]], needs=("book",)),
        Stage("unit", [[PY, "-m", "pytest", "tests", "-m", "not browser", "-q",
                        "-p", "no:cacheprovider"]]),
        *[Stage(f"sweep-{seed}", [NBVAL + ["chapters"]], env={"NNBASICS_SEED": str(seed)})
          for seed in sweep_seeds()],
        Stage("notebooks", [NBVAL + others]),
        Stage("lint", [[str(Path(PY).parent / "ruff"), "check", "."],
                       [PY, "-m", "booktools.authoring", "check"]]),
    ]


def run(stage: Stage, logs: Path, done: threading.Condition) -> None:
    stage.log = logs / f"{stage.name}.log"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", **stage.env}
    start = time.monotonic()
    ok = True
    with stage.log.open("w") as log:
        for command in stage.commands:
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            if subprocess.run(command, cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT).returncode != 0:
                ok = False
                break
    stage.seconds = time.monotonic() - start
    with done:
        stage.state = "passed" if ok else "FAILED"
        print(f"[{stage.seconds:6.0f} s] {stage.name}: {stage.state}", flush=True)
        done.notify_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", nargs="*", help="run only these stages")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    todo = stages()
    if args.only:
        todo = [s for s in todo if s.name in args.only or s.name.split("-")[0] in args.only]
        for s in todo:
            s.needs = tuple(n for n in s.needs if any(t.name == n for t in todo))
    logs = ROOT / "_build" / "test-logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    print(f"stages: {', '.join(s.name for s in todo)}; {args.jobs} at a time; "
          f"logs in {logs.relative_to(ROOT)}/", flush=True)
    done = threading.Condition()
    start = time.monotonic()
    with done:
        while any(s.state in ("waiting", "running") for s in todo):
            by_name = {s.name: s for s in todo}
            running = sum(s.state == "running" for s in todo)
            for s in todo:
                if s.state != "waiting" or running >= args.jobs:
                    continue
                needed = [by_name[n].state for n in s.needs]
                if any(state == "FAILED" or state == "skipped" for state in needed):
                    s.state = "skipped"
                    print(f"[     - ] {s.name}: skipped ({', '.join(s.needs)} failed)")
                elif all(state == "passed" for state in needed):
                    s.state = "running"
                    running += 1
                    threading.Thread(target=run, args=(s, logs, done), daemon=True).start()
            done.wait(timeout=5)
    total = time.monotonic() - start
    table = [f"  {s.name:<10} {s.seconds:6.0f} s  {s.state}" for s in todo]
    table.append(f"  {'total':<10} {total:6.0f} s (wall clock, {args.jobs} at a time)")
    print("\nstage times:\n" + "\n".join(table))
    # The benchmark quotes the last run's times (scripts/benchmark.py).
    (logs / STAGE_TIMES).write_text(
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores\n"
        + "\n".join(table) + "\n")
    failed = [s for s in todo if s.state != "passed"]
    for s in failed:
        if s.log is not None:
            print(f"\n== {s.name} failed; the end of {s.log.relative_to(ROOT)}:")
            print("\n".join(s.log.read_text().splitlines()[-40:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
