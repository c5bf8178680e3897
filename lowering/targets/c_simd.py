"""simd ops -> C, per ISA (part of the `c` target; see c.py).

How a `vector<N x T>` value is held in C:
- avx512 / avx2: in an x86 register type. f32 vectors are `__m128`/`__m256`/`__m512`,
  every other element type (i32, i8, f16 and bf16 as raw bits) is
  `__m128i`/`__m256i`/`__m512i`, chosen by the vector's bit width. A vector narrower
  than 128 bits (e.g. the `vector<4xi8>` a dot_i8 step broadcasts) lives in the low
  lanes of an xmm register; its other lanes are never observed.
- scalar: a 1-lane vector is its C scalar (`float`, `int32_t`, `_Float16`, `uint16_t`
  for bf16 bits, `int8_t`); a wider one is a struct `ck_i8x4 { int8_t v[4]; }`,
  handled with plain loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from xdsl.dialects.builtin import VectorType
from xdsl.ir import Attribute, Operation

from ck.dialects import simd
from ck.lowering.targets.c_prelude import Prelude, reduce_helper_name, struct_name

if TYPE_CHECKING:
    from ck.lowering.targets.c import FunctionEmitter

_PFX = {128: "_mm", 256: "_mm256", 512: "_mm512"}
_FREG = {128: "__m128", 256: "__m256", 512: "__m512"}
_IREG = {128: "__m128i", 256: "__m256i", 512: "__m512i"}
_BITS = {"f32": 32, "i32": 32, "f16": 16, "bf16": 16, "i8": 8}
_SCALAR_C = {"f32": "float", "i32": "int32_t", "f16": "_Float16", "bf16": "uint16_t", "i8": "int8_t"}
ISAS = tuple(simd.ISA_BITS)


class SimdEmitError(Exception):
    """A simd value or op the C target cannot represent (the caller adds the location)."""


@dataclass(frozen=True)
class VecRepr:
    """The C representation of one vector type on one ISA."""

    isa: str
    lanes: int
    elem: str

    @property
    def bits(self) -> int:
        return self.lanes * _BITS[self.elem]

    @property
    def x86(self) -> bool:
        return self.isa != "scalar"

    @property
    def reg(self) -> int:
        """Register width holding the value (x86 only)."""
        return max(128, self.bits)

    @property
    def pfx(self) -> str:
        return _PFX[self.reg]

    @property
    def is_ps(self) -> bool:
        return self.elem == "f32"

    @property
    def scalar_c(self) -> str:
        return _SCALAR_C[self.elem]

    def ctype(self, prelude: Prelude | None = None) -> str:
        """The C type; on the scalar ISA a wide vector's struct is added to `prelude`."""
        if self.x86:
            return (_FREG if self.is_ps else _IREG)[self.reg]
        if self.lanes == 1:
            return self.scalar_c
        if prelude is not None:
            return prelude.use_struct(self.elem, self.lanes)
        return struct_name(self.elem, self.lanes)


def vec_repr(typ: Attribute, isa: str | None) -> VecRepr:
    """Representation of a builtin vector type, or SimdEmitError saying why not."""
    if not isinstance(typ, VectorType) or typ.get_num_dims() != 1 or typ.get_num_scalable_dims():
        raise SimdEmitError(f"only 1-D fixed-width vectors are supported, got {typ}")
    if isa is None:
        raise SimdEmitError(
            f"{typ} needs an ISA: put `simd.isa = #simd.isa<...>` on the function (or module), "
            "or pass `-t 'c{isa=avx2}'`"
        )
    if isa not in ISAS:
        raise SimdEmitError(f"unknown ISA '{isa}' (valid: {', '.join(ISAS)})")
    lanes = typ.get_shape()[0]
    elem = simd.element_name(typ.element_type)
    if elem not in _BITS:
        raise SimdEmitError(f"vector element type {typ.element_type} has no C representation")
    rep = VecRepr(isa, lanes, elem)
    if rep.x86:
        if lanes & (lanes - 1) or rep.bits < 8:
            raise SimdEmitError(f"{typ}: the lane count must be a power of two")
        if rep.bits > simd.ISA_BITS[isa]:
            raise SimdEmitError(f"{typ} is wider than the {simd.ISA_BITS[isa]}-bit registers of {isa}")
    return rep


