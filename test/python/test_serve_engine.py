"""The serve engine's slots: a request whose prompt extends what a slot holds feeds only the new
tokens (no re-prefill of the prefix) and gets the answer a fresh model gives; requests beyond the
slots wait and then run; answers do not depend on what else runs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

import ck
from ck.sampling import SamplingParams
from ck.serve_engine import Engine
from ck.testing import ModelSpec, write_gguf

GREEDY = SamplingParams(temperature=0.0)


def fresh_answer(gguf: Path, prompt: list[int], n: int) -> list[int]:
    """The oracle: greedy tokens of a one-sequence model that has seen nothing before."""
    with ck.load(gguf, context_len=128, threads=2) as model:
        tokens = [int(np.argmax(model.forward(prompt, logits="last")[0]))]
        while len(tokens) < n:
            tokens.append(int(np.argmax(model.forward(tokens[-1:])[0])))
        return tokens


async def run(engine: Engine, prompt: list[int], n: int) -> tuple[list[int], int]:
    job = engine.submit(prompt, n, GREEDY)
    tokens = [t async for t in job.tokens()]
    return tokens, job.cached_tokens


@pytest.mark.parametrize("dtype", ["f32", "q8_0"])
def test_a_prompt_extending_a_slot_reuses_its_prefix(tmp_path: Path, dtype: str) -> None:
    gguf = tmp_path / "m.gguf"
    write_gguf(gguf, ModelSpec(dtype=dtype, tied=False, layers=2), tokenizer=False, seed=3)
    first = [11, 200, 37, 5, 99, 123, 7, 64]
    follow = first + [250, 17, 3]  # a later turn: the same prompt and more

    with ck.load(gguf, context_len=128, threads=2, slots=2) as model:
        model._tokenizer = type("NoEog", (), {"is_eog": staticmethod(lambda t: False)})()  # random model: no stop
        engine = Engine(model)

        async def scenario() -> None:
            answer, cached = await run(engine, first, 6)
            assert cached == 0
            assert answer == fresh_answer(gguf, first, 6)
            again, cached = await run(engine, follow, 6)
            assert cached == len(first)  # only the three new tokens were prefilled
            assert again == fresh_answer(gguf, follow, 6)
            same, cached = await run(engine, follow, 6)  # the very same prompt: all but its last two tokens kept
            assert (same, cached) == (again, len(follow) - 2)
            if dtype == "q8_0":  # the answer's own tokens (fed by decode steps) reused too: exact for q8_0
                longer = follow + same + [42]
                answer, cached = await run(engine, longer, 6)
                assert cached == len(follow) + len(same) - 1  # the last answer token was never fed
                assert answer == fresh_answer(gguf, longer, 6)

        try:
            asyncio.run(scenario())
        finally:
            engine.close()
        assert engine.stats.prompt_tokens_cached_total > 0


def test_more_requests_than_slots_wait_and_get_their_own_answers(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    write_gguf(gguf, ModelSpec(dtype="q8_0", tied=False, layers=2), tokenizer=False, seed=4)
    prompts = [[3 + i, 40 + 2 * i, 100 + i, 7] for i in range(5)]
    lengths = [4, 9, 2, 6, 5]
    with ck.load(gguf, context_len=64, threads=2, slots=2) as model:
        model._tokenizer = type("NoEog", (), {"is_eog": staticmethod(lambda t: False)})()
        engine = Engine(model, queue_limit=8)

        async def all_at_once() -> list[tuple[list[int], int]]:
            return await asyncio.gather(*(run(engine, p, n) for p, n in zip(prompts, lengths, strict=True)))

        try:
            results = asyncio.run(all_at_once())
        finally:
            engine.close()
        assert engine.stats.slots_busy == 0 and engine.stats.queue_depth == 0
        assert engine.stats.decode_steps_total < sum(lengths)  # steps were shared
    for (tokens, _), p, n in zip(results, prompts, lengths, strict=True):
        assert tokens == fresh_answer(gguf, p, n)
