"""`fuse-qk-norm-rope`: Qwen3's per-head QK-norm folded into the rope that follows it.

    %q1 = kernel.head_rmsnorm ins(%q, %wn : ...) {head_dim = 128, eps = ...}
    %q2 = kernel.rope_apply ins(%q1, %table : ...) {head_dim = 128, ...}
  becomes
    %q2 = kernel.rope_apply ins(%q, %table, %wn : ...) {head_dim = 128, ..., eps = ...}

One pass over q (and one over k) instead of two, and no normalized copy written; with
both split by kv head (`plan-threads`), the thread that ropes a head is the one whose
attention reads it.
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


@dataclass(frozen=True)
class FuseQkNormRopePass(ModulePass):
    name = "fuse-qk-norm-rope"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for rope in [o for o in op.walk() if isinstance(o, kn.RopeApplyOp) and o.res and o.norm is None]:
            norm = rope.x.owner
            if (
                not isinstance(norm, kn.HeadRMSNormOp)
                or not norm.res
                or len(list(norm.results[0].uses)) != 1
                or norm.head_dim.value.data != rope.head_dim.value.data
            ):
                continue
            fused = kn.RopeApplyOp(
                norm.x, rope.table, rope.head_dim.value.data, rope.n_rot.value.data, rope.style.data,
                norm.w, norm.eps.value.data,
            )
            merge_provenance(fused, [norm])
            replace_op(rope, fused)
            Rewriter.erase_op(norm)
