"""`remove-barriers`: keep only the barriers a data dependency between threads needs.

`lower-kernel-to-simd` puts a `ck_barrier` after every kernel call. A barrier is needed
before a kernel only when one of its threads could touch bytes another thread touched
since the last barrier, with at least one of the two writing. Each kernel function
says how one thread touches each buffer argument (its `ck.access` argument attribute:
`r`/`w`/`rw`, and `all` or `part:<key>`); each call site says which bytes the buffer is
(a slot of the shared or of the thread-private arena, a KV-cache region, a function
argument). Two accesses conflict when their bytes overlap, one writes, and they are not
the same partition of the same buffer (then every thread touches only what it touched
before) and not in a thread's private arena.

Walking the calls in order, a barrier is kept only right before the first call that
conflicts with what happened since the last kept one (as late as possible, so one
barrier covers every dependency it can). The last barrier of a function goes too: the
runtime's end-of-job rendezvous follows. Each entry function gets `ck.barriers`, the
number it keeps (for the reader of simd.mlir; layout.json counts them from the calls), and
each kept barrier says which call it waits for.

    func.call @rmsnorm_64_t1_all_avx512(...) ; func.call @ck_barrier() ; func.call @gemv_...(...)
  becomes (the rmsnorm wrote this thread's private buffer, which the gemv reads)
    func.call @rmsnorm_64_t1_all_avx512(...) ; func.call @gemv_...(...)
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, MemRefType, ModuleOp, StringAttr
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from ck.dialects import memory as mem
from ck.lowering.kernels.builder import ACCESS_ATTR
from ck.lowering.lower_kernel_to_simd import BARRIER
from ck.lowering.provenance import COMMENT_ATTR

ENDLESS = 1 << 62


@dataclass(frozen=True)
class Access:
    """One thread's access to bytes [lo, hi) of buffer `root`."""

    root: SSAValue
    lo: int
    hi: int
    write: bool
    scope: str  # "all" or "part:<key>"
    private: bool

    def conflicts(self, other: Access) -> bool:
        if self.private or other.private or self.root is not other.root:
            return False
        if not (self.write or other.write) or self.hi <= other.lo or other.hi <= self.lo:
            return False
        same_part = self.scope.startswith("part:") and self.scope == other.scope
        return not (same_part and (self.lo, self.hi) == (other.lo, other.hi))


def region(value: SSAValue) -> tuple[SSAValue, int, int, bool] | None:
    """(root buffer, first byte, end byte, thread-private) of a memref; None for read-only weights."""
    owner = value.owner
    if isinstance(owner, mem.SlotOp):
        arena = owner.arena.owner
        start = owner.offset.value.data
        end = start + owner.size.value.data
        if isinstance(arena, mem.ThreadArenaOp):
            return arena.base, start, end, True
        if isinstance(arena, mem.ArenaOp):
            return arena.base, start, end, False
        return owner.arena, start, end, False
    if isinstance(owner, mem.KVCacheOp):
        typ = owner.result.type
        assert isinstance(typ, MemRefType)
        start = owner.offset.value.data
        return owner.base, start, start + mem.memref_bytes(typ), False
    if isinstance(owner, mem.WeightViewOp | mem.WeightOp):
        return None
    return value, 0, ENDLESS, False  # an argument or anything else: the whole buffer, conservatively


def accesses(call: func.CallOp, callee: func.FuncOp) -> list[Access]:
    attrs = callee.arg_attrs.data if callee.arg_attrs is not None else ()
    out: list[Access] = []
    for i, value in enumerate(call.arguments):
        if not isinstance(value.type, MemRefType):
            continue
        where = region(value)
        if where is None:
            continue
        entry = attrs[i] if i < len(attrs) else None
        spec = entry.data.get(ACCESS_ATTR) if isinstance(entry, DictionaryAttr) else None
        mode, scope = spec.data.split(" ", 1) if isinstance(spec, StringAttr) else ("rw", "all")
        out.append(Access(where[0], where[1], where[2], "w" in mode, scope, where[3]))
    return out


@dataclass(frozen=True)
class RemoveBarriersPass(ModulePass):
    name = "remove-barriers"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = {f.sym_name.data: f for f in op.ops if isinstance(f, func.FuncOp)}
        for fn in functions.values():
            if fn.is_declaration or not any(
                isinstance(o, func.CallOp) and o.callee.root_reference.data == BARRIER for o in fn.walk()
            ):
                continue
            self._function(fn, functions)

    @staticmethod
    def _function(fn: func.FuncOp, functions: dict[str, func.FuncOp]) -> None:
        pending: list[Access] = []
        last: func.CallOp | None = None
        kept: set[func.CallOp] = set()
        for o in list(fn.body.block.ops):
            if not isinstance(o, func.CallOp):
                continue
            name = o.callee.root_reference.data
            if name == BARRIER:
                last = o
                continue
            callee = functions.get(name)
            if callee is None:
                continue
            mine = accesses(o, callee)
            if last is not None and any(p.conflicts(a) for p in pending for a in mine):
                kept.add(last)
                comment = o.attributes.get(COMMENT_ATTR)
                last.attributes[COMMENT_ATTR] = StringAttr(
                    "wait: " + (comment.data.split(":")[0] if isinstance(comment, StringAttr) else name)
                    + " reads or writes what other threads touched"
                )
                pending = []
            pending += mine
        for o in list(fn.body.block.ops):
            if isinstance(o, func.CallOp) and o.callee.root_reference.data == BARRIER and o not in kept:
                Rewriter.erase_op(o)
        fn.attributes["ck.barriers"] = IntegerAttr(len(kept), 64)
