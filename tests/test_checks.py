"""The gradient-descent exercise's checks and the shared core, called directly.

A learner's functions live in the notebook's module ``__main__``; :func:`notebook`
defines them the same way, so the checks see what they see in a notebook.
"""

import numpy as np
import pytest

from nnbasics.checks import core
from nnbasics.checks import gradient_descent as gd
from nnbasics.checks.core import CheckFailed
from nnbasics.descent import gradient_descent as reference_descent
from nnbasics.descent import numerical_gradient
from nnbasics.models import flat_problem, neuron_cost, neuron_gradient, sigmoid

GRADIENT = """
def cost_gradient(w, b, x, y_d):
    y = sigmoid(w * x + b)
    common = 2 * (y - y_d) * y * (1 - y)
    return {result}
"""
LOOP = """
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    path = [(w, b)]
    for _ in range(steps):
        dw, db = cost_gradient(w, b, x, y_d)
        w, b = {update}
        path.append((w, b))
    return np.array(path)
"""


def notebook(source: str, **names) -> dict:
    """Run ``source`` as a notebook cell would (module ``__main__``); return its namespace."""
    scope = {"__name__": "__main__", "np": np, "sigmoid": sigmoid, **names}
    exec(source, scope)
    return scope


def gradient(result="np.mean(common * x), np.mean(common)", **names):
    return notebook(GRADIENT.format(result=result), **names)["cost_gradient"]


def loop(update="w - learning_rate * dw, b - learning_rate * db", **names):
    return notebook(LOOP.format(update=update), **names)["gradient_descent"]


# -- Task 1 -------------------------------------------------------------------------
@pytest.mark.parametrize("result", [
    "np.mean(common * x), np.mean(common)",
    "[np.mean(common * x), np.mean(common)]",
    "np.array([np.mean(common * x), np.mean(common)])",
    "np.asarray(np.mean(common * x)), np.asarray(np.mean(common))",  # 0-d arrays
    "np.float32(np.mean(common * x)), np.float32(np.mean(common))",
])
def test_right_gradients_in_every_form_pass(result, capsys):
    gd.check_gradient(gradient(result))
    assert "matches the chain rule at 3 random points" in capsys.readouterr().out


def test_a_torch_gradient_passes():
    torch = pytest.importorskip("torch")
    fn = notebook("""
def cost_gradient(w, b, x, y_d):
    xt, yt = torch.as_tensor(x), torch.as_tensor(y_d)
    s = torch.sigmoid(w * xt + b)
    g = 2 * (s - yt) * s * (1 - s)
    return torch.stack([(g * xt).mean(), g.mean()])
""", torch=torch)["cost_gradient"]
    gd.check_gradient(fn)


@pytest.mark.parametrize("result, hint", [
    ("np.mean(common * x) / 2, np.mean(common) / 2", "check the factor 2"),
    ("-np.mean(common * x), -np.mean(common)", "wrong sign"),
    ("np.sum(common * x), np.sum(common)", "times too large: J is the mean"),
    ("np.mean(common * x) / len(x), np.mean(common) / len(x)", "times too small"),
    ("np.mean(2 * (y - y_d) * x), np.mean(2 * (y - y_d))", "you left out σ'"),
    ("np.mean(common), np.mean(common)", "inner derivative ∂z/∂w = x"),
    ("np.mean(common * x), np.mean(common * x)", "dJ/db has no factor x"),
    ("np.mean(common), np.mean(common * x)", "return the pair in the order (dJ/dw, dJ/db)"),
    ("common * x, common", "one number per example?"),
    ("np.stack([common * x, common])", "one number per example?"),
    ("np.mean(common * x)", "should be 2 numbers"),
    ("None", "returned None"),
    ("np.array([[np.mean(common * x)], [np.mean(common)]])", "array of shape (2, 1)"),
    ("1.7 * np.mean(common * x), np.mean(common)", "check each factor of the chain rule"),
    ("'dJ/dw', 'dJ/db'", "remove the quotes"),
])
def test_wrong_gradients_fail_with_the_likely_mistake(result, hint):
    with pytest.raises(CheckFailed) as err:
        gd.check_gradient(gradient(result))
    assert hint in str(err.value)


