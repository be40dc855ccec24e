"""Small display helpers for notebooks."""

from __future__ import annotations

import inspect

from IPython.display import Markdown, display


def show_source(obj: object) -> None:
    """Show the source of a course helper as a highlighted code block.

    Chapters derive a formula in the text, then show the one implementation the
    course keeps of it, instead of pasting a copy into the notebook.
    """
    try:
        source = inspect.getsource(obj)  # type: ignore[arg-type]
    except (TypeError, OSError) as exc:
        raise TypeError(f"show_source needs a function or class, got {obj!r}") from exc
    display(Markdown(f"```python\n{source}```"))