# -------------------------------------------------------------------- helpers


def _x86_load(rep: VecRepr, ptr: str) -> str:
    b = rep.bits
    if rep.is_ps:
        if b >= 128:
            return f"{rep.pfx}_loadu_ps({ptr})"
        if b == 64:
            return f"_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *){ptr}))"
        return f"_mm_load_ss({ptr})"
    if b == 512:
        return f"_mm512_loadu_si512({ptr})"
    if b == 256:
        return f"_mm256_loadu_si256((const __m256i *){ptr})"
    if b == 128:
        return f"_mm_loadu_si128((const __m128i *){ptr})"
    if b == 64:
        return f"_mm_loadl_epi64((const __m128i *){ptr})"
    if b == 32:
        return f"_mm_loadu_si32({ptr})"
    if b == 16:
        return f"_mm_loadu_si16({ptr})"
    return f"_mm_cvtsi32_si128(*(const uint8_t *){ptr})"


def _x86_store(rep: VecRepr, ptr: str, val: str) -> str:
    b = rep.bits
    if rep.is_ps:
        if b >= 128:
            return f"{rep.pfx}_storeu_ps({ptr}, {val});"
        if b == 64:
            return f"_mm_storel_epi64((__m128i *){ptr}, _mm_castps_si128({val}));"
        return f"_mm_store_ss({ptr}, {val});"
    if b == 512:
        return f"_mm512_storeu_si512({ptr}, {val});"
    if b == 256:
        return f"_mm256_storeu_si256((__m256i *){ptr}, {val});"
    if b == 128:
        return f"_mm_storeu_si128((__m128i *){ptr}, {val});"
    if b == 64:
        return f"_mm_storel_epi64((__m128i *){ptr}, {val});"
    if b == 32:
        return f"_mm_storeu_si32({ptr}, {val});"
    if b == 16:
        return f"_mm_storeu_si16({ptr}, {val});"
    return f"*(uint8_t *){ptr} = (uint8_t)_mm_cvtsi128_si32({val});"


def x86_splat(fe: FunctionEmitter, rep: VecRepr, scalar: str, *, f16_bits: bool = False) -> str:
    """Broadcast a C scalar expression into every lane of `rep`."""
    p = rep.pfx
    if rep.elem == "f32":
        return f"{p}_set1_ps({scalar})"
    if rep.elem == "i32":
        return f"{p}_set1_epi32({scalar})"
    if rep.elem == "i8":
        return f"{p}_set1_epi8({scalar})"
    if rep.elem == "f16" and not f16_bits:
        return f"{p}_set1_epi16((short){fe.prelude.use('ck_f16_bits')}({scalar}))"
    return f"{p}_set1_epi16((short){scalar})"


def _cast_to_int(rep: VecRepr, expr: str) -> str:
    return f"{rep.pfx}_castps_si{rep.reg}({expr})" if rep.is_ps else expr


def _x86_group_broadcast(src: VecRepr, res: VecRepr, s: str) -> str:
    """Repeat the `src.bits`-bit group across `res` (vpbroadcast{b,w,d,q}, vbroadcasti32x4...)."""
    g, p = src.bits, res.pfx
    if g == res.bits:
        return s
    if res.is_ps and g == 32:
        return f"{p}_broadcastss_ps({s})"
    si = _cast_to_int(src, s)
    if g <= 64:
        fn = {8: "broadcastb_epi8", 16: "broadcastw_epi16", 32: "broadcastd_epi32",
              64: "broadcastq_epi64"}[g]
        out = f"{p}_{fn}({si})"
    elif g == 128 and res.reg == 256:
        out = f"_mm256_broadcastsi128_si256({si})"
    elif g == 128:
        out = f"_mm512_broadcast_i32x4({si})"
    else:
        out = f"_mm512_broadcast_i64x4({si})"
    return f"{p}_castsi{res.reg}_ps({out})" if res.is_ps else out


