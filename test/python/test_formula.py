"""Template formulas evaluate arithmetic and nothing else."""

import math

import pytest

from ck.formula import FormulaError, evaluate, free_names


def test_arithmetic() -> None:
    names = {"n_head": 16, "head_dim": 128, "n_embd": 1024}
    assert evaluate("n_head * head_dim", names) == 2048
    assert evaluate("n_embd // n_head", names) == 64
    assert evaluate("1 / sqrt(head_dim)", names) == pytest.approx(1 / math.sqrt(128))
    assert free_names("n_embd // n_head") == {"n_embd", "n_head"}


@pytest.mark.parametrize("bad", ["__import__('os')", "n.x", "unknown + 1", "[1]"])
def test_rejects_anything_else(bad: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(bad, {"n": 1})
