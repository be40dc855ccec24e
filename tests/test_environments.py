"""The environments a learner gets (Binder, Colab) are the one the tests use."""

from __future__ import annotations

import re

from tests.conftest import ROOT

CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"


def requirement_lines(path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_binder_installs_the_course_requirements_with_cpu_torch():
    lines = requirement_lines(ROOT / "binder" / "requirements.txt")
    assert lines == [CPU_INDEX, "-r ../requirements.txt"], (
        "binder/requirements.txt must add only the CPU torch index to the course's own "
        f"requirements.txt, so the two cannot drift apart; it has {lines}")


def test_torch_is_pinned_to_the_small_cpu_build_once():
    """One exact pin (whichever version): pip then takes that release from the CPU index
    when make adds it, and Binder's image cannot drift to another build."""
    pins = [line for line in requirement_lines(ROOT / "requirements.txt")
            if re.match(r"torch\b", line)]
    assert len(pins) == 1 and re.fullmatch(r"torch==\d+\.\d+\.\d+", pins[0]), pins


#: What the learners' package may import besides the standard library: what a Colab
#: learner has or gets with it (its dependencies in pyproject.toml, and torch, which Colab
#: ships and requirements.txt pins). The book's tools (nbformat, PyYAML, Sphinx) live in
#: tools/booktools, a package of its own. IPython and matplotlib_inline come with every
#: Jupyter kernel.
LEARNER_IMPORTS = {"numpy", "matplotlib", "ipywidgets", "IPython", "matplotlib_inline",
                   "jupyterquiz", "torch", "nnbasics"}


def test_the_learners_package_imports_only_what_a_learner_installs():
    import ast
    import sys

    found = {}
    for path in sorted((ROOT / "nnbasics").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in LEARNER_IMPORTS:
                    found.setdefault(top, []).append(path.relative_to(ROOT).as_posix())
    assert found == {}, f"nnbasics imports what a learner does not install: {found}"
    declared = re.search(r"^dependencies = \[(.*)\]", (ROOT / "pyproject.toml").read_text(),
                         re.MULTILINE)[1]
    names = {re.match(r'"([A-Za-z0-9_-]+)', d.strip())[1] for d in declared.split(",")}
    assert names == {"numpy", "matplotlib", "ipywidgets", "jupyterquiz"}, names


def test_binder_python_is_pinned_and_allowed_by_the_package():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, f"binder/runtime.txt must pin Python as python-3.X, got {runtime!r}"
    minimum = re.search(r'requires-python = ">=3\.(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert int(match[1]) >= int(minimum[1])


def test_the_package_keeps_colabs_ipywidgets():
    """Colab ships ipywidgets 7.7.1; the package's requirement must accept it (so pip
    does not upgrade it to 8, with widgetsnbextension 3 -> 4), and the sliders may use
    only widgets that 7.x has."""
    import tomllib
    from packaging.requirements import Requirement

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    widgets = next(Requirement(d) for d in deps if Requirement(d).name == "ipywidgets")
    assert widgets.specifier.contains("7.7.1"), widgets
    used = set(re.findall(r"widgets\.([A-Z]\w+)", (ROOT / "nnbasics" / "sliders.py").read_text()))
    in_7x = {"IntSlider", "FloatSlider", "SelectionSlider", "Dropdown", "Output", "VBox",
             "HBox", "Layout", "Label", "HTML", "Play", "Image", "jslink", "interactive_output"}
    assert used <= in_7x, used - in_7x
