import json
import re

import pytest

from booktools.authoring import (
    AuthoringError,
    colab_cell,
    make_exercise,
    missing_answers,
    nbgrader_source,
    normalise,
    open_links,
    release_tag,
    repository,
    setup_cell,
    solution_page,
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

    url, _ = repository(root)
    tag = release_tag(root)
    assert re.fullmatch(r"v\d+\.\d+\.\d+\S*", tag), tag
    source = colab_cell(url, tag)["source"]
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
    assert requirement.name == "nnbasics" and requirement.url == f"git+{url}@{tag}"
    assert not any("torch" in arg for arg in args), "Colab ships its own torch: never pin it"


def test_graded_cells_need_a_short_name_as_their_id():
    colab = colab_cell("https://example.org/repo", "main")
    with pytest.raises(AuthoringError, match="needs a short name as its cell id"):
        normalise(notebook(code("# TASK: t\n### BEGIN SOLUTION\na = 1\n### END SOLUTION",
                                cell_id="4d508c6a-x")), colab, "demo")


COLAB = colab_cell("https://github.com/owner/course", "main")
SETUP = setup_cell("https://github.com/owner/course", "main")


def markdown(source, tags=(), cell_id=None):
    cell = {"cell_type": "markdown", "source": source, "metadata": {"tags": list(tags)}}
    if cell_id:
        cell["id"] = cell_id
    return cell


def demo_solution(*extra_first):
    """A small solution notebook: a title, an author note, two tasks with checks."""
    return normalise(notebook(
        markdown("# Solution: demo\ntext", cell_id="title"),
        markdown("This is the solution notebook.", tags=["author-note"], cell_id="note"),
        *extra_first,
        code("def f():\n    # TASK: return one\n    ### BEGIN SOLUTION\n    return 1\n"
             "    ### END SOLUTION", cell_id="f"),
        code("check(f)", tags=["check"], cell_id="check-f"),
        markdown("Why one: because.", tags=["solution-only"], cell_id="why-f"),
        code("a = None\n# TASK: set a\n### BEGIN SOLUTION\na = 1\n### END SOLUTION",
             cell_id="a"),
        code("check(a)", tags=["check"], cell_id="check-a"),
    ), COLAB, "solutions/demo.ipynb", SETUP)


def grade_ids(nb):
    return {c["id"]: c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
            if "nbgrader" in c["metadata"]}


def test_solutions_get_a_locked_setup_cell_after_the_colab_cell():
    nb = demo_solution()
    assert [c["id"] for c in nb["cells"][:2]] == ["colab-setup", "setup"]
    assert nb["cells"][1]["metadata"]["nbgrader"]["locked"] is True
    again = normalise(nb, COLAB, "solutions/demo.ipynb", SETUP)
    assert again == nb, "normalising twice must not add a second set-up cell"


@pytest.fixture
def without_nnbasics(monkeypatch):
    """Make ``import nnbasics`` fail as in a kernel that lacks the package."""
    import sys

    for module in [m for m in sys.modules if m == "nnbasics" or m.startswith("nnbasics.")]:
        monkeypatch.delitem(sys.modules, module)

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name == "nnbasics":
                raise ModuleNotFoundError("No module named 'nnbasics'", name=name)

    monkeypatch.setattr(sys, "meta_path", [Block(), *sys.meta_path])


def test_setup_cell_names_the_install_command_to_a_learner(without_nnbasics, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with pytest.raises(ModuleNotFoundError) as error:
        exec(SETUP["source"], {})
    message = str(error.value)
    assert message.startswith("the course's helper package is missing in this kernel")
    assert '`pip install "nnbasics @ git+https://github.com/owner/course@main"`' in message
    assert "`pip install -e .` in the course folder" in message


def test_setup_cell_ends_the_kernel_under_nbgrader_autograde(without_nnbasics, monkeypatch):
    import os

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    written, exits = [], []
    monkeypatch.setattr(os, "write", lambda fd, data: written.append(data.decode()))

    def fake_exit(code):
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", fake_exit)
    with pytest.raises(SystemExit):
        exec(SETUP["source"], {})
    assert exits == [1] and "pip install" in written[0]


def test_setup_cell_does_nothing_when_the_package_is_there(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    exec(SETUP["source"], {})


def test_exercise_opens_with_where_to_work_on_it(root):
    links = open_links(root, "exercises/demo.ipynb")
    url, branch = repository(root)
    repo = url.removeprefix("https://github.com/")
    assert links == {
        "colab": f"https://colab.research.google.com/github/{repo}/blob/{branch}/"
                 "exercises/demo.ipynb",
        "binder": f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/"
                  "exercises/demo.ipynb",
        "raw": f"https://raw.githubusercontent.com/{repo}/{branch}/exercises/demo.ipynb",
    }
    exercise = make_exercise(demo_solution(), "solutions/demo.ipynb", links)
    ids = [c["id"] for c in exercise["cells"]]
    assert ids == ["colab-setup", "setup", "title", "open-this-notebook", "f", "check-f", "a",
                   "check-a"], "author notes and answers' prose are dropped, the note added"
    note = exercise["cells"][3]["source"]
    assert all(f"]({link})" in note for link in links.values()) and "download" in note


def test_open_links_need_a_github_address(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://gitlab.com/a/b\n")
    with pytest.raises(AuthoringError, match="_config.yml: repository.url must be a GitHub"):
        open_links(tmp_path, "exercises/demo.ipynb")


def test_nbgrader_source_reads_as_an_exercise_and_keeps_the_markers():
    source = nbgrader_source(demo_solution(), "solutions/demo.ipynb")
    texts = [c["source"] for c in source["cells"]]
    assert texts[2] == "# Exercise: demo\ntext"
    assert [c["id"] for c in source["cells"]] == ["colab-setup", "setup", "title", "f",
                                                  "check-f", "a", "check-a"]
    f = next(c for c in source["cells"] if c["id"] == "f")
    assert "### BEGIN SOLUTION" in f["source"] and f["metadata"]["nbgrader"]["solution"]


def test_solution_page_drops_markers_and_author_notes_but_keeps_tasks_and_prose():
    page = solution_page(demo_solution())
    ids = [c["id"] for c in page["cells"]]
    assert "note" not in ids and "why-f" in ids
    f = next(c for c in page["cells"] if c["id"] == "f")
    assert f["source"] == "def f():\n    # TASK: return one\n    return 1"
    assert not any("SOLUTION" in c["source"] for c in page["cells"])


def test_the_book_reads_solutions_through_the_page_filter():
    from booktools.sphinx_ext import show_solution_as_a_page

    text = json.dumps(demo_solution())
    source = [text]
    show_solution_as_a_page(None, "chapters/demo", source)
    assert source == [text], "chapters are left alone"
    show_solution_as_a_page(None, "solutions/demo", source)
    assert json.loads(source[0]) == solution_page(demo_solution())
    markdown_page = ["# Solutions\n"]
    show_solution_as_a_page(None, "solutions/index", markdown_page)
    assert markdown_page == ["# Solutions\n"]


def test_a_new_task_before_the_others_keeps_their_grade_ids_and_test_answers(root):
    """Graded cells are named: adding a task first renumbers nothing, misdirects nothing."""
    from tests.test_exercises import replace_region

    for path in sorted((root / "solutions").glob("*.ipynb")):
        before = json.loads(path.read_text())
        first_task = next(i for i, c in enumerate(before["cells"])
                          if "nbgrader" in c["metadata"] and c["metadata"]["nbgrader"]["solution"])
        new = [code("def g():\n    # TASK: return two\n    ### BEGIN SOLUTION\n    return 2\n"
                    "    ### END SOLUTION", cell_id="new-task"),
               code("check(g)", tags=["check"], cell_id="check-new-task")]
        after = json.loads(json.dumps(before))
        after["cells"][first_task:first_task] = new
        after = normalise(after, COLAB, path.name, SETUP)
        old_ids, new_ids = grade_ids(before), grade_ids(after)
        assert {k: new_ids[k] for k in old_ids} == old_ids, path.name
        assert new_ids["new-task"] == "new-task"
        for task in [k for k, v in old_ids.items() if k == v and not k.startswith("check-")
                     and k != "setup"]:
            changed = replace_region(after, task, "    marker = 'the test's answer'")
            edited = [c["id"] for c, o in zip(changed["cells"], after["cells"], strict=True)
                      if c["source"] != o["source"]]
            assert edited == [task], f"{path.name}: the answer to {task!r} went to {edited}"
        exercise = make_exercise(after, path.name)
        assert {c["id"] for c in exercise["cells"]} >= set(old_ids)


@pytest.mark.parametrize("cells, message", [
    ([markdown("# TASK: x\n### BEGIN SOLUTION\nanswer\n### END SOLUTION", cell_id="m")],
     r"solutions/demo.ipynb, cell 1 \(id 'm'.*in a Markdown cell"),
    ([code("a = 1\n### END SOLUTION", cell_id="c")],
     r"solutions/demo.ipynb, cell 1 \(id 'c', 'a = 1'\).*without a '### BEGIN SOLUTION'"),
    ([code("# TASK: x\n### BEGIN SOLUTION\na = 1\n### END SOLUTION gradient", cell_id="c")],
     r"nothing may follow '### END SOLUTION'.*the task belongs on the '# TASK: \.\.\.' line"),
    ([code("1", cell_id="setup")], r"rename the cells with id 'setup'"),
])
def test_messages_name_the_file_the_cell_and_the_fix(cells, message):
    with pytest.raises(AuthoringError, match=message):
        normalise(notebook(*cells), COLAB, "solutions/demo.ipynb", SETUP)


def test_check_names_the_answers_file_and_the_list_to_fill(tmp_path, root):
    (tmp_path / "solutions").mkdir()
    nb = notebook(code("# TASK: t\n### BEGIN SOLUTION\na = 1\n### END SOLUTION",
                       cell_id="a"))
    (tmp_path / "solutions" / "demo.ipynb").write_text(json.dumps(nb))
    assert missing_answers(tmp_path) == [
        "solutions/demo_answers.py is missing: write WRONG and RIGHT there, each a dict with "
        "a list per task ['a'] (see CONTRIBUTING.md)"]
    (tmp_path / "solutions" / "demo_answers.py").write_text(
        'WRONG = {"a": [], "b": [("x", "y")]}\nRIGHT = {"a": ["a = 1.0"]}\n')
    assert missing_answers(tmp_path) == [
        "solutions/demo_answers.py: add a wrong answer, with words its check's message must "
        "contain, to the list WRONG['a']",
        "solutions/demo_answers.py: WRONG['b'] names no task of demo.ipynb (its task cells' "
        "ids are ['a'])"]
    assert missing_answers(root) == []


def test_released_notebooks_link_to_the_chapters_in_the_repository():
    from booktools.authoring import absolute_chapter_links

    text = "Read [Gradient descent](../chapters/gradient_descent.ipynb#sec-x) first."
    url = "https://github.com/o/r"
    assert absolute_chapter_links(text, url, "v0.1.0") == (
        "Read [Gradient descent](https://github.com/o/r/blob/v0.1.0/chapters/"
        "gradient_descent.ipynb#sec-x) first.")
    solution = demo_solution(markdown(text, cell_id="read"))
    source = nbgrader_source(solution, "solutions/demo.ipynb", url, "v0.1.0")
    released = "".join(c["source"] for c in source["cells"] if c["cell_type"] == "markdown")
    assert "blob/v0.1.0/chapters/gradient_descent.ipynb#sec-x" in released
    assert "../chapters" not in released