# ------------------------------------------------------------------ op emission


def emit_simd_op(fe: FunctionEmitter, op: Operation, isa: str | None) -> None:
    """Emit one simd op; raises SimdEmitError for what C cannot express."""
    handler = _HANDLERS.get(type(op))
    if handler is None:
        raise SimdEmitError(f"no C lowering for {op.name}")
    handler(fe, op, isa)


def _rep(fe: FunctionEmitter, typ: Attribute, isa: str | None) -> VecRepr:
    rep = vec_repr(typ, isa)
    rep.ctype(fe.prelude)  # registers scalar-ISA struct typedefs
    return rep


def _load(fe: FunctionEmitter, op: simd.LoadOp, isa: str | None) -> None:
    rep = _rep(fe, op.result.type, isa)
    elem = fe.element(op.base, op.indices, op)
    ptr = "&" + elem
    if rep.x86:
        fe.define(op.result, _x86_load(rep, ptr))
    elif rep.lanes == 1:
        fe.define(op.result, elem)
    else:
        name = fe.declare(op.result)
        fe.stmt(f"memcpy({name}.v, {ptr}, sizeof {name}.v);")


def _store(fe: FunctionEmitter, op: simd.StoreOp, isa: str | None) -> None:
    rep = _rep(fe, op.value.type, isa)
    elem = fe.element(op.base, op.indices, op)
    ptr = "&" + elem
    val = fe.expr(op.value)
    if rep.x86:
        fe.stmt(_x86_store(rep, ptr, val))
    elif rep.lanes == 1:
        fe.stmt(f"{elem} = {val};")
    else:
        fe.stmt(f"memcpy({ptr}, {fe.atom(op.value)}.v, sizeof {fe.atom(op.value)}.v);")


def _broadcast(fe: FunctionEmitter, op: simd.BroadcastOp, isa: str | None) -> None:
    res = _rep(fe, op.result.type, isa)
    src_t = op.source.type
    s = fe.expr(op.source)
    if isinstance(src_t, VectorType):
        src = _rep(fe, src_t, isa)
        if res.x86:
            fe.define(op.result, _x86_group_broadcast(src, res, s))
            return
        if res.lanes == src.lanes:
            fe.define(op.result, s)
            return
        name = fe.declare(op.result)
        get = f"{fe.atom(op.source)}.v[ck_l % {src.lanes}]" if src.lanes > 1 else s
        fe.stmt(f"for (int ck_l = 0; ck_l < {res.lanes}; ++ck_l) {name}.v[ck_l] = {get};")
        return
    if res.x86:
        fe.define(op.result, x86_splat(fe, res, s))
    elif res.lanes == 1:
        fe.define(op.result, s)
    else:
        name = fe.declare(op.result)
        fe.stmt(f"for (int ck_l = 0; ck_l < {res.lanes}; ++ck_l) {name}.v[ck_l] = {s};")


_X86_BIN = {
    (simd.AddOp, "f32"): "add_ps",
    (simd.SubOp, "f32"): "sub_ps",
    (simd.MulOp, "f32"): "mul_ps",
    (simd.DivOp, "f32"): "div_ps",
    (simd.MaxOp, "f32"): "max_ps",
    (simd.AddOp, "i32"): "add_epi32",
    (simd.SubOp, "i32"): "sub_epi32",
    (simd.MulOp, "i32"): "mullo_epi32",
    (simd.MaxOp, "i32"): "max_epi32",
}


def _scalar_bin(kind: type[Operation], elem: str, a: str, b: str) -> str:
    """One lane of add/sub/mul/max: f32 as the hardware does it, i32 wrapping."""
    if kind is simd.MaxOp:
        return f"{a} > {b} ? {a} : {b}"  # maxps: the second operand unless a > b
    sym = {simd.AddOp: "+", simd.SubOp: "-", simd.MulOp: "*", simd.DivOp: "/"}[kind]
    if elem == "f32":
        return f"{a} {sym} {b}"
    return f"(int32_t)((uint32_t){a} {sym} (uint32_t){b})"


