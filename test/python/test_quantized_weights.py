"""The 4- to 6-bit GGML weight types (q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k) end to end.

Oracles: gguf-py's `dequantize` for the unpacked weights (bit for bit), llama.cpp's recorded
logits on files its own quantizer wrote, and transformers run on the dequantized weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import REFERENCE_MODELS
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFReader
from gguf.quants import dequantize
from gguf_edit import rewrite
from hf_oracle import hf_logits

import ck
from ck.block_quants import affine_rp16, unpack_affine
from ck.compiler import detect_isa
from ck.dialects.types import AFFINE_DTYPES
from ck.ggml_quants import quantize_blocks
from ck.testing import ModelSpec, hf_name, write_gguf

FP16_FIELDS = {"q4_0": [0], "q4_1": [0, 2], "q5_0": [0], "q5_1": [0, 2], "q4_k": [0, 2], "q5_k": [0, 2], "q6_k": [208]}
"""Byte offsets of the fp16 scale fields in each type's block."""
REFERENCE_FILES = [f"qwen3_small_{t}" for t in ("q4_0", "q4_1", "q5_0", "q5_1", "q4_k_m", "q5_k_m", "q6_k")]
# Files whose every type llama.cpp pairs with the 8-bit activations ck uses (q8_0 for q4_0 and
# q5_0, q8_k for the k-quants; q4_1 and q5_1 take llama.cpp's q8_1, whose block sum is an fp16
# d * sum(q), where ck keeps the exact integer sum): ck computes the same numbers, up to the
# order of float sums, on the ISA the recorded logits were made on.
SAME_ACTIVATIONS_AS_LLAMA_CPP = {f"qwen3_small_{t}" for t in ("q4_0", "q5_0", "q4_k_m", "q5_k_m", "q6_k")}


