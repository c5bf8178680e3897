"""A batched decode step (several sequences, one token each, through the same kernels) gives
every sequence the logits a one-sequence decode step gives it, bit for bit, whatever else is
in the batch: `ck serve`'s answers never depend on the load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ck
from ck.testing import ModelSpec, write_gguf

SLOTS = 4


@pytest.mark.parametrize(("arch", "dtype"), [("qwen3", "q8_0"), ("qwen3", "f32"), ("qwen2", "f16"), ("llama", "bf16")])
def test_batched_step_equals_one_sequence_steps_bit_for_bit(tmp_path: Path, arch: str, dtype: str) -> None:
    gguf = tmp_path / "m.gguf"
    write_gguf(gguf, ModelSpec(arch=arch, dtype=dtype, dim=128, heads=4, kv_heads=2, ffn=256, vocab=320))
    rng = np.random.default_rng(7)
    with ck.load(gguf, context_len=64, threads=2, slots=SLOTS) as batched, \
            ck.load(gguf, context_len=64, threads=2, slots=SLOTS) as single:
        assert batched.slots == SLOTS
        for s, n in enumerate((5, 17, 1, 30)):  # the sequences start at different positions
            prompt = rng.integers(0, 320, n)
            assert np.array_equal(batched.forward(prompt, logits="last", slot=s), single.forward(prompt, logits="last", slot=s))
        for rows in ([3, 0, 2, 1], [1, 2], [2], [0, 3, 1]):  # changing batches, in any order
            tokens = rng.integers(0, 320, len(rows))
            got = batched.decode_batch(rows, tokens)
            for row, (s, t) in enumerate(zip(rows, tokens, strict=True)):
                want = single.forward([int(t)], slot=s)[0]  # the one-token step of that sequence alone
                assert np.array_equal(got[row], want), f"slot {s} differs by {np.abs(got[row] - want).max()}"
        assert [batched.position_of(s) for s in range(SLOTS)] == [7, 20, 4, 32]


def test_slots_are_checked(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    write_gguf(gguf, ModelSpec(dtype="q8_0"))
    with ck.load(gguf, context_len=8, threads=1, slots=2) as model:
        with pytest.raises(ck.CkError, match="slot must be an integer in \\[0, 2\\)"):
            model.forward([1], slot=2)
        with pytest.raises(ck.CkError, match="a slot appears twice"):
            model.decode_batch([1, 1], [3, 4])
        model.forward(list(range(8)), slot=1)
        with pytest.raises(ck.CkError, match="context of slot 1 is full"):
            model.decode_batch([0, 1], [3, 4])
        assert model.position_of(0) == 0  # a refused step changes nothing
        model.rewind(2, slot=1)
        assert model.decode_batch([0, 1], [3, 4]).shape == (2, 320)
        assert (model.position_of(0), model.position_of(1)) == (1, 3)
    with pytest.raises(ck.CkError, match="slots must be an integer from 1"):
        ck.load(gguf, context_len=8, slots=0)
