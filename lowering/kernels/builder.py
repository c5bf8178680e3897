"""A small builder for simd-level kernel functions: loops, index math, vector ops.

Kernel bodies are IR (func/scf/arith/math/memref + simd), built here so that each
kernel builder in `lowering/kernels/` reads like the loop nest it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.builder import Builder
from xdsl.dialects import arith, func, math, memref, scf
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    FloatAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    StringAttr,
    VectorType,
    f32,
    f64,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from ck.dialects import simd
from ck.lowering.provenance import COMMENT_ATTR

INDEX = IndexType()
ACCESS_ATTR = "ck.access"
"""Argument attribute of a kernel function: how one thread accesses the buffer."""
F32 = f32  # the type; `KernelBuilder.f32` is the constant maker


class KernelBuilder:
    """Builds one `func.func` with named arguments for a target ISA."""

    def __init__(self, name: str, args: Sequence[tuple[str, Attribute]], isa: str, comment: str = "") -> None:
        self.block = Block(arg_types=[t for _, t in args])
        self.args: dict[str, SSAValue] = {}
        self.arg_names = [arg_name for arg_name, _ in args]
        for (arg_name, _), value in zip(args, self.block.args, strict=True):
            value.name_hint = arg_name
            self.args[arg_name] = value
        # private: only the entry points are exported from libmodel.so
        self.func = func.FuncOp(name, ([t for _, t in args], []), Region(self.block), visibility="private")
        self.isa = simd.IsaAttr(isa)
        self.func.attributes[simd.ISA_ATTR_NAME] = self.isa
        if comment:
            self.func.attributes[COMMENT_ATTR] = StringAttr(comment)
        self.builder = Builder(InsertPoint.at_end(self.block))
        self.lanes = self.isa.lanes(f32)
        self.access: dict[str, str] = {}
        """How each thread touches an argument, as `<r|w|rw> <scope>` (see `touch`)."""

    # ------------------------------------------------------------------ plumbing

    def op(self, op: Operation, name: str | None = None) -> SSAValue:
        self.builder.insert(op)
        if name is not None and op.results:
            op.results[0].name_hint = name
        return op.results[0] if op.results else None  # type: ignore[return-value]

    def touch(self, arg: str, mode: str, scope: str) -> None:
        """Record how thread `tid` of `nth` accesses argument `arg`: mode r, w or rw; scope
        `all` (any element, e.g. a whole input vector) or `part:<key>`, meaning the thread
        touches exactly the elements the partition <key> gives it, the same for every
        kernel that names the same key on the same buffer. `remove-barriers` reads these
        (as the `ck.access` argument attribute) to tell which barriers a data dependency needs."""
        self.access[arg] = f"{mode} {scope}"

    def finish(self) -> func.FuncOp:
        from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, MemRefType

        self.builder.insert(func.ReturnOp())
        # one entry per argument, in order: an in-place kernel's inputs and outs share a
        # name (kernel.adamw's param, m, v), and `args` keeps the outs under it
        attrs = []
        writes = self._written()
        for name, value in zip(self.arg_names, self.block.args, strict=True):
            entry: dict[str, Attribute] = {}
            if isinstance(value.type, MemRefType):
                default = "w all" if value in writes else "r all"
                entry[ACCESS_ATTR] = StringAttr(self.access.get(name, default) if self.args[name] is value else default)
            attrs.append(DictionaryAttr(entry))
        self.func.arg_attrs = ArrayAttr(attrs)
        return self.func

    def _written(self) -> set[SSAValue]:
        """The arguments the function stores into."""
        from xdsl.dialects import memref

        out: set[SSAValue] = set()
        for op in self.func.walk():
            base = op.memref if isinstance(op, memref.StoreOp) else op.base if isinstance(op, simd.StoreOp) else None
            if base is not None and base in self.block.args:
                out.add(base)
        return out

    # ------------------------------------------------------------------ constants and index math

    def index(self, n: int) -> SSAValue:
        return self.op(arith.ConstantOp(IntegerAttr(n, INDEX)))

    def i32(self, n: int) -> SSAValue:
        return self.op(arith.ConstantOp(IntegerAttr(n, i32)))

    def f32(self, x: float) -> SSAValue:
        return self.op(arith.ConstantOp(FloatAttr(x, f32)))

    def f64(self, x: float) -> SSAValue:
        return self.op(arith.ConstantOp(FloatAttr(x, f64)))

    def add(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.AddiOp(a, b))

    def mul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.MuliOp(a, b))

    def div(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.DivUIOp(a, b))

    def sub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.SubiOp(a, b))

    def rem(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.RemUIOp(a, b))

    def min(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.MinSIOp(a, b))

    def max(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.MaxSIOp(a, b))

    def cmpi(self, a: SSAValue, b: SSAValue, pred: str) -> SSAValue:
        return self.op(arith.CmpiOp(a, b, pred))

    def select(self, cond: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.SelectOp(cond, a, b))

    def dim(self, buffer: SSAValue, axis: int) -> SSAValue:
        """Size of `buffer` along `axis`: a constant when static."""
        typ = buffer.type
        assert isinstance(typ, MemRefType)
        size = typ.get_shape()[axis]
        if size != DYNAMIC_INDEX:
            return self.index(size)
        return self.op(memref.DimOp(buffer, self.index(axis)))

    def split(self, n: SSAValue, tid: SSAValue, nth: SSAValue) -> tuple[SSAValue, SSAValue]:
        """This thread's share [lo, hi) of range(n): contiguous, sizes differ by at most one."""
        lo = self.div(self.mul(n, tid), nth)
        hi = self.div(self.mul(n, self.add(tid, self.index(1))), nth)
        lo.name_hint, hi.name_hint = "lo", "hi"
        return lo, hi

    def offset(self, a: SSAValue, n: int) -> SSAValue:
        """a + n, or a itself when n is 0."""
        return a if n == 0 else self.add(a, self.index(n))

    def blocks_end(self, lo: SSAValue | int, hi: SSAValue, size: int) -> SSAValue:
        """lo + as many whole blocks of `size` as fit before hi: where a blocked loop's
        one-at-a-time tail starts."""
        if isinstance(lo, int) and lo == 0:
            return self.mul(self.div(hi, self.index(size)), self.index(size))
        lo_v = self.index(lo) if isinstance(lo, int) else lo
        return self.add(lo_v, self.mul(self.div(self.sub(hi, lo_v), self.index(size)), self.index(size)))

    # ------------------------------------------------------------------ loops

    def loop(
        self,
        lo: SSAValue | int,
        hi: SSAValue | int,
        body: Callable[..., Sequence[SSAValue] | None],
        step: int = 1,
        carried: Sequence[SSAValue] = (),
        name: str = "i",
    ) -> list[SSAValue]:
        """scf.for lo..hi by step; `body(iv, *carried)` returns the next carried values."""
        lo_v = self.index(lo) if isinstance(lo, int) else lo
        hi_v = self.index(hi) if isinstance(hi, int) else hi
        step_v = self.index(step)
        block = Block(arg_types=[INDEX, *[c.type for c in carried]])
        block.args[0].name_hint = name
        outer = self.builder
        self.builder = Builder(InsertPoint.at_end(block))
        produced = body(*block.args)
        self.builder.insert(scf.YieldOp(*(produced or ())))
        self.builder = outer
        loop = scf.ForOp(lo_v, hi_v, step_v, list(carried), Region(block))
        outer.insert(loop)
        return list(loop.results)

    def blocked(self, lo: SSAValue | int, hi: SSAValue, size: int, body: Callable[[SSAValue, int], None],
                name: str = "i", halving: bool = False) -> None:
        """body(i0, size) for each whole block of `size` indices from lo, then body(i, 1) for
        each index left before hi (a register tile, then its remainder). With `halving` the
        remainder takes at most one block of each of size // 2, size // 4, ... first (a batch
        of 4 rows under a 6-row tile: 3 + 1, not 4 x 1)."""
        sizes = [size]
        while halving and sizes[-1] // 2 >= 2:
            sizes.append(sizes[-1] // 2)
        start: SSAValue | int = lo
        for s in sizes:
            end = self.blocks_end(start, hi, s)
            self.loop(start, end, lambda i, s=s: body(i, s), step=s, name=name)
            start = end
        self.loop(start, hi, lambda i: body(i, 1), name=name)

    def if_(
        self,
        cond: SSAValue,
        then: Callable[[], Sequence[SSAValue] | None],
        otherwise: Callable[[], Sequence[SSAValue] | None] | None = None,
        result_types: Sequence[Attribute] = (),
    ) -> list[SSAValue]:
        """scf.if cond { then() } else { otherwise() }; each branch returns the results."""

        def region(body: Callable[[], Sequence[SSAValue] | None] | None) -> Region:
            block = Block()
            outer = self.builder
            self.builder = Builder(InsertPoint.at_end(block))
            produced = body() if body is not None else ()
            self.builder.insert(scf.YieldOp(*(produced or ())))
            self.builder = outer
            return Region(block)

        op = scf.IfOp(cond, list(result_types), region(then), region(otherwise))
        self.builder.insert(op)
        return list(op.results)

    # ------------------------------------------------------------------ memory

    def load(self, buffer: SSAValue, *indices: SSAValue) -> SSAValue:
        return self.op(memref.LoadOp.get(buffer, list(indices)))

    def store(self, value: SSAValue, buffer: SSAValue, *indices: SSAValue) -> None:
        self.op(memref.StoreOp.get(value, buffer, list(indices)))

    def vtype(self, element: Attribute = F32, lanes: int | None = None) -> VectorType:
        return VectorType(element, [lanes or self.lanes])

    def vload(self, buffer: SSAValue, *indices: SSAValue, lanes: int | None = None) -> SSAValue:
        typ = buffer.type
        assert isinstance(typ, MemRefType)
        return self.op(simd.LoadOp(buffer, list(indices), self.vtype(typ.element_type, lanes)))

    def vstore(self, value: SSAValue, buffer: SSAValue, *indices: SSAValue) -> None:
        self.op(simd.StoreOp(value, buffer, list(indices)))

    # ------------------------------------------------------------------ vector math

    def splat(self, scalar: SSAValue, lanes: int | None = None) -> SSAValue:
        return self.op(simd.BroadcastOp(scalar, self.vtype(scalar.type, lanes)))

    def regroup(self, v: SSAValue, lanes: int) -> SSAValue:
        """Repeat the short vector `v` (e.g. 4 activation bytes) across `lanes` lanes."""
        typ = v.type
        assert isinstance(typ, VectorType)
        return self.op(simd.BroadcastOp(v, VectorType(typ.element_type, [lanes])))

    def dot_i8(self, acc: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
        """acc + 4-byte dot products of unsigned a and signed b per i32 lane (vpdpbusd)."""
        return self.op(simd.DotI8Op(acc, a, b))

    def nibbles(self, v: SSAValue, half: str) -> SSAValue:
        """The low or high 4 bits of every byte of `v` (two weights stored per byte)."""
        return self.op(simd.NibblesOp(v, half))

    def dot_bf16(self, acc: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
        """acc + the two bf16 pair products per f32 lane (vdpbf16ps)."""
        return self.op(simd.DotBf16Op(acc, a, b))

    def pack_bf16(self, even: SSAValue, odd: SSAValue) -> SSAValue:
        """Two f32 vectors as bf16 pairs: (even[j], odd[j]) side by side."""
        return self.op(simd.PackBf16Op(even, odd))

    def vzero_lanes(self, lanes: int | None = None) -> SSAValue:
        return self.splat(self.f32(0.0), lanes)

    def vadd(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(simd.AddOp(a, b))

    def vsub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(simd.SubOp(a, b))

    def vmul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(simd.MulOp(a, b))

    def vdiv(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(simd.DivOp(a, b))

    def vfma(self, a: SSAValue, b: SSAValue, c: SSAValue) -> SSAValue:
        return self.op(simd.FmaOp(a, b, c))

    def vmax(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(simd.MaxOp(a, b))

    def vselect(self, predicate: str, lhs: SSAValue, rhs: SSAValue, on_true: SSAValue, on_false: SSAValue) -> SSAValue:
        """Lane-wise `lhs PRED rhs ? on_true : on_false` (i32 lanes compared, signed)."""
        return self.op(simd.SelectOp(predicate, lhs, rhs, on_true, on_false))

    def vexp(self, v: SSAValue) -> SSAValue:
        return self.op(simd.ExpOp(v))

    def vsqrt(self, v: SSAValue) -> SSAValue:
        return self.op(simd.SqrtOp(v))

    def vsum(self, v: SSAValue) -> SSAValue:
        return self.op(simd.ReduceOp("add", v))

    def vmax_lanes(self, v: SSAValue) -> SSAValue:
        return self.op(simd.ReduceOp("max", v))

    def convert(self, v: SSAValue, element: Attribute) -> SSAValue:
        """The vector `v` with its lanes converted to `element` (simd.convert)."""
        typ = v.type
        assert isinstance(typ, VectorType)
        return self.op(simd.ConvertOp(v, VectorType(element, typ.get_shape())))

    def to_f32(self, v: SSAValue) -> SSAValue:
        """Widen a loaded vector (f16, bf16, i8) to f32."""
        typ = v.type
        assert isinstance(typ, VectorType)
        if typ.element_type == f32:
            return v
        return self.op(simd.ConvertOp(v, VectorType(f32, typ.get_shape())))

    # ------------------------------------------------------------------ scalar float math

    def fadd(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.AddfOp(a, b))

    def fsub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.SubfOp(a, b))

    def fmul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.MulfOp(a, b))

    def fdiv(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.DivfOp(a, b))

    def fmax(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.op(arith.MaximumfOp(a, b))

    def exp(self, x: SSAValue) -> SSAValue:
        return self.op(math.ExpOp(x))

    def sqrt(self, x: SSAValue) -> SSAValue:
        return self.op(math.SqrtOp(x))

    def log(self, x: SSAValue) -> SSAValue:
        return self.op(math.LogOp(x))

    def extf(self, x: SSAValue, to: Attribute = F32) -> SSAValue:
        return self.op(arith.ExtFOp(x, to))

    def truncf(self, x: SSAValue, to: Attribute = F32) -> SSAValue:
        return self.op(arith.TruncFOp(x, to))

    def i32_to_index(self, x: SSAValue) -> SSAValue:
        return self.op(arith.IndexCastOp(x, INDEX))

    def index_to_f64(self, x: SSAValue) -> SSAValue:
        return self.op(arith.SIToFPOp(self.op(arith.IndexCastOp(x, i64)), f64))

    def index_to_f32(self, x: SSAValue) -> SSAValue:
        return self.op(arith.SIToFPOp(self.op(arith.IndexCastOp(x, i64)), f32))
