"""8-bit activations (act_dtype q8_0) quantize exactly as llama.cpp's CPU path does: on the
reference model the logits match the ones llama.cpp recorded (f32 KV cache), to within the
f32 summation order, on every ISA and thread count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import REFERENCE_MODELS

import ck
from ck.errors import CkError

LLAMA_BOUND = 5e-6
"""Measured: 4.8e-7 max abs on every ISA (the quantized values agree with llama.cpp's; only
the order of the f32 sums differs). llama.cpp itself is 9.6e-2 from transformers here."""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("isa,threads", [("avx512", 1), ("avx512", 2), ("avx2", 2), ("scalar", 1)])
def test_logits_match_llama_cpp(isa: str, threads: int) -> None:
    data = np.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.npz")
    ids = data["ids"].tolist()
    with ck.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.gguf", context_len=32, threads=threads, isa=isa,
                 act_dtype="q8_0") as m:
        prefill = m.logits(ids)
        m.reset()
        decode = np.concatenate([m.forward([t]) for t in ids])
    llama = data["llama_cpp_logits"]
    assert np.abs(prefill - llama).max() < LLAMA_BOUND
    assert np.abs(decode - llama).max() < LLAMA_BOUND
    # and the reference's own distance to transformers is what 8-bit activations cost
    assert np.abs(prefill - data["transformers_logits"]).max() > 1e-2


def test_default_act_dtype_is_q8_0_for_q8_0_weights() -> None:
    data = np.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.npz")
    with ck.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.gguf", context_len=32, threads=2) as m:
        got = m.logits(data["ids"].tolist())
    assert np.abs(got - data["llama_cpp_logits"]).max() < LLAMA_BOUND


def test_unknown_act_dtype_is_an_error() -> None:
    with pytest.raises(CkError, match="unknown act_dtype 'int4'"):
        ck.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.gguf", context_len=32, act_dtype="int4")
