"""Time every notebook and the strict book build; write benchmarks/results.md.

Each notebook runs --repeats times in a fresh kernel, once as a learner runs it
(live sliders) and once as the book build runs it (static sliders, every frame
drawn); the table gives the median and the slowest run, and the kernel's peak memory
(resident set) over the runs. The build is timed with every page rebuilt. Exits 1
when a budget is exceeded.

    python scripts/benchmark.py [--repeats 3] [--skip-build]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from booktools.authoring import NOTEBOOK_DIRS  # noqa: E402
from nnbasics.sliders import STATIC_ENV_VAR  # noqa: E402
from tests.book import PAGE_BUDGET_BYTES, page_weight  # noqa: E402

NOTEBOOK_BUDGET_S = 60.0
#: Budgets of named notebooks (path relative to the root), from their issues.
SPECIAL_BUDGETS_S = {
    "chapters/gradient_descent.ipynb": 20.0,
    "chapters/what_is_a_neural_network.ipynb": 30.0,
    "chapters/universal_approximation.ipynb": 30.0,
    "chapters/multistage_1d.ipynb": 120.0,
    "chapters/multistage_navier_stokes.ipynb": 120.0,
}
#: Every notebook of the course, each in a fresh kernel, one after the other.
COURSE_BUDGET_S = 300.0
#: A notebook's kernel at its peak: mybinder.org gives a session at most 2 GB, and the
#: Jupyter server and the browser tab's kernel connection need some of it.
MEMORY_BUDGET_MB = 1500.0
#: The last cell the benchmark adds to each notebook: the kernel's peak resident set.
PEAK_MEMORY_CELL = ("import resource as _r, sys as _s\n"
                    "print('peak-kB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss"
                    " // (1024 if _s.platform == 'darwin' else 1))")  # macOS counts bytes


def time_notebook(path: Path, static: bool) -> tuple[float, float]:
    """Seconds to run the notebook top to bottom in a fresh kernel, and the kernel's
    peak memory in MB (read by one more cell at the end, not timed)."""
    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get(STATIC_ENV_VAR)
    os.environ[STATIC_ENV_VAR] = "1" if static else "0"
    try:
        client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}})
        cells = list(nb.cells)
        probe = nbformat.v4.new_code_cell(PEAK_MEMORY_CELL)
        nb.cells.append(probe)
        start = time.perf_counter()  # the kernel's start counts: a learner waits for it too
        with client.setup_kernel():
            for index, cell in enumerate(cells):
                client.execute_cell(cell, index)
            seconds = time.perf_counter() - start
            client.execute_cell(probe, len(cells))
        text = "".join(o.get("text", "") for o in probe.outputs)
        return seconds, int(text.split()[-1]) / 1024
    finally:
        if previous is None:
            os.environ.pop(STATIC_ENV_VAR, None)
        else:
            os.environ[STATIC_ENV_VAR] = previous


def page_weights() -> list[tuple[str, int]]:
    """Every built content page with its weight, heaviest first."""
    html = ROOT / "_build" / "html"
    pages = [p for p in html.rglob("*.html")
             if "_static" not in p.parts and "_sources" not in p.parts]
    return sorted(((p.relative_to(html).as_posix(), page_weight(p)) for p in pages),
                  key=lambda item: -item[1])


def time_build(extra: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", ".", "-W", "-n",
                    "--keep-going", *extra], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def last_test_times() -> str:
    """The stage times of the last `make test` here, or a line saying there was none."""
    path = ROOT / "_build" / "test-logs" / "stage-times.txt"
    return path.read_text() if path.exists() else "(no `make test` has finished here yet)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    rows, over, course = [], [], 0.0
    notebooks = sorted(p for d in NOTEBOOK_DIRS
                       for p in (ROOT / d).glob("*.ipynb"))
    for path in notebooks:
        rel = path.relative_to(ROOT).as_posix()
        budget = SPECIAL_BUDGETS_S.get(rel, NOTEBOOK_BUDGET_S)
        cells, peak = [], 0.0
        for static in (False, True):
            measured = [time_notebook(path, static) for _ in range(args.repeats)]
            runs = [seconds for seconds, _ in measured]
            peak = max([peak] + [megabytes for _, megabytes in measured])
            cells.append(f"{statistics.median(runs):.1f} (max {max(runs):.1f})")
            course += 0.0 if static else statistics.median(runs)
            if max(runs) > budget:
                over.append(f"{rel} ({'static' if static else 'live'}): {max(runs):.1f} s "
                            f"> {budget:.0f} s")
        if peak > MEMORY_BUDGET_MB:
            over.append(f"{rel}: peak memory {peak:.0f} MB > {MEMORY_BUDGET_MB:.0f} MB")
        rows.append(f"| {rel} | {cells[0]} | {cells[1]} | {budget:.0f} | {peak:.0f} |")
        print(rows[-1], flush=True)

    if course > COURSE_BUDGET_S:
        over.append(f"the whole course: {course:.0f} s > {COURSE_BUDGET_S:.0f} s")
    build_line = rebuild_line = "not timed (--skip-build)"
    if not args.skip_build:
        # As in `make test`: an empty execution cache, so every notebook runs.
        shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
        build_line = f"{time_build(['--all']):.1f} s"
        # As `make book` after an edit: only notebooks whose code changed run again.
        rebuild_line = f"{time_build([]):.1f} s"
    weights = page_weights() if (ROOT / "_build" / "html").exists() else []
    heaviest = weights[0] if weights else ("(not built)", 0)
    if heaviest[1] > PAGE_BUDGET_BYTES:
        over.append(f"{heaviest[0]}: {heaviest[1] / 1e6:.2f} MB > 3 MB")

    report = "\n".join([
        "# Benchmark",
        "",
        f"Machine: {os.cpu_count()} CPU cores; {args.repeats} fresh-kernel runs per notebook "
        "and mode; seconds, median (slowest); the kernel's peak memory over all its runs "
        f"(budget {MEMORY_BUDGET_MB:.0f} MB, for a 2 GB Binder session).",
        "",
        "| notebook | live sliders (s) | static sliders, as in the build (s) | budget (s) "
        "| peak memory (MB) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"The whole course, every notebook once in a fresh kernel (sum of the live medians): "
        f"{course:.0f} s (budget {COURSE_BUDGET_S:.0f} s)",
        "",
        f"Strict build of the whole book, empty execution cache "
        f"(`jupyter-book build . -W -n --keep-going --all`): {build_line}",
        "",
        f"`make book` right after it, no notebook changed (each changed notebook adds its own "
        f"static time above): {rebuild_line}",
        "",
        f"Heaviest page with its images: {heaviest[0]}, {heaviest[1] / 1e6:.2f} MB "
        "(budget 3 MB)",
        "",
        "Over budget: " + ("; ".join(over) if over else "nothing"),
        "",
        "The last `make test` on this checkout (`_build/test-logs/stage-times.txt`, "
        "written by scripts/run_tests.py):",
        "",
        "```",
        last_test_times().rstrip(),
        "```",
        "",
    ])
    (ROOT / "benchmarks" / "results.md").write_text(report)
    print(report)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
