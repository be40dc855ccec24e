"""The integrity inspector (grading/integrity.py) on known cheats and on right answers.

Each cheat is what a learner could put in an answer cell of the gradient-descent
exercise to pass checks without solving; the first three are those of issue 18 that
scored 4/4 with wrong answers. Every one must be flagged, and no right answer of any
exercise (the solutions and every ``RIGHT`` variant in ``solutions/*_answers.py``)
may be. Fast: nothing is executed.
"""

from __future__ import annotations

import pytest

from grading.integrity import affected_parts, inspect_notebook
from tests.test_exercises import SOLUTIONS, answers, load, replace_region

STUB = "    return 0.0, 0.0"  # a wrong gradient the cheats sit beside

#: name -> {task: code for its solution region}
CHEATS = {
    "rebind-checks": {"gradient": STUB + "\n\n\ncheck_gradient = check_descent = "
                      "check_learning_rate = lambda *a, **k: print('✔')\n"
                      "check_fit = lambda path: np.zeros((101, 2))"},
    "patch-check-helpers": {"gradient": STUB + "\n\n\nimport nnbasics.checks.gradient_descent"
                            " as c\nc.close = lambda *a, **k: True\n"
                            "c.reaches_minimum = lambda *a, **k: True"},
    "private-reference": {"gradient": "    from nnbasics.checks.gradient_descent import "
                          "_reference_gradient\n    return _reference_gradient(w, b, x, y_d)"},
    "string-built-import": {"gradient": "    m = __import__('nnbasics.che' + 'cks.gradient_"
                            "descent', fromlist=['x'])\n    return m.__dict__['_ref' + "
                            "'erence_gradient'](w, b, x, y_d)"},
    "getattr-import": {"gradient": "    mod = __import__('nnbasics.checks.gradient_descent', "
                       "fromlist=['_'])\n    return getattr(mod, '_ref' + 'erence_gradient')"
                       "(w, b, x, y_d)"},
    "importlib": {"gradient": "    import importlib\n    m = importlib.import_module('nnbasics'"
                  " + '.checks.gradient_descent')\n    return m.neuron_minimum(x, y_d)[0]"},
    "patch-numpy": {"gradient": STUB + "\n\n\nnp.all = lambda *a, **k: True"},
    "setattr-numpy": {"gradient": STUB + "\n\n\nsetattr(np, 'all', lambda *a, **k: True)"},
    "edit-history": {"gradient": STUB + "\n\n\nIn[-1] = 'pass'\n_ih.append('pass')"},
    "input-transformer": {"gradient": STUB + "\n\n\nget_ipython().input_transformers_post"
                          ".append(lambda lines: ['pass\\n'])"},
    "swallowed-by-handler": {"gradient": STUB + "\n\n\nip = get_ipython()\n"
                             "ip.set_custom_exc((Exception,), lambda *a, **k: None)"},
    "swallowed-try": {"gradient": STUB + "\n\n\ntry:\n    check_gradient(cost_gradient)\n"
                      "except Exception:\n    pass"},
    "eval": {"gradient": "    return eval('__imp' + 'ort__(\"nnbasics.checks.gradient_descent\""
             ", fromlist=[\"_\"])._reference_gradient')(w, b, x, y_d)"},
    "code-object": {"gradient": STUB + "\n\n\nfrom nnbasics.models import neuron_gradient\n"
                    "cost_gradient.__code__ = neuron_gradient.__code__"},
    "caller-frame": {"gradient": "    import sys\n    frame = sys._getframe(1)\n"
                     "    return frame.f_locals['expected']"},
    "inspect-frame": {"gradient": "    import inspect\n    return inspect.stack()[1].frame"
                      ".f_locals['expected']"},
    "redefine-check": {"gradient": STUB + "\n\n\ndef check_gradient(fn):\n    print('✔')"},
    "rebind-data": {"learning-rate": "learning_rate = 10.0\nSTEPS = 10**6"},
    "sys-modules": {"gradient": STUB + "\n\n\nimport sys\n"
                    "sys.modules['nnbasics.checks.core'].close = lambda *a, **k: True"},
    "builtins": {"gradient": STUB + "\n\n\nimport builtins\nbuiltins.print = lambda *a: None"},
    "globals": {"gradient": STUB + "\n\n\nglobals()['check_gradient'] = print"},
    "import-under-check-name": {"gradient": STUB + "\n\n\nfrom nnbasics.checks.gradient_descent"
                                " import check_learning_rate as check_gradient"},
    "magic-run": {"gradient": STUB + "\n\n\n%run -i other.py"},
}


def cheat_notebook(cheat: str) -> dict:
    nb = load("solutions", "gradient_descent")
    for task, code in CHEATS[cheat].items():
        nb = replace_region(nb, task, code)
    return nb


