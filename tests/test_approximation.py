import numpy as np
import pytest

from nnbasics.approximation import (
    column,
    column_network,
    end_step_floor,
    l1_error,
    l1_error_2d,
    logit,
    midpoints,
    staircase_error_estimate,
    steepness_floor,
    step,
    step_bias,
    tower,
    tower_network,
)
from nnbasics.models import sigmoid


def wiggly(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def test_step_is_centred_at_minus_b_over_w():
    for s, w in [(0.3, 5.0), (-2.0, 40.0), (10.0, 0.5)]:
        b = step_bias(s, w)
        assert -b / w == pytest.approx(s)
        assert step(s, s, w) == pytest.approx(0.5)
        assert sigmoid(w * (s + 1.0) + b) == pytest.approx(step(s + 1.0, s, w))


def test_column_has_height_h_inside_and_zero_outside():
    x = np.array([-1.0, 0.5, 2.0])
    assert np.allclose(column(x, 0.0, 1.0, 0.8, 1e4), [0.0, 0.8, 0.0], atol=1e-12)
    assert np.allclose(column(x, 0.0, 1.0, -0.8, 1e4), [0.0, -0.8, 0.0], atol=1e-12)


def test_column_with_equal_steps_is_empty():
    x = np.linspace(-1.0, 2.0, 31)
    assert np.all(column(x, 0.5, 0.5, 0.8, 100.0) == 0.0)


def test_column_network_margin_moves_only_the_outer_steps():
    f = np.cos
    plain = column_network(f, -1.0, 2.0, 3, 50.0)
    wide = column_network(f, -1.0, 2.0, 3, 50.0, margin=0.2)
    locations_plain, locations_wide = (-n.biases[0] / n.weights[0][:, 0] for n in (plain, wide))
    moved = np.abs(locations_wide - locations_plain) > 1e-12
    assert moved.sum() == 2
    assert np.allclose(sorted(locations_wide[moved]), [-1.2, 2.2], rtol=0, atol=1e-12)
    assert np.allclose(wide.weights[1], plain.weights[1], rtol=0, atol=0)


def test_margin_removes_the_half_risen_end_steps():
    def f(x):
        return 1.0 + 0.0 * x  # f(a) = f(b) = 1: the ends are half risen
    w = 1e4
    x = np.array([0.0, 1.0])
    assert np.allclose(column_network(f, 0.0, 1.0, 10, w)(x), 0.5, rtol=0, atol=1e-12)
    widened = column_network(f, 0.0, 1.0, 10, w, margin=10 / w)
    assert np.allclose(widened(x), 1.0, rtol=0, atol=1e-4)


def test_column_network_is_two_steps_per_column_with_midpoint_heights():
    net = column_network(np.cos, -1.0, 2.0, 3, 50.0)
    w, b, v = net.weights[0][:, 0], net.biases[0], net.weights[1][0]
    assert net.sizes == [1, 6, 1] and net.activation_names == ["sigmoid", "identity"]
    assert np.allclose(-b / w, [-1, 0, 1, 0, 1, 2])
    assert np.allclose(v[:3], np.cos([-0.5, 0.5, 1.5]))
    assert np.allclose(v[3:], -v[:3])
    assert np.allclose(net(np.array([0.5])), np.cos(0.5), atol=1e-3)


@pytest.mark.parametrize("f, a, b", [(wiggly, 0.0, 1.0), (np.sin, -3.0, 4.0),
                                     (lambda x: np.exp(x) - 2 * x, 2.0, 2.5)])
def test_error_falls_like_one_over_n_for_any_target_and_interval(f, a, b):
    ns = np.array([64, 128, 256])
    errors = [l1_error(column_network(f, a, b, n, 1e7), f, a, b, 2**12) for n in ns]
    rate = np.polyfit(np.log(ns), np.log(errors), 1)[0]
    assert -1.05 < rate < -0.95
    assert errors[-1] == pytest.approx(staircase_error_estimate(f, a, b, 256), rel=0.03)


def test_finite_w_sets_the_predicted_floor():
    w = 200.0
    error = l1_error(column_network(wiggly, 0.0, 1.0, 256, w), wiggly, 0.0, 1.0, 2**13)
    assert error > end_step_floor(wiggly, 0.0, 1.0, w)
    assert error == pytest.approx(steepness_floor(wiggly, 0.0, 1.0, w), rel=0.1)
    # A constant target has no blur: the ends are the whole floor.
    const = l1_error(column_network(lambda x: np.full_like(x, 0.5), 0, 1, 64, w),
                     lambda x: np.full_like(x, 0.5), 0, 1, 2**13)
    assert const == pytest.approx(end_step_floor(lambda x: 0.5 + 0 * x, 0, 1, w), rel=1e-3)


def test_sigmoid_output_builds_the_logit_and_shrinks_the_error():
    net = column_network(wiggly, 0.0, 1.0, 30, 1e3, output="sigmoid")
    assert np.allclose(net.weights[1][0, :30], logit(wiggly(midpoints(0, 1, 30))))
    assert np.allclose(sigmoid(logit(np.array([0.1, 0.5, 0.9]))), [0.1, 0.5, 0.9])
    def g(t):
        return logit(wiggly(t))

    error_z = l1_error(column_network(g, 0.0, 1.0, 30, 1e3), g, 0, 1)  # z of net, built for g
    assert l1_error(net, wiggly, 0, 1) <= error_z / 4


def test_tower_is_h_inside_and_zero_outside():
    x = np.array([0.5, 0.5, 0.1, 0.9, 0.1])
    y = np.array([0.5, 0.1, 0.5, 0.5, 0.1])  # inside, then the strips, then outside
    t = tower(x, y, (0.3, 0.7), (0.3, 0.7), 2.0, 500.0)
    assert t[0] == pytest.approx(2.0, abs=1e-9)
    assert np.all(np.abs(t[1:]) < 1e-9)


def test_tower_network_matches_single_towers_and_converges():
    def surface(x, y):
        return np.sin(x) * np.cos(y)

    net = tower_network(surface, (0, 2), (-1, 1), 2, 300.0)
    assert net.layer_sizes == (2, 6, 4, 1)
    X, Y = np.meshgrid(np.linspace(0, 2, 7), np.linspace(-1, 1, 5))
    by_hand = sum(tower(X, Y, (i, i + 1), (j - 1, j), surface(i + 0.5, j - 0.5), 300.0)
                  for i in (0, 1) for j in (0, 1))
    assert np.allclose(net(X, Y), by_hand, atol=1e-12)
    errors = [l1_error_2d(tower_network(surface, (0, 2), (-1, 1), n, 5e3), surface,
                          (0, 2), (-1, 1), 64) for n in (4, 8, 16)]
    assert errors[2] < errors[1] < errors[0]
    assert errors[0] / errors[2] == pytest.approx(4, rel=0.15)


def test_a_tower_network_is_the_course_mlp_with_its_weights_set():
    net = tower_network(lambda x, y: np.sin(3 * x) + y**2, (0, 2), (-1, 1), 5, 300.0)
    mlp = net.as_mlp()
    assert mlp.sizes == list(net.layer_sizes)
    points = np.random.default_rng(0).uniform([-0.5, -1.5], [2.5, 1.5], (400, 2))
    assert np.allclose(mlp(points), net(points[:, 0], points[:, 1]), rtol=0, atol=1e-12)


BAD_CALLS = [
    (lambda: step([0.0, np.nan], 0.5, 10.0), ValueError, "x contains NaN"),
    (lambda: column(np.nan, 0.2, 0.5, 1.0, 10.0), ValueError, "x contains NaN"),
    (lambda: tower(0.0, [np.nan], (0, 1), (0, 1), 1.0, 10.0), ValueError, "y contains NaN"),
    (lambda: tower_network(np.add, (0, 1), (0, 1), 2, 10.0)(np.nan, 0.0), ValueError,
     "x contains NaN"),
    (lambda: step(0.0, 0.5, 0.0), ValueError, "w"),
    (lambda: step(0.0, np.nan, 1.0), ValueError, "s"),
    (lambda: column(0.0, 0.5, 0.2, 1.0, 10.0), ValueError, "left"),
    (lambda: column(0.0, np.inf, 0.2, 1.0, 10.0), ValueError, "left"),
    (lambda: column_network(np.sin, 0.0, 1.0, 4, 10.0, margin=-0.1), ValueError, "margin"),
    (lambda: column(0.0, 0.1, 0.2, "tall", 10.0), TypeError, "h"),
    (lambda: column_network(np.sin, 1.0, 0.0, 4, 10.0), ValueError, "a must be smaller"),
    (lambda: column_network(np.sin, 0.0, 1.0, 0, 10.0), ValueError, "n_columns"),
    (lambda: column_network(np.sin, 0.0, 1.0, 2.5, 10.0), TypeError, "n_columns"),
    (lambda: column_network(np.sin, 0.0, 1.0, 4, -1.0), ValueError, "w"),
    (lambda: column_network(np.sin, 0.0, 1.0, 4, 10.0, output="relu"), ValueError, "output"),
    (lambda: column_network("sin", 0.0, 1.0, 4, 10.0), TypeError, "f"),
    (lambda: column_network(lambda x: x[:1], 0.0, 1.0, 4, 10.0), ValueError, "f"),
    (lambda: column_network(lambda x: np.where(x < 0.5, np.nan, x), 0.0, 1.0, 4, 10.0), ValueError,
     "f must return finite"),
    (lambda: column_network(lambda x: 2 + x, 0.0, 1.0, 4, 10.0, output="sigmoid"),
     ValueError, "logit"),
    (lambda: logit([0.5, 1.0]), ValueError, "(0, 1)"),
    (lambda: tower(0.0, 0.0, (0, 1), (1, 0), 1.0, 10.0), ValueError, "ylim"),
    (lambda: tower(0.0, 0.0, (0, 1), (0, 1), 1.0, 10.0, threshold_w=0.0), ValueError,
     "threshold_w"),
    (lambda: tower_network(np.add, (0, 1), (0, 1), 0, 10.0), ValueError, "n"),
    (lambda: tower_network(lambda x, y: x[0], (0, 1), (0, 1), 3, 10.0), ValueError, "f(x, y)"),
    (lambda: l1_error(np.sin, np.cos, 0.0, 1.0, 0), ValueError, "n"),
]


@pytest.mark.parametrize("call, error, named", BAD_CALLS)
def test_bad_calls_name_the_argument(call, error, named):
    with pytest.raises(error) as info:
        call()
    assert named in str(info.value)
