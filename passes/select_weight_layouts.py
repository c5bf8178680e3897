"""`select-weight-layouts`: pack each weight the way the kernels that read it want.

A block-quantized weight (q8_0, or a 4- to 6-bit type unpacked to int8) that only
int8-dot-product matmuls (a q8_0 input) and embedding lookups read is repacked as rp16
(16 rows interleaved per 4 k-values, quants stored +128; see `memory.weight_parts`); every other weight keeps the rows layout. A weight
that could not be repacked (its rows not a multiple of 16, or a reader that needs rows)
keeps rows with the reason in its `ck.layout_reason` attribute, which layout.json
shows: no downgrade goes unrecorded. The blob is then laid out again (offsets and
sizes of every weight, the module's ck.weights_bytes), since a layout may change a
weight's size.

    %w = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  becomes
    %w = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64, layout = "rp16"} : ...
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr
from xdsl.passes import ModulePass

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects.types import WeightType, is_quantized
from ck.lowering.plan_memory import WeightPlan

REASON_ATTR = "ck.layout_reason"


def _reader_problem(user: object) -> str | None:
    """Why a kernel reading a weight cannot take it in rp16 (None if it can)."""
    if isinstance(user, kn.EmbeddingOp):
        return None
    if isinstance(user, kn.GemvOp | kn.GemmOp):
        if not user.quantized_input:
            return f"{user.name} with f32 activations reads rows"
        return None
    return f"{getattr(user, 'name', user)} reads rows"


@dataclass(frozen=True)
class SelectWeightLayoutsPass(ModulePass):
    name = "select-weight-layouts"

    rp16: bool = True
    """Repack block-quantized weights for int8 dot products where their kernels allow (false: rows everywhere)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        weights = [o for o in op.walk() if isinstance(o, mem.WeightOp)]
        problems: dict[str, str | None] = {}
        for w in weights:
            typ = w.result.type
            assert isinstance(typ, WeightType)
            name = w.tensor_name.data
            if not is_quantized(typ.storage) or len(typ.get_shape()) != 2:
                continue
            problem = problems.get(name) if name in problems else mem.layout_problem(typ, "rp16")
            if not self.rp16:
                problem = "rp16 turned off (select-weight-layouts{rp16=false})"
            for use in w.result.uses:
                problem = problem or _reader_problem(use.operation)
            problems[name] = problem
        for w in weights:
            name = w.tensor_name.data
            if name not in problems:
                continue
            if problems[name] is None:
                w.properties["layout"] = StringAttr("rp16")
                w.attributes.pop(REASON_ATTR, None)
            else:
                w.properties.pop("layout", None)
                w.attributes[REASON_ATTR] = StringAttr(str(problems[name]))
        self._relayout(op, weights)

    @staticmethod
    def _relayout(op: ModuleOp, weights: list[mem.WeightOp]) -> None:
        """Place every weight again, in its first-seen order, with its new size."""
        plan = WeightPlan("select-weight-layouts")
        for w in weights:
            typ = w.result.type
            assert isinstance(typ, WeightType)
            offset, _ = plan.place(w.tensor_name.data, typ, w.layout_name)
            w.properties["offset"] = IntegerAttr(offset, 64)
            w.properties["size"] = IntegerAttr(mem.weight_bytes(typ, w.layout_name), 64)
        op.attributes["ck.weights_bytes"] = IntegerAttr(plan.size, 64)
