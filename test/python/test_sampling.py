"""ck.sampling: llama.cpp's default chain (penalty, top-k, top-p, min-p, temperature) on small logits.

The filters are checked against hand-computed sets and against a brute-force reference that
follows llama-sampling.cpp step by step; the draw is checked statistically with fixed seeds
(so the tests are deterministic).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from ck.errors import CkError
from ck.sampling import Sampler, SamplingParams

OFF = dict(top_k=0, top_p=1.0, min_p=0.0, repeat_penalty=1.0)  # every filter off

# Probabilities 0.5, 0.2, 0.15, 0.1, 0.05 placed on ids 3, 0, 4, 1, 2 (so order != id order).
P5 = np.zeros(5)
P5[[3, 0, 4, 1, 2]] = [0.5, 0.2, 0.15, 0.1, 0.05]
L5 = np.log(P5) + 1.7  # a shift changes no softmax


def kept(logits, history=(), **kw) -> list[int]:
    ids, _ = Sampler(SamplingParams(**kw)).candidates(logits, history)
    return ids.tolist()


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def reference_chain(logits, history, p: SamplingParams) -> tuple[list[int], np.ndarray]:
    """llama.cpp's chain written the slow, obvious way: sort everything, then each filter in turn."""
    x = np.array(logits, dtype=np.float64)
    if p.repeat_penalty != 1.0 and p.repeat_last_n != 0:
        window = history[-p.repeat_last_n:] if p.repeat_last_n > 0 else history
        for t in set(window):
            x[t] = x[t] * p.repeat_penalty if x[t] <= 0 else x[t] / p.repeat_penalty
    cand = np.lexsort((np.arange(len(x)), -x)).tolist()  # logit descending, then id ascending
    if p.temperature == 0:
        return [cand[0]], np.ones(1)
    if p.top_k > 0:
        cand = cand[: p.top_k]
    cand = [i for i in cand if np.isfinite(x[i])]
    if p.top_p < 1:
        probs = softmax(x[cand])
        cum = 0.0
        for n, q in enumerate(probs, 1):
            cum += q
            if cum >= p.top_p:
                cand = cand[:n]
                break
    if p.min_p > 0:
        probs = softmax(x[cand])
        cand = [i for i, q in zip(cand, probs) if q >= p.min_p * probs.max()]
    return cand, softmax(x[cand] / p.temperature)


# --- filters: hand-computed sets -------------------------------------------------------------


def test_no_filters_keeps_everything_most_likely_first():
    ids, probs = Sampler(SamplingParams(temperature=1.0, **OFF)).candidates(L5)
    assert ids.tolist() == [3, 0, 4, 1, 2]
    np.testing.assert_allclose(probs, [0.5, 0.2, 0.15, 0.1, 0.05], rtol=1e-12)


@pytest.mark.parametrize(
    "kw,expected",
    [
        (dict(top_k=1), [3]),
        (dict(top_k=2), [3, 0]),
        (dict(top_k=5), [3, 0, 4, 1, 2]),
        (dict(top_k=99), [3, 0, 4, 1, 2]),  # more than the vocabulary: all
        (dict(top_p=0.4), [3]),  # 0.5 >= 0.4 already
        (dict(top_p=0.69), [3, 0]),  # 0.5, 0.7
        (dict(top_p=0.71), [3, 0, 4]),  # 0.5, 0.7, 0.85
        (dict(top_p=0.999), [3, 0, 4, 1, 2]),
        (dict(min_p=0.35), [3, 0]),  # p >= 0.175
        (dict(min_p=0.25), [3, 0, 4]),  # p >= 0.125
        (dict(min_p=0.15), [3, 0, 4, 1]),  # p >= 0.075
        (dict(min_p=0.99), [3]),
        # top-p renormalizes over what top-k kept: 0.526, 0.737 >= 0.72 (without top-k: 0.5, 0.7, 0.85)
        (dict(top_k=4, top_p=0.72), [3, 0]),
        (dict(top_p=0.72), [3, 0, 4]),
        (dict(top_p=0.72, min_p=0.35), [3, 0]),  # min-p after top-p
        (dict(top_k=3, min_p=0.15), [3, 0, 4]),
    ],
)
def test_filters_keep_expected_sets(kw, expected):
    params = {**OFF, "temperature": 1.0, **kw}
    assert kept(L5, **params) == expected
    ids, probs = Sampler(SamplingParams(**params)).candidates(L5)
    np.testing.assert_allclose(probs, P5[ids] / P5[ids].sum(), rtol=1e-12)  # renormalized, order kept