def _lanewise(fe: FunctionEmitter, op: Operation, rep: VecRepr, one_lane) -> None:  # noqa: ANN001
    """Scalar ISA: one C expression per lane (plain, or a loop over a struct)."""
    if rep.lanes == 1:
        fe.define(op.results[0], one_lane(*(fe.atom(o) for o in op.operands)))
        return
    name = fe.declare(op.results[0])
    lanes = [f"{fe.atom(o)}.v[ck_l]" for o in op.operands]
    fe.stmt(f"for (int ck_l = 0; ck_l < {rep.lanes}; ++ck_l) {name}.v[ck_l] = {one_lane(*lanes)};")


def _binary(fe: FunctionEmitter, op: Operation, isa: str | None) -> None:
    rep = _rep(fe, op.results[0].type, isa)
    if rep.x86:
        fn = _X86_BIN[(type(op), rep.elem)]
        a, b = (fe.expr(o) for o in op.operands)
        fe.define(op.results[0], f"{rep.pfx}_{fn}({a}, {b})")
    else:
        _lanewise(fe, op, rep, lambda a, b: _scalar_bin(type(op), rep.elem, a, b))


def _fma(fe: FunctionEmitter, op: simd.FmaOp, isa: str | None) -> None:
    rep = _rep(fe, op.result.type, isa)
    if rep.x86:
        a, b, c = (fe.expr(o) for o in op.operands)
        fe.define(op.result, f"{rep.pfx}_fmadd_ps({a}, {b}, {c})")
    else:
        _lanewise(fe, op, rep, lambda a, b, c: f"fmaf({a}, {b}, {c})")


def _exp(fe: FunctionEmitter, op: simd.ExpOp, isa: str | None) -> None:
    rep = _rep(fe, op.result.type, isa)
    if rep.x86:
        helper = fe.prelude.use(f"ck_exp_f32x{rep.reg // 32}")
        fe.define(op.result, f"{helper}({fe.expr(op.source)})")
    else:
        helper = fe.prelude.use("ck_exp_f32")
        _lanewise(fe, op, rep, lambda x: f"{helper}({x})")


def _sqrt(fe: FunctionEmitter, op: simd.SqrtOp, isa: str | None) -> None:
    """vsqrtps on x86, sqrtf per lane on scalar: both correctly rounded, so every ISA agrees."""
    rep = _rep(fe, op.result.type, isa)
    if rep.x86:
        fe.define(op.result, f"{rep.pfx}_sqrt_ps({fe.expr(op.source)})")
    else:
        _lanewise(fe, op, rep, lambda x: f"sqrtf({x})")


def _reduce(fe: FunctionEmitter, op: simd.ReduceOp, isa: str | None) -> None:
    rep = _rep(fe, op.source.type, isa)
    kind = op.kind.data.value
    s = fe.expr(op.source)
    if rep.x86:
        if rep.elem == "i32" and rep.bits == 512:  # exact in any order
            fe.define(op.result, f"_mm512_reduce_{kind}_epi32({s})")
        else:
            fe.define(op.result, f"{fe.prelude.use(reduce_helper_name(kind, rep.elem, rep.lanes))}({s})")
        return
    if rep.lanes == 1:
        fe.define(op.result, s)
        return
    # Pairwise tree on a copy: lane i (op)= lane i + w, w = n/2, n/4, ..., 1.
    tmp = fe.new_name("tree")
    fe.stmt(f"{rep.ctype(fe.prelude)} {tmp} = {s};")
    one = _scalar_bin(simd.AddOp if kind == "add" else simd.MaxOp, rep.elem,
                      f"{tmp}.v[ck_l]", f"{tmp}.v[ck_l + ck_w]")
    fe.stmt(f"for (int ck_w = {rep.lanes // 2}; ck_w >= 1; ck_w /= 2)")
    fe.stmt(f"  for (int ck_l = 0; ck_l < ck_w; ++ck_l) {tmp}.v[ck_l] = {one};")
    fe.define(op.result, f"{tmp}.v[0]")


