import json

import pytest

from nnbasics.authoring import (
    AuthoringError,
    colab_cell,
    make_exercise,
    normalise,
    repository,
    stale_files,
    stub_solutions,
)


def test_stub_keeps_indentation_and_turns_the_task_into_the_message():
    source = ("def f(x):\n    \"\"\"Doc.\"\"\"\n    # TASK: return twice x\n"
              "    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n")
    stub, top_level = stub_solutions(source, "nb")
    assert not top_level
    assert "return 2 * x" not in stub and "    # TASK: return twice x\n" in stub
    assert '    raise NotImplementedError(\n        "not implemented yet: return twice x"' in stub
    namespace = {}
    exec(stub, namespace)  # the generated code must run
    with pytest.raises(NotImplementedError, match="not implemented yet: return twice x"):
        namespace["f"](1)


def test_top_level_stub_is_reported():
    source = "# TASK: set a\n### BEGIN SOLUTION\na = 1\n### END SOLUTION"
    _, top_level = stub_solutions(source, "nb")
    assert top_level


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\na = 1\n### END SOLUTION", "write the learner's task"),
    ("### BEGIN SOLUTION: x\na = 1\n### END SOLUTION", "put the task on a '# TASK: ...'"),
    ("# TASK: x\n### BEGIN SOLUTION\na = 1\n### END SOLUTION: x", "nothing may follow"),
    ("# TASK: x\n### BEGIN SOLUTION\na = 1", "must follow '### BEGIN SOLUTION'"),
    ("a = 1\n### END SOLUTION", "without a '### BEGIN SOLUTION'"),
    ("# TASK: x\n### BEGIN SOLUTION\n# TASK: y\n### BEGIN SOLUTION\n### END SOLUTION",
     "one solution region per cell"),
    ("    # TASK: " + "x" * 80 + "\n    ### BEGIN SOLUTION\n    ### END SOLUTION", "shorten"),
])
def test_malformed_markers_are_rejected(source, message):
    with pytest.raises(AuthoringError, match=message):
        stub_solutions(source, "nb cell 3")


def notebook(*cells):
    return {"cells": list(cells), "metadata": {"kernelspec": {"name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def code(source, tags=(), cell_id=None):
    cell = {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}],
            "execution_count": 3}
    if cell_id:
        cell["id"] = cell_id
    return cell


def test_exercise_generation_tags_cells_and_drops_solution_only_cells():
    colab = colab_cell("https://example.org/repo", "main")
    solution = normalise(notebook(
        {"cell_type": "markdown", "source": "# Solution: demo\ntext", "metadata": {}},
        code("def f():\n    # TASK: do it\n    ### BEGIN SOLUTION\n    return 1\n"
             "    ### END SOLUTION", cell_id="f"),
        code("check(f)", tags=["check"], cell_id="check-f"),
        {"cell_type": "markdown", "source": "answer", "metadata": {"tags": ["solution-only"]}},
        code("# TASK: set a\n### BEGIN SOLUTION\na = 1\n### END SOLUTION", cell_id="a"),
    ), colab, "demo")
    assert solution["cells"][0]["metadata"]["tags"] == ["colab-setup", "remove-cell"]
    assert all(c.get("outputs", []) == [] for c in solution["cells"])
    assert solution["cells"][2]["metadata"]["nbgrader"]["solution"] is True
    assert solution["cells"][3]["metadata"]["nbgrader"]["grade"] is True
    assert solution["cells"][2]["metadata"]["nbgrader"]["grade_id"] == "f"
    assert solution["cells"][3]["metadata"]["nbgrader"]["grade_id"] == "check-f"
    exercise = make_exercise(solution, "solutions/demo.ipynb")
    sources = [c["source"] for c in exercise["cells"]]
    assert "answer" not in sources and len(sources) == 5
    assert sources[1] == "# Exercise: demo\ntext"
    tags = [c["metadata"].get("tags", []) for c in exercise["cells"]]
    assert "raises-exception" not in tags[2]  # defining a stub function does not raise
    assert "raises-exception" in tags[3] and "raises-exception" in tags[4]


def test_normalise_replaces_an_old_colab_cell():
    old = colab_cell("https://old.example/repo", "dev")
    new = colab_cell("https://new.example/repo", "main")
    nb = normalise(notebook(old, code("1")), new, "demo")
    assert len(nb["cells"]) == 2 and "new.example/repo@main" in nb["cells"][0]["source"]


def test_repository_comes_from_the_config(root):
    url, branch = repository(root)
    assert url.startswith("https://") and branch


def test_committed_notebooks_are_up_to_date(root):
    assert stale_files(root) == [], "run `make exercises` and commit the result"


def test_every_solution_has_an_exercise_and_nbgrader_metadata(root):
    for path in (root / "solutions").glob("*.ipynb"):
        assert (root / "exercises" / path.name).exists()
        cells = json.loads(path.read_text())["cells"]
        assert any(c["metadata"].get("nbgrader", {}).get("grade") for c in cells)


def test_colab_cell_installs_the_package_only_on_colab(monkeypatch, root):
    import subprocess
    import sys
    import types

    from packaging.requirements import Requirement

    url, branch = repository(root)
    source = colab_cell(url, branch)["source"]
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls.append((args, kw)))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(source, {})
    assert calls == [], "outside Colab the cell must do nothing"
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(source, {})
    (args, kwargs), = calls
    assert args[1:4] == ["-m", "pip", "install"] and kwargs == {"check": True}
    requirement = Requirement(args[-1])
    assert requirement.name == "nnbasics" and requirement.url == f"git+{url}@{branch}"
    assert not any("torch" in arg for arg in args), "Colab ships its own torch: never pin it"


def test_graded_cells_need_a_short_name_as_their_id():
    colab = colab_cell("https://example.org/repo", "main")
    with pytest.raises(AuthoringError, match="needs a short name as its cell id"):
        normalise(notebook(code("# TASK: t\n### BEGIN SOLUTION\na = 1\n### END SOLUTION",
                                cell_id="4d508c6a-x")), colab, "demo")
