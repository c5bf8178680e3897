"""simd ops -> LLVM IR (part of the `llvm` target; see llvm.py).

Every simd vector is an LLVM vector on every ISA (vector<64xi8> -> <64 x i8>, bf16 lanes
as their raw bits, i16), checked against the ISA's registers as c_simd.vec_repr checks it.
Each op is LLVM's generic vector operation where that computes what the C target's
intrinsic computes (fadd, `@llvm.fma`, `@llvm.smax`, shufflevector broadcasts, fpext for
vcvtph2ps), and a target intrinsic where there is no generic twin (vpdpbusd on avx512,
vdpbf16ps when the build has AVX512-BF16). Results are those of c_simd.py bit for bit:
- max f32 is `a > b ? a : b` (maxps: the second operand on NaN);
- reduce is the pairwise tree (lane i with lane i + n/2 while n halves), as the C prelude's
  `ck_reduce_*` helpers and the scalar ISA's loop, not LLVM's ordered reduction;
- dot_i8 without VNNI sums the four exact u8*s8 products, then adds acc with wrapping;
- convert: f32 -> i32 rounds to nearest even with NaN / out of range -> INT32_MIN
  (vcvtps2dq), f32 -> i8 clamps with maxps/minps order first, bf16 rounds in integers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ck.dialects import simd
from ck.lowering.targets import llvm_prelude
from ck.lowering.targets.llvm import (
    _intrinsic_call,
    _suffix,
    bf16_to_f32,
    elem_of,
    f32_lit,
    f32_to_bf16,
    lanes_of,
    splat,
    with_elem,
)
from xdsl.dialects.builtin import VectorType
from xdsl.ir import Attribute, Operation

if TYPE_CHECKING:
    from ck.lowering.targets.llvm import FunctionEmitter

_ELEM_LL = {"f32": "float", "i32": "i32", "f16": "half", "bf16": "i16", "i8": "i8"}
_BITS = {"f32": 32, "i32": 32, "f16": 16, "bf16": 16, "i8": 8}


class SimdEmitError(Exception):
    """A simd value or op the LLVM target cannot represent (the caller adds the location)."""


def vector_type(typ: Attribute, isa: str | None) -> str:
    """The LLVM type of a builtin vector on `isa`, or SimdEmitError saying why not (as the C target)."""
    if not isinstance(typ, VectorType) or typ.get_num_dims() != 1 or typ.get_num_scalable_dims():
        raise SimdEmitError(f"only 1-D fixed-width vectors are supported, got {typ}")
    if isa is None:
        raise SimdEmitError(
            f"{typ} needs an ISA: put `simd.isa = #simd.isa<...>` on the function (or module), "
            "or pass `-t 'llvm{isa=avx2}'`"
        )
    if isa not in simd.ISA_BITS:
        raise SimdEmitError(f"unknown ISA '{isa}' (valid: {', '.join(simd.ISA_BITS)})")
    lanes = typ.get_shape()[0]
    elem = simd.element_name(typ.element_type)
    if elem not in _ELEM_LL:
        raise SimdEmitError(f"vector element type {typ.element_type} has no LLVM representation")
    if isa != "scalar":
        bits = lanes * _BITS[elem]
        if lanes & (lanes - 1) or bits < 8:
            raise SimdEmitError(f"{typ}: the lane count must be a power of two")
        if bits > simd.ISA_BITS[isa]:
            raise SimdEmitError(f"{typ} is wider than the {simd.ISA_BITS[isa]}-bit registers of {isa}")
    return f"<{lanes} x {_ELEM_LL[elem]}>"


def emit_simd_op(fe: FunctionEmitter, op: Operation) -> None:
    """Emit one simd op; raises SimdEmitError for what LLVM IR here cannot express."""
    handler = _HANDLERS.get(type(op))
    if handler is None:
        raise SimdEmitError(f"no LLVM lowering for {op.name}")
    handler(fe, op)


def mask(indices: list[int]) -> str:
    """A typed shufflevector mask."""
    return f"<{len(indices)} x i32> <" + ", ".join(f"i32 {i}" for i in indices) + ">"


def shuffle(fe: FunctionEmitter, ty: str, v: str, indices: list[int], hint: str) -> str:
    """Lanes `indices` of v (of type ty) as a new vector."""
    return fe.inst(f"shufflevector {ty} {v}, {ty} poison, {mask(indices)}", hint)


def fmax(fe: FunctionEmitter, ty: str, a: str, b: str, hint: str) -> str:
    """maxps: a > b ? a : b (b when either is NaN)."""
    gt = fe.inst(f"fcmp ogt {ty} {a}, {b}", "gt")
    return fe.inst(f"select {with_elem(ty, 'i1')} {gt}, {ty} {a}, {ty} {b}", hint)


def fmin(fe: FunctionEmitter, ty: str, a: str, b: str, hint: str) -> str:
    """minps: a < b ? a : b (b when either is NaN)."""
    lt = fe.inst(f"fcmp olt {ty} {a}, {b}", "lt")
    return fe.inst(f"select {with_elem(ty, 'i1')} {lt}, {ty} {a}, {ty} {b}", hint)


# ------------------------------------------------------------------ ops


def _load(fe: FunctionEmitter, op: simd.LoadOp) -> None:
    ty = fe.ty(op.result)
    p, _ = fe.element(op.base, op.indices, op)
    fe.define(op.result, f"load {ty}, ptr {p}, align {_BITS[simd.element_name(op.result.type.element_type)] // 8}")


def _store(fe: FunctionEmitter, op: simd.StoreOp) -> None:
    p, _ = fe.element(op.base, op.indices, op)
    align = _BITS[simd.element_name(op.value.type.element_type)] // 8
    fe.line(f"store {fe.typed(op.value)}, ptr {p}, align {align}")


def _broadcast(fe: FunctionEmitter, op: simd.BroadcastOp) -> None:
    ty = fe.ty(op.result)
    n = lanes_of(ty)
    s = fe.val(op.source)
    if isinstance(op.source.type, VectorType):
        sty = fe.ty(op.source)
        g = lanes_of(sty)
        if g == n:
            fe.vals[op.result] = s
            return
        fe.define(op.result, f"shufflevector {sty} {s}, {sty} poison, {mask([i % g for i in range(n)])}")
        return
    one = fe.inst(f"insertelement {ty} poison, {elem_of(ty)} {s}, i64 0", op.result.name_hint)
    if n == 1:
        fe.vals[op.result] = one
        return
    fe.define(op.result, f"shufflevector {ty} {one}, {ty} poison, <{n} x i32> zeroinitializer")


_FLOAT_BIN = {simd.AddOp: "fadd", simd.SubOp: "fsub", simd.MulOp: "fmul", simd.DivOp: "fdiv"}
_INT_BIN = {simd.AddOp: "add", simd.SubOp: "sub", simd.MulOp: "mul"}


def _binary(fe: FunctionEmitter, op: Operation) -> None:
    ty = fe.ty(op.results[0])
    a, b = (fe.val(o) for o in op.operands)
    kind = type(op)
    if elem_of(ty) == "float":
        if kind is simd.MaxOp:
            fe.vals[op.results[0]] = fmax(fe, ty, a, b, op.results[0].name_hint or "max")
            return
        flags = fe.fp_flags if kind is not simd.DivOp else ""
        fe.define(op.results[0], f"{_FLOAT_BIN[kind]} {flags}{ty} {a}, {b}")
        return
    if kind is simd.MaxOp:
        fe.define(op.results[0], _intrinsic_call(fe, f"llvm.smax.{_suffix(ty)}", ty, [(ty, a), (ty, b)]))
        return
    if kind not in _INT_BIN:
        raise SimdEmitError(f"{op.name} on {ty} is not supported")
    fe.define(op.results[0], f"{_INT_BIN[kind]} {ty} {a}, {b}")


def _fma(fe: FunctionEmitter, op: simd.FmaOp) -> None:
    ty = fe.ty(op.result)
    args = [(ty, fe.val(o)) for o in op.operands]
    fe.define(op.result, _intrinsic_call(fe, f"llvm.fma.{_suffix(ty)}", ty, args))


def _exp(fe: FunctionEmitter, op: simd.ExpOp) -> None:
    ty = fe.ty(op.result)
    helper = llvm_prelude.exp_helper(fe.mod, fe.isa, lanes_of(ty))
    fe.define(op.result, f"call {ty} {helper}({ty} {fe.val(op.source)})")


def _sqrt(fe: FunctionEmitter, op: simd.SqrtOp) -> None:
    """Correctly rounded (vsqrtps / sqrtf): every ISA agrees."""
    ty = fe.ty(op.result)
    fe.define(op.result, _intrinsic_call(fe, f"llvm.sqrt.{_suffix(ty)}", ty, [(ty, fe.val(op.source))]))


def _reduce(fe: FunctionEmitter, op: simd.ReduceOp) -> None:
    """The pairwise tree: lane i (op)= lane i + n/2 while n halves to 1."""
    ty = fe.ty(op.source)
    kind = op.kind.data.value
    el = elem_of(ty)
    cur, n = fe.val(op.source), lanes_of(ty)
    while n > 1:
        h = n // 2
        lo = shuffle(fe, ty, cur, list(range(h)), "lo")
        hi = shuffle(fe, ty, cur, list(range(h, n)), "hi")
        ty = f"<{h} x {el}>"
        if el == "float":
            cur = (fe.inst(f"fadd {ty} {lo}, {hi}", "sum") if kind == "add"
                   else fmax(fe, ty, lo, hi, "max"))
        elif kind == "add":
            cur = fe.inst(f"add {ty} {lo}, {hi}", "sum")
        else:
            cur = fe.inst(_intrinsic_call(fe, f"llvm.smax.{_suffix(ty)}", ty, [(ty, lo), (ty, hi)]), "max")
        n = h
    fe.define(op.result, f"extractelement {ty} {cur}, i64 0")


def _dot_i8(fe: FunctionEmitter, op: simd.DotI8Op) -> None:
    """vpdpbusd on avx512 (the C target's _mm*_dpbusd_epi32); elsewhere its exact value:
    acc + the four zext(a) * sext(b) products of each lane (their sum fits in i32), wrapping."""
    ty = fe.ty(op.acc)
    aty = fe.ty(op.a)
    n = lanes_of(ty)
    acc, a, b = (fe.val(o) for o in op.operands)
    if fe.isa == "avx512" and n in (4, 8, 16):
        name = f"llvm.x86.avx512.vpdpbusd.{32 * n}"
        fe.define(op.result, _intrinsic_call(fe, name, ty, [(ty, acc), (aty, a), (aty, b)]))
        return
    wide = with_elem(aty, "i32")
    az = fe.inst(f"zext {aty} {a} to {wide}", "au")
    bs = fe.inst(f"sext {aty} {b} to {wide}", "bs")
    prod = fe.inst(f"mul {wide} {az}, {bs}", "prod")
    parts = [shuffle(fe, wide, prod, [4 * j + k for j in range(n)], "pk") for k in range(4)]
    s01 = fe.inst(f"add {ty} {parts[0]}, {parts[1]}", "s")
    s23 = fe.inst(f"add {ty} {parts[2]}, {parts[3]}", "s")
    s = fe.inst(f"add {ty} {s01}, {s23}", "s")
    fe.define(op.result, f"add {ty} {acc}, {s}")


def _convert(fe: FunctionEmitter, op: simd.ConvertOp) -> None:
    sty, rty = fe.ty(op.source), fe.ty(op.result)
    src = simd.element_name(op.source.type.element_type)
    res = simd.element_name(op.result.type.element_type)
    s = fe.val(op.source)
    hint = op.result.name_hint
    match (src, res):
        case ("f16", "f32"):  # exact (vcvtph2ps)
            fe.define(op.result, f"fpext {sty} {s} to {rty}")
        case ("f32", "f16"):  # nearest even (vcvtps2ph, imm 0)
            fe.define(op.result, f"fptrunc {sty} {s} to {rty}")
        case ("bf16", "f32"):
            fe.vals[op.result] = bf16_to_f32(fe, sty, s)
        case ("f32", "bf16"):
            fe.vals[op.result] = f32_to_bf16(fe, sty, s)
        case ("i8", "f32"):
            w = fe.inst(f"sext {sty} {s} to {with_elem(sty, 'i32')}", "w")
            fe.define(op.result, f"sitofp {with_elem(sty, 'i32')} {w} to {rty}")
        case ("i32", "f32"):
            fe.define(op.result, f"sitofp {sty} {s} to {rty}")
        case ("f32", "i8"):  # max(x, -128) then min(., 127), as maxps/minps (NaN -> -128)
            lo = fmax(fe, sty, s, splat(sty, f32_lit(-128.0)), "clamp")
            hi = fmin(fe, sty, lo, splat(sty, f32_lit(127.0)), "clamp")
            r = fe.inst(_intrinsic_call(fe, f"llvm.rint.{_suffix(sty)}", sty, [(sty, hi)]), "rnd")
            i = fe.inst(f"fptosi {sty} {r} to {with_elem(sty, 'i32')}", "i")
            fe.define(op.result, f"trunc {with_elem(sty, 'i32')} {i} to {rty}")
        case ("f32", "i32"):
            fe.vals[op.result] = f32_to_i32(fe, sty, s, hint)
        case _:
            raise SimdEmitError(f"unsupported conversion {src} -> {res}")


def f32_to_i32(fe: FunctionEmitter, fty: str, x: str, hint: str | None) -> str:
    """vcvtps2dq: round to nearest even; NaN and out of range give INT32_MIN (never poison)."""
    ity, bty = with_elem(fty, "i32"), with_elem(fty, "i1")
    r = fe.inst(_intrinsic_call(fe, f"llvm.rint.{_suffix(fty)}", fty, [(fty, x)]), "rnd")
    ge = fe.inst(f"fcmp oge {fty} {x}, {splat(fty, f32_lit(-2147483648.0))}", "ge")
    lt = fe.inst(f"fcmp olt {fty} {x}, {splat(fty, f32_lit(2147483648.0))}", "lt")
    ok = fe.inst(f"and {bty} {ge}, {lt}", "inrange")
    safe = fe.inst(f"select {bty} {ok}, {fty} {r}, {fty} zeroinitializer", "safe")
    i = fe.inst(f"fptosi {fty} {safe} to {ity}", "i")
    return fe.inst(f"select {bty} {ok}, {ity} {i}, {ity} {splat(ity, '-2147483648')}", hint)


def _select(fe: FunctionEmitter, op: simd.SelectOp) -> None:
    pred = op.predicate.data.value  # slt / sle: icmp's own names
    c = fe.inst(f"icmp {pred} {fe.typed(op.lhs)}, {fe.val(op.rhs)}", "cmp")
    bty = with_elem(fe.ty(op.lhs), "i1")
    fe.define(op.result, f"select {bty} {c}, {fe.typed(op.on_true)}, {fe.typed(op.on_false)}")


def _avx512_only(fe: FunctionEmitter, op: Operation) -> None:
    if fe.isa != "avx512":
        raise SimdEmitError(f"{op.name} is translated only on avx512 (vdpbf16ps), not {fe.isa}")


def _dot_bf16(fe: FunctionEmitter, op: simd.DotBf16Op) -> None:
    """(acc + a1 b1) + a0 b0 per f32 lane: vdpbf16ps with AVX512-BF16, else two FMAs of the
    exact bf16 products, as the C prelude's ck_dpbf16_f32x16."""
    _avx512_only(fe, op)
    acc, a, b = (fe.val(o) for o in op.operands)
    if fe.mod.avx512bf16:
        ab = fe.inst(f"bitcast <32 x i16> {a} to <32 x bfloat>", "a")
        bb = fe.inst(f"bitcast <32 x i16> {b} to <32 x bfloat>", "b")
        fe.define(op.result, _intrinsic_call(fe, "llvm.x86.avx512bf16.dpbf16ps.512", "<16 x float>",
                                             [("<16 x float>", acc), ("<32 x bfloat>", ab), ("<32 x bfloat>", bb)]))
        return
    v = "<16 x i32>"
    halves = []
    for x in (a, b):
        w = fe.inst(f"bitcast <32 x i16> {x} to {v}", "w")
        hi = fe.inst(f"and {v} {w}, {splat(v, '-65536')}", "hi")
        lo = fe.inst(f"shl {v} {w}, {splat(v, '16')}", "lo")
        halves.append((fe.inst(f"bitcast {v} {hi} to <16 x float>", "odd"),
                       fe.inst(f"bitcast {v} {lo} to <16 x float>", "even")))
    f = "<16 x float>"
    fma = f"llvm.fma.{_suffix(f)}"
    t = fe.inst(_intrinsic_call(fe, fma, f, [(f, halves[0][0]), (f, halves[1][0]), (f, acc)]), "acc")
    fe.define(op.result, _intrinsic_call(fe, fma, f, [(f, halves[0][1]), (f, halves[1][1]), (f, t)]))


def _pack_bf16(fe: FunctionEmitter, op: simd.PackBf16Op) -> None:
    """Each of even and odd rounded to bf16 (as simd.convert), interleaved: even in lane 2j."""
    _avx512_only(fe, op)
    e = f32_to_bf16(fe, "<16 x float>", fe.val(op.even))
    o = f32_to_bf16(fe, "<16 x float>", fe.val(op.odd))
    inter = [x for j in range(16) for x in (j, 16 + j)]
    fe.define(op.result, f"shufflevector <16 x i16> {e}, <16 x i16> {o}, {mask(inter)}")


def _nibbles(fe: FunctionEmitter, op: simd.NibblesOp) -> None:
    """low: b & 15; high: b >> 4 (logical), per byte."""
    ty = fe.ty(op.result)
    src = fe.val(op.source)
    if op.half.data == "low":
        fe.define(op.result, f"and {ty} {src}, {splat(ty, '15')}")
    else:
        fe.define(op.result, f"lshr {ty} {src}, {splat(ty, '4')}")


_HANDLERS = {
    simd.LoadOp: _load,
    simd.StoreOp: _store,
    simd.BroadcastOp: _broadcast,
    simd.AddOp: _binary,
    simd.SubOp: _binary,
    simd.MulOp: _binary,
    simd.DivOp: _binary,
    simd.MaxOp: _binary,
    simd.FmaOp: _fma,
    simd.ExpOp: _exp,
    simd.SqrtOp: _sqrt,
    simd.ReduceOp: _reduce,
    simd.DotI8Op: _dot_i8,
    simd.NibblesOp: _nibbles,
    simd.ConvertOp: _convert,
    simd.SelectOp: _select,
    simd.DotBf16Op: _dot_bf16,
    simd.PackBf16Op: _pack_bf16,
}
