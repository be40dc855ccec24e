import sys

import numpy as np
import pytest

from nnbasics.seeding import SEED_ENV_VAR, course_seed, rng


def test_default_and_environment(monkeypatch):
    monkeypatch.delenv(SEED_ENV_VAR, raising=False)
    assert course_seed() == 0 and course_seed(default=7) == 7
    monkeypatch.setenv(SEED_ENV_VAR, "3")
    assert course_seed(default=7) == 3


@pytest.mark.parametrize("raw", ["abc", "1.5", "-2"])
def test_bad_environment_values_name_the_variable(monkeypatch, raw):
    monkeypatch.setenv(SEED_ENV_VAR, raw)
    with pytest.raises(ValueError, match="NNBASICS_SEED|seed must be"):
        course_seed()


def test_streams_are_independent_and_reproducible():
    a, b = rng(1, 0).random(5), rng(1, 1).random(5)
    assert not np.allclose(a, b) and np.array_equal(a, rng(1, 0).random(5))


def test_torch_is_seeded_when_imported(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setenv(SEED_ENV_VAR, "5")
    assert "torch" in sys.modules
    course_seed()
    first = torch.rand(3)
    course_seed()
    assert torch.equal(first, torch.rand(3))
