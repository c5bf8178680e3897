"""Imported IR, run by the numpy semantics, against Hugging Face transformers on the same weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hf_oracle import hf_logits

from ck.reference import reference_model
from ck.testing import ModelSpec, write_gguf

IDS = [int(i) for i in np.random.default_rng(7).integers(0, 320, 19)]

SPECS = {
    "qwen3_tied": ModelSpec(arch="qwen3"),
    "qwen3_untied_hd32": ModelSpec(arch="qwen3", tied=False, head_dim=32, heads=4, kv_heads=1),
    "qwen2_bias": ModelSpec(arch="qwen2", tied=False, heads=4, kv_heads=2),
    "llama_permuted": ModelSpec(arch="llama", tied=False, rope_theta=1e4, heads=8, kv_heads=2),
    "llama_bias_tied": ModelSpec(arch="llama", bias=True, rope_theta=5e5),
}


@pytest.mark.parametrize("name", SPECS)
def test_f32_logits_match_transformers(name: str, tmp_path: Path) -> None:
    spec = SPECS[name]
    weights = write_gguf(tmp_path / "m.gguf", spec, seed=3)
    expected = hf_logits(spec, weights, IDS)
    got = reference_model(str(tmp_path / "m.gguf")).logits(IDS)
    assert got.shape == (len(IDS), spec.vocab)
    assert np.abs(got - expected).max() < 1e-4


@pytest.mark.parametrize("dtype", ["f16", "bf16", "q8_0"])
def test_stored_dtypes_run_on_the_rounded_weights(dtype: str, tmp_path: Path) -> None:
    spec = ModelSpec(dtype=dtype, tied=False)
    stored = write_gguf(tmp_path / "m.gguf", spec)
    expected = hf_logits(spec, stored, IDS)
    got = reference_model(str(tmp_path / "m.gguf")).logits(IDS)
    assert np.abs(got - expected).max() < 1e-4


def test_token_by_token_decode_equals_prefill(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(arch="qwen3"))
    runner = reference_model(str(tmp_path / "m.gguf"))
    prefill = runner.logits(IDS)
    runner.reset()
    first = runner.forward(IDS[:5])
    rest = [runner.forward([t]) for t in IDS[5:]]
    assert runner.position == len(IDS)
    assert np.abs(np.concatenate([first, *rest]) - prefill).max() < 1e-5


def test_llama_permutation_matters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Llama file written without the converter's Q/K permutation must not match (the test can fail)."""
    import ck.testing

    spec = ModelSpec(arch="llama", tied=False, rope_theta=1e4)
    weights = ck.testing.random_hf_weights(spec, seed=3)
    expected = hf_logits(spec, weights, IDS)
    monkeypatch.setattr(ck.testing, "llama_permute", lambda w, n_head: w)
    write_gguf(tmp_path / "m.gguf", spec, weights=weights)
    got = reference_model(str(tmp_path / "m.gguf")).logits(IDS)
    assert np.abs(got - expected).max() > 1e-2
