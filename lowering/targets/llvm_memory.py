"""LLVM IR for the memory dialect (part of the `llvm` target; see llvm.py and c_memory.py).

As in C, every buffer is its base pointer plus a byte offset: `memory.arena`,
`memory.weight` and `memory.kv_cache` name byte ranges of the buffers an entry function
receives, and slots, weight views and cache regions become `getelementptr inbounds i8`
pointers into them, e.g. `%l0_h = getelementptr inbounds i8, ptr %arena_buf, i64 4096`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ck.dialects import memory as mem
from xdsl.dialects.builtin import MemRefType
from xdsl.ir import Operation, SSAValue

if TYPE_CHECKING:
    from ck.lowering.targets.llvm import FunctionEmitter


def _byte_base(fe: FunctionEmitter, value: SSAValue, op: Operation) -> str:
    from ck.lowering.targets.llvm import fail

    if isinstance(value.type, MemRefType):
        return fe.memref(value, op).ptr
    name = fe.vals.get(value)
    if name is None:
        raise fail(op, "the base buffer has no LLVM value")
    return name


def _offset(fe: FunctionEmitter, base: str, offset: int | str, hint: str | None) -> str:
    if offset == 0:
        return base
    return fe.inst(f"getelementptr inbounds i8, ptr {base}, i64 {offset}", hint or "buf")


def _view(fe: FunctionEmitter, result: SSAValue, base: str, offset: int | str, dims: list[int | str]) -> None:
    from ck.lowering.targets.llvm import MemrefInfo

    typ = result.type
    assert isinstance(typ, MemRefType)
    fe.memrefs[result] = MemrefInfo(_offset(fe, base, offset, result.name_hint), dims, typ)


def emit_arena(fe: FunctionEmitter, op: mem.ArenaOp) -> None:
    fe.vals[op.arena] = _byte_base(fe, op.base, op)


def emit_thread_arena(fe: FunctionEmitter, op: mem.ThreadArenaOp) -> None:
    base = _byte_base(fe, op.base, op)
    mine = fe.imul(fe.index(op.tid), op.size.value.data)
    fe.vals[op.arena] = _offset(fe, base, fe.iadd(op.offset.value.data, mine), op.arena.name_hint or "mine")


def emit_slot(fe: FunctionEmitter, op: mem.SlotOp) -> None:
    typ = op.result.type
    assert isinstance(typ, MemRefType)
    sizes = iter(op.dynamic_sizes)
    dims: list[int | str] = [fe.val(next(sizes)) if d < 0 else d for d in typ.get_shape()]
    _view(fe, op.result, fe.val(op.arena), op.offset.value.data, dims)


def emit_weight(fe: FunctionEmitter, op: mem.WeightOp) -> None:
    base = _byte_base(fe, op.blob, op)
    fe.vals[op.result] = _offset(fe, base, op.offset.value.data, op.result.name_hint or "w")


def emit_weight_view(fe: FunctionEmitter, op: mem.WeightViewOp) -> None:
    typ = op.result.type
    assert isinstance(typ, MemRefType)
    weight = op.weight.owner
    assert isinstance(weight, mem.WeightOp)
    base = _byte_base(fe, weight.blob, op)
    offset = weight.offset.value.data + mem.weight_parts(op.weight.type, weight.layout_name)[op.part.data][0]  # type: ignore[arg-type]
    _view(fe, op.result, base, offset, list(typ.get_shape()))


def emit_kv_cache(fe: FunctionEmitter, op: mem.KVCacheOp) -> None:
    base = _byte_base(fe, op.base, op)
    typ = op.result.type
    assert isinstance(typ, MemRefType)
    offset: int | str = op.offset.value.data
    if op.slot is not None:  # sequence `slot`'s cache, one stride after another
        shape = typ.get_shape()
        stride = mem.KVCacheOp.stride(shape[0], shape[1], shape[2], typ.element_type)
        offset = fe.iadd(offset, fe.imul(fe.index(op.slot), stride))
    _view(fe, op.result, base, offset, list(typ.get_shape()))


HANDLERS = {
    mem.ArenaOp: emit_arena,
    mem.ThreadArenaOp: emit_thread_arena,
    mem.SlotOp: emit_slot,
    mem.WeightOp: emit_weight,
    mem.WeightViewOp: emit_weight_view,
    mem.KVCacheOp: emit_kv_cache,
}