def test_a_wrong_gradient_message_gives_the_value_the_expected_one_and_where():
    with pytest.raises(CheckFailed, match=r"your dJ/dw at \(w, b\) = \(\S+, \S+\), on the "
                                          r"check's \d+ random examples is \S+, expected \S+; "
                                          r"yours is half"):
        gd.check_gradient(gradient("np.mean(common * x) / 2, np.mean(common) / 2"))


def test_the_notebooks_global_data_instead_of_the_arguments_is_named():
    x, y_d = gd.exercise_data()
    fn = notebook("""
def cost_gradient(w, b, x_unused, y_unused):
    y = sigmoid(w * x + b)
    common = 2 * (y - y_d) * y * (1 - y)
    return np.mean(common * x), np.mean(common)
""", x=x, y_d=y_d)["cost_gradient"]
    with pytest.raises(CheckFailed, match="uses the notebook's x and y_d"):
        gd.check_gradient(fn)


def test_checks_evaluate_at_fresh_points_on_every_run():
    seen = []

    def record(w, b, x, y_d):
        seen.append((w, b, len(x)))
        return neuron_gradient(w, b, x, y_d)

    fn = notebook("def cost_gradient(w, b, x, y_d):\n    return record(w, b, x, y_d)\n",
                  record=record)["cost_gradient"]
    gd.check_gradient(fn)
    gd.check_gradient(fn)
    assert len(seen) == 2 * gd.GRADIENT_POINTS and len(set(seen)) == len(seen)


# -- answers that are not the learner's own ------------------------------------------
def test_the_course_reference_imported_under_the_tasks_name_fails():
    scope = notebook("from nnbasics.models import neuron_gradient as cost_gradient\n")
    with pytest.raises(CheckFailed, match=r"comes from nnbasics\.models: .* write it yourself"):
        gd.check_gradient(scope["cost_gradient"])


@pytest.mark.parametrize("source", [
    "def cost_gradient(w, b, x, y_d):\n    return neuron_gradient(w, b, x, y_d)\n",
    "cost_gradient = lambda w, b, x, y_d: neuron_gradient(w, b, x, y_d)\n",
    "g = neuron_gradient\ndef cost_gradient(w, b, x, y_d):\n    return g(w, b, x, y_d)\n",
    "def cost_gradient(w, b, x, y_d, f=neuron_gradient):\n    return f(w, b, x, y_d)\n",
    "import nnbasics.models as m\n"
    "def cost_gradient(w, b, x, y_d):\n    return m.neuron_gradient(w, b, x, y_d)\n",
    "def cost_gradient(w, b, x, y_d):\n"
    "    return numerical_gradient(lambda p: neuron_cost(p[0], p[1], x, y_d), [w, b])\n",
])
def test_a_wrapper_around_the_course_reference_fails(source):
    fn = notebook(source, neuron_gradient=neuron_gradient, neuron_cost=neuron_cost,
                  numerical_gradient=numerical_gradient)["cost_gradient"]
    with pytest.raises(CheckFailed, match="calls the course's (neuron|numerical)_gradient"):
        gd.check_gradient(fn)


def test_a_function_from_elsewhere_or_not_a_function_fails():
    with pytest.raises(CheckFailed, match="must be defined in this notebook"):
        gd.check_gradient(lambda w, b, x, y_d: neuron_gradient(w, b, x, y_d))  # module tests.
    with pytest.raises(CheckFailed, match="must be a function you define"):
        gd.check_gradient(3.0)


def test_an_error_inside_the_learners_code_is_shown_as_that_error():
    fn = gradient("np.mean(common * x), np.mean(common) / undefined_name")
    with pytest.raises(NameError, match="undefined_name"):
        gd.check_gradient(fn)
    fn = gradient("np.mean(common * x[:3]), np.mean(common)")
    with pytest.raises(ValueError, match="broadcast"):
        gd.check_gradient(fn)


