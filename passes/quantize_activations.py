"""`quantize-activations`: make the 8-bit quantization of matmul inputs explicit, once per input.

A matmul with act_dtype q8_0 and an f32 input quantizes that input itself before its
int8 dot products. This pass gives every such input one `kernel.quantize_act`, placed
right after the input is produced, and rewrites the matmuls that read it to take the
quantized triple (x_q, x_scales, x_sums): q, k and v (or gate and up) then share one
quantization instead of each doing its own, as llama.cpp does. `fuse-quantize` can
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
        quantized: dict[SSAValue, kn.QuantizeActOp] = {}
        for mm in [o for o in fn.walk() if isinstance(o, kn.GemvOp | kn.GemmOp)]:
            if mm.act_dtype.data != "q8_0" or mm.quantized_input or mm.is_destination_passing:
                continue
            x = mm.x[0]
            if x not in quantized:
                q = kn.QuantizeActOp(x)
                merge_provenance(q, [mm])  # it exists for this matmul (and the others reading x)
                base = x.name_hint or "x"
                for r, suffix in zip(q.results, ("q", "scales", "sums"), strict=True):
                    r.name_hint = f"{base}_{suffix}"
                Rewriter.insert_op(q, after_definition(x))
                quantized[x] = q
            triple = list(quantized[x].results)
            sizes = matmul_segments(mm)
            sizes[0] = 3
            replace_op(mm, rebuild(mm, [*triple, *mm.w, *mm.bias], sizes))
