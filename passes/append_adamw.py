"""`append-adamw`: append the optimizer entry point `@ck_adamw_step` to a training module.

The optimizer updates the weights in place from the gradients the training step left
in the gradient buffer, with AdamW's two moments beside them. The weights, their
gradients and both moments share the weight blob's layout, so the pass runs at the
memory level, after `plan-memory` has placed the weights (`ck.weights_bytes` and each
`memory.weight`'s offset):

    @ck_adamw_step(%weights, %grads_buf, %m_buf, %v_buf : memref<?xi8>, %step : i64,
                   %lr, %beta1, %beta2, %eps, %weight_decay : f32, %tid, %nth : index)

With `pack_weights` (the default) one `kernel.adamw` updates the whole blob as one flat
f32 array (gaps between weights hold zeros and stay zero); without it, one kernel per
weight updates that weight's view. The hyperparameters stay run-time arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, MemRefType, ModuleOp, f32, i64
from xdsl.ir import Block, Region
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import memory as mem

OPTIMIZER_ENTRY = "ck_adamw_step"  # runtime_c/ck_runtime.h

WeightLayout = dict[str, tuple[int, tuple[int, ...]]]
"""name -> (byte offset in the blob, shape) of every weight."""


def weight_layout(module: ModuleOp) -> WeightLayout:
    """Where `plan-memory` placed every weight (all f32 when training), in first-use order."""
    out: WeightLayout = {}
    for op in module.walk():
        if isinstance(op, mem.WeightOp):
            out[op.tensor_name.data] = (op.offset.value.data, op.result.type.get_shape())  # type: ignore[attr-defined]
    return out


def optimizer_function(weights_bytes: int, layout: WeightLayout | None = None) -> func.FuncOp:
    """`@ck_adamw_step` over a blob of `weights_bytes`: one flat kernel, or one per weight of `layout`."""
    from ck.lowering.plan_memory import BYTES, INDEX

    n = weights_bytes // 4
    names = ["weights", "grads_buf", "m_buf", "v_buf", "step", "lr", "beta1", "beta2", "eps", "weight_decay",
             "tid", "nth"]
    block = Block(arg_types=[BYTES] * 4 + [i64] + [f32] * 5 + [INDEX, INDEX])
    for arg, name in zip(block.args, names, strict=True):
        arg.name_hint = name
    arenas = []
    for buf in block.args[:4]:
        arena = mem.ArenaOp(buf, weights_bytes)
        block.add_op(arena)
        arenas.append(arena.results[0])
    pieces = {"all": (0, (n,))} if layout is None else layout
    for name, (offset, shape) in pieces.items():
        views = []
        for arena, hint in zip(arenas, ("param", "grad", "m", "v"), strict=True):
            size = 4 * int(np.prod(shape))
            slot = mem.SlotOp(arena, offset, size, MemRefType(f32, list(shape)))
            slot.results[0].name_hint = f"{hint}_{name.removesuffix('.weight').replace('.', '_')}"
            block.add_op(slot)
            views.append(slot.results[0])
        block.add_op(kn.AdamWOp(*views, *block.args[4:10], in_place=True))
    block.add_op(func.ReturnOp())
    return func.FuncOp(OPTIMIZER_ENTRY, ([a.type for a in block.args], []), Region(block))


@dataclass(frozen=True)
class AppendAdamWPass(ModulePass):
    name = "append-adamw"

    pack_weights: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        size = op.attributes.get("ck.weights_bytes")
        if not isinstance(size, IntegerAttr):
            raise PassFailedException(
                "append-adamw: the module has no ck.weights_bytes: run plan-memory first "
                "(the optimizer updates the weights where plan-memory placed them)"
            )
        if any(isinstance(f, func.FuncOp) and f.sym_name.data == OPTIMIZER_ENTRY for f in op.ops):
            raise PassFailedException(f"append-adamw: the module already has a function @{OPTIMIZER_ENTRY}")
        layout = None if self.pack_weights else weight_layout(op)
        if layout == {}:
            raise PassFailedException("append-adamw: pack_weights=false, but the module has no memory.weight to update")
        op.body.block.add_op(optimizer_function(mem.align(size.value.data), layout))
