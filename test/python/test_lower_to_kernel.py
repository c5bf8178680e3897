"""Kernel-level IR, run by the registry's numpy semantics, computes what the transformer IR computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context

from ck.importer import import_gguf
from ck.lowering.lower_transformer_to_kernel import LowerTransformerToKernelPass
from ck.passes.specialize_seq_len import SpecializeSeqLenPass
from ck.reference import ReferenceRunner
from ck.testing import ModelSpec, write_gguf

IDS = [5, 77, 300, 12, 0, 199, 42, 8]


def lowered(path: Path, act_dtype: str = "f32"):
    imported = import_gguf(path)
    reference = ReferenceRunner(imported.module.clone(), imported.gguf.tensor_f32)
    module = imported.module
    SpecializeSeqLenPass().apply(Context(), module)
    LowerTransformerToKernelPass(act_dtype=act_dtype).apply(Context(), module)
    module.verify()
    return module, reference, imported.gguf.tensor_f32


@pytest.mark.parametrize("arch", ["qwen3", "qwen2", "llama"])
def test_prefill_and_decode_match_the_transformer_level(arch: str, tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(arch=arch, tied=arch != "qwen2"))
    module, reference, weights = lowered(tmp_path / "m.gguf")
    text = str(module)
    left = [o.name for o in module.walk() if o.dialect_name() == "transformer" and o.name != "transformer.weight"]
    assert left == []
    assert "kernel.gemv" in text and "kernel.gemm" in text and 'variant = "decode"' in text
    expected = reference.logits(IDS)
    prefill = ReferenceRunner(module, weights, entry="prefill")
    assert np.abs(prefill.logits(IDS) - expected).max() < 1e-5
    decode = ReferenceRunner(module, weights, entry="decode")
    steps = np.concatenate([decode.forward([t]) for t in IDS])
    assert np.abs(steps - expected).max() < 1e-5


def test_q8_0_activation_quantization_stays_within_bound(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0", tied=False, dim=128, ffn=256))
    module, reference, weights = lowered(tmp_path / "m.gguf", act_dtype="q8_0")
    assert 'act_dtype = "q8_0"' in str(module)
    expected = reference.logits(IDS)
    got = ReferenceRunner(module, weights, entry="prefill").logits(IDS)
    rel = np.linalg.norm(got - expected) / np.linalg.norm(expected)
    assert 1e-6 < rel < 3e-2  # quantization changes the numbers, but not by much


KERNEL_PASSES = [
    "fuse-swiglu", "fuse-matmuls", "fuse-residual-norm", "rope-table", "fuse-qk-norm-rope",
    "quantize-activations", "fuse-quantize", "plan-threads",
]


@pytest.mark.parametrize("arch,dtype,act", [
    ("qwen3", "f32", "f32"), ("qwen2", "f32", "f32"), ("llama", "f32", "f32"), ("qwen3", "q8_0", "q8_0"),
])
def test_every_kernel_pass_keeps_what_the_ir_computes(arch: str, dtype: str, act: str, tmp_path: Path) -> None:
    """Run the kernel-level IR with the registry's numpy semantics after each optimizing pass:
    prefill and decode compute what they computed before it (f32: what the transformer level
    computes; q8_0: what the IR computed right after lower-transformer-to-kernel, which already
    quantizes activations)."""
    from ck.passes import PASSES

    write_gguf(tmp_path / "m.gguf", ModelSpec(arch=arch, dtype=dtype, tied=arch != "qwen2", dim=64, ffn=128))
    module, reference, weights = lowered(tmp_path / "m.gguf", act_dtype=act)
    expected = ReferenceRunner(module.clone(), weights, entry="prefill").logits(IDS)
    if act == "f32":
        assert np.abs(expected - reference.logits(IDS)).max() < 1e-5
    for name in KERNEL_PASSES:
        PASSES[name]()().apply(Context(), module)
        module.verify()
        prefill = ReferenceRunner(module, weights, entry="prefill").logits(IDS)
        decode = ReferenceRunner(module, weights, entry="decode")
        steps = np.concatenate([decode.forward([t]) for t in IDS])
        assert np.abs(prefill - expected).max() < 1e-5, name
        assert np.abs(steps - expected).max() < 1e-5, name
    text = str(module)
    for gone in ("kernel.silu_mul", "kernel.add ", "kernel.head_rmsnorm", "kernel.rope ins"):
        assert gone not in text
    if act == "q8_0":
        assert "kernel.quantize_act" not in text  # every quantization fused into its producer
