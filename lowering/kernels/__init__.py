"""Kernel builders: kernel-dialect ops -> simd-level functions, one module per family
(forward and backward side by side), registered here explicitly.

`BUILDERS` maps a kernel op class to (its short kind, the builder); `lower-kernel-to-simd`
looks a builder up for each kernel it meets. Each builder splits its work across the
threads of the runtime's pool by (tid, nth) and says so in its variant description:

    gemv, gemm           rows of w                 matmul_dx     tokens
    rmsnorm              tokens or replicate       matmul_dw     rows of dw
    embedding            tokens or replicate       matmul_db     rows of db
    quantize_act         tokens or replicate       rmsnorm_bwd   dx by token, dw by column
    rope_table           tokens or replicate       rope_bwd      tokens
    rope_apply           heads or tokens           silu_mul_bwd  tokens
    rope                 tokens                    attention_bwd kv heads
    add, silu_mul        tokens                    embedding_bwd feature columns
    layernorm, gelu      tokens                    layernorm_bwd dx by token, dw/db by column
    slice                tokens                    gelu_bwd, slice_bwd  tokens
    attention            kv heads
    softmax_xent         rows (loss: thread 0)
    adamw                flat element range

(`split` on the kernel op chooses among them; `plan-threads` sets it.)
"""

from __future__ import annotations

from ck.dialects import kernel as kn
from xdsl.dialects.builtin import DYNAMIC_INDEX

from ck.dialects.types import shape_of
from ck.lowering.kernels import attention, elementwise, embedding, loss, matmul, norm, optimizer, quantize, rope
from ck.lowering.kernels.common import Arg, Builder, kernel_args

BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {}
for _family in (matmul, norm, quantize, embedding, rope, elementwise, attention, loss, optimizer):
    BUILDERS.update(_family.BUILDERS)


def kernel_name(op: kn.KernelOp, kind: str, isa: str) -> str:
    """A readable function name: `gemv_q8_0_2048x1024_avx512`, `rmsnorm_1024_tn_avx512`."""
    shaped = next((o for o in op.outs if shape_of(o)), op.outs[0])  # softmax_xent's loss is a scalar
    per_token = op.dy if isinstance(op, kn.MatmulDbOp) else shaped  # db [N] has no token dimension
    tokens = shape_of(per_token)[0] if shape_of(per_token) else 1
    t = "tn" if tokens == DYNAMIC_INDEX else f"t{tokens}"
    if op.split is not None and op.split.data == "replicate":
        t += "_all"  # every thread computes every row
    props = op.properties
    if isinstance(op, (kn.GemvOp, kn.GemmOp)):
        rows = "+".join(str(shape_of(w)[0]) for w in op.w)
        parts = [op.w_dtype.data, f"{rows}x{shape_of(op.w[0])[1]}"]
        parts += ["silu"] if op.epilogue is not None else []
        parts += ["q8in"] if op.quantized_input else []
        parts += ["q8out"] if op.quantized_output else []
        parts += ["last"] if op.last_rows is not None else []
        parts += [t] if isinstance(op, kn.GemmOp) else []
    elif isinstance(op, kn.EmbeddingOp):
        parts = [op.w_dtype.data, "x".join(map(str, shape_of(op.table))), t]
    elif isinstance(op, kn.AttentionOp):
        parts = [op.variant.data, f"h{props['n_heads'].value.data}", f"kv{props['n_kv_heads'].value.data}",
                 f"hd{props['head_dim'].value.data}"] + ([] if op.variant.data == "decode" else [t])
    elif isinstance(op, kn.RopeOp):
        parts = [op.style.data, str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}", t]
    elif isinstance(op, kn.RopeApplyOp):
        parts = [op.style.data, str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}"]
        parts += ["norm"] if op.norm is not None else []
        parts += [t]
    elif isinstance(op, kn.RopeTableOp):
        parts = [str(op.n_rot.value.data), t]
    elif isinstance(op, (kn.SliceOp, kn.SliceBwdOp)):  # same widths, other columns: another kernel
        narrow, wide = (op.dy, op.outputs[0]) if isinstance(op, kn.SliceBwdOp) else (op.outputs[0], op.x)
        parts = [f"{shape_of(wide)[1]}", f"at{op.offset.value.data}w{shape_of(narrow)[1]}", t]
    elif isinstance(op, kn.HeadRMSNormOp):
        parts = [str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}", t]
    else:
        parts = ["x".join(map(str, shape_of(shaped)[1:] or shape_of(shaped))), t]
    return "_".join([kind, *parts, isa])


__all__ = ["Arg", "BUILDERS", "Builder", "kernel_args", "kernel_name"]
