"""`plan-threads`: choose how each kernel divides its work among the runtime's threads.

Every thread of the pool runs every kernel; the `split` property says which part of
the work each does, and so which threads must wait for which (`remove-barriers` reads
it back from the generated kernels). In decode (one token) splitting by tokens would
leave all threads but one idle, so:

* matmuls split their rows (output features);
* attention and the rope that feeds it split by kv head, the rope in whole groups of
  the query heads that read one kv head (`group`), so a thread ropes exactly the heads
  its attention reads and neither waits for the other;
* the small per-token kernels (embedding, rmsnorm with its residual add and
  quantization, quantize_act, the rope table) are replicated: every thread computes
  all of it into buffers of its own (plan-memory gives them a private arena), which
  costs a few microseconds and saves a barrier before every matmul.

In prefill (a chunk of tokens) the per-token kernels split by tokens instead. Training
functions (with `ck.grads`) keep each kernel's default split.

    %h = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, ...) {eps = ...} -> tensor<1x64xf32>
  becomes (decode)
    %h = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, ...) {eps = ..., split = "replicate"} -> ...
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of

PER_TOKEN = (kn.EmbeddingOp, kn.RMSNormOp, kn.QuantizeActOp, kn.RopeTableOp)
"""Kernels cheap enough to replicate in decode."""


def _returned(op: Operation) -> bool:
    return any(isinstance(u.operation, func.ReturnOp) for r in op.results for u in r.uses)


def _rope_group(op: kn.RopeApplyOp) -> int | None:
    """Query heads per kv head if this rope feeds an attention's q, 1 for its k (None: neither)."""
    for use in op.results[0].uses:
        att = use.operation
        if isinstance(att, kn.AttentionOp):
            if use.index == 0:
                return att.n_heads.value.data // att.n_kv_heads.value.data
            if use.index == 1:
                return 1
    return None


@dataclass(frozen=True)
class PlanThreadsPass(ModulePass):
    name = "plan-threads"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.ops:
            if isinstance(fn, func.FuncOp) and not fn.is_declaration and "ck.grads" not in fn.attributes:
                self._function(fn)

    @staticmethod
    def _function(fn: func.FuncOp) -> None:
        args = fn.function_type.inputs.data
        decode = bool(args) and shape_of(args[0])[0] == 1
        for o in fn.walk():
            if not isinstance(o, kn.KernelOp) or not o.results:
                continue
            split: str | None = None
            if isinstance(o, PER_TOKEN):
                split = "replicate" if decode and not _returned(o) else "tokens"
            elif isinstance(o, kn.GemvOp | kn.GemmOp):
                split = "rows"
            elif isinstance(o, kn.AttentionOp):
                split = "heads"
            elif isinstance(o, kn.RopeApplyOp):
                group = _rope_group(o)
                if group is not None:
                    split = "heads"
                    o.properties["group"] = IntegerAttr(group, 64)
                else:
                    split = "tokens"
            if split is not None:
                o.properties["split"] = StringAttr(split)
