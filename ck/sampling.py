"""Pick the next token from a logits vector, the way llama.cpp's default sampler chain does.

Users compare ck's output with llama.cpp's, so the parameters, their defaults and the order of the
steps follow llama.cpp (`common/common.h` `common_params_sampling`, `src/llama-sampling.cpp`).
The chain, in order:

1. **penalties** (llama.cpp's penalties sampler) over the distinct tokens among the last
   `repeat_last_n` tokens of the history: a logit > 0 is divided by `repeat_penalty`, a logit <= 0
   multiplied by it (the CTRL penalty with llama.cpp's fix for negative logits), once however often
   the token occurs; then a token occurring c times loses `c * frequency_penalty + presence_penalty`
   (OpenAI's two penalties, which `ck serve` takes from requests).
2. **top-k**: keep the `top_k` highest logits.
3. **top-p**: softmax over what is left (at temperature 1), sort by probability and keep the
   shortest prefix whose cumulative probability is >= `top_p` (at least one token).
4. **min-p**: keep tokens with p >= `min_p` * p_max, i.e. logit >= max_logit + log(min_p).
5. **temperature**: divide the remaining logits by `temperature`, softmax, and draw one token with a
   numpy `Generator` seeded by `seed`. The filters above do not see the temperature.

`temperature == 0` is greedy: the argmax after the repetition penalty, with no random draw.
Ties between equal logits are broken toward the lower token id (llama.cpp leaves them to its sort).
The random stream differs from llama.cpp's mt19937, so the same seed does not give llama.cpp's tokens;
it does give the same tokens for the same inputs every time.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ck.errors import CkError

__all__ = ["SamplingParams", "Sampler"]


@dataclass(frozen=True)
class SamplingParams:
    """Sampler settings with llama.cpp's defaults; each one's "off" value is noted.

    Frozen so that a Sampler's settings cannot become invalid after they were checked;
    use `dataclasses.replace` to derive variants.
    """

    temperature: float = 0.8  # 0 = greedy
    top_k: int = 40  # 0 = off
    top_p: float = 0.95  # 1 = off
    min_p: float = 0.05  # 0 = off
    repeat_penalty: float = 1.0  # 1 = off
    repeat_last_n: int = 64  # 0 = off, -1 = the whole history (llama.cpp: the context size)
    seed: int | None = None  # None = fresh OS entropy each time a Sampler is made
    presence_penalty: float = 0.0  # 0 = off
    frequency_penalty: float = 0.0  # 0 = off

    def __post_init__(self) -> None:
        _check_real("temperature", self.temperature, lambda v: v >= 0, ">= 0 (0 = greedy)")
        _check_int("top_k", self.top_k, lambda v: v >= 0, ">= 0 (0 = off)")
        _check_real("top_p", self.top_p, lambda v: 0 < v <= 1, "in (0, 1] (1 = off)")
        _check_real("min_p", self.min_p, lambda v: 0 <= v < 1, "in [0, 1) (0 = off)")
        _check_real("repeat_penalty", self.repeat_penalty, lambda v: v > 0, "> 0 (1 = off)")
        _check_int("repeat_last_n", self.repeat_last_n, lambda v: v >= -1, ">= -1 (-1 = whole history, 0 = off)")
        if self.seed is not None:
            _check_int("seed", self.seed, lambda v: v >= 0, ">= 0, or None for a random seed")
        _check_real("presence_penalty", self.presence_penalty, lambda v: True, "(0 = off)")
        _check_real("frequency_penalty", self.frequency_penalty, lambda v: True, "(0 = off)")


def _check_real(name: str, value: object, in_range: Callable[[float], bool], expected: str) -> None:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value) and in_range(value)
    if not ok:
        raise CkError(f"sampling parameter {name}={value!r} must be a finite number {expected}")


def _check_int(name: str, value: object, in_range: Callable[[int], bool], expected: str) -> None:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not in_range(value):
        raise CkError(f"sampling parameter {name}={value!r} must be an integer {expected}")


class Sampler:
    """Draws tokens with one random stream: same params (with a seed) + same inputs = same tokens."""

    def __init__(self, params: SamplingParams | None = None) -> None:
        if params is None:
            params = SamplingParams()
        if not isinstance(params, SamplingParams):
            raise CkError(f"Sampler needs a SamplingParams, got {type(params).__name__}")
        self.params = params
        self._rng = np.random.default_rng(params.seed)

    def sample(self, logits: np.ndarray, history: Sequence[int] = ()) -> int:
        """The next token id, given the model's logits [vocab] and the tokens so far (prompt + generated)."""
        ids, probs = self.candidates(logits, history)
        if len(ids) == 1:  # greedy, or the filters left one token: no draw, like llama.cpp
            return int(ids[0])
        # Inverse CDF: the first token whose running sum reaches u * total (llama.cpp's dist sampler).
        cum = np.cumsum(probs)
        i = int(np.searchsorted(cum, self._rng.random() * cum[-1], side="left"))
        return int(ids[min(i, len(ids) - 1)])

    def candidates(self, logits: np.ndarray, history: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        """The tokens the chain keeps, most likely first, and their final probabilities (summing to 1).

        Exposed so callers can inspect the distribution (and tests can check each filter).
        """
        p = self.params
        x = _check_logits(logits)
        _penalize(x, history, p.repeat_penalty, p.repeat_last_n, p.presence_penalty, p.frequency_penalty)
        if p.temperature == 0:
            return np.array([int(np.argmax(x))]), np.ones(1)
        cand = _top_k(x, p.top_k)
        cand = cand[np.isfinite(x[cand])]  # -inf tokens (masked) have probability 0 at any step
        lc = x[cand]
        top = lc.max()
        if p.min_p > 0:
            # min-p keeps a prefix of the sorted order, so filtering before sorting saves the full sort;
            # top-p below still normalizes over all of `cand`, so the result equals top-p then min-p.
            keep = lc >= top + math.log(p.min_p)
            sub, ls = cand[keep], lc[keep]
        else:
            sub, ls = cand, lc
        order = np.lexsort((sub, -ls))  # logit descending, then token id ascending
        sub, ls = sub[order], ls[order]
        if p.top_p < 1:
            cum = np.cumsum(np.exp(ls - top)) / np.exp(lc - top).sum()
            reached = np.flatnonzero(cum >= p.top_p)
            if len(reached):
                n = int(reached[0]) + 1
                sub, ls = sub[:n], ls[:n]
        w = np.exp((ls - top) / p.temperature)
        return sub, w / w.sum()


def _check_logits(logits: np.ndarray) -> np.ndarray:
    """A float64 copy, so the penalty can edit it; NaN or +inf would poison every softmax."""
    x = np.array(logits, dtype=np.float64)  # copies
    if x.ndim != 1 or x.size == 0:
        raise CkError(f"logits must be a non-empty 1-D array [vocab], got shape {x.shape}")
    if np.isfinite(x).all():
        return x
    bad = np.flatnonzero(np.isnan(x) | (x == np.inf))
    if len(bad):
        raise CkError(f"logits[{bad[0]}] is {x[bad[0]]}: logits must be finite or -inf")
    if not np.isfinite(x).any():
        raise CkError("logits are all -inf: no token can be sampled")
    return x


def _penalize(x: np.ndarray, history: Sequence[int], penalty: float, last_n: int,
              presence: float = 0.0, frequency: float = 0.0) -> None:
    """Apply llama.cpp's penalties in place over the window of recent tokens: the repetition
    penalty once per distinct token, then count * frequency + presence subtracted."""
    if (penalty == 1.0 and presence == 0.0 and frequency == 0.0) or last_n == 0 or len(history) == 0:
        return
    window = history[-last_n:] if last_n > 0 else history
    try:
        ids = np.asarray(window, dtype=np.int64)
    except (TypeError, ValueError, OverflowError) as e:
        raise CkError(f"history must be a sequence of token ids: {e}") from e
    if ids.ndim != 1:
        raise CkError(f"history must be a flat sequence of token ids, got shape {ids.shape}")
    ids, counts = np.unique(ids, return_counts=True)
    if ids[0] < 0 or ids[-1] >= x.size:
        bad = ids[0] if ids[0] < 0 else ids[-1]
        raise CkError(f"history token id {bad} is outside the vocabulary [0, {x.size})")
    v = x[ids]
    if penalty != 1.0:
        v = np.where(v <= 0, v * penalty, v / penalty)
    if presence != 0.0 or frequency != 0.0:
        v = v - (counts * frequency + presence)
    x[ids] = v


def _top_k(x: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k largest logits (ties toward lower ids), ascending; all ids when k is 0 or >= vocab."""
    n = x.size
    if k <= 0 or k >= n:
        return np.arange(n)
    kth = x[np.argpartition(x, n - k)[n - k]]  # the k-th largest value
    above = np.flatnonzero(x > kth)
    tied = np.flatnonzero(x == kth)[: k - len(above)]
    return np.sort(np.concatenate([above, tied]))
