"""ck.ggml_quants and ck.quant_mix against llama.cpp's own quantizer, and `ck make-model` k-quant files.

The oracles: gguf-py's dequantizer with error bounds from each type's step size; the bytes and
per-tensor types llama.cpp wrote (test/data/ggml-quants, recorded by record.py there).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA
from gguf import GGMLQuantizationType as T
from gguf import GGUFReader
from gguf.quants import dequantize

from ck.cli import main
from ck.ggml_quants import quantize_blocks, supported_types
from ck.quant_mix import tensor_types, use_more_bits
from ck.testing import (
    FILE_TYPES,
    ModelSpec,
    gguf_name,
    llama_permute,
    random_hf_weights,
    write_gguf,
)

FIXTURE = DATA / "ggml-quants"
TYPES = [T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q4_K, T.Q5_K, T.Q6_K]
# Largest error in a block over the block's largest magnitude. Q4_0/Q5_0: one step (d = amax/8,
# amax/16) on the side opposite the max, which the grid does not reach; Q4_1/Q5_1: half a step of
# range/15, range/31 (range <= 2 amax); plus fp16 rounding of d and m. The K-quants fit their
# scales rather than take amax, so there is no hard bound: these are their steps (6-bit sub-block
# scales of 4, 5, 6-bit quants) with room for the fit.
MAX_ERR = {T.Q4_0: 0.13, T.Q4_1: 0.07, T.Q5_0: 0.066, T.Q5_1: 0.035, T.Q4_K: 0.15, T.Q5_K: 0.08, T.Q6_K: 0.025}
# Relative RMS error on N(0, 1) data: about step / sqrt(12) / sigma for the grid of each type.
RMS_ERR = {T.Q4_0: 0.1, T.Q4_1: 0.09, T.Q5_0: 0.05, T.Q5_1: 0.045, T.Q4_K: 0.08, T.Q5_K: 0.04, T.Q6_K: 0.02}
ATOL = 1e-4  # fp16 subnormal scales: about 2^-25 times the largest quant times the largest sub-scale


def edge_cases() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    return {
        "normal": rng.standard_normal((16, 512)),
        "heavy_tails": rng.standard_t(2, (16, 512)),
        "uniform": rng.uniform(-1, 1, (16, 512)),
        "zeros": np.zeros((2, 512)),
        "constant": np.full((2, 512), 0.37),
        "negative_constant": np.full((2, 512), -0.37),
        "outlier": np.where(np.arange(512) == 77, 1000.0, rng.standard_normal((4, 512))),
        "negative_only": -np.abs(rng.standard_normal((4, 512))),
        "positive_only": np.abs(rng.standard_normal((4, 512))),
        "tiny": rng.standard_normal((4, 512)) * 1e-30,
        "small": rng.standard_normal((4, 512)) * 1e-6,
        "sparse": np.where(rng.random((4, 512)) < 0.9, 0, rng.standard_normal((4, 512))),
    }


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_round_trip_error_within_the_type_bound(qtype: T) -> None:
    block = 256 if qtype.name.endswith("_K") else 32
    for name, x in edge_cases().items():
        x = x.astype(np.float32)
        q = quantize_blocks(x, qtype)
        assert q.dtype == np.uint8 and q.shape[0] == x.shape[0]
        y = dequantize(q, qtype).reshape(x.shape)
        err = np.abs(y - x).reshape(-1, block).max(axis=1)
        amax = np.abs(x).reshape(-1, block).max(axis=1)
        worst = (err - MAX_ERR[qtype] * amax).max()
        assert worst <= ATOL, f"{name}: error exceeds the bound by {worst}"
        if name == "zeros":
            assert not y.any()
        if name == "normal":
            assert np.sqrt(((y - x) ** 2).mean()) < RMS_ERR[qtype]


def test_rows_must_fill_blocks() -> None:
    with pytest.raises(ValueError, match="multiple"):
        quantize_blocks(np.zeros((2, 96), np.float32), T.Q4_K)
    with pytest.raises(ValueError, match="no reference quantizer"):
        quantize_blocks(np.zeros((2, 256), np.float32), T.IQ4_XS)
    assert set(supported_types()) == set(TYPES)


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_bytes_identical_to_llama_cpp(qtype: T) -> None:
    data = np.load(FIXTURE / "quants.npz")
    mine = quantize_blocks(data["input"], qtype)
    theirs = data[qtype.name]
    assert mine.shape == theirs.shape
    assert np.array_equal(mine, theirs), f"rows differing: {np.flatnonzero((mine != theirs).any(axis=1))}"


def _mixes() -> dict:
    return json.loads((FIXTURE / "mixes.json").read_text())["models"]


def _shapes(spec: ModelSpec) -> dict[str, tuple[int, ...]]:
    return {gguf_name(k): v.shape for k, v in random_hf_weights(spec).items()}


@pytest.mark.parametrize("model", sorted(_mixes()))
def test_mix_tables_match_llama_cpp(model: str) -> None:
    entry = _mixes()[model]
    spec = ModelSpec(**entry["spec"])
    names = entry["tensors"].split()
    shapes = _shapes(spec)
    assert sorted(names) == sorted(shapes)
    assert len(entry["types"]) == 20  # 10 file types, with and without --pure
    for key, types in entry["types"].items():
        ftype, pure = key.removesuffix("-pure"), key.endswith("-pure")
        mine = tensor_types(ftype, shapes, spec.layers, pure=pure)
        assert [mine[n].name for n in names] == types.split(), key


def test_mix_rules_show_in_the_fixture() -> None:
    """The 8-layer fixture really exercises use_more_bits: some attn_v are Q6_K, some Q4_K."""
    entry = _mixes()["qwen3_8l_untied"]
    types = dict(zip(entry["tensors"].split(), entry["types"]["Q4_K_M"].split()))
    more = [i for i in range(8) if use_more_bits(i, 8)]
    assert more == [0, 3, 6, 7]
    assert [types[f"blk.{i}.attn_v.weight"] for i in range(8)] == ["Q6_K" if i in more else "Q4_K" for i in range(8)]
    assert types["output.weight"] == "Q6_K" and types["token_embd.weight"] == "Q4_K"


def test_unknown_ftype() -> None:
    with pytest.raises(ValueError, match="unknown file type"):
        tensor_types("Q3_K_M", {}, 1)


MIX_SPEC = _mixes()["qwen3_8l_untied"]["spec"]
CLI_DTYPES = {"q4_0": "Q4_0-pure", "q4_1": "Q4_1-pure", "q5_0": "Q5_0-pure", "q5_1": "Q5_1-pure",
              "q4_k": "Q4_K_S-pure", "q5_k": "Q5_K_S-pure", "q6_k": "Q6_K-pure", "q4_k_s": "Q4_K_S",
              "q4_k_m": "Q4_K_M", "q5_k_s": "Q5_K_S", "q5_k_m": "Q5_K_M"}
LLAMA_FTYPE = {"q4_0": 2, "q4_1": 3, "q5_0": 8, "q5_1": 9, "q4_k": 14, "q5_k": 16, "q6_k": 18,
               "q4_k_s": 14, "q4_k_m": 15, "q5_k_s": 16, "q5_k_m": 17}


@pytest.mark.parametrize("dtype", sorted(CLI_DTYPES))
def test_make_model_writes_llama_cpp_layout(dtype: str, tmp_path: Path) -> None:
    """Per-tensor types as llama.cpp chose them for the same model; values close to the f32 file."""
    flags = ["--vocab", str(MIX_SPEC["vocab"]), "--dim", str(MIX_SPEC["dim"]), "--ffn", str(MIX_SPEC["ffn"]),
             "--layers", str(MIX_SPEC["layers"]), "--heads", str(MIX_SPEC["heads"]),
             "--kv-heads", str(MIX_SPEC["kv_heads"]), "--head-dim", str(MIX_SPEC["head_dim"]), "--untied"]
    assert main(["make-model", str(tmp_path / "q.gguf"), "--dtype", dtype, *flags]) == 0
    assert main(["make-model", str(tmp_path / "f.gguf"), *flags]) == 0
    entry = _mixes()["qwen3_8l_untied"]
    expected = dict(zip(entry["tensors"].split(), entry["types"][CLI_DTYPES[dtype]].split()))
    reader = GGUFReader(tmp_path / "q.gguf")
    assert int(reader.fields["general.file_type"].parts[-1][0]) == LLAMA_FTYPE[dtype] == FILE_TYPES[dtype]
    assert {t.name: t.tensor_type.name for t in reader.tensors} == expected
    f32 = {t.name: np.array(t.data) for t in GGUFReader(tmp_path / "f.gguf").tensors}
    for t in reader.tensors:
        got = dequantize(np.array(t.data), t.tensor_type).reshape(f32[t.name].shape)
        qtype = t.tensor_type
        if qtype in MAX_ERR:
            block = 256 if qtype.name.endswith("_K") else 32
            amax = np.abs(f32[t.name]).reshape(-1, block).max(axis=1)
            err = np.abs(got - f32[t.name]).reshape(-1, block).max(axis=1)
            assert (err <= MAX_ERR[qtype] * amax + ATOL).all(), t.name
        else:
            assert qtype == T.F32 and np.array_equal(got, f32[t.name])


@pytest.mark.parametrize("arch", ["qwen3", "llama"])
def test_write_gguf_returns_what_it_stored(arch: str, tmp_path: Path) -> None:
    """The returned HF weights are the file's tensors dequantized (llama: with the q/k rows permuted)."""
    spec = ModelSpec(arch=arch, dim=256, ffn=256, heads=4, kv_heads=2, dtype="q4_k_m", tied=False)
    hf = random_hf_weights(spec)
    stored = write_gguf(tmp_path / "m.gguf", spec, hf)
    for t in GGUFReader(tmp_path / "m.gguf").tensors:
        name = next(k for k in hf if gguf_name(k) == t.name)
        got = dequantize(np.array(t.data), t.tensor_type).reshape(hf[name].shape)
        expected = stored[name]
        if arch == "llama" and name.endswith(("q_proj.weight", "k_proj.weight")):
            expected = llama_permute(expected, spec.heads if "q_proj" in name else spec.kv_heads)
        assert np.array_equal(got, expected), name


