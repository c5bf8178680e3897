"""`batch-decode`: an entry point that runs one decode step of several sequences at once.

A server with several conversations in flight (`ck serve -np N`) would otherwise run N
one-token steps, each reading every weight from memory. This pass clones the prefill
function (kernel level, value form: its matmuls already take several rows) into
`@ck_decode_batch`, whose row t is the next token of sequence `slots[t]`:

    func.func @ck_prefill(%tokens: tensor<?xi32>, %positions: tensor<?xi32>) -> tensor<?x256xf32>
  gains a sibling
    func.func @ck_decode_batch(%tokens: tensor<?xi32>, %positions: tensor<?xi32>, %slots: tensor<?xi32>)
        -> tensor<?x256xf32> attributes {ck.batch}

in which
- every attention over the KV cache becomes `variant = "batch"` with the `slots` operand:
  each row appends to and reads its own sequence's cache;
- the lm head computes every row (no `last_rows`: each sequence needs its logits);
- matmuls over f32 activations take the one-row schedule the decode step uses
  (`#kernel.schedule<rows = 1, tokens = 1, streams = 1>`), so every row is summed in the
  decode step's order. Matmuls over q8_0 activations keep any schedule: their int8 kernels
  sum each row in the same order whatever the register tile.

So each row's logits are bit-identical to a one-token decode step of that sequence, and an
answer does not depend on which other sequences share its steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX, ModuleOp, StringAttr, TensorType, UnitAttr, i32
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn

BATCH_ATTR = "ck.batch"
"""Marks the batched entry point (plan-memory gives it every sequence's KV cache)."""


def _batched(op: kn.AttentionOp, slots: object) -> Operation:
    """`op` as the batch variant, reading the sequence of each row from `slots`."""
    new = kn.AttentionOp(
        op.q, op.k, op.v, op.positions, op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data,
        op.scale.value.data, "batch", op.kv_slot.value.data if op.kv_slot is not None else None,
        quantize=op.quantize.data if op.quantize is not None else None,
        split=op.split.data if op.split is not None else None,
        slots=slots,  # type: ignore[arg-type]
        result_types=[r.type for r in op.results],
    )
    new.attributes.update(op.attributes)
    return new


@dataclass(frozen=True)
class BatchDecodePass(ModulePass):
    name = "batch-decode"

    source: str = "ck_prefill"
    batch: str = "ck_decode_batch"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        fns = [f for f in op.ops if isinstance(f, func.FuncOp) and f.sym_name.data == self.source]
        if not fns:
            raise PassFailedException(f"batch-decode: no function @{self.source}")
        source = fns[0]
        args = source.body.block.args
        if len(args) != 2 or any(
            not isinstance(a.type, TensorType) or a.type.get_shape() != (DYNAMIC_INDEX,) for a in args
        ):
            raise PassFailedException(
                f"batch-decode: @{self.source} must take (tokens, positions) as tensor<?xi32>, "
                f"got ({', '.join(str(a.type) for a in args)})"
            )
        batch = source.clone()
        batch.sym_name = StringAttr(self.batch)
        batch.attributes[BATCH_ATTR] = UnitAttr()
        block = batch.body.block
        slots = block.insert_arg(TensorType(i32, [DYNAMIC_INDEX]), 2)
        slots.name_hint = "slots"
        batch.function_type = func.FunctionType.from_lists(
            [a.type for a in block.args], list(batch.function_type.outputs.data)
        )
        cached = 0
        for o in list(block.ops):
            if isinstance(o, kn.AttentionOp) and o.kv_slot is not None:
                Rewriter.replace_op(o, _batched(o, slots))
                cached += 1
            elif isinstance(o, kn.GemmOp):
                o.properties.pop("last_rows", None)
                if not o.quantized_input and o.schedule is None:
                    o.properties["schedule"] = kn.ScheduleAttr(1, 1, 1)
        if not cached:
            raise PassFailedException(f"batch-decode: @{self.source} has no attention over the KV cache")
        op.body.block.insert_op_after(batch, source)
