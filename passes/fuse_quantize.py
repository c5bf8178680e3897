"""`fuse-quantize`: each activation quantized by the kernel that produces it.

After `quantize-activations` an activation the 8-bit matmuls read goes through its own
`kernel.quantize_act`. When its producer can write that form itself (rmsnorm; attention,
when a kv head's query heads are whole blocks; a matmul with one output, e.g. the gate/up
one with the silu_mul epilogue, whose rows come in whole blocks: 32 for q8_0, 256 for
q8_k), this pass sets the producer's `quantize` to the dtype and lets the matmuls read the producer's
quantized outputs: the values are quantized right after they are computed, by the
thread that computed them, while still in L1, with no extra kernel call or barrier.

    %h = kernel.rmsnorm ins(%x, %w : ...) {eps = ...}
    %hq, %hs, %hsum = kernel.quantize_act ins(%h : ...)
  becomes
    %h, %hq, %hs, %hsum = kernel.rmsnorm ins(%x, %w : ...) {eps = ..., quantize = "q8_0"}
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.passes.rewrites import rebuild, replace_ops


def _can_quantize(producer: Operation, index: int, dtype: str) -> bool:
    """Whether `producer` can also write its result `index` as the 8-bit `dtype`: each
    thread's share of it (a row, a kv head's query heads, a unit of output rows) must be
    whole blocks of that dtype."""
    block = kn.act_block(dtype)
    if isinstance(producer, kn.RMSNormOp):
        width = shape_of(producer.x)[1]
        return producer.quantize is None and producer.output_names()[index] == "y" and width % block == 0
    if isinstance(producer, kn.AttentionOp):
        group = producer.n_heads.value.data // producer.n_kv_heads.value.data
        return producer.quantize is None and group * producer.head_dim.value.data % block == 0 and index == 0
    if isinstance(producer, kn.GemvOp | kn.GemmOp):
        single = producer.epilogue is not None or len(producer.w) == 1
        return single and producer.quantize is None and shape_of(producer.w[0])[0] % block == 0
    return False


@dataclass(frozen=True)
class FuseQuantizePass(ModulePass):
    name = "fuse-quantize"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for q in [o for o in op.walk() if isinstance(o, kn.QuantizeActOp) and o.res]:
            producer = q.x.owner
            if not isinstance(producer, Operation) or not _can_quantize(producer, q.x.index, q.dtype):  # type: ignore[attr-defined]
                continue
            fused = rebuild(producer, list(producer.operands), properties={"quantize": StringAttr(q.dtype)},
                            more_results=[r.type for r in q.results])
            replace_ops([producer, q], fused)
