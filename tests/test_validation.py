import numpy as np
import pytest

from nnbasics.validation import (
    require_array,
    require_callable,
    require_finite,
    require_in_range,
    require_int,
    require_numbers,
    require_same_length,
)


def test_finite_accepts_numbers_and_numpy_scalars():
    assert require_finite("a", 2) == 2.0
    assert require_finite("a", np.float32(0.5)) == 0.5


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_finite_rejects_non_finite_and_names_the_argument(value):
    with pytest.raises(ValueError, match="learning_rate must be finite"):
        require_finite("learning_rate", value)


@pytest.mark.parametrize("value", ["0.1", None, True, [1.0]])
def test_finite_rejects_non_numbers(value):
    with pytest.raises(TypeError, match="alpha must be a real number"):
        require_finite("alpha", value)


def test_in_range_states_the_interval():
    assert require_in_range("p", 0.5, 0.0, 1.0) == 0.5
    with pytest.raises(ValueError, match=r"p must lie in \(0, inf\), got 0"):
        require_in_range("p", 0.0, 0.0, low_inclusive=False)
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\], got 2"):
        require_in_range("p", 2.0, 0.0, 1.0)


def test_int_checks_type_and_range():
    assert require_int("steps", 3, 0) == 3
    with pytest.raises(TypeError, match="steps must be a whole number"):
        require_int("steps", 2.5, 0)
    with pytest.raises(ValueError, match=r"steps must be a whole number in \[1, 10\], got 0"):
        require_int("steps", 0, 1, 10)


def test_array_checks_dimension_length_and_values():
    assert require_array("x", [1, 2]).dtype == float
    with pytest.raises(ValueError, match="x must be 1-dimensional, got shape"):
        require_array("x", [[1.0, 2.0]])
    with pytest.raises(ValueError, match="x must hold at least 1 values"):
        require_array("x", [])
    with pytest.raises(ValueError, match="x must contain only finite values"):
        require_array("x", [1.0, np.nan])
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        require_array("x", ["a", "b"])


def test_same_length_names_both_arrays():
    with pytest.raises(ValueError, match="x and y_d must have the same length: x has 2, y_d has 3"):
        require_same_length(("x", "y_d"), np.zeros(2), np.zeros(3))


def test_numbers_refuse_none_and_nan_instead_of_turning_them_into_nan():
    assert require_numbers("z", [[1, 2]]).shape == (1, 2)
    assert np.isinf(require_numbers("z", np.inf, allow_infinite=True))
    with pytest.raises(TypeError, match="z must be a number or an array of numbers, got NoneType"):
        require_numbers("z", None)
    with pytest.raises(ValueError, match=r"z contains NaN \(not a number\)"):
        require_numbers("z", [0.0, np.nan], allow_infinite=True)
    with pytest.raises(ValueError, match="z must contain only finite values"):
        require_numbers("z", np.inf)
    with pytest.raises(TypeError, match="z must be a number or an array of numbers, got str"):
        require_numbers("z", "0.5")
    with pytest.raises(TypeError, match="got ndarray"):
        require_numbers("z", np.array(["0.5", "1"]))


def test_callable_shows_the_call_expected():
    assert require_callable("cost", len, "cost(theta)") is len
    with pytest.raises(TypeError, match=r"cost must be a function cost\(theta\) -> float, got "
                                        r"float 0\.5"):
        require_callable("cost", 0.5, "cost(theta) -> float")