@pytest.mark.parametrize("dtype", ["q4_0", "q4_k_m", "q5_k_m", "q6_k"])
def test_reference_models_quantized_by_llama_cpp_follow_the_mix(dtype: str) -> None:
    """The llama.cpp-quantized reference models: the types in the file are what ck.quant_mix says."""
    from conftest import REFERENCE_MODELS

    name = f"qwen3_small_{dtype}"
    meta = json.loads((REFERENCE_MODELS / f"{name}.json").read_text())
    spec = ModelSpec(vocab=meta["vocab"], dim=meta["dim"], ffn=meta["ffn"], layers=meta["layers"],
                     heads=meta["heads"], kv_heads=meta["kv"], head_dim=meta["head_dim"], tied=meta["tied"])
    reader = GGUFReader(REFERENCE_MODELS / f"{name}.gguf")
    in_file = {t.name: t.tensor_type.name for t in reader.tensors}
    assert in_file == meta["tensor_types"]
    assert int(reader.fields["general.file_type"].parts[-1][0]) == meta["llama_ftype"] == FILE_TYPES[dtype]
    mine = tensor_types(dtype.upper(), _shapes(spec), spec.layers)
    assert {k: v.name for k, v in mine.items()} == in_file


@pytest.mark.parametrize("dtype", ["q4_0", "q4_k_m", "q5_k_m", "q6_k"])
def test_make_model_writes_the_same_tensors_as_llama_quantize(dtype: str, tmp_path: Path) -> None:
    """The reference files are llama.cpp's quantization of ck.testing's f32 model with seed 7:
    writing that model in the dtype directly gives the same bytes, tensor by tensor."""
    from conftest import REFERENCE_MODELS

    meta = json.loads((REFERENCE_MODELS / f"qwen3_small_{dtype}.json").read_text())
    spec = ModelSpec(vocab=meta["vocab"], dim=meta["dim"], ffn=meta["ffn"], layers=meta["layers"],
                     heads=meta["heads"], kv_heads=meta["kv"], head_dim=meta["head_dim"], tied=meta["tied"],
                     dtype=dtype)
    write_gguf(tmp_path / "m.gguf", spec, seed=7, stored=False)
    theirs = {t.name: (t.tensor_type, np.array(t.data)) for t in GGUFReader(REFERENCE_MODELS / f"qwen3_small_{dtype}.gguf").tensors}
    for t in GGUFReader(tmp_path / "m.gguf").tensors:
        qtype, data = theirs[t.name]
        if dtype == "q4_0" and t.name == "output.weight":  # ck's q4_0 is one type; llama.cpp's Q4_0 mix has a Q6_K output
            assert (t.tensor_type, qtype) == (T.Q4_0, T.Q6_K)
            continue
        assert t.tensor_type == qtype and np.array_equal(np.array(t.data), data), t.name


