"""`quantize-activations`: make the 8-bit quantization of matmul inputs explicit, once per input.

A matmul with an 8-bit act_dtype (q8_0, or q8_k for k-quant weights) and an f32 input
needs that input quantized before its int8 dot products. This pass gives every such input
one `kernel.quantize_act` per 8-bit dtype, placed right after the input is produced, and
rewrites the matmuls that read it to take the quantized triple (x_q, x_scales, x_sums):
q, k and v (or gate and up) then share one quantization, as llama.cpp does. (A file mixing
legacy and k-quant types, e.g. q4_0 layers with a q6_k lm head, quantizes an input twice
only where both kinds read it.) `fuse-quantize` can
then fold the quantize op into the kernel that produced the input.

    %q = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq : ...) {act_dtype = "q8_0", ...}
  becomes
    %hq, %hs, %hsum = kernel.quantize_act ins(%h : tensor<1x64xf32>) -> ...
    %q = kernel.gemv ins(%hq, %hs, %hsum : ...) weights(%wq : ...) {act_dtype = "q8_0", ...}
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from ck.dialects import kernel as kn
from ck.lowering.provenance import merge_provenance
from ck.passes.rewrites import after_definition, rebuild, replace_op


def matmul_segments(op: kn.GemvOp | kn.GemmOp) -> list[int]:
    return [len(op.x), len(op.w), len(op.bias), len(op.outs)]


@dataclass(frozen=True)
class QuantizeActivationsPass(ModulePass):
    name = "quantize-activations"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.ops:
            if isinstance(fn, func.FuncOp) and not fn.is_declaration:
                self._function(fn)

    def _function(self, fn: func.FuncOp) -> None:
        quantized: dict[tuple[SSAValue, str], kn.QuantizeActOp] = {}
        for mm in [o for o in fn.walk() if isinstance(o, kn.GemvOp | kn.GemmOp)]:
            act = mm.act_dtype.data
            if act not in kn.ACT_BLOCKS or mm.quantized_input or mm.is_destination_passing:
                continue
            x = mm.x[0]
            if (x, act) not in quantized:
                q = kn.QuantizeActOp(x, act)
                merge_provenance(q, [mm])  # it exists for this matmul (and the others reading x)
                base = (x.name_hint or "x") + ("" if act == "q8_0" else "_q8k")
                for r, suffix in zip(q.results, ("q", "scales", "sums"), strict=True):
                    r.name_hint = f"{base}_{suffix}"
                Rewriter.insert_op(q, after_definition(x))
                quantized[(x, act)] = q
            triple = list(quantized[(x, act)].results)
            sizes = matmul_segments(mm)
            sizes[0] = 3
            replace_op(mm, rebuild(mm, [*triple, *mm.w, *mm.bias], sizes))