def test_boundaries_are_inclusive_like_llama_cpp():
    """top-p stops at cum >= top_p; min-p keeps p == min_p * p_max (logit >= max + log(min_p))."""
    half = math.log(0.5)  # exp(log(0.5)) == 0.5 exactly, so the sums below are exact
    x = np.array([0.0, half, half, -3.0])
    assert kept(x, **{**OFF, "temperature": 1.0, "min_p": 0.5}) == [0, 1, 2]
    assert kept(x, **{**OFF, "temperature": 1.0, "top_k": 3, "top_p": 0.75}) == [0, 1]  # 0.5, 0.75


def test_sampling_only_ever_returns_kept_tokens():
    """The same sets, seen through sample(): every kept token shows up, nothing else does."""
    for kw, expected in [(dict(top_k=2), {3, 0}), (dict(top_p=0.71), {3, 0, 4}), (dict(min_p=0.15), {3, 0, 4, 1})]:
        s = Sampler(SamplingParams(**{**OFF, "temperature": 1.0, "seed": 7, **kw}))
        assert {s.sample(L5) for _ in range(2000)} == expected


def test_ties_break_toward_lower_ids():
    x = np.array([1.0, 3.0, 2.0, 3.0, 3.0, 0.0])
    assert kept(x, temperature=1.0, **{**OFF, "top_k": 2}) == [1, 3]
    assert kept(x, temperature=1.0, **{**OFF, "top_k": 4}) == [1, 3, 4, 2]
    assert Sampler(SamplingParams(temperature=0)).sample(x) == 1


def test_minus_inf_tokens_are_never_kept_or_drawn():
    x = np.array([0.0, -np.inf, 0.5, -np.inf, -0.2])
    assert kept(x, temperature=1.0, **OFF) == [2, 0, 4]
    s = Sampler(SamplingParams(temperature=5.0, seed=1, **OFF))
    assert {s.sample(x) for _ in range(500)} == {0, 2, 4}


@pytest.mark.parametrize("case", range(40))
def test_matches_brute_force_reference(case):
    rng = np.random.default_rng(case)
    vocab = int(rng.integers(2, 60))
    x = np.round(rng.normal(scale=2.0, size=vocab), 1)  # rounding makes ties
    x[rng.random(vocab) < 0.1] = -np.inf
    x[0] = 1.0  # at least one finite logit
    history = rng.integers(0, vocab, size=int(rng.integers(0, 30))).tolist()
    params = SamplingParams(
        temperature=float(rng.choice([0.0, 0.3, 1.0, 1.7])),
        top_k=int(rng.choice([0, 1, 3, 10, 100])),
        top_p=float(rng.choice([1.0, 0.95, 0.5, 0.1])),
        min_p=float(rng.choice([0.0, 0.05, 0.3])),
        repeat_penalty=float(rng.choice([1.0, 1.1, 1.5, 0.8])),
        repeat_last_n=int(rng.choice([-1, 0, 3, 64])),
    )
    want_ids, want_probs = reference_chain(x, history, params)
    ids, probs = Sampler(params).candidates(x, history)
    assert ids.tolist() == want_ids, params
    np.testing.assert_allclose(probs, want_probs, rtol=1e-9, atol=1e-15)


def test_full_vocab_defaults_match_reference():
    """Qwen3-sized vocab with llama.cpp's defaults (the fast path skips the full sort)."""
    rng = np.random.default_rng(5)
    x = (rng.normal(size=151936) * 2.5).astype(np.float32)
    x[rng.integers(0, 151936, size=50)] += 9.0
    history = rng.integers(0, 151936, size=300).tolist()
    cases = [
        SamplingParams(repeat_penalty=1.1),
        SamplingParams(top_k=0, min_p=0.02),
        SamplingParams(top_k=0, min_p=0.0, top_p=0.5),
    ]
    for params in cases:
        want_ids, want_probs = reference_chain(x, history, params)
        ids, probs = Sampler(params).candidates(x, history)
        assert ids.tolist() == want_ids
        np.testing.assert_allclose(probs, want_probs, rtol=1e-9)


# --- greedy and repetition penalty -------------------------------------------------------------


