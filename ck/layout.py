"""layout.json: where every byte lives, printed from memory-level IR.

Every activation buffer (name, the op that produces it, offset, size, live range as
op indices in its function), every packed weight and KV-cache region, and the
totals the runtime allocates.
"""

from __future__ import annotations

from typing import Any

from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, MemRefType, ModuleOp
from xdsl.ir import Operation, SSAValue

from ck.dialects import memory as mem
from ck.dialects.types import WeightType


def _int_attr(module: ModuleOp, key: str) -> int:
    attr = module.attributes.get(key)
    return attr.value.data if isinstance(attr, IntegerAttr) else 0


def _uses(value: SSAValue, index: dict[Operation, int]) -> list[int]:
    return sorted(index[u.operation] for u in value.uses if u.operation in index)


def layout_json(module: ModuleOp, choices: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The layout of a module after plan-memory (`choices`: kernel variants picked later)."""
    functions: dict[str, Any] = {}
    weights: dict[str, dict[str, Any]] = {}
    kv: dict[tuple[int, str], dict[str, Any]] = {}
    for fn in module.ops:
        if not isinstance(fn, func.FuncOp) or fn.is_declaration:
            continue
        ops = list(fn.body.block.ops)
        index = {op: i for i, op in enumerate(ops)}
        buffers = []
        arena = 0
        for op in ops:
            if isinstance(op, mem.ArenaOp):
                arena = op.size.value.data
            elif isinstance(op, mem.SlotOp):
                uses = _uses(op.result, index)
                producer = ops[uses[0]].name if uses else None
                buffers.append({
                    "name": op.result.name_hint,
                    "producer": producer,
                    "offset": op.offset.value.data,
                    "size": op.size.value.data,
                    "live": [uses[0], uses[-1]] if uses else None,
                })
            elif isinstance(op, mem.WeightOp):
                typ = op.result.type
                assert isinstance(typ, WeightType)
                weights[op.tensor_name.data] = {
                    "name": op.tensor_name.data,
                    "dtype": typ.storage,
                    "shape": list(typ.get_shape()),
                    "offset": op.offset.value.data,
                    "size": op.size.value.data,
                    "parts": {
                        part: {"offset": off, "type": str(view)}
                        for part, (off, view) in mem.weight_parts(typ, op.layout_name).items()
                    },
                }
            elif isinstance(op, mem.KVCacheOp):
                key = (op.layer.value.data, op.kind.data)
                typ = op.result.type
                assert isinstance(typ, MemRefType)
                kv[key] = {
                    "layer": key[0],
                    "kind": key[1],
                    "offset": op.offset.value.data,
                    "size": mem.memref_bytes(typ),
                    "shape": list(typ.get_shape()),
                    "dims": ["kv_head", "position", "head_dim"],
                    "dtype": str(typ.element_type),
                }
        functions[fn.sym_name.data] = {"arena_bytes": arena, "buffers": buffers}
    return {
        "totals": {
            "arena_bytes": _int_attr(module, "ck.arena_bytes"),
            "private_bytes": _int_attr(module, "ck.private_bytes"),
            "weights_bytes": _int_attr(module, "ck.weights_bytes"),
            "kv_bytes": _int_attr(module, "ck.kv_bytes"),
            "context_len": _int_attr(module, "ck.context_len"),
            "max_tokens": _int_attr(module, "ck.max_tokens"),
            "alignment": mem.ALIGNMENT,
        },
        "functions": functions,
        "weights": sorted(weights.values(), key=lambda w: w["offset"]),
        "kv_cache": sorted(kv.values(), key=lambda r: r["offset"]),
        "kernels": choices or [],
    }
