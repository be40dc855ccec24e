"""The course style and its overlapping-text check (nnbasics.style)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbasics.style import text_overlaps, use_course_style  # noqa: E402


@pytest.fixture
def course_style():
    with matplotlib.rc_context():
        use_course_style()
        yield
    plt.close("all")


def test_two_texts_written_on_each_other_are_found(course_style):
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "first label", transform=ax.transAxes)
    ax.text(0.52, 0.5, "second label", transform=ax.transAxes)
    assert ("first label", "second label") in text_overlaps(fig)


def test_tick_labels_outside_the_view_limits_are_not_counted(course_style):
    # The locator of the left panel places ticks at -7.5 and 7.5, outside its limits;
    # matplotlib keeps their label objects (visible, at stale places) but never draws
    # them, so they must not be reported as colliding with the right panel's labels.
    fig, axes = plt.subplots(1, 2, layout="constrained")
    x = np.linspace(-6, 6, 50)
    axes[0].plot(x, np.tanh(x))
    axes[0].set_xlim(-6, 6)
    axes[1].semilogy(np.arange(1, 100), np.arange(1, 100) ** -12.0)
    outside = {"7.5", "−7.5", "10.0", "−10.0"}
    assert [pair for pair in text_overlaps(fig) if outside & set(pair)] == []


def test_the_course_style_keeps_corner_and_title_labels_apart(course_style):
    # The lowest y label and the leftmost x label meet at the corner, and the top y
    # label sits under the title: with matplotlib's default pads they touch.
    fig, axes = plt.subplots(1, 2, layout="constrained")
    x = np.linspace(-6, 6, 50)
    axes[0].plot(x, 1.5 * np.tanh(x))
    axes[0].set(xlim=(-6, 6), ylim=(-1.5, 1.5))
    axes[1].loglog(np.arange(1, 100), np.arange(1, 100) ** -12.0)
    axes[1].set(xlim=(1, 100), ylim=(1e-24, 1), title="Energy spectrum of the target")
    assert text_overlaps(fig) == []
    with matplotlib.rc_context({"xtick.major.pad": 3.5, "axes.titlepad": 6.0}):
        fig2, ax2 = plt.subplots(layout="constrained")
        ax2.loglog(np.arange(1, 100), np.arange(1, 100) ** -12.0)
        ax2.set(xlim=(1, 100), ylim=(1e-24, 1), title="Energy spectrum of the target")
        assert text_overlaps(fig2) != [], "the check no longer sees a corner collision"


def test_a_bad_argument_is_named():
    with pytest.raises(TypeError, match="fig"):
        text_overlaps("not a figure")
    fig = plt.figure()
    with pytest.raises(ValueError, match="tolerance_px"):
        text_overlaps(fig, tolerance_px=-1)
    plt.close(fig)
