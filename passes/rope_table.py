"""`rope-table`: compute the rotary angles once per call, not in every rope.

Every layer's q and k ropes rotate by the same angles (they depend on the positions
only), and each rope used to compute pow, cos and sin in double precision for every
pair of every token. This pass gives a function one `kernel.rope_table` per distinct
(positions, n_rot, theta), at its start, and turns each `kernel.rope` into a
`kernel.rope_apply` reading the table; each `kernel.rope_bwd` (the rotation by minus the
angle, in training) into a `kernel.rope_apply` with `inverse` reading the same table.

    %q2 = kernel.rope ins(%q, %positions : ...) {head_dim = 128, n_rot = 128, theta = 1.0e+06, style = "neox"}
  becomes
    %rope_table = kernel.rope_table ins(%positions : ...) {n_rot = 128, theta = 1.0e+06}   (once)
    %q2 = kernel.rope_apply ins(%q, %rope_table : ...) {head_dim = 128, n_rot = 128, style = "neox"}
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
from ck.lowering.provenance import origin_refs, set_provenance
from ck.passes.rewrites import after_definition, named, replace_op


@dataclass(frozen=True)
class RopeTablePass(ModulePass):
    name = "rope-table"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.ops:
            if not isinstance(fn, func.FuncOp) or fn.is_declaration:
                continue
            tables: dict[tuple[SSAValue, int, float], SSAValue] = {}
            for rope in [o for o in fn.walk() if isinstance(o, kn.RopeOp | kn.RopeBwdOp) and o.res]:
                n_rot, theta = rope.n_rot.value.data, rope.theta.value.data
                key = (rope.positions, n_rot, theta)
                if key not in tables:
                    table = named(kn.RopeTableOp(rope.positions, n_rot, theta), ["rope_table"])
                    set_provenance(table, origin_refs(rope), None)  # for every layer: none of its own
                    Rewriter.insert_op(table, after_definition(rope.positions))
                    tables[key] = table.results[0]
                inverse = isinstance(rope, kn.RopeBwdOp)
                apply = kn.RopeApplyOp(rope.operands[0], tables[key], rope.head_dim.value.data, n_rot, rope.style.data,
                                       inverse=inverse)
                replace_op(rope, apply)