# -- Task 2 ----------------------------------------------------------------------
def test_the_loop_is_checked_with_the_reference_gradient(capsys):
    """A wrong cost_gradient does not fail the loop check, and is put back afterwards."""
    wrong = gradient("-np.mean(common * x), -np.mean(common)")
    fn = loop(cost_gradient=wrong)
    gd.check_descent(fn)
    assert "follows the reference path" in capsys.readouterr().out
    assert fn.__globals__["cost_gradient"] is wrong


def test_the_learners_gradient_is_restored_when_the_loop_raises():
    wrong = gradient()
    fn = loop(update="w - learning_rate * dw + 1 / 0, b - learning_rate * db",
              cost_gradient=wrong)
    with pytest.raises(ZeroDivisionError):
        gd.check_descent(fn)
    assert fn.__globals__["cost_gradient"] is wrong


def test_two_bugs_cannot_pass_together():
    """An uphill loop with a sign-flipped gradient goes downhill, and still fails."""
    fn = loop(update="w + learning_rate * dw, b + learning_rate * db",
              cost_gradient=gradient("-np.mean(common * x), -np.mean(common)"))
    with pytest.raises(CheckFailed, match="you stepped uphill"):
        gd.check_descent(fn)


def test_a_loop_that_treats_the_gradient_as_a_vector_passes():
    fn = notebook("""
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    path = [np.array([w, b])]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * cost_gradient(*path[-1], x, y_d))
    return path
""", cost_gradient=gradient("np.array([np.mean(common * x), np.mean(common)])"))
    gd.check_descent(fn["gradient_descent"])


@pytest.mark.parametrize("update, hint", [
    ("w + learning_rate * dw, b + learning_rate * db", "you stepped uphill"),
    ("w - dw, b - db", "scaled by the learning rate"),
    ("w - learning_rate**2 * dw, b - learning_rate**2 * db", "the rate is applied twice"),
    ("w - learning_rate * dw, b", "the first step should be −α ∇J"),
])
def test_wrong_loops_fail_with_the_likely_mistake(update, hint):
    with pytest.raises(CheckFailed, match=r"in gradient_descent\(.*\), row 1 of your path") as e:
        gd.check_descent(loop(update))
    assert hint in str(e.value)


@pytest.mark.parametrize("body, hint", [
    ("    p = [(w, b)]\n    g = cost_gradient(w, b, x, y_d)\n    for _ in range(steps):\n"
     "        w, b = w - learning_rate * g[0], b - learning_rate * g[1]\n"
     "        p.append((w, b))\n    return p", "gradient at the start"),
    ("    p = [(w, b)]\n    for _ in range(steps):\n"
     "        w = w - learning_rate * cost_gradient(w, b, x, y_d)[0]\n"
     "        b = b - learning_rate * cost_gradient(w, b, x, y_d)[1]\n"
     "        p.append((w, b))\n    return p", "both derivatives at the same (w, b)"),
    ("    p = []\n    for _ in range(steps):\n        g = cost_gradient(w, b, x, y_d)\n"
     "        w, b = w - learning_rate * g[0], b - learning_rate * g[1]\n"
     "        p.append((w, b))\n    return p", "rows instead of"),
    ("    t = np.array([w, b])\n    p = [t]\n    for _ in range(steps):\n"
     "        t -= learning_rate * np.array(cost_gradient(*t, x, y_d))\n"
     "        p.append(t)\n    return p", "changed it in place"),
    ("    return np.array([w, b])", "return every point visited"),
    ("    return np.zeros((2, steps + 1))", "the path is transposed"),
    ("    return [(w, b)] * (steps + 2)", "one row too many"),
    ("    pass", "returned None"),
    ("    p = [(w + 1, b)]\n    for _ in range(steps):\n        g = cost_gradient(w, b, x, y_d)\n"
     "        w, b = w - learning_rate * g[0], b - learning_rate * g[1]\n"
     "        p.append((w, b))\n    return p", "expected the starting point"),
])
def test_wrong_paths_fail_in_the_learners_terms(body, hint):
    fn = notebook(f"def gradient_descent(w, b, x, y_d, learning_rate, steps):\n{body}\n",
                  cost_gradient=gradient())["gradient_descent"]
    with pytest.raises(CheckFailed) as err:
        gd.check_descent(fn)
    assert hint in str(err.value)