def _dot_i8(fe: FunctionEmitter, op: simd.DotI8Op, isa: str | None) -> None:
    rep = _rep(fe, op.acc.type, isa)
    _rep(fe, op.a.type, isa)
    acc, a, b = (fe.expr(o) for o in op.operands)
    if rep.x86 and isa == "avx512":
        fe.define(op.result, f"{rep.pfx}_dpbusd_epi32({acc}, {a}, {b})")
    elif rep.x86:
        helper = fe.prelude.use(f"ck_dpbusd_avx2_x{rep.reg // 32}")
        fe.define(op.result, f"{helper}({acc}, {a}, {b})")
    else:
        helper = fe.prelude.use("ck_dot_u8i8x4")
        a_, b_ = fe.atom(op.a), fe.atom(op.b)
        if rep.lanes == 1:
            fe.define(op.result, f"{helper}({acc}, {a_}.v, {b_}.v)")
        else:
            name = fe.declare(op.result)
            fe.stmt(
                f"for (int ck_l = 0; ck_l < {rep.lanes}; ++ck_l) {name}.v[ck_l] = "
                f"{helper}({fe.atom(op.acc)}.v[ck_l], &{a_}.v[4 * ck_l], &{b_}.v[4 * ck_l]);"
            )


def _nibbles(fe: FunctionEmitter, op: simd.NibblesOp, isa: str | None) -> None:
    """low: b & 0x0F; high: b >> 4 (x86 shifts 16-bit lanes, then masks each byte)."""
    rep = _rep(fe, op.result.type, isa)
    high = op.half.data == "high"
    if rep.x86:
        src = fe.expr(op.source)
        if high:
            src = f"{rep.pfx}_srli_epi16({src}, 4)"
        fe.define(op.result, f"{rep.pfx}_and_si{rep.reg}({src}, {rep.pfx}_set1_epi8(0x0F))")
    else:
        _lanewise(fe, op, rep, lambda b: f"(int8_t)((uint8_t){b} >> 4)" if high else f"(int8_t)((uint8_t){b} & 0x0F)")


def _convert(fe: FunctionEmitter, op: simd.ConvertOp, isa: str | None) -> None:
    src = _rep(fe, op.source.type, isa)
    res = _rep(fe, op.result.type, isa)
    pair = (src.elem, res.elem)
    s = fe.expr(op.source)
    if not res.x86:
        one = {
            ("f16", "f32"): lambda x: f"(float){x}",
            ("f32", "f16"): lambda x: f"(_Float16){x}",
            ("bf16", "f32"): lambda x: f"{fe.prelude.use('ck_bf16_to_f32')}({x})",
            ("f32", "bf16"): lambda x: f"{fe.prelude.use('ck_f32_to_bf16')}({x})",
            ("i8", "f32"): lambda x: f"(float){x}",
            ("f32", "i8"): lambda x: f"{fe.prelude.use('ck_f32_to_i8')}({x})",
            ("i32", "f32"): lambda x: f"(float){x}",
            ("f32", "i32"): lambda x: f"{fe.prelude.use('ck_f32_to_i32')}({x})",
        }.get(pair)
        if one is None:
            raise SimdEmitError(f"unsupported conversion {src.elem} -> {res.elem}")
        _lanewise(fe, op, res, one)
        return
    f32 = res if res.elem == "f32" else src  # the f32 side sets the instruction width
    p, n = f32.pfx, f32.reg // 32
    rnd = "_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC"
    match pair:
        case ("f16", "f32"):
            rhs = f"{p}_cvtph_ps({s})"
        case ("f32", "f16"):
            rhs = f"{p}_cvtps_ph({s}, {rnd})"
        case ("bf16", "f32"):
            rhs = f"{fe.prelude.use(f'ck_cvt_bf16_f32x{n}')}({s})"
        case ("f32", "bf16"):
            rhs = f"{fe.prelude.use(f'ck_cvt_f32_bf16x{n}')}({s})"
        case ("i8", "f32"):
            rhs = f"{p}_cvtepi32_ps({p}_cvtepi8_epi32({s}))"
        case ("f32", "i8"):
            rhs = f"{fe.prelude.use(f'ck_cvt_f32_i8x{n}')}({s})"
        case ("i32", "f32"):
            rhs = f"{p}_cvtepi32_ps({s})"
        case ("f32", "i32"):
            rhs = f"{p}_cvtps_epi32({s})"
        case _:
            raise SimdEmitError(f"unsupported conversion {src.elem} -> {res.elem}")
    fe.define(op.result, rhs)


