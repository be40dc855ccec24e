import base64
import json
import re

import numpy as np
import pytest

from nnbasics import sliders
from nnbasics.models import sigmoid
from nnbasics.sliders import MAX_FRAMES, Slider, slider_figure
from tests.conftest import FakeSphinxApp


def draw(fig, a, c=0.0):
    ax = fig.subplots()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.sin(a * x) + c)
    ax.set_title(f"a = {a:g}")


def payload(html):
    match = re.search(r'<script type="application/json" class="nnb-slider-data">(.*?)</script>',
                      html, re.S)
    return json.loads(match.group(1))


def test_static_html_has_one_labelled_range_input_per_slider_and_every_frame():
    fig = slider_figure(draw, [Slider("a", "frequency a", (1, 2, 3), fmt="{:.1f}"),
                               Slider("c", "offset c", (0, 1))],
                        alt="sine of frequency {a} shifted by {c}", figsize=(3, 2), dpi=40)
    html = fig.to_html()
    assert html.count('type="range"') == 2
    assert 'frequency a = <output class="nnb-slider-value">2.0</output>' in html
    data = payload(html)
    assert data["sizes"] == [3, 2] and len(data["frames"]) == 6
    assert data["labels"][0] == ["1.0", "2.0", "3.0"]
    assert data["alts"][5] == "sine of frequency 3.0 shifted by 1"
    assert len(set(data["frames"])) == 6, "each combination must draw a different picture"
    assert all(base64.b64decode(f).startswith(b"\x89PNG") for f in data["frames"])
    # The picture shown before any script runs is the initial combination (a=2, c=0).
    initial = data["frames"][1 * 2 + 0]
    assert f'src="data:image/png;base64,{initial}"' in html


def test_html_is_deterministic():
    make = lambda: slider_figure(draw, [Slider("a", "a", (1, 2))], alt="a={a}",  # noqa: E731
                                 figsize=(2, 2), dpi=30).to_html()
    assert make() == make()


def test_initial_value_picks_the_nearest_position():
    assert Slider("a", "a", (0.1, 0.2, 0.4), initial=0.39).initial_index == 2
    assert Slider("a", "a", (0.1, 0.2, 0.4, 0.8)).initial_index == 1


def test_live_widget_redraws_through_draw():
    fig = slider_figure(draw, [Slider("a", "frequency a", (1, 2, 3))], alt="a={a}",
                        figsize=(2, 2), dpi=30)
    box = fig.widget()
    control, image = box.children
    assert control.description == "frequency a" and control.value == 2
    before = image.value
    control.value = 3
    assert bytes(image.value) != bytes(before) and bytes(image.value).startswith(b"\x89PNG")
    assert image.tooltip == "a=3"


def test_mode_follows_the_environment(monkeypatch):
    monkeypatch.delenv(sliders.STATIC_ENV_VAR, raising=False)
    assert not sliders.static_mode()
    monkeypatch.setenv(sliders.STATIC_ENV_VAR, "1")
    assert sliders.static_mode()


def test_sphinx_extension_switches_to_static(monkeypatch):
    from booktools import sphinx_ext

    monkeypatch.delenv(sliders.STATIC_ENV_VAR, raising=False)
    sphinx_ext.setup(FakeSphinxApp())
    assert sliders.static_mode()


