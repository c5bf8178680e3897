"""The numpy reference semantics of imported IR against the recorded logits of the reference models.

The reference GGUF files were written independently of ck.testing and checked
against llama.cpp, so the importer and ck.testing cannot both be wrong the same way.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import REFERENCE_MODELS

from ck.reference import reference_model

F32_MODELS = ["qwen3_tiny_f32", "qwen2_tiny_bias_f32", "llama_tiny_f32"]


@pytest.mark.parametrize("name", F32_MODELS)
def test_f32_reference_logits_match_transformers(name: str) -> None:
    data = np.load(REFERENCE_MODELS / f"{name}.npz")
    logits = reference_model(str(REFERENCE_MODELS / f"{name}.gguf")).logits(data["ids"].tolist())
    expected = data["transformers_logits"]
    assert logits.shape == expected.shape
    assert np.abs(logits - expected).max() < 1e-4


def test_q8_0_reference_logits_match_dequantized_transformers() -> None:
    data = np.load(REFERENCE_MODELS / "qwen3_tiny_q8_0.npz")
    logits = reference_model(str(REFERENCE_MODELS / "qwen3_tiny_q8_0.gguf")).logits(data["ids"].tolist())
    # The reference runs f32 activations on the dequantized weights, as transformers did.
    assert np.abs(logits - data["transformers_logits"]).max() < 1e-4


@pytest.mark.parametrize("name", F32_MODELS + ["qwen3_tiny_q8_0"])
def test_hparams_read_from_metadata(name: str) -> None:
    from ck.importer import import_gguf

    meta = json.loads((REFERENCE_MODELS / f"{name}.json").read_text())
    hp = import_gguf(REFERENCE_MODELS / f"{name}.gguf").hparams
    assert (hp["n_vocab"], hp["n_embd"], hp["n_ff"], hp["n_layer"]) == (
        meta["vocab"], meta["dim"], meta["ffn"], meta["layers"])
    assert (hp["n_head"], hp["n_head_kv"], hp["head_dim"]) == (meta["heads"], meta["kv"], meta["head_dim"])
    assert hp["rope_theta"] == meta["theta"]