def test_a_loop_around_the_course_optimiser_fails():
    fn = notebook("""
def gradient_descent(w, b, x, y_d, learning_rate, steps):
    cost, grad = flat_problem(neuron_cost, cost_gradient, x, y_d)
    return descend(cost, grad, (w, b), learning_rate, steps).params
""", descend=reference_descent, flat_problem=flat_problem, neuron_cost=neuron_cost,
                  cost_gradient=gradient())["gradient_descent"]
    with pytest.raises(CheckFailed, match="calls the course's gradient_descent"):
        gd.check_descent(fn)


# -- Task 3 and the fit: one criterion -------------------------------------------
@pytest.mark.parametrize("rate", [10, 10.0, np.float32(5.0), np.array(30.0), [20.0]])
def test_right_learning_rates_in_every_form_pass(rate):
    gd.check_learning_rate(rate)


def test_a_torch_learning_rate_passes():
    torch = pytest.importorskip("torch")
    gd.check_learning_rate(torch.tensor(10.0))


@pytest.mark.parametrize("rate, hint", [
    (0.5, "too small, so try a larger"), (3.5, "too small, so try a larger"),
    (57.0, r"stable only for α < 2/λ_max ≈ 52\.3, so try a smaller"),
    (500.0, "so try a smaller"), (-1.0, "must be a positive number"),
    (0, "must be a positive number"), (float("nan"), "NaN or infinite"),
    ("10", "remove the quotes"), (True, "should be a single number, but it is True"),
    ([1.0, 10.0], "set it to one number"),
])
def test_wrong_learning_rates_fail_with_what_to_change(rate, hint):
    with pytest.raises(CheckFailed, match=hint):
        gd.check_learning_rate(rate)


def test_an_unset_learning_rate_is_not_implemented():
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        gd.check_learning_rate(None)


def test_the_rates_that_pass_are_one_interval_stated_in_the_solution():
    """The solution's prose: below about 3.6 too slow; 2/λ_max ≈ 52; α = 10 well inside."""
    assert not gd.descent_verdict(3.55)[0] and gd.descent_verdict(3.65)[0]
    assert gd.descent_verdict(52.0)[0] and not gd.descent_verdict(57.0)[0]
    rates = np.geomspace(0.5, 600.0, 60)
    verdicts = np.array([gd.descent_verdict(r)[0] for r in rates])
    passing = np.flatnonzero(verdicts)
    assert not verdicts[0] and not verdicts[-1] and np.all(np.diff(passing) == 1)


@pytest.mark.parametrize("rate", np.geomspace(0.5, 600.0, 25))
def test_the_learning_rate_check_and_the_fit_agree(rate):
    """The fit of a right loop passes exactly when the rate passes (issue 6)."""
    x, y_d = gd.exercise_data()
    path = gd._reference_descent(rate, gd.START, gd.STEPS, x, y_d)
    rate_ok = gd.descent_verdict(rate)[0]
    try:
        gd.check_fit(path)
        fit_ok = True
    except CheckFailed:
        fit_ok = False
    assert rate_ok == fit_ok


def test_the_fit_names_the_criterion_and_accepts_lists():
    x, y_d = gd.exercise_data()
    good = gd._reference_descent(10.0, gd.START, gd.STEPS, x, y_d)
    assert np.allclose(gd.check_fit(good.tolist()), good)
    with pytest.raises(CheckFailed, match=r"J − J\* ≤ 1e-04, the criterion of the learning"):
        gd.check_fit(gd._reference_descent(1.0, gd.START, gd.STEPS, x, y_d))
    with pytest.raises(CheckFailed, match=r"run gradient_descent\(0.0, 0.0, x, y_d"):
        gd.check_fit(good[:-1])


