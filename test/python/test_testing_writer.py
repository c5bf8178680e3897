"""ck.testing writes GGUF the way llama.cpp's converter does: same keys, names, shapes and types
as the independently written reference models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REFERENCE_MODELS
from gguf import GGUFReader

from ck.testing import ModelSpec, write_gguf

EXTRA_KEYS = {"tokenizer.ggml.add_bos_token"}  # the converter writes it for Qwen; the references omit it


def spec_of(name: str) -> ModelSpec:
    m = json.loads((REFERENCE_MODELS / f"{name}.json").read_text())
    return ModelSpec(
        arch=m["arch"], vocab=m["vocab"], dim=m["dim"], layers=m["layers"], ffn=m["ffn"],
        heads=m["heads"], kv_heads=m["kv"], head_dim=m["head_dim"], rope_theta=m["theta"],
        tied=m["tied"], dtype=m["dtype"],
    )


def layout(path: Path) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[tuple[int, ...], str]]]:
    r = GGUFReader(path)
    keys = {k: tuple(int(t) for t in f.types) for k, f in r.fields.items() if not k.startswith("GGUF.")}
    tensors = {t.name: (tuple(int(d) for d in t.shape), t.tensor_type.name) for t in r.tensors}
    return keys, tensors


@pytest.mark.parametrize("name", ["qwen3_tiny_f32", "qwen3_tiny_q8_0", "qwen2_tiny_bias_f32", "llama_tiny_f32"])
def test_same_layout_as_reference(name: str, tmp_path: Path) -> None:
    write_gguf(tmp_path / "mine.gguf", spec_of(name))
    ref_keys, ref_tensors = layout(REFERENCE_MODELS / f"{name}.gguf")
    keys, tensors = layout(tmp_path / "mine.gguf")
    assert tensors == ref_tensors
    assert set(keys) - set(ref_keys) <= EXTRA_KEYS
    assert set(ref_keys) <= set(keys)
    for k in ref_keys:
        assert keys[k] == ref_keys[k], k


def test_synthetic_tokenizer_reaches_a_qwen3_sized_vocabulary() -> None:
    """151936 tokens (more than 256 bytes x 256 bytes of pairs): every merge joins two existing
    tokens into a new one, so HF tokenizers accepts the vocabulary and round-trips text."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    from ck.testing import byte_tokenizer

    tokens, types, merges = byte_tokenizer(151936)
    assert len(tokens) == len(set(tokens)) == len(types) == 151936
    vocab = {t: i for i, t in enumerate(tokens)}
    for m in merges:
        a, b = m.split(" ")
        assert a in vocab and b in vocab and a + b in vocab
    bpe = Tokenizer(models.BPE(vocab, [tuple(m.split(" ")) for m in merges]))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    bpe.decoder = decoders.ByteLevel()
    text = "hello world, 123 " + tokens[100000]  # a byte string that one late merge covers
    ids = bpe.encode(text).ids
    assert bpe.decode(ids) == text and max(ids) >= 65536 + 256
