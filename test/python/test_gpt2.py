"""GPT-2 (templates/gpt2.json) against transformers' GPT2LMHeadModel on the same weights: files
written as llama.cpp's converter writes them (Conv1D weights transposed, fused attn_qkv,
learned position embedding, LayerNorm with biases, GELU in the tanh form), run by the numpy
semantics of the IR and by the compiled runtime."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gguf import GGUFReader
from hf_oracle import hf_logits
from test_lower_to_kernel import KERNEL_PASSES, lowered
from xdsl.context import Context

import ck
from ck.errors import CkError
from ck.passes import PASSES
from ck.reference import ReferenceRunner, reference_model
from ck.testing import ModelSpec, write_gguf

IDS = [int(i) for i in np.random.default_rng(13).integers(0, 320, 21)]
SPEC = ModelSpec(arch="gpt2", heads=4, kv_heads=4, ffn=256, context_len=64)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def rel_l2(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def test_make_model_writes_what_the_converter_writes(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    subprocess.run([sys.executable, "-m", "ck.cli", "make-model", str(path), "--arch", "gpt2", "--dtype", "q8_0",
                    "-c", "64", "--dim", "64", "--heads", "4"], check=True, capture_output=True)
    reader = GGUFReader(path)
    keys = {f.name: f.parts[f.data[0]].tolist() for f in reader.fields.values() if f.name.startswith("gpt2.")}
    assert keys == {"gpt2.block_count": [2], "gpt2.context_length": [64], "gpt2.embedding_length": [64],
                    "gpt2.feed_forward_length": [256], "gpt2.attention.head_count": [4],
                    "gpt2.attention.layer_norm_epsilon": [pytest.approx(1e-5)]}
    tensors = {t.name: (t.tensor_type.name, [int(n) for n in t.shape]) for t in reader.tensors}
    assert tensors["blk.0.attn_qkv.weight"] == ("Q8_0", [64, 192])  # ne: [in, 3 * n_embd]
    assert tensors["blk.0.attn_qkv.bias"] == ("F32", [192])
    assert tensors["blk.1.ffn_up.weight"] == ("Q8_0", [64, 256])
    assert tensors["blk.1.ffn_down.weight"] == ("Q8_0", [256, 64])
    assert tensors["position_embd.weight"] == ("F32", [64, 64])  # the converter keeps it in f32
    assert tensors["output.weight"] == tensors["token_embd.weight"] == ("Q8_0", [64, 320])
    assert tensors["output_norm.bias"] == ("F32", [64])
    assert len(tensors) == 4 + 12 * 2 + 1


@pytest.mark.parametrize("dtype,act", [("f32", "f32"), ("q8_0", "q8_0")])
def test_every_kernel_pass_keeps_what_the_ir_computes(dtype: str, act: str, tmp_path: Path) -> None:
    """The kernel-level IR (registry numpy semantics) after lowering and after each optimizing
    pass computes what the transformer level computes (q8_0 activations: what the IR computed
    right after lowering, which already quantizes them)."""
    write_gguf(tmp_path / "m.gguf", SPEC.with_(dtype=dtype))
    module, reference, weights = lowered(tmp_path / "m.gguf", act_dtype=act)
    ids = IDS[:8]
    expected = ReferenceRunner(module.clone(), weights, entry="prefill").logits(ids)
    if act == "f32":
        assert np.abs(expected - reference.logits(ids)).max() < 1e-5
    for name in KERNEL_PASSES:
        PASSES[name]()().apply(Context(), module)
        module.verify()
        prefill = ReferenceRunner(module, weights, entry="prefill").logits(ids)
        decode = ReferenceRunner(module, weights, entry="decode")
        steps = np.concatenate([decode.forward([t]) for t in ids])
        assert np.abs(prefill - expected).max() < 1e-5, name
        assert np.abs(steps - expected).max() < 1e-5, name
    text = str(module)
    assert "kernel.layernorm" in text and "kernel.gelu" in text and "kernel.slice" in text


def test_ir_semantics_match_transformers(tmp_path: Path) -> None:
    weights = write_gguf(tmp_path / "m.gguf", SPEC, seed=3)
    expected = hf_logits(SPEC, weights, IDS)
    runner = reference_model(str(tmp_path / "m.gguf"))
    assert np.abs(runner.logits(IDS) - expected).max() < 1e-4
    runner.reset()
    steps = np.concatenate([runner.forward(IDS[:4]), *(runner.forward([t]) for t in IDS[4:])])
    assert np.abs(steps - expected).max() < 1e-4


@pytest.mark.parametrize(
    "isa,threads,dtype,spec",
    [
        ("avx512", 2, "f32", SPEC),
        ("avx2", 1, "f16", SPEC.with_(tied=False)),
        # widths no ISA's vectors divide (head_dim 12, dim 48): the one-lane general kernels
        ("scalar", 2, "q8_0", SPEC.with_(dim=48, ffn=192, heads=4, kv_heads=4, context_len=32)),
    ],
    ids=["avx512-f32", "avx2-f16-untied", "scalar-q8_0-odd-widths"],
)
def test_compiled_logits_match_transformers(isa: str, threads: int, dtype: str, spec: ModelSpec,
                                            tmp_path: Path) -> None:
    """f32 activations: exact up to summation order on the stored (rounded) weights, prefill and
    token by token."""
    spec = spec.with_(dtype=dtype)
    stored = write_gguf(tmp_path / "m.gguf", spec, seed=5)
    expected = hf_logits(spec, stored, IDS)
    with ck.load(tmp_path / "m.gguf", context_len=spec.context_len, threads=threads, isa=isa, act_dtype="f32") as m:
        got = m.logits(IDS)
        m.reset()
        steps = np.concatenate([m.forward(IDS[:3]), *(m.forward([t]) for t in IDS[3:])])
    assert got.shape == expected.shape and got.dtype == np.float32
    assert np.abs(got - expected).max() < 1e-4
    assert np.abs(steps - expected).max() < 1e-4


@pytest.mark.parametrize("dtype,dim,bound", [("q8_0", 128, 3e-2), ("q4_k_m", 256, 5e-2)])
def test_quantized_weights_with_8_bit_activations(dtype: str, dim: int, bound: float, tmp_path: Path) -> None:
    """q8_0 and a Q4_K_M mix with llama.cpp's quantized activations (the default): close to
    the f32 reference on the dequantized weights, as for the other architectures."""
    spec = SPEC.with_(dtype=dtype, dim=dim, ffn=4 * dim, tied=dtype == "q8_0")  # see as_stored
    stored = write_gguf(tmp_path / "m.gguf", spec)
    expected = hf_logits(spec, stored, IDS)
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=2) as m:
        got = m.logits(IDS)
    assert 1e-4 < rel_l2(got, expected) <= bound
    assert (got.argmax(-1) == expected.argmax(-1)).mean() >= 0.95


def test_file_without_output_weight_uses_the_token_embedding(tmp_path: Path) -> None:
    """Today's converter writes no output.weight for GPT-2 (llama.cpp then reads token_embd)."""
    weights = write_gguf(tmp_path / "m.gguf", SPEC, seed=3)
    from gguf import GGUFWriter  # rewrite the file without output.weight

    reader = GGUFReader(tmp_path / "m.gguf")
    w = GGUFWriter(tmp_path / "tied.gguf", "gpt2")
    for field in reader.fields.values():
        if field.name.startswith("gpt2."):
            value = field.parts[field.data[0]][0]
            (w.add_float32 if "epsilon" in field.name else w.add_uint32)(field.name, value.item())
    for t in reader.tensors:
        if t.name != "output.weight":
            w.add_tensor(t.name, np.asarray(t.data).reshape([int(n) for n in reversed(t.shape)]))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    assert "output.weight" not in {t.name for t in GGUFReader(tmp_path / "tied.gguf").tensors}
    got = reference_model(str(tmp_path / "tied.gguf")).logits(IDS)
    assert np.abs(got - hf_logits(SPEC, weights, IDS)).max() < 1e-4


