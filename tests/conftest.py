"""Shared fixtures: the repository root and a way to run a notebook in a fresh kernel."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def run_notebook(nb: dict, cwd: Path) -> list[dict]:
    """Execute ``nb`` top to bottom (errors allowed) and return its code cells with outputs."""
    node = nbformat.reads(json.dumps(nb), as_version=4)
    NotebookClient(node, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return [c for c in node.cells if c.cell_type == "code"]


def cell_error(cell: dict) -> dict | None:
    return next((o for o in cell.get("outputs", []) if o["output_type"] == "error"), None)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


class FakeSphinxApp:
    """Stands in for Sphinx's application in tests of booktools.sphinx_ext.setup."""

    def __init__(self) -> None:
        self.handlers: dict[str, list] = {}

    def connect(self, event: str, handler, priority: int = 500) -> None:
        self.handlers.setdefault(event, []).append(handler)