def test_greedy_is_argmax():
    rng = np.random.default_rng(0)
    s = Sampler(SamplingParams(temperature=0.0))
    for _ in range(50):
        x = rng.normal(size=1000).astype(np.float32)
        assert s.sample(x) == int(np.argmax(x))
    assert s.candidates(x)[1].tolist() == [1.0]


def test_top_k_1_is_greedy():
    rng = np.random.default_rng(1)
    s = Sampler(SamplingParams(temperature=1.5, top_k=1, seed=3))
    for _ in range(50):
        x = rng.normal(size=500)
        assert s.sample(x) == int(np.argmax(x))


def test_repeat_penalty_positive_logits_are_divided():
    x = np.array([2.0, 1.9, 0.0, -3.0])
    greedy = dict(temperature=0.0, repeat_penalty=1.1)
    assert Sampler(SamplingParams(**greedy)).sample(x, history=[]) == 0
    assert Sampler(SamplingParams(**greedy)).sample(x, history=[0]) == 1  # 2.0 / 1.1 = 1.82 < 1.9
    assert Sampler(SamplingParams(temperature=0.0)).sample(x, history=[0]) == 0  # penalty 1.0 = off


def test_repeat_penalty_negative_logits_are_multiplied():
    x = np.array([-1.0, -1.05, -5.0])
    greedy = SamplingParams(temperature=0.0, repeat_penalty=1.1)
    assert Sampler(greedy).sample(x, history=[2, 2]) == 0
    assert Sampler(greedy).sample(x, history=[0]) == 1  # -1.0 * 1.1 = -1.1 < -1.05


def test_repeat_penalty_exact_values_once_per_token():
    x = np.array([2.0, -2.0, 1.0, 0.5])
    ids, probs = Sampler(SamplingParams(temperature=1.0, **{**OFF, "repeat_penalty": 2.0})).candidates(
        x, history=[0, 0, 0, 1, 1]  # repeated occurrences still count once
    )
    expect = softmax(np.array([1.0, -4.0, 1.0, 0.5]))
    assert ids.tolist() == [0, 2, 3, 1]
    np.testing.assert_allclose(probs, expect[ids], rtol=1e-12)


@pytest.mark.parametrize("last_n,penalized", [(3, False), (4, True), (-1, True), (0, False)])
def test_repeat_last_n_window(last_n, penalized):
    x = np.array([2.0, 1.9, 0.0, 0.0, 0.0, 0.0])
    history = [0, 5, 5, 5]  # token 0 is 4 tokens back
    s = Sampler(SamplingParams(temperature=0.0, repeat_penalty=1.1, repeat_last_n=last_n))
    assert s.sample(x, history) == (1 if penalized else 0)


def test_history_may_be_a_numpy_array():
    x = np.array([2.0, 1.9])
    s = Sampler(SamplingParams(temperature=0.0, repeat_penalty=1.1))
    assert s.sample(x, np.array([0, 0], dtype=np.int32)) == 1


# --- the draw: distribution, temperature, seeds -------------------------------------------------

CHI2_DF5_P001 = 20.515  # chi-square critical value, 5 degrees of freedom, p = 0.001
L6 = np.array([1.2, -0.3, 0.4, 2.0, 0.0, -1.1])


def draw_counts(params: SamplingParams, logits: np.ndarray, n: int) -> np.ndarray:
    s = Sampler(params)
    return np.bincount([s.sample(logits) for _ in range(n)], minlength=len(logits))


def chi2(counts: np.ndarray, probs: np.ndarray) -> float:
    expected = counts.sum() * probs
    return float(((counts - expected) ** 2 / expected).sum())


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_frequencies_match_softmax_at_temperature(temperature):
    n = 20000
    probs = softmax(L6 / temperature)
    counts = draw_counts(SamplingParams(temperature=temperature, seed=11, **OFF), L6, n)
    assert chi2(counts, probs) < CHI2_DF5_P001
    sigma = np.sqrt(n * probs * (1 - probs))
    assert np.all(np.abs(counts - n * probs) <= 4 * sigma)