@pytest.mark.parametrize("make, message", [
    (lambda: Slider("a", "a", ()), "between 2 and"),
    (lambda: Slider("a", "a", (1.0,)), "between 2 and"),
    (lambda: Slider("a", "a", (1.0, float("nan"))), "must be finite"),
    (lambda: Slider("a", "a", (1.0, 1.0)), "must be distinct"),
    (lambda: Slider("a", "a", tuple(range(500))), "between 2 and 101"),
    (lambda: Slider("not valid", "a", (1, 2)), "Python identifier"),
    (lambda: Slider("a", "", (1, 2)), "label must be a non-empty string"),
    (lambda: Slider("a", "a", (1.5, 2.5), fmt="{:d}"), "cannot format the value"),
        (lambda: Slider("a", "a", (1, 2), fmt=5), "fmt must be a format string"),
    (lambda: Slider.linspace("a", "a", 1.0, 1.0, 5), "empty range"),
    (lambda: Slider.linspace("a", "a", 0.0, float("inf"), 5), "stop must be finite"),
    (lambda: Slider.linspace("a", "a", 0.0, 1.0, 1), r"num must be a whole number in \[2, 101\]"),
])
def test_bad_sliders_are_rejected_with_a_clear_message(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_too_many_frames_is_rejected():
    big = [Slider.linspace("a", "a", 0, 1, 50), Slider.linspace("c", "c", 0, 1, 50)]
    with pytest.raises(ValueError, match=f"make 2500 frames .* at most {MAX_FRAMES}"):
        slider_figure(draw, big, alt="x")


@pytest.mark.parametrize("kwargs, message", [
    (dict(alt=""), "alt must describe the figure"),
    (dict(alt="uses {b}"), "alt may only use the slider names"),
    (dict(mode="video"), "mode must be"),
    (dict(figsize=(0, 3)), r"figsize must be two sizes in \(0, 20\]"),
    (dict(dpi=5), r"dpi must be a whole number in \[30, 300\]"),
])
def test_bad_figure_arguments_are_rejected(kwargs, message):
    args = dict(alt="a={a}") | kwargs
    with pytest.raises((ValueError, TypeError), match=message):
        slider_figure(draw, [Slider("a", "a", (1, 2))], **args)


def test_sliders_need_distinct_names_and_a_callable():
    with pytest.raises(ValueError, match="distinct names"):
        slider_figure(draw, [Slider("a", "a", (1, 2)), Slider("a", "b", (1, 2))], alt="x")
    with pytest.raises(TypeError, match="draw must be a function"):
        slider_figure("draw", [Slider("a", "a", (1, 2))], alt="x")
    with pytest.raises(TypeError, match="non-empty sequence of Slider"):
        slider_figure(draw, [], alt="x")


def test_two_slider_step_figure_fits_the_page_budget():
    """The approximation chapter's figure: a sigmoid step's location and steepness."""
    def step(fig, location, steepness):
        ax = fig.subplots()
        x = np.linspace(0, 1, 200)
        ax.plot(x, sigmoid(steepness * (x - location)))
        ax.axvline(location, ls=":")
        ax.set(ylim=(-0.05, 1.05), title=f"s = -b/w = {location:.2f}")

    fig = slider_figure(step, [Slider.linspace("location", "step location s", 0.1, 0.9, 9,
                                               fmt="{:.2f}"),
                               Slider("steepness", "steepness w", (5, 10, 20, 50, 100, 1000))],
                        alt="A sigmoid step at s = {location} with steepness w = {steepness}",
                        figsize=(6, 3), dpi=80)
    html = fig.to_html()
    assert len(payload(html)["frames"]) == 54
    assert len(html) < 1.5e6, f"the step figure weighs {len(html) / 1e6:.2f} MB"


def test_whole_numbers_stay_ints_and_named_choices_are_allowed():
    seen = []

    def draw_choice(fig, stage, activation):
        seen.append((stage, activation))
        fig.subplots().set_title(f"{activation} {stage}")

    stage = Slider("stage", "stage", (0, 1, 2))
    activation = Slider("activation", "activation", ("tanh", "sin", "Fourier features"),
                        initial="sin")
    assert stage.values == (0, 1, 2) and all(type(v) is int for v in stage.values)
    assert stage.text(1) == "1" and activation.initial_index == 1
    html = slider_figure(draw_choice, [stage, activation], alt="{activation} at stage {stage}",
                         figsize=(2, 2), dpi=30).to_html()
    assert payload(html)["labels"][1] == ["tanh", "sin", "Fourier features"]
    assert all(type(s) is int for s, _ in seen)


@pytest.mark.parametrize("values, message", [
    ((1, "tanh"), "all numbers or all names"),
    ("tanh", "not the string"),
    (("tanh", ""), "must not be empty"),
])
def test_mixed_or_malformed_values_are_refused(values, message):
    with pytest.raises((TypeError, ValueError), match=message):
        Slider("a", "a", values)


def test_a_choice_initial_must_be_a_choice():
    with pytest.raises(ValueError, match="initial must be one of"):
        Slider("a", "a", ("tanh", "sin"), initial="relu")


def test_a_figure_whose_frames_would_break_the_page_budget_is_refused_at_creation():
    def noisy(fig, a):  # random pixels do not compress: about 0.5 MB a frame
        rng = np.random.default_rng(int(a))
        fig.subplots().imshow(rng.random((400, 400)), interpolation="nearest")

    with pytest.raises(ValueError, match="fewer slider values"):
        slider_figure(noisy, [Slider("a", "a", tuple(range(20)))], alt="a={a}",
                      figsize=(6, 6), dpi=100)