def _select(fe: FunctionEmitter, op: simd.SelectOp, isa: str | None) -> None:
    rep = _rep(fe, op.result.type, isa)
    _rep(fe, op.lhs.type, isa)
    strict = op.predicate.data.value == "slt"
    l, r, a, b = (fe.expr(o) for o in op.operands)
    if rep.x86 and isa == "avx512":  # compare into a mask register, blend where it is set
        cmp = "_MM_CMPINT_LT" if strict else "_MM_CMPINT_LE"
        fe.define(op.result, f"{rep.pfx}_mask_blend_ps({rep.pfx}_cmp_epi32_mask({l}, {r}, {cmp}), {b}, {a})")
    elif rep.x86:  # avx2 has only a signed >: l < r is r > l (take a), l <= r is not l > r (take b)
        gt = f"{rep.pfx}_castsi{rep.reg}_ps({rep.pfx}_cmpgt_epi32({r if strict else l}, {l if strict else r}))"
        first, second = (b, a) if strict else (a, b)
        fe.define(op.result, f"{rep.pfx}_blendv_ps({first}, {second}, {gt})")
    else:
        sym = "<" if strict else "<="
        _lanewise(fe, op, rep, lambda l_, r_, a_, b_: f"{l_} {sym} {r_} ? {a_} : {b_}")


def _avx512_only(op: Operation, isa: str | None) -> None:
    if isa != "avx512":
        raise SimdEmitError(f"{op.name} has C only on avx512 (vdpbf16ps), not {isa}")


def _dot_bf16(fe: FunctionEmitter, op: simd.DotBf16Op, isa: str | None) -> None:
    _avx512_only(op, isa)
    acc, a, b = (fe.expr(o) for o in op.operands)
    fe.define(op.result, f"{fe.prelude.use('ck_dpbf16_f32x16')}({acc}, {a}, {b})")


def _pack_bf16(fe: FunctionEmitter, op: simd.PackBf16Op, isa: str | None) -> None:
    _avx512_only(op, isa)
    even, odd = (fe.expr(o) for o in op.operands)
    fe.define(op.result, f"{fe.prelude.use('ck_pack_bf16_x16')}({even}, {odd})")


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


def vector_constant(fe: FunctionEmitter, rep: VecRepr, values: list[str], splat: bool,
                    name: str) -> str:
    """Right-hand side for a dense vector constant given as C scalar literals (f16/bf16
    as raw bits on x86). A non-splat x86 constant is loaded from a `static const`
    array named `<name>_data`, emitted here."""
    if splat:
        if rep.x86:
            return x86_splat(fe, rep, values[0], f16_bits=True)
        if rep.lanes == 1:
            return values[0]
        return "{{" + ", ".join(values) + "}}"
    if not rep.x86:
        return values[0] if rep.lanes == 1 else "{{" + ", ".join(values) + "}}"
    data = f"{name}_data"
    padded = values + ["0"] * ((rep.reg - rep.bits) // _BITS[rep.elem])
    ctype = "uint16_t" if rep.elem in ("f16", "bf16") else rep.scalar_c
    fe.stmt(f"static const {ctype} {data}[{len(padded)}] = {{{', '.join(padded)}}};")
    return _x86_load(VecRepr(rep.isa, len(padded), rep.elem), data)
