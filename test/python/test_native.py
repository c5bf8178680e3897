"""The compiled runtime (libmodel.so) against independent oracles: transformers, the recorded
reference logits, and the numpy semantics on the stored weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import REFERENCE_MODELS
from hf_oracle import hf_logits

import ck
from ck.errors import CkError
from ck.testing import ModelSpec, write_gguf

IDS = [int(i) for i in np.random.default_rng(11).integers(0, 320, 21)]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def rel_l2(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


@pytest.mark.parametrize(
    "spec",
    [
        ModelSpec(arch="qwen3"),
        ModelSpec(arch="qwen2", tied=False, heads=4, kv_heads=2),
        ModelSpec(arch="llama", tied=False, rope_theta=1e4, heads=8, kv_heads=2),
    ],
    ids=["qwen3", "qwen2", "llama"],
)
def test_f32_logits_match_transformers(spec: ModelSpec, tmp_path: Path) -> None:
    weights = write_gguf(tmp_path / "m.gguf", spec, seed=5)
    expected = hf_logits(spec, weights, IDS)
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=2) as m:
        got = m.logits(IDS)
        assert m.position == len(IDS)
    assert got.shape == expected.shape and got.dtype == np.float32
    assert np.abs(got - expected).max() < 1e-4


@pytest.mark.parametrize("name", ["qwen3_tiny_f32", "qwen2_tiny_bias_f32", "llama_tiny_f32"])
def test_f32_reference_models(name: str) -> None:
    data = np.load(REFERENCE_MODELS / f"{name}.npz")
    with ck.load(REFERENCE_MODELS / f"{name}.gguf", context_len=32, threads=1) as m:
        got = m.logits(data["ids"].tolist())
    assert np.abs(got - data["transformers_logits"]).max() < 1e-4


@pytest.mark.parametrize("dtype", ["f16", "bf16", "q8_0"])
@pytest.mark.parametrize("isa,threads", [("avx512", 2), ("avx2", 1), ("scalar", 2)])
def test_stored_weights_with_f32_activations_are_exact(dtype: str, isa: str, threads: int, tmp_path: Path) -> None:
    """act_dtype f32: the math is the reference's on the stored (rounded) weights, up to the
    f32 summation order, whatever the storage dtype, ISA or thread count."""
    spec = ModelSpec(dtype=dtype, tied=dtype != "q8_0", dim=128, ffn=256)
    stored = write_gguf(tmp_path / "m.gguf", spec)
    expected = hf_logits(spec, stored, IDS)
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=threads, isa=isa, act_dtype="f32") as m:
        got = m.logits(IDS)
        m.reset()
        steps = np.concatenate([m.forward([t]) for t in IDS])
    assert np.abs(got - expected).max() < 1e-4
    assert np.abs(steps - expected).max() < 1e-4


def test_q8_0_weights_default_to_8_bit_activations(tmp_path: Path) -> None:
    """The default act_dtype for q8_0 weights quantizes activations (llama.cpp's choice): close to
    the f32 reference, not equal to it."""
    spec = ModelSpec(dtype="q8_0", tied=False, dim=128, ffn=256, heads=4, kv_heads=2)
    stored = write_gguf(tmp_path / "m.gguf", spec)
    expected = hf_logits(spec, stored, IDS)
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=2) as m:
        got = m.logits(IDS)
    assert 1e-4 < rel_l2(got, expected) <= 3e-2
    assert (got.argmax(-1) == expected.argmax(-1)).mean() >= 0.95


def test_q8_0_reference_model() -> None:
    data = np.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.npz")
    with ck.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.gguf", context_len=32, threads=2) as m:
        got = m.logits(data["ids"].tolist())
    assert rel_l2(got, data["transformers_logits"]) <= 3e-2


@pytest.mark.parametrize("dtype,act", [("f32", "f32"), ("q8_0", "f32"), ("q8_0", "q8_0")])
def test_token_by_token_equals_prefill(dtype: str, act: str, tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype=dtype, tied=False))
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=2, act_dtype=act) as m:
        prefill = m.logits(IDS)
        m.reset()
        steps = np.concatenate([m.forward([t]) for t in IDS])
        assert m.position == len(IDS)
    # f32 activations: decode's dot products and prefill's blocked outer products sum in different
    # orders (exact up to that: 1e-4); q8_0: the same int8 kernel computes both (identical)
    assert np.abs(steps - prefill).max() < (1e-4 if act == "f32" else 1e-6)


def test_prefill_longer_than_one_chunk_and_scalar_isa(tmp_path: Path) -> None:
    spec = ModelSpec()
    weights = write_gguf(tmp_path / "m.gguf", spec)
    ids = [int(i) for i in np.random.default_rng(2).integers(0, 320, 150)]
    expected = hf_logits(spec, weights, ids)
    with ck.load(tmp_path / "m.gguf", context_len=160, threads=1, isa="scalar") as m:
        got = m.logits(ids)
    assert np.abs(got - expected).max() < 1e-4


def test_context_overflow_and_bad_tokens_are_errors(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec())
    with ck.load(tmp_path / "m.gguf", context_len=8, threads=2) as m:
        m.logits([1, 2, 3, 4, 5, 6])
        with pytest.raises(CkError, match="context is full"):
            m.forward([1, 2, 3])
        assert m.position == 6  # nothing was written
        m.forward([7, 8])
        with pytest.raises(CkError, match="context is full"):
            m.forward([9])
        with pytest.raises(CkError, match="token id 320 is outside the vocabulary"):
            m.logits([1, 320])
        with pytest.raises(CkError, match="token id -1"):
            m.logits([-1])


def test_qwen3_0_6b_shaped_two_layer_slice_in_q8_0(tmp_path: Path) -> None:
    """The real Qwen3-0.6B shapes (vocab 151936, width 1024, 16/8 heads of 128, FFN 3072), 2 layers."""
    spec = ModelSpec(arch="qwen3", vocab=151936, dim=1024, layers=2, ffn=3072, heads=16, kv_heads=8,
                     head_dim=128, dtype="q8_0", tied=True, context_len=40960)
    stored = write_gguf(tmp_path / "slice.gguf", spec, tokenizer=False)
    ids = [int(i) for i in np.random.default_rng(0).integers(0, spec.vocab, 12)]
    expected = hf_logits(spec, stored, ids)
    with ck.load(tmp_path / "slice.gguf", context_len=64, threads=2) as m:
        got = m.logits(ids)
    assert got.shape == (12, 151936)
    assert rel_l2(got, expected) <= 3e-2
    assert (got.argmax(-1) == expected.argmax(-1)).mean() >= 0.95
