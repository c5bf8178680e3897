"""Runtime options: logits of the last token only, the f16 KV cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ck
from ck.errors import CkError
from ck.testing import ModelSpec, write_gguf

IDS = [int(i) for i in np.random.default_rng(3).integers(0, 320, 19)]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0", tied=True))
    return tmp_path / "m.gguf"


def test_last_logits_are_the_last_row_of_all(model_path: Path) -> None:
    with ck.load(model_path, context_len=64, threads=2) as m:
        every = m.logits(IDS)
        m.reset()
        last = m.forward(IDS, logits="last")
        assert last.shape == (1, m.vocab) and last.dtype == np.float32
        assert m.position == len(IDS)
        step = m.forward([7], logits="last")  # decode
        m.reset()
        both = m.forward([*IDS, 7])
    assert np.abs(last[0] - every[-1]).max() < 1e-6
    assert np.abs(step[0] - both[-1]).max() < 1e-5


def test_last_logits_over_several_prefill_chunks(model_path: Path) -> None:
    """A prompt longer than one prefill chunk (max_tokens 64): only the final chunk's last token
    runs the lm head."""
    ids = [int(i) for i in np.random.default_rng(4).integers(0, 320, 150)]
    with ck.load(model_path, context_len=160, threads=2) as m:
        every = m.logits(ids)
        m.reset()
        last = m.forward(ids, logits="last")
    assert np.abs(last[0] - every[-1]).max() < 1e-6


def test_bad_logits_argument(model_path: Path) -> None:
    with ck.load(model_path, context_len=16, threads=1) as m:
        with pytest.raises(CkError, match="logits must be 'all' or 'last'"):
            m.forward([1], logits="first")
        with pytest.raises(CkError, match="needs at least one id"):
            m.forward([], logits="last")


def test_f16_kv_cache_is_close_to_f32(model_path: Path) -> None:
    """Keys and values rounded to f16 (relative error 2^-11) move the logits by a few 1e-4
    (relative L2); with f32 activations, so 8-bit quantization does not amplify the difference."""
    with ck.load(model_path, context_len=64, threads=2, kv_dtype="f32", act_dtype="f32") as m:
        f32 = m.logits(IDS)
    with ck.load(model_path, context_len=64, threads=2, kv_dtype="f16", act_dtype="f32") as m:
        f16 = m.logits(IDS)
        m.reset()
        steps = np.concatenate([m.forward([t]) for t in IDS])
        kv_bytes = m.info.kv_bytes
    with ck.load(model_path, context_len=64, threads=2, act_dtype="f32") as m:
        assert kv_bytes * 2 == m.info.kv_bytes  # half the memory
    rel = np.linalg.norm(f16 - f32) / np.linalg.norm(f32)
    assert 0 < rel < 1e-3
    # decode (dot products) and prefill (blocked outer products) sum in different orders: 1e-4
    assert np.abs(steps - f16).max() < 1e-4