def _random_blocks(dtype: str, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Random bytes for an [n, k] tensor of `dtype`, with finite fp16 scales of both signs."""
    block, size = GGML_QUANT_SIZES[GGMLQuantizationType[dtype.upper()]]
    raw = rng.integers(0, 256, size=(n, k // block, size), dtype=np.uint8)
    for at in FP16_FIELDS[dtype]:
        scales = (rng.standard_normal((n, k // block)) * rng.choice([1e-4, 1e-2, 10.0], (n, k // block)))
        raw[..., at : at + 2] = scales.astype(np.float16).view(np.uint8).reshape(n, k // block, 2)
    return raw.reshape(n, -1)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


@pytest.mark.parametrize("dtype", list(AFFINE_DTYPES))
def test_unpacked_weights_are_gguf_dequantize_bit_for_bit(dtype: str) -> None:
    rng = np.random.default_rng(5)
    n, k = 32, 512
    raw = _random_blocks(dtype, n, k, rng)
    expected = dequantize(raw, GGMLQuantizationType[dtype.upper()]).reshape(n, k)
    parts = unpack_affine(raw, dtype, n, k)
    group = AFFINE_DTYPES[dtype]
    got = (parts["scales"][..., None] * parts["quants"].reshape(n, k // group, group).astype(np.float32)).reshape(n, k)
    if "mins" in parts:
        got = (got.reshape(n, k // 32, 32) + parts["mins"][..., None]).reshape(n, k)
    assert np.array_equal(got.view(np.uint32), expected.view(np.uint32))
    # rp16 holds the same numbers: 16 rows interleaved per 4 k-values, q + 128 in a byte
    # (q + 8 for q4_0, q for q4_1 and q4_k, two per byte: k-steps s and s + 4 in one)
    rp = affine_rp16(parts, dtype)
    u = rp["quants"].reshape(n // 16, k // 32, -1, 16, 4).astype(np.int16)
    if u.shape[2] == 4:
        u = np.concatenate([u & 15, u >> 4], axis=2)
        q = u - (8 if dtype == "q4_0" else 0)
    else:
        q = u - 128
    assert dtype in ("q4_0", "q4_1", "q4_k") or u.shape[2] == 8
    assert np.array_equal(q.transpose(0, 3, 1, 2, 4).reshape(n, k), parts["quants"])
    scales = rp["scales"].transpose(0, 2, 1).reshape(n, -1).astype(np.float32)
    if "d" in rp:  # k-quants: integer scales times d per 256, as the kernels multiply them
        scales = np.repeat(rp["d"].transpose(0, 2, 1).reshape(n, -1), k // group // (k // 256), axis=1) * scales
    assert np.array_equal(scales, parts["scales"])


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_llama_cpp_quantized_files_match_llama_cpp_and_transformers(name: str) -> None:
    data = np.load(REFERENCE_MODELS / f"{name}.npz")
    ids = [int(i) for i in data["ids"]]
    llama, hf = data["llama_cpp_logits"], data["transformers_logits"]
    with ck.load(REFERENCE_MODELS / f"{name}.gguf", context_len=32, threads=2) as m:  # 8-bit activations
        got = m.logits(ids)
        m.reset()
        decoded = np.concatenate([m.forward([t]) for t in ids])
    assert _rel(got, llama) < 3e-2 and _rel(got, hf) < 5e-2
    if name in SAME_ACTIVATIONS_AS_LLAMA_CPP and detect_isa() == "avx512":
        assert _rel(got, llama) < 1e-5  # measured: 0.9 to 1.5e-7
    assert (got.argmax(-1) == llama.argmax(-1)).mean() >= 0.9
    assert (got.argmax(-1) == hf.argmax(-1)).mean() >= 0.9
    assert np.abs(decoded - got).max() < 1e-5


def test_llvm_backend_runs_the_4_bit_kernels_as_the_c_backend() -> None:
    data = np.load(REFERENCE_MODELS / "qwen3_small_q4_0.npz")  # q4_0 nibbles in registers, q6_k output
    ids = [int(i) for i in data["ids"]]
    logits = {}
    for backend in ("c", "llvm"):
        with ck.load(REFERENCE_MODELS / "qwen3_small_q4_0.gguf", context_len=32, threads=2, backend=backend) as m:
            logits[backend] = m.logits(ids)
    assert np.abs(logits["llvm"] - logits["c"]).max() < 1e-5
    assert _rel(logits["llvm"], data["llama_cpp_logits"]) < 3e-2


def _every_type_model(tmp_path: Path) -> tuple[ModelSpec, Path, dict[str, np.ndarray]]:
    """A tied qwen3 model whose matrices take every affine type in turn (the tied table
    q6_k, so embedding gathers and the lm head read the per-16 scales), and its weights
    as gguf-py dequantizes them, under transformers' names."""
    spec = ModelSpec(arch="qwen3", vocab=320, dim=256, ffn=512, layers=2, heads=4, kv_heads=2, head_dim=64, tied=True)
    write_gguf(tmp_path / "f32.gguf", spec, seed=2)
    reader = GGUFReader(tmp_path / "f32.gguf")
    types = list(AFFINE_DTYPES)
    replace, i = {}, 0
    for t in reader.tensors:
        if len(t.shape) != 2:
            continue
        dtype = "q6_k" if t.name == "token_embd.weight" else types[i % len(types)]
        i += t.name != "token_embd.weight"
        qtype = GGMLQuantizationType[dtype.upper()]
        values = np.asarray(t.data, dtype=np.float32).reshape(int(t.shape[1]), int(t.shape[0]))
        replace[t.name] = (quantize_blocks(values, qtype), qtype)
    assert i >= len(types)
    rewrite(tmp_path / "f32.gguf", tmp_path / "mixed.gguf", replace=replace)
    weights = {}
    for t in GGUFReader(tmp_path / "mixed.gguf").tensors:
        shape = tuple(int(d) for d in reversed(t.shape.tolist()))
        weights[hf_name(t.name)] = dequantize(t.data, t.tensor_type).reshape(shape).astype(np.float32)
    return spec, tmp_path / "mixed.gguf", weights


def test_every_type_in_one_model_on_every_isa(tmp_path: Path) -> None:
    spec, path, weights = _every_type_model(tmp_path)
    ids = [int(i) for i in np.random.default_rng(3).integers(0, spec.vocab, 20)]
    hf = hf_logits(spec, weights, ids)
    with ck.load(path, context_len=32, threads=2, act_dtype="f32") as m:  # exact up to summation order
        assert np.abs(m.logits(ids) - hf).max() < 1e-4
    by_isa = {}
    for isa in ("avx512", "avx2", "scalar"):
        with ck.load(path, context_len=32, threads=2, isa=isa) as m:
            by_isa[isa] = m.logits(ids)
            m.reset()
            decoded = np.concatenate([m.forward([t]) for t in ids])
        assert np.abs(decoded - by_isa[isa]).max() < 1e-5, isa
    assert _rel(by_isa["avx512"], hf) < 5e-2
    assert (by_isa["avx512"].argmax(-1) == hf.argmax(-1)).mean() >= 0.9
    # avx2 (8 lanes) and scalar code sum norms and softmax in another order than avx512; the
    # q8_k activations' f32 scale (llama.cpp's Q8_K: no fp16 rounding, unlike q8_0's) carries
    # that last-bit difference, and re-quantized activations then round a few values the other
    # way, at the 8-bit activation's own precision
    for isa in ("avx2", "scalar"):
        assert _rel(by_isa[isa], by_isa["avx512"]) < 1e-2, isa
        assert np.array_equal(by_isa[isa].argmax(-1), by_isa["avx512"].argmax(-1)), isa