@pytest.mark.parametrize("cheat", sorted(CHEATS))
def test_every_cheat_is_flagged(cheat):
    nb = cheat_notebook(cheat)
    findings = inspect_notebook(nb, load("solutions", "gradient_descent"))
    assert findings, f"{cheat} was not flagged"
    parts = affected_parts(nb, findings)
    task = next(iter(CHEATS[cheat]))
    assert f"check-{task}" in parts, (cheat, parts)
    print(cheat, "->", "; ".join(map(str, findings)))


@pytest.mark.parametrize("name", SOLUTIONS)
def test_no_solution_is_flagged(name):
    nb = load("solutions", name)
    assert inspect_notebook(nb, nb) == []
    exercise = load("exercises", name)
    assert inspect_notebook(exercise, nb) == []


RIGHT_CASES = [pytest.param(name, task, right, id=f"{name}:{task}:right{i}")
               for name in SOLUTIONS for task, cases in answers(name)["RIGHT"].items()
               for i, right in enumerate(cases)]


@pytest.mark.parametrize(("name", "task", "right"), RIGHT_CASES)
def test_no_right_answer_is_flagged(name, task, right):
    source = load("solutions", name)
    assert inspect_notebook(replace_region(source, task, right), source) == []


def test_a_finding_voids_its_own_part_and_every_later_one():
    source = load("solutions", "gradient_descent")
    nb = cheat_notebook("patch-numpy")
    parts = affected_parts(nb, inspect_notebook(nb, source))
    assert set(parts) == {"check-gradient", "check-descent", "check-learning-rate",
                          "check-fit"}
    nb = cheat_notebook("rebind-data")
    assert set(affected_parts(nb, inspect_notebook(nb, source))) == {"check-learning-rate",
                                                             "check-fit"}


# -- inside the kernel: nnbasics.checks.integrity ----------------------------------------
def test_fresh_rng_is_fixed_under_a_grading_seed_and_fresh_otherwise(monkeypatch):
    import subprocess
    import sys

    draw = ("from nnbasics.checks.core import fresh_rng;"
            "print(fresh_rng().random(), fresh_rng().random())")

    def run(seed: str | None) -> str:
        env = {k: v for k, v in __import__("os").environ.items()
               if k != "NNBASICS_CHECK_SEED"}
        if seed is not None:
            env["NNBASICS_CHECK_SEED"] = seed
        return subprocess.run([sys.executable, "-c", draw], env=env, check=True,
                              capture_output=True, text=True).stdout

    assert run("12345") == run("12345")
    assert run("12345") != run("54321")
    assert run(None) != run(None)
    first, second = run("7").split()
    assert first != second, "two draws in one grading run must differ"
    bad = subprocess.run([sys.executable, "-c", draw], capture_output=True, text=True,
                         env={**__import__("os").environ, "NNBASICS_CHECK_SEED": "x"})
    assert "NNBASICS_CHECK_SEED must be a whole number" in bad.stderr


def test_the_kernel_refuses_a_replaced_helper_and_a_foreign_check(monkeypatch):
    import numpy as np

    from nnbasics.checks import gradient_descent as gd
    from nnbasics.checks.integrity import foreign_checks, replaced_helpers

    assert replaced_helpers() == []
    assert foreign_checks({"check_gradient"}, vars(gd)) == []
    fake = eval("lambda *a, **k: True")  # a function written outside any file
    monkeypatch.setattr(gd, "close", fake)
    monkeypatch.setattr(np, "all", fake)
    from nnbasics.engine import MLP
    monkeypatch.setattr(MLP, "forward", fake)  # what the multistage checks evaluate
    assert set(replaced_helpers()) >= {"nnbasics.checks.gradient_descent.close", "numpy.all",
                                       "nnbasics.engine.MLP.forward"}
    assert foreign_checks({"check_gradient"}, {"check_gradient": fake}) == ["check_gradient"]
    assert foreign_checks({"check_gradient"}, {"check_gradient": gd.check_descent}) == []


def test_a_learner_practising_alone_sees_why_the_checks_refuse(tmp_path):
    """In the kernel: patched helpers make every later check cell fail with the reason."""
    from tests.conftest import ROOT, cell_error, run_notebook

    cells = run_notebook(cheat_notebook("patch-check-helpers"), ROOT / "solutions")
    checks = [c for c in cells if "check" in c.metadata.get("tags", [])]
    for cell in checks:
        error = cell_error(cell)
        assert error and error["ename"] == "CheckFailed", cell.get("id")
        assert "nnbasics.checks.gradient_descent.close was replaced" in error["evalue"]
