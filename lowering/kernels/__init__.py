"""Kernel builders: kernel-dialect ops -> simd-level functions, one module per family
(forward and backward side by side), registered here explicitly.

`BUILDERS` maps a kernel op class to (its short kind, the builder); `lower-kernel-to-simd`
looks a builder up for each kernel it meets. Each builder splits its work across the
threads of the runtime's pool by (tid, nth) and says so in its variant description:

    gemv, gemm           rows of w                 matmul_dx     tokens
    rmsnorm              tokens                    matmul_dw     rows of dw
    embedding            tokens                    rmsnorm_bwd   dx by token, dw by column
    rope                 tokens                    rope_bwd      tokens
    add, silu_mul        tokens                    silu_mul_bwd  tokens
    attention            kv heads                  attention_bwd kv heads
    softmax_xent         rows (loss: thread 0)     embedding_bwd feature columns
    adamw                flat element range
"""

from __future__ import annotations

from ck.dialects import kernel as kn
from xdsl.dialects.builtin import DYNAMIC_INDEX

from ck.dialects.types import shape_of
from ck.lowering.kernels import attention, elementwise, embedding, loss, matmul, norm, optimizer, rope
from ck.lowering.kernels.common import Arg, Builder, kernel_args

BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {}
for _family in (matmul, norm, embedding, rope, elementwise, attention, loss, optimizer):
    BUILDERS.update(_family.BUILDERS)


def kernel_name(op: kn.KernelOp, kind: str, isa: str) -> str:
    """A readable function name: `gemv_q8_0_2048x1024_avx512`, `rmsnorm_1024_tn_avx512`."""
    shaped = next((o for o in op.outs if shape_of(o)), op.outs[0])  # softmax_xent's loss is a scalar
    tokens = shape_of(shaped)[0] if shape_of(shaped) else 1
    t = "tn" if tokens == DYNAMIC_INDEX else f"t{tokens}"
    props = op.properties
    if isinstance(op, (kn.GemvOp, kn.GemmOp)):
        n, k = shape_of(op.w)
        parts = [op.w_dtype.data, f"{n}x{k}"] + ([t] if isinstance(op, kn.GemmOp) else [])
    elif isinstance(op, kn.EmbeddingOp):
        parts = [op.w_dtype.data, "x".join(map(str, shape_of(op.table))), t]
    elif isinstance(op, kn.AttentionOp):
        parts = [op.variant.data, f"h{props['n_heads'].value.data}", f"kv{props['n_kv_heads'].value.data}",
                 f"hd{props['head_dim'].value.data}"] + ([] if op.variant.data == "decode" else [t])
    elif isinstance(op, kn.RopeOp):
        parts = [op.style.data, str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}", t]
    elif isinstance(op, kn.HeadRMSNormOp):
        parts = [str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}", t]
    else:
        parts = ["x".join(map(str, shape_of(shaped)[1:] or shape_of(shaped))), t]
    return "_".join([kind, *parts, isa])


__all__ = ["Arg", "BUILDERS", "Builder", "kernel_args", "kernel_name"]
