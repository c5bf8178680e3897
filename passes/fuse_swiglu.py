"""`fuse-swiglu`: gate and up matmuls with their silu * mul as one matmul with an epilogue.

    %g = kernel.gemv ins(%h : ...) weights(%wg : ...) {...}
    %u = kernel.gemv ins(%h : ...) weights(%wu : ...) {...}
    %a = kernel.silu_mul ins(%g, %u : ...)
  becomes
    %a = kernel.gemv ins(%h : ...) weights(%wg, %wu : ...) {..., epilogue = "silu_mul"}

The fused kernel computes each row of gate and up side by side (two weight streams per
row group) and stores silu(g) * u directly: the gate and up activations are never
written, and one kernel (one barrier) replaces three.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from ck.dialects import kernel as kn
from ck.lowering.provenance import merge_provenance
from ck.passes.rewrites import replace_op

Matmul = kn.GemvOp | kn.GemmOp


def _plain(value: object) -> Matmul | None:
    """The single-weight matmul without extras producing `value`, used only once."""
    owner = getattr(value, "owner", None)
    if not isinstance(owner, Matmul) or len(owner.w) != 1 or owner.epilogue is not None:
        return None
    if owner.quantize is not None or owner.last_rows is not None or len(list(owner.results[0].uses)) != 1:
        return None
    return owner


@dataclass(frozen=True)
class FuseSwigluPass(ModulePass):
    name = "fuse-swiglu"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for sm in [o for o in op.walk() if isinstance(o, kn.SiluMulOp) and o.res]:
            gate, up = _plain(sm.gate), _plain(sm.up)
            if gate is None or up is None or type(gate) is not type(up):
                continue
            same = (gate.x == up.x and gate.w_dtype == up.w_dtype and gate.act_dtype == up.act_dtype
                    and len(gate.bias) == len(up.bias) and gate.w[0].type == up.w[0].type)
            if not same:
                continue
            fused = type(gate)(
                list(gate.x), [gate.w[0], up.w[0]], gate.w_dtype.data, gate.act_dtype.data,
                [*gate.bias, *up.bias] or None, epilogue="silu_mul",
            )
            merge_provenance(fused, [gate, up])
            replace_op(sm, fused)
            Rewriter.erase_op(gate)
            Rewriter.erase_op(up)