# -- the references ---------------------------------------------------------------------
def test_the_reference_gradient_and_hessian_match_finite_differences():
    x, y_d = gd.exercise_data()
    cost, grad = flat_problem(neuron_cost, neuron_gradient, x, y_d)
    for point in ([0.5, -0.2], [2.0, 1.0], [-1.0, 0.3]):
        assert np.allclose(gd._reference_gradient(*point, x, y_d),
                           numerical_gradient(cost, point), rtol=1e-6, atol=1e-10)
        hessian = np.array([numerical_gradient(lambda p, i=i: grad(p)[i], point)
                            for i in range(2)])
        assert np.allclose(gd._hessian(*point, x, y_d), hessian, rtol=1e-5, atol=1e-8)


def test_the_minimum_agrees_with_a_long_descent_at_the_exercises_scale():
    x, y_d = gd.exercise_data()
    theta, j_star = gd.neuron_minimum(x, y_d)
    cost, grad = flat_problem(neuron_cost, neuron_gradient, x, y_d)
    run = reference_descent(cost, grad, [0.0, 0.0], 10.0, 20_000)
    assert abs(run.costs[-1] - j_star) < 1e-14 and np.allclose(run.final, theta, atol=1e-6)
    assert np.linalg.norm(grad(theta)) < 1e-10


@pytest.mark.parametrize("scale, shift", [(1e-3, 0.0), (1e3, 0.0), (1.0, 100.0), (50.0, -7.0)])
def test_the_minimum_does_not_depend_on_the_datas_scale(scale, shift):
    """J* is the same when x is rescaled or shifted (w and b absorb it); θ* maps along."""
    x, y_d = gd.exercise_data()
    theta, j_star = gd.neuron_minimum(x, y_d)
    theta2, j_star2 = gd.neuron_minimum(scale * x + shift, y_d)
    assert abs(j_star2 - j_star) <= 1e-12 * j_star
    assert np.allclose([theta2[0] * scale, theta2[1] + theta2[0] * shift], theta, rtol=1e-6)


def test_the_minimum_refuses_data_only_an_infinite_weight_fits():
    with pytest.raises(ValueError, match="no minimum at finite"):
        gd.neuron_minimum([-1.0, -0.5, 0.5, 1.0], [0.0, 0.0, 1.0, 1.0])


# -- the core ------------------------------------------------------------------------
def test_as_array_accepts_what_learners_return_and_names_what_came():
    assert core.as_array([[1.0], [2.0]], "v", (2,)).shape == (2,)
    assert core.as_number(np.array([[3.0]]), "v") == 3.0
    with pytest.raises(CheckFailed, match=r"v should be 2 numbers \(shape \(2,\)\), but it is "
                                          r"3 numbers \(shape \(3,\)\); a hint"):
        core.as_array([1, 2, 3], "v", (2,), hint="a hint")
    with pytest.raises(CheckFailed, match="v is None"):
        core.as_number(None, "v")
    with pytest.raises(CheckFailed, match="NaN or infinite"):
        core.as_array([1.0, np.inf], "v", (2,))


def test_compare_and_name_the_mistake():
    core.compare("x", 1.0, 1.0 + 1e-9)
    assert core.name_the_mistake(2.0, [(1.0, "one"), (2.0, "two")]) == "two"
    assert core.name_the_mistake(3.0, [(1.0, "one")]) is None
    with pytest.raises(CheckFailed, match=r"your x at here is 2, expected 1; two"):
        core.compare("x", 2.0, 1.0, where="at here", suspects=[(2.0, "two")])


def test_swap_global_puts_back_a_missing_name():
    fn = notebook("def f():\n    return g()\n")["f"]
    with core.swap_global(fn, "g", lambda: 5):
        assert fn() == 5
    assert "g" not in fn.__globals__
