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


# The browser tests' fixtures (tests/test_book_pages.py, tests/test_quiz_pages.py), here
# so that both modules share them: one Chromium, one local server, and each content page
# opened once per viewport for the whole session. A parametrised session-scoped fixture
# makes pytest run every test of one page and viewport one after the other, whichever
# module it is in (one load instead of eight per page and viewport: page loads were the
# browser tests' largest cost). A test that changes the page puts it back.
def _book_pages() -> list[str]:
    from tests.book import HTML, content_pages

    return [page.relative_to(HTML).as_posix() for page in content_pages()]


@pytest.fixture(scope="session")
def server():
    import functools
    import http.server
    import threading

    from tests.book import HTML
    from tests.test_book_pages import QuietHandler

    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    import shutil

    from playwright.sync_api import sync_playwright

    from tests.test_book_pages import CHROMIUM_ARGS

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is missing: install Debian's chromium (scripts/ensure_browser.sh)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", params=_book_pages())
def desktop(request, browser, server):
    from tests.test_book_pages import open_page

    page, errors = open_page(browser, f"{server}/{request.param}")
    yield request.param, page, errors
    page.close()


@pytest.fixture(scope="session", params=_book_pages())
def phone(request, browser, server):
    from tests.test_book_pages import PHONE, open_page

    page, errors = open_page(browser, f"{server}/{request.param}", viewport=PHONE)
    yield request.param, page, errors
    page.close()