def test_context_longer_than_the_position_table_is_an_error(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", SPEC)
    with pytest.raises(CkError, match="more than the 64 positions"):
        ck.load(tmp_path / "m.gguf", context_len=65)


def test_llama_cpp_reads_the_file_as_gpt2(tmp_path: Path) -> None:
    """llama.cpp (llama-cpp-python) runs the file written here as its GPT-2 and agrees with
    transformers and ck, up to its GELU, which ggml reads from a table of f16 inputs (relative
    errors ~5e-4 per activation)."""
    llama_cpp = pytest.importorskip("llama_cpp")
    weights = write_gguf(tmp_path / "m.gguf", SPEC, seed=3)
    ids = IDS[:12]
    expected = hf_logits(SPEC, weights, ids)
    llm = llama_cpp.Llama(str(tmp_path / "m.gguf"), n_ctx=64, logits_all=True, flash_attn=False, type_k=0, type_v=0,
                          n_threads=2, verbose=False)  # f32 KV cache (GGML_TYPE_F32 = 0), no f16 flash attention
    llm.eval(ids)
    theirs = np.asarray(llm.scores[: len(ids)], dtype=np.float32)
    ours = reference_model(str(tmp_path / "m.gguf")).logits(ids)
    for other in (expected, ours):
        assert rel_l2(theirs, other) < 1e-3
        assert (theirs.argmax(-1) == other.argmax(-1)).all()


def test_batched_decode_equals_one_sequence_steps(tmp_path: Path) -> None:
    """`ck serve`'s batched step (batch-decode): each row's position picks its own row of the
    position table, so every sequence gets the logits it gets alone, bit for bit."""
    write_gguf(tmp_path / "m.gguf", SPEC.with_(dtype="q8_0", dim=128, ffn=512))
    rng = np.random.default_rng(7)
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=2, slots=3) as batched, \
            ck.load(tmp_path / "m.gguf", context_len=64, threads=2, slots=3) as single:
        for s, n in enumerate((5, 17, 1)):  # the sequences start at different positions
            prompt = rng.integers(0, 320, n)
            assert np.array_equal(batched.forward(prompt, logits="last", slot=s),
                                  single.forward(prompt, logits="last", slot=s))
        for rows in ([2, 0, 1], [1, 2]):
            tokens = rng.integers(0, 320, len(rows))
            got = batched.decode_batch(rows, tokens)
            for row, (s, t) in enumerate(zip(rows, tokens, strict=True)):
                assert np.array_equal(got[row], single.forward([int(t)], slot=s)[0]), s
