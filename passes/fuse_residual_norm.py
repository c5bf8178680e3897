"""`fuse-residual-norm`: the residual add folded into the rmsnorm that reads its sum.

    %x2 = kernel.add ins(%x, %o : ...)
    %h = kernel.rmsnorm ins(%x2, %w : ...) {eps = ...}
  becomes
    %x2, %h = kernel.rmsnorm ins(%x, %w, %o : ...) {eps = ...}

The fused kernel adds, stores the sum (the residual stream goes on) and normalizes it in
one pass over the row; with `plan-threads` every thread does this for itself, so the add
no longer needs all threads to meet before and after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from ck.dialects import kernel as kn
from ck.passes.rewrites import hoist_weights, replace_ops


@dataclass(frozen=True)
class FuseResidualNormPass(ModulePass):
    name = "fuse-residual-norm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for norm in [o for o in op.walk() if isinstance(o, kn.RMSNormOp) and o.res]:
            add = norm.x.owner
            if not isinstance(add, kn.AddOp) or not add.res or norm.residual is not None or norm.quantize is not None:
                continue
            hoist_weights([norm.w], add)
            replace_ops([add, norm], kn.RMSNormOp(add.lhs, norm.w, norm.eps.value.data, add.rhs))