def test_gpt2_mix_as_llama_cpp_lays_it_out() -> None:
    # Recorded from llama-cpp-python 0.3.36's llama_model_quantize (Q4_K_M, no imatrix) on an
    # 8-layer f32 file `ck make-model --arch gpt2 --dim 256 --vocab 512 --heads 4` wrote:
    # the fused attn_qkv takes attn_v's rule, the learned position table stays f32.
    shapes = {"token_embd.weight": (512, 256), "position_embd.weight": (4096, 256), "output.weight": (512, 256)}
    for i in range(8):
        shapes |= {f"blk.{i}.attn_qkv.weight": (768, 256), f"blk.{i}.attn_output.weight": (256, 256),
                   f"blk.{i}.ffn_up.weight": (1024, 256), f"blk.{i}.ffn_down.weight": (256, 1024)}
    types = tensor_types("Q4_K_M", shapes, 8, arch="gpt2")
    assert types["position_embd.weight"] == T.F32
    assert types["output.weight"] == T.Q6_K and types["token_embd.weight"] == T.Q4_K
    assert [i for i in range(8) if types[f"blk.{i}.attn_qkv.weight"] == T.Q6_K] == [0, 3, 6, 7]
    assert [i for i in range(8) if types[f"blk.{i}.ffn_down.weight"] == T.Q6_K] == [0, 3, 6, 7]
    assert {types[f"blk.{i}.attn_output.weight"] for i in range(8)} == {T.Q4_K}
