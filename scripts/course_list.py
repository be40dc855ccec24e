"""Print one of the course's lists for the Makefile, from its one home in the package.

    python scripts/course_list.py notebook-dirs   # chapters solutions exercises
    python scripts/course_list.py sweep-seeds     # 1 2 3

The Makefile used to read these tuples out of the source with ``sed``, which printed
nothing (so the seed sweep ran zero times and passed) once a tuple was reformatted.
Importing them cannot drift; an empty list is an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def lists() -> dict[str, tuple]:
    from booktools.authoring import NOTEBOOK_DIRS
    from nnbasics.seeding import SWEEP_SEEDS

    return {"notebook-dirs": NOTEBOOK_DIRS, "sweep-seeds": SWEEP_SEEDS}


def main(argv: list[str]) -> int:
    known = lists()
    if len(argv) != 1 or argv[0] not in known:
        print(f"usage: course_list.py {{{'|'.join(known)}}}", file=sys.stderr)
        return 2
    values = known[argv[0]]
    if not values:
        print(f"course_list.py: {argv[0]} is empty", file=sys.stderr)
        return 1
    print(" ".join(str(v) for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
