"""Presence and frequency penalties (OpenAI's, as llama.cpp's penalties sampler applies them),
checked against values computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from ck.errors import CkError
from ck.sampling import Sampler, SamplingParams

OFF = {"top_k": 0, "top_p": 1.0, "min_p": 0.0}


def penalized(logits: list[float], history: list[int], **kw: float) -> list[float]:
    """The logits after the penalties: at temperature 1 with every filter off the candidates'
    probabilities are softmax(penalized logits), so log-probabilities recover them up to a shift."""
    ids, probs = Sampler(SamplingParams(temperature=1.0, **OFF, **kw)).candidates(np.array(logits), history)
    out = np.empty(len(logits))
    out[ids] = np.log(probs)
    return (out - out[-1]).tolist()  # the last token never occurs in the histories below: its logit is 0


def test_frequency_and_presence_by_hand() -> None:
    # token 0 occurs 3 times, token 1 once, token 2 twice, token 3 never (logit 0, the reference)
    history = [0, 1, 0, 2, 0, 2]
    x = [2.0, -1.0, 0.5, 0.0]
    got = penalized(x, history, frequency_penalty=0.25, presence_penalty=0.5)
    # logit - (count * 0.25 + 0.5) for each token that occurs
    want = [2.0 - 0.75 - 0.5, -1.0 - 0.25 - 0.5, 0.5 - 0.5 - 0.5, 0.0]
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_with_the_repeat_penalty_first() -> None:
    # repeat penalty 2: 2.0 -> 1.0, -1.0 -> -2.0, 0.5 -> 0.25; then the counts' subtraction
    history = [0, 1, 0, 2, 0, 2]
    got = penalized([2.0, -1.0, 0.5, 0.0], history, repeat_penalty=2.0, frequency_penalty=0.25,
                    presence_penalty=0.5)
    np.testing.assert_allclose(got, [1.0 - 1.25, -2.0 - 0.75, 0.25 - 1.0, 0.0], atol=1e-12)


def test_only_the_last_n_tokens_count() -> None:
    # repeat_last_n 2 sees [0, 2]: each once; token 1 (earlier) is not penalized
    got = penalized([2.0, -1.0, 0.5, 0.0], [0, 1, 0, 2, 0, 2], repeat_last_n=2, frequency_penalty=1.0)
    np.testing.assert_allclose(got, [1.0, -1.0, -0.5, 0.0], atol=1e-12)


def test_negative_penalties_encourage_repetition() -> None:
    greedy = SamplingParams(temperature=0.0, presence_penalty=-0.3)
    assert Sampler(greedy).sample(np.array([1.0, 0.8]), history=[1]) == 1  # 0.8 + 0.3 > 1.0
    assert Sampler(SamplingParams(temperature=0.0)).sample(np.array([1.0, 0.8]), history=[1]) == 0


def test_frequency_penalty_changes_the_greedy_choice() -> None:
    x = np.array([1.0, 0.9, 0.0])
    assert Sampler(SamplingParams(temperature=0.0, frequency_penalty=0.04)).sample(x, [0, 0]) == 0  # 1 - 0.08 > 0.9
    assert Sampler(SamplingParams(temperature=0.0, frequency_penalty=0.06)).sample(x, [0, 0]) == 1  # 1 - 0.12 < 0.9


@pytest.mark.parametrize("field", ["presence_penalty", "frequency_penalty"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), "0.5", True])
def test_bad_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(CkError, match=field):
        SamplingParams(**{field: value})  # type: ignore[arg-type]
