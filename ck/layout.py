"""layout.json: where every byte lives, printed from memory-level (or simd-level) IR.

Every activation buffer (name, the op that produces it, offset, size, live range as
op indices in its function, and whether it is in a thread's private arena), every
packed weight (its layout, and why it kept the rows layout when that was not the
kernel's first choice) and KV-cache region, the totals the runtime allocates, and, from
simd-level IR, the kernel table: each generated kernel with its variant, each entry
point's sequence of kernel calls with the barriers that follow them, and the barrier
count per layer.
"""

from __future__ import annotations

import re
from typing import Any

from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, MemRefType, ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue

from ck.dialects import memory as mem
from ck.dialects.types import WeightType
from ck.lowering.lower_kernel_to_simd import BARRIER
from ck.lowering.provenance import COMMENT_ATTR
from ck.passes.select_weight_layouts import REASON_ATTR


def _int_attr(module: ModuleOp, key: str) -> int:
    attr = module.attributes.get(key)
    return attr.value.data if isinstance(attr, IntegerAttr) else 0


def _uses(value: SSAValue, index: dict[Operation, int]) -> list[int]:
    return sorted(index[u.operation] for u in value.uses if u.operation in index)


def layer_of(comment: str) -> int | None:
    """The layer a kernel call belongs to, from its comment (`blk.3 attn_q: ...`, `l3_h: ...`)."""
    m = re.match(r"(?:blk\.(\d+)[ .]|l(\d+)_)", comment)
    return int(m.group(1) or m.group(2)) if m else None


def kernel_calls(fn: func.FuncOp) -> list[dict[str, Any]]:
    """The kernel calls of an entry function, in order: callee, comment, layer, barrier after."""
    calls: list[dict[str, Any]] = []
    for op in fn.body.block.ops:
        if not isinstance(op, func.CallOp):
            continue
        callee = op.callee.root_reference.data
        if callee == BARRIER:
            if calls:
                calls[-1]["barrier_after"] = True
            continue
        comment = op.attributes.get(COMMENT_ATTR)
        text = comment.data if isinstance(comment, StringAttr) else ""
        calls.append({"function": callee, "comment": text, "layer": layer_of(text), "barrier_after": False})
    return calls


def barrier_counts(calls: list[dict[str, Any]]) -> dict[str, Any]:
    """Barriers in all, after the calls of each layer, and the most in any one layer."""
    by_layer: dict[int, int] = {}
    for call in calls:
        if call["layer"] is not None:
            by_layer.setdefault(call["layer"], 0)
            by_layer[call["layer"]] += call["barrier_after"]
    return {
        "total": sum(c["barrier_after"] for c in calls),
        "per_layer_max": max(by_layer.values(), default=0),
        "by_layer": [by_layer[k] for k in sorted(by_layer)],
    }


def layout_json(module: ModuleOp, choices: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The layout of a module after plan-memory (`choices`: kernel variants picked later)."""
    functions: dict[str, Any] = {}
    weights: dict[str, dict[str, Any]] = {}
    kv: dict[tuple[int, str], dict[str, Any]] = {}
    for fn in module.ops:
        if not isinstance(fn, func.FuncOp) or fn.is_declaration or fn.sym_visibility is not None:
            continue  # entry points only (kernel functions are private)
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
                    "private": isinstance(op.arena.owner, mem.ThreadArenaOp),
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
                    "layout": op.layout_name,
                    **({"layout_reason": r.data} if isinstance(r := op.attributes.get(REASON_ATTR), StringAttr) else {}),
                    "parts": {
                        part: {"offset": off, "type": str(view)}
                        for part, (off, view) in mem.weight_parts(typ, op.layout_name).items()
                    },
                }
            elif isinstance(op, mem.KVCacheOp):
                key = (op.layer.value.data, op.kind.data)
                typ = op.result.type
                assert isinstance(typ, MemRefType)
                shape = list(typ.get_shape())[-3:]  # one sequence's cache (a batched step views them all)
                sequences = _int_attr(module, "ck.slots") or 1
                stride = mem.KVCacheOp.stride(*shape, typ.element_type)
                kv[key] = {
                    "layer": key[0],
                    "kind": key[1],
                    "offset": op.offset.value.data,
                    "size": stride * sequences,
                    "sequences": sequences,
                    "sequence_stride": stride,
                    "shape": shape,
                    "dims": ["kv_head", "position", "head_dim"],
                    "dtype": str(typ.element_type),
                }
        functions[fn.sym_name.data] = {"arena_bytes": arena, "buffers": buffers}
        calls = kernel_calls(fn)
        if calls:
            functions[fn.sym_name.data]["calls"] = calls
            functions[fn.sym_name.data]["barriers"] = barrier_counts(calls)
    return {
        "totals": {
            "arena_bytes": _int_attr(module, "ck.arena_bytes"),
            "private_bytes": _int_attr(module, "ck.private_bytes"),
            "weights_bytes": _int_attr(module, "ck.weights_bytes"),
            "kv_bytes": _int_attr(module, "ck.kv_bytes"),
            "context_len": _int_attr(module, "ck.context_len"),
            "max_tokens": _int_attr(module, "ck.max_tokens"),
            "slots": _int_attr(module, "ck.slots") or 1,
            "alignment": mem.ALIGNMENT,
        },
        "functions": functions,
        "weights": sorted(weights.values(), key=lambda w: w["offset"]),
        "kv_cache": sorted(kv.values(), key=lambda r: r["offset"]),
        "kernels": choices or [],
    }