def test_temperature_scaling_follows_the_math():
    base = Sampler(SamplingParams(temperature=1.0, **OFF)).candidates(L6)
    for t in (0.25, 0.5, 2.0, 10.0):
        ids, probs = Sampler(SamplingParams(temperature=t, **OFF)).candidates(L6)
        assert ids.tolist() == base[0].tolist()  # the order never changes
        # p_T is proportional to p_1 ** (1/T)
        want = base[1] ** (1 / t)
        np.testing.assert_allclose(probs, want / want.sum(), rtol=1e-12)
    sharp = Sampler(SamplingParams(temperature=0.05, **OFF)).candidates(L6)[1]
    assert sharp[0] > 0.999  # low temperature tends to greedy
    flat = Sampler(SamplingParams(temperature=1000.0, **OFF)).candidates(L6)[1]
    np.testing.assert_allclose(flat, 1 / 6, rtol=1e-2)  # high temperature tends to uniform


def test_temperature_does_not_change_what_the_filters_keep():
    """llama.cpp applies temperature last: top-p/min-p see the temperature-1 distribution."""
    for t in (0.1, 1.0, 5.0):
        assert kept(L5, **{**OFF, "temperature": t, "top_p": 0.71}) == [3, 0, 4]
        assert kept(L5, **{**OFF, "temperature": t, "min_p": 0.25}) == [3, 0, 4]


def test_same_seed_same_tokens_different_seed_different_tokens():
    rng = np.random.default_rng(2)
    steps = [rng.normal(size=200) for _ in range(60)]

    def run(seed: int | None) -> list[int]:
        s, history = Sampler(SamplingParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, seed=seed)), []
        for x in steps:
            history.append(s.sample(x, history))
        return history

    assert run(123) == run(123)
    assert run(123) != run(124)
    assert len(run(None)) == 60  # seed None: fresh entropy, still works


def test_default_params_are_llama_cpp_defaults():
    assert dataclasses.asdict(SamplingParams()) == dict(
        temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0, repeat_last_n=64, seed=None,
        presence_penalty=0.0, frequency_penalty=0.0,
    )
    assert Sampler().params == SamplingParams()


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw,match",
    [
        (dict(temperature=-0.1), "temperature=-0.1"),
        (dict(temperature=math.nan), "temperature=nan"),
        (dict(temperature=math.inf), "temperature=inf"),
        (dict(temperature="hot"), "temperature='hot'"),
        (dict(top_k=-1), "top_k=-1"),
        (dict(top_k=2.5), "top_k=2.5"),
        (dict(top_k=True), "top_k=True"),
        (dict(top_p=0.0), "top_p=0.0"),
        (dict(top_p=1.01), "top_p=1.01"),
        (dict(min_p=-0.01), "min_p=-0.01"),
        (dict(min_p=1.0), "min_p=1.0"),
        (dict(repeat_penalty=0.0), "repeat_penalty=0.0"),
        (dict(repeat_penalty=-1.1), "repeat_penalty=-1.1"),
        (dict(repeat_last_n=-2), "repeat_last_n=-2"),
        (dict(repeat_last_n=1.0), "repeat_last_n=1.0"),
        (dict(seed=-1), "seed=-1"),
        (dict(seed=1.5), "seed=1.5"),
    ],
)
def test_invalid_params(kw, match):
    with pytest.raises(CkError, match=f"sampling parameter {match}"):
        SamplingParams(**kw)


def test_params_are_frozen_and_replaceable():
    p = SamplingParams()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.temperature = 1.0  # type: ignore[misc]
    assert dataclasses.replace(p, temperature=0.0).temperature == 0.0
    with pytest.raises(CkError, match="top_k=-3"):
        dataclasses.replace(p, top_k=-3)


@pytest.mark.parametrize(
    "logits,history,match",
    [
        (np.array([0.0, np.nan]), (), r"logits\[1\] is nan"),
        (np.array([np.inf, 0.0]), (), r"logits\[0\] is inf"),
        (np.array([-np.inf, -np.inf]), (), "all -inf"),
        (np.zeros((2, 3)), (), r"1-D array \[vocab\], got shape \(2, 3\)"),
        (np.zeros(0), (), "non-empty"),
        (np.zeros(4), [1, 4], r"history token id 4 is outside the vocabulary \[0, 4\)"),
        (np.zeros(4), [-1], "history token id -1"),
        (np.zeros(4), ["a"], "history must be a sequence of token ids"),
    ],
)
def test_bad_inputs(logits, history, match):
    s = Sampler(SamplingParams(repeat_penalty=1.1))
    with pytest.raises(CkError, match=match):
        s.sample(logits, history)


def test_sampler_needs_params_object():
    with pytest.raises(CkError, match="Sampler needs a SamplingParams, got dict"):
        Sampler({"temperature": 0.5})  # type: ignore[arg-type]
