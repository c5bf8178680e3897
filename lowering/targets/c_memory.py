"""C for the memory dialect: every buffer is its base pointer plus a byte offset.

`memory.arena`, `memory.weight` and `memory.kv_cache` name byte ranges of the
buffers an entry function receives; slots, weight views and cache regions become
typed pointers into them, e.g. `float *l0_h = (float *)(arena_buf + 4096);`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xdsl.dialects.builtin import MemRefType
from xdsl.ir import Operation, SSAValue

from ck.dialects import memory as mem

if TYPE_CHECKING:
    from ck.lowering.targets.c import FunctionEmitter


def root_buffer(value: SSAValue) -> SSAValue:
    """The function argument a memory-dialect view is cut from (for const analysis)."""
    while isinstance(value.owner, (mem.ArenaOp, mem.ThreadArenaOp, mem.SlotOp, mem.WeightOp, mem.WeightViewOp,
                                   mem.KVCacheOp)):
        owner = value.owner
        if not owner.operands:
            break
        value = owner.operands[0]
    return value


def _byte_base(fe: FunctionEmitter, value: SSAValue, op: Operation) -> str:
    from ck.lowering.targets.c import fail

    if isinstance(value.type, MemRefType):
        return fe.memref(value, op).ptr
    name = fe.names.get(value)
    if name is None:
        raise fail(op, "the base buffer has no C value")
    return name


def _view(fe: FunctionEmitter, result: SSAValue, base: str, offset: int | str, dims: list[str], const: bool,
          op: Operation) -> None:
    from ck.lowering.targets.c import MemrefInfo, fail, scalar_ctype

    typ = result.type
    assert isinstance(typ, MemRefType)
    elem = scalar_ctype(typ.element_type)
    if elem is None:
        raise fail(op, f"memref element type {typ.element_type} has no C type")
    qual = "const " if const else ""
    name = fe.new_name(result.name_hint, "buf")
    fe.line(f"{qual}{elem} *{name} = ({qual}{elem} *)({base} + {offset});")
    fe.memrefs[result] = MemrefInfo(name, dims, typ)


def emit_arena(fe: FunctionEmitter, op: mem.ArenaOp) -> None:
    base = _byte_base(fe, op.base, op)
    fe.read.add(base)
    fe.alias(op.arena, base)


def emit_thread_arena(fe: FunctionEmitter, op: mem.ThreadArenaOp) -> None:
    base = _byte_base(fe, op.base, op)
    fe.read.add(base)
    name = fe.new_name(op.arena.name_hint, "mine")
    fe.line(f"int8_t *{name} = {base} + {op.offset.value.data} + {fe.atom(op.tid)} * {op.size.value.data};")
    fe.alias(op.arena, name)


def emit_slot(fe: FunctionEmitter, op: mem.SlotOp) -> None:
    typ = op.result.type
    assert isinstance(typ, MemRefType)
    sizes = iter(op.dynamic_sizes)
    dims = [fe.expr(next(sizes)) if d < 0 else str(d) for d in typ.get_shape()]
    _view(fe, op.result, fe.expr(op.arena), op.offset.value.data, dims, False, op)


def emit_weight(fe: FunctionEmitter, op: mem.WeightOp) -> None:
    base = _byte_base(fe, op.blob, op)
    fe.read.add(base)
    fe.alias(op.result, f"({base} + {op.offset.value.data})")


def emit_weight_view(fe: FunctionEmitter, op: mem.WeightViewOp) -> None:
    typ = op.result.type
    assert isinstance(typ, MemRefType)
    weight = op.weight.owner
    assert isinstance(weight, mem.WeightOp)
    base = _byte_base(fe, weight.blob, op)
    fe.read.add(base)
    offset = weight.offset.value.data + mem.weight_parts(op.weight.type, weight.layout_name)[op.part.data][0]  # type: ignore[arg-type]
    _view(fe, op.result, base, offset, [str(d) for d in typ.get_shape()], True, op)


def emit_kv_cache(fe: FunctionEmitter, op: mem.KVCacheOp) -> None:
    base = _byte_base(fe, op.base, op)
    fe.read.add(base)
    typ = op.result.type
    assert isinstance(typ, MemRefType)
    offset: int | str = op.offset.value.data
    if op.slot is not None:  # sequence `slot`'s cache, one stride after another
        shape = typ.get_shape()
        stride = mem.KVCacheOp.stride(shape[0], shape[1], shape[2], typ.element_type)
        fe.read.add(fe.expr(op.slot))
        offset = f"{offset} + {fe.atom(op.slot)} * {stride}"
    _view(fe, op.result, base, offset, [str(d) for d in typ.get_shape()], False, op)


HANDLERS = {
    mem.ArenaOp: emit_arena,
    mem.ThreadArenaOp: emit_thread_arena,
    mem.SlotOp: emit_slot,
    mem.WeightOp: emit_weight,
    mem.WeightViewOp: emit_weight_view,
    mem.KVCacheOp: emit_kv_cache,
}
