"""The C prelude of the `c` target: small `static inline` helpers, emitted on demand.

The emitter asks for a helper by name (`Prelude.use("ck_exp_f32x16")`); the
prelude then prints that helper, and the helpers it calls, once, above the
generated functions. Every helper is named `ck_<what>_<type>` so a reader can
find it; generated locals never start with `ck_` (see `c.sanitize`).

Numerics that must agree across ISAs live here, written once per register width:
- `ck_exp_*`: e^x = 2^n * e^r with n = round(x / ln 2), r = x - n ln 2 (Cody-Waite,
  two FMAs), e^r from Cephes' expf polynomial, 2^n applied with one rounding
  (`vscalefps` on zmm; two exact power-of-two multiplies elsewhere). Checked
  exhaustively: at most 1 ulp from glibc expf over [-87, 88]; -inf -> 0,
  +inf -> +inf, NaN -> NaN, underflow gives correctly scaled denormals.
  All widths (and the scalar version) return bit-identical results.
- `ck_reduce_*`: the pairwise tree simd.reduce documents (lane i + lane i + n/2,
  halving until one lane is left).
- `ck_dpbusd_*` (avx2): vpdpbusd's exact semantics without VNNI: u8 and s8 widened
  to i16, `vpmaddwd` (exact: |2 * 255 * 128| < 2^31), `vphaddd`, wrapping add.
- bf16: f32 -> bf16 rounds to nearest even in integer arithmetic (denormals kept,
  NaN quieted), so it does not depend on `vcvtneps2bf16`'s denormal flushing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- scalar helpers

_SCALAR: dict[str, tuple[tuple[str, ...], str]] = {
    "ck_bf16_to_f32": (
        (),
        """\
/* bf16 (raw bits) -> f32: exact, the bits move to the top half. */
static inline float ck_bf16_to_f32(uint16_t h) {
  uint32_t u = (uint32_t)h << 16;
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}""",
    ),
    "ck_f32_to_bf16": (
        (),
        """\
/* f32 -> bf16 (raw bits), round to nearest even; NaN stays a (quiet) NaN. */
static inline uint16_t ck_f32_to_bf16(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  if (f != f) return (uint16_t)((u >> 16) | 0x40);
  return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}""",
    ),
    "ck_dpbf16_f32x16": (
        (),
        """\
/* simd.dot_bf16: acc[j] + a[2j+1] * b[2j+1] + a[2j] * b[2j] on 16 f32 lanes (vdpbf16ps);
   without AVX512-BF16, the same two rounded sums with FMAs (each bf16 product is exact in
   f32; only the instruction's flushing of denormals differs). */
static inline __m512 ck_dpbf16_f32x16(__m512 acc, __m512i a, __m512i b) {
#if defined(__AVX512BF16__)
  return _mm512_dpbf16_ps(acc, (__m512bh)a, (__m512bh)b);
#else
  const __m512i top = _mm512_set1_epi32((int)0xFFFF0000u);
  acc = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(a, top)),
                        _mm512_castsi512_ps(_mm512_and_si512(b, top)), acc);
  return _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(a, 16)),
                         _mm512_castsi512_ps(_mm512_slli_epi32(b, 16)), acc);
#endif
}""",
    ),
    "ck_pack_bf16_x16": (
        (),
        """\
/* simd.pack_bf16: even and odd rounded to bf16 (nearest even, denormals kept, NaN quieted,
   as ck_cvt_f32_bf16x16) and interleaved: the low half of each 32-bit lane from even, the
   high half from odd. */
static inline __m512i ck_pack_bf16_x16(__m512 even, __m512 odd) {
  const __m512i half = _mm512_set1_epi32(0x7FFF), one = _mm512_set1_epi32(1);
  __m512i e = _mm512_castps_si512(even), o = _mm512_castps_si512(odd);
  __m512i re = _mm512_add_epi32(e, _mm512_add_epi32(half, _mm512_and_si512(_mm512_srli_epi32(e, 16), one)));
  __m512i ro = _mm512_add_epi32(o, _mm512_add_epi32(half, _mm512_and_si512(_mm512_srli_epi32(o, 16), one)));
  re = _mm512_mask_or_epi32(re, _mm512_cmp_ps_mask(even, even, _CMP_UNORD_Q), e, _mm512_set1_epi32(0x400000));
  ro = _mm512_mask_or_epi32(ro, _mm512_cmp_ps_mask(odd, odd, _CMP_UNORD_Q), o, _mm512_set1_epi32(0x400000));
  return _mm512_or_si512(_mm512_srli_epi32(re, 16), _mm512_and_si512(ro, _mm512_set1_epi32((int)0xFFFF0000u)));
}""",
    ),
    "ck_f16_bits": (
        (),
        """\
/* The 16 raw bits of a _Float16 (for integer-register broadcasts). */
static inline uint16_t ck_f16_bits(_Float16 h) {
  uint16_t u;
  memcpy(&u, &h, sizeof u);
  return u;
}""",
    ),
    "ck_f32_to_i32": (
        (),
        """\
/* f32 -> i32 as vcvtps2dq: round to nearest even; NaN and out of range give INT32_MIN. */
static inline int32_t ck_f32_to_i32(float f) {
  if (!(f >= -2147483648.0f && f < 2147483648.0f)) return INT32_MIN;
  return (int32_t)rintf(f);
}""",
    ),
    "ck_f32_to_i8": (
        (),
        """\
/* f32 -> i8: clamp to [-128, 127] (NaN -> -128, as vcvtps2dq + vpmovsdb), round to nearest even. */
static inline int8_t ck_f32_to_i8(float f) {
  f = f > -128.0f ? f : -128.0f;
  f = f < 127.0f ? f : 127.0f;
  return (int8_t)rintf(f);
}""",
    ),
    "ck_maximumf": (
        (),
        """\
/* arith.maximumf: NaN if either is NaN, and -0 < +0. */
static inline float ck_maximumf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}""",
    ),
    "ck_minimumf": (
        (),
        """\
/* arith.minimumf: NaN if either is NaN, and -0 < +0. */
static inline float ck_minimumf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}""",
    ),
    "ck_maximum": (
        (),
        """\
/* arith.maximumf on f64. */
static inline double ck_maximum(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}""",
    ),
    "ck_minimum": (
        (),
        """\
/* arith.minimumf on f64. */
static inline double ck_minimum(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}""",
    ),
    "ck_floordivsi": (
        (),
        """\
/* arith.floordivsi: signed division rounding toward negative infinity. */
static inline int64_t ck_floordivsi(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}""",
    ),
    "ck_ceildivsi": (
        (),
        """\
/* arith.ceildivsi: signed division rounding toward positive infinity. */
static inline int64_t ck_ceildivsi(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}""",
    ),
    "ck_dot_u8i8x4": (
        (),
        """\
/* One vpdpbusd lane: acc + sum_k zext(a[k]) * sext(b[k]), k < 4; the i32 sum wraps. */
static inline int32_t ck_dot_u8i8x4(int32_t acc, const int8_t *a, const int8_t *b) {
  uint32_t sum = (uint32_t)acc;
  for (int k = 0; k < 4; ++k) sum += (uint32_t)((int32_t)(uint8_t)a[k] * (int32_t)b[k]);
  return (int32_t)sum;
}""",
    ),
    "ck_exp_f32": (
        (),
        """\
/* e^x, the scalar twin of ck_exp_f32x16 (same steps, bit-identical results). */
static inline float ck_exp_f32(float x) {
  if (x != x) return x;
  x = -104.0f > x ? -104.0f : x;  /* below: e^x rounds to 0 */
  x = 89.0f < x ? 89.0f : x;      /* above: e^x rounds to +inf */
  float n = rintf(x * 1.44269504088896341f);  /* x = n ln2 + r */
  float r = fmaf(-n, 0.693359375f, x);
  r = fmaf(-n, -2.12194440e-4f, r);
  float p = 1.9875691500e-4f;  /* e^r = 1 + r + r^2 p(r), |r| <= ln2/2 */
  p = fmaf(p, r, 1.3981999507e-3f);
  p = fmaf(p, r, 8.3334519073e-3f);
  p = fmaf(p, r, 4.1665795894e-2f);
  p = fmaf(p, r, 1.6666665459e-1f);
  p = fmaf(p, r, 5.0000001201e-1f);
  p = fmaf(p, r * r, r) + 1.0f;
  int32_t k = (int32_t)n;  /* 2^n = 2^k1 * 2^k2: both normal, one rounding */
  int32_t k1 = k >> 1, k2 = k - k1;
  uint32_t b1 = (uint32_t)(k1 + 127) << 23, b2 = (uint32_t)(k2 + 127) << 23;
  float s1, s2;
  memcpy(&s1, &b1, sizeof s1);
  memcpy(&s2, &b2, sizeof s2);
  return p * s1 * s2;
}""",
    ),
}

# ------------------------------------------------------------- x86 vector helpers

_PFX = {128: "_mm", 256: "_mm256", 512: "_mm512"}
_FREG = {128: "__m128", 256: "__m256", 512: "__m512"}
_IREG = {128: "__m128i", 256: "__m256i", 512: "__m512i"}


def _exp_x86(lanes: int) -> str:
    """ck_exp_f32x{16,8,4}; narrower vectors use the x4 one on an xmm."""
    reg = 32 * lanes
    p, t = _PFX[reg], _FREG[reg]
    name = f"ck_exp_f32x{lanes}"
    if reg == 512:
        rnd = f"{p}_roundscale_ps"
    else:
        rnd = f"{p}_round_ps"
    body = [
        f"static inline {t} {name}({t} x) {{",
        f"  x = {p}_min_ps({p}_set1_ps(89.0f), {p}_max_ps({p}_set1_ps(-104.0f), x));"
        "  /* NaN passes */",
        f"  {t} n = {rnd}({p}_mul_ps(x, {p}_set1_ps(1.44269504088896341f)),"
        " _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);",
        f"  {t} r = {p}_fnmadd_ps(n, {p}_set1_ps(0.693359375f), x);  /* x = n ln2 + r */",
        f"  r = {p}_fnmadd_ps(n, {p}_set1_ps(-2.12194440e-4f), r);",
        f"  {t} e = {p}_set1_ps(1.9875691500e-4f);  /* e^r = 1 + r + r^2 p(r) */",
    ]
    for c in ("1.3981999507e-3f", "8.3334519073e-3f", "4.1665795894e-2f",
              "1.6666665459e-1f", "5.0000001201e-1f"):
        body.append(f"  e = {p}_fmadd_ps(e, r, {p}_set1_ps({c}));")
    body.append(f"  e = {p}_add_ps({p}_fmadd_ps(e, {p}_mul_ps(r, r), r), {p}_set1_ps(1.0f));")
    if reg == 512:
        body.append(f"  return {p}_scalef_ps(e, n);  /* e * 2^n, one rounding */")
    else:
        it = _IREG[reg]
        body += [
            f"  {it} k = {p}_cvtps_epi32(n);  /* 2^n = 2^k1 * 2^k2: both normal, one rounding */",
            f"  {it} k1 = {p}_srai_epi32(k, 1);",
            f"  {it} k2 = {p}_sub_epi32(k, k1);",
            f"  {t} s1 = {p}_castsi{reg}_ps({p}_slli_epi32({p}_add_epi32(k1, {p}_set1_epi32(127)), 23));",
            f"  {t} s2 = {p}_castsi{reg}_ps({p}_slli_epi32({p}_add_epi32(k2, {p}_set1_epi32(127)), 23));",
            f"  return {p}_mul_ps({p}_mul_ps(e, s1), s2);",
        ]
    body.append("}")
    head = f"/* e^x on {lanes} f32 lanes (see ck_exp_f32 for the steps). */"
    return "\n".join([head, *body])


def reduce_helper_name(kind: str, elem: str, lanes: int) -> str:
    return f"ck_reduce_{kind}_{elem}x{lanes}"


def _reduce_x86(kind: str, elem: str, lanes: int) -> str:
    """Pairwise tree over the `lanes` valid lanes of a register."""
    f = elem == "f32"
    reg = max(128, 32 * lanes)
    t = (_FREG if f else _IREG)[reg]
    ret = "float" if f else "int32_t"
    op_ps = {"add": "add", "max": "max"}[kind]
    vop = (lambda pfx: f"{pfx}_{op_ps}_ps") if f else (lambda pfx: f"{pfx}_{op_ps}_epi32")
    lines = [
        f"/* simd.reduce {kind} of {lanes} {elem} lanes, as a pairwise tree: lane i {'+' if kind == 'add' else 'max'}"
        "= lane i + n/2 while n halves to 1. */",
        f"static inline {ret} {reduce_helper_name(kind, elem, lanes)}({t} v) {{",
    ]
    cur, width, var = lanes, reg, "v"
    while cur > 1:
        if width == 512:
            if f:
                lo, hi = "_mm512_castps512_ps256(v)", (
                    "_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))"
                )
            else:
                lo, hi = "_mm512_castsi512_si256(v)", "_mm512_extracti64x4_epi64(v, 1)"
            lines.append(f"  {(_FREG if f else _IREG)[256]} h8 = {vop('_mm256')}({lo}, {hi});")
            var, width = "h8", 256
        elif width == 256:
            if f:
                lo, hi = f"_mm256_castps256_ps128({var})", f"_mm256_extractf128_ps({var}, 1)"
            else:
                lo, hi = f"_mm256_castsi256_si128({var})", f"_mm256_extracti128_si256({var}, 1)"
            lines.append(f"  {(_FREG if f else _IREG)[128]} h4 = {vop('_mm')}({lo}, {hi});")
            var, width = "h4", 128
        elif cur == 4:
            hi = f"_mm_movehl_ps({var}, {var})" if f else f"_mm_unpackhi_epi64({var}, {var})"
            lines.append(f"  {(_FREG if f else _IREG)[128]} h2 = {vop('_mm')}({var}, {hi});")
            var = "h2"
        else:  # cur == 2
            if f:
                lines.append(f"  __m128 h1 = _mm_{op_ps}_ss({var}, _mm_movehdup_ps({var}));")
            else:
                lines.append(
                    f"  __m128i h1 = {vop('_mm')}({var}, _mm_shuffle_epi32({var}, _MM_SHUFFLE(1, 1, 1, 1)));"
                )
            var = "h1"
        cur //= 2
    lines.append(f"  return {'_mm_cvtss_f32' if f else '_mm_cvtsi128_si32'}({var});")
    lines.append("}")
    return "\n".join(lines)


def _dpbusd_avx2(lanes: int) -> str:
    """vpdpbusd on 8 (ymm) or 4 (xmm) i32 lanes for the avx2 ISA."""
    reg = 256 if lanes == 8 else 128
    p, t = _PFX[reg], _IREG[reg]
    name = f"ck_dpbusd_avx2_x{lanes}"
    vnni = "_mm256_dpbusd_avx_epi32" if reg == 256 else "_mm_dpbusd_avx_epi32"
    return f"""\
/* simd.dot_i8 on avx2 ({lanes} i32 lanes): acc[j] + sum_k<4 zext(a[4j+k]) * sext(b[4j+k]),
   wrapping, like vpdpbusd. Not vpmaddubsw: that one saturates to i16. */
static inline {t} {name}({t} acc, {t} a, {t} b) {{
#if defined(__AVXVNNI__)
  return {vnni}(acc, a, b);
#elif defined(__AVX512VNNI__) && defined(__AVX512VL__)
  return {p}_dpbusd_epi32(acc, a, b);
#else
  const {t} zero = {p}_setzero_si{reg}();
  {t} a_lo = {p}_unpacklo_epi8(a, zero), a_hi = {p}_unpackhi_epi8(a, zero);  /* u8 -> i16 */
  {t} b_lo = {p}_srai_epi16({p}_unpacklo_epi8(b, b), 8);  /* s8 -> i16 */
  {t} b_hi = {p}_srai_epi16({p}_unpackhi_epi8(b, b), 8);
  {t} p_lo = {p}_madd_epi16(a_lo, b_lo), p_hi = {p}_madd_epi16(a_hi, b_hi);  /* exact pairs */
  return {p}_add_epi32(acc, {p}_hadd_epi32(p_lo, p_hi));  /* [p0+p1, p2+p3 | q0+q1, q2+q3] */
#endif
}}"""


def _cvt_f32_bf16(lanes: int) -> str:
    """ck_cvt_f32_bf16x{16,8,4}: round to nearest even, NaN quieted."""
    reg = 32 * lanes
    p, t, it = _PFX[reg], _FREG[reg], _IREG[reg]
    name = f"ck_cvt_f32_bf16x{lanes}"
    out = {512: "__m256i", 256: "__m128i", 128: "__m128i"}[reg]
    lines = [
        f"/* f32 -> bf16 on {lanes} lanes: round to nearest even (denormals kept), NaN quieted. */",
        f"static inline {out} {name}({t} x) {{",
        f"  {it} u = {p}_castps_si{reg}(x);",
        f"  {it} top = {p}_srli_epi32(u, 16);",
        f"  {it} odd = {p}_and_si{reg}(top, {p}_set1_epi32(1));",
        f"  {it} r = {p}_srli_epi32({p}_add_epi32(u, {p}_add_epi32(odd, {p}_set1_epi32(0x7FFF))), 16);",
    ]
    if reg == 512:
        lines += [
            "  __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);",
            "  r = _mm512_mask_or_epi32(r, nan, top, _mm512_set1_epi32(0x40));",
            "  return _mm512_cvtepi32_epi16(r);",
        ]
    else:
        lines += [
            f"  {it} nan = {p}_castps_si{reg}({p}_cmp_ps(x, x, _CMP_UNORD_Q));",
            f"  r = {p}_blendv_epi8(r, {p}_or_si{reg}(top, {p}_set1_epi32(0x40)), nan);",
        ]
        if reg == 256:
            lines.append(
                "  return _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));"
            )
        else:
            lines.append("  return _mm_packus_epi32(r, r);")
    lines.append("}")
    return "\n".join(lines)


def _cvt_bf16_f32(lanes: int) -> str:
    reg = 32 * lanes
    p, t = _PFX[reg], _FREG[reg]
    src = {512: "__m256i", 256: "__m128i", 128: "__m128i"}[reg]
    return f"""\
/* bf16 -> f32 on {lanes} lanes: exact, zero-extend each 16-bit lane and shift it to the top. */
static inline {t} ck_cvt_bf16_f32x{lanes}({src} h) {{
  return {p}_castsi{reg}_ps({p}_slli_epi32({p}_cvtepu16_epi32(h), 16));
}}"""


def _cvt_f32_i8(lanes: int) -> str:
    reg = 32 * lanes
    p, t, it = _PFX[reg], _FREG[reg], _IREG[reg]
    lines = [
        f"/* f32 -> i8 on {lanes} lanes: clamp to [-128, 127] (NaN -> -128), round to nearest even. */",
        f"static inline __m128i ck_cvt_f32_i8x{lanes}({t} x) {{",
        f"  x = {p}_min_ps({p}_max_ps(x, {p}_set1_ps(-128.0f)), {p}_set1_ps(127.0f));",
        f"  {it} i = {p}_cvtps_epi32(x);",
    ]
    if reg == 512:
        lines.append("  return _mm512_cvtsepi32_epi8(i);")
    elif reg == 256:
        lines.append(
            "  __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));"
        )
        lines.append("  return _mm_packs_epi16(w, _mm_setzero_si128());")
    else:
        lines.append("  return _mm_packs_epi16(_mm_packs_epi32(i, i), _mm_setzero_si128());")
    lines.append("}")
    return "\n".join(lines)


def _generated(name: str) -> tuple[tuple[str, ...], str] | None:
    """Helpers whose text depends on a width encoded in the name."""
    parts = name.split("_")
    if name.startswith("ck_exp_f32x"):
        return (), _exp_x86(int(name.removeprefix("ck_exp_f32x")))
    if name.startswith("ck_reduce_"):
        _, _, kind, ty = parts
        elem, lanes = ty.split("x")
        return (), _reduce_x86(kind, elem, int(lanes))
    if name.startswith("ck_dpbusd_avx2_x"):
        return (), _dpbusd_avx2(int(name.removeprefix("ck_dpbusd_avx2_x")))
    if name.startswith("ck_cvt_f32_bf16x"):
        return (), _cvt_f32_bf16(int(name.removeprefix("ck_cvt_f32_bf16x")))
    if name.startswith("ck_cvt_bf16_f32x"):
        return (), _cvt_bf16_f32(int(name.removeprefix("ck_cvt_bf16_f32x")))
    if name.startswith("ck_cvt_f32_i8x"):
        return (), _cvt_f32_i8(int(name.removeprefix("ck_cvt_f32_i8x")))
    return None


_STRUCT_ELEM = {"f32": "float", "i32": "int32_t", "f16": "_Float16", "bf16": "uint16_t", "i8": "int8_t"}


def struct_name(elem: str, lanes: int) -> str:
    """The scalar ISA's value type for a vector of more than one lane."""
    return f"ck_{elem}x{lanes}"


@dataclass
class Prelude:
    """Helpers and type definitions the generated functions use, in first-use order."""

    helpers: dict[str, str] = field(default_factory=dict[str, str])
    types: dict[str, str] = field(default_factory=dict[str, str])

    def use(self, name: str) -> str:
        """Request helper `name` (and what it calls); returns `name` for inline use."""
        if name in self.helpers:
            return name
        entry = _SCALAR.get(name) or _generated(name)
        if entry is None:
            raise KeyError(f"no C prelude helper named {name}")
        deps, text = entry
        for dep in deps:
            self.use(dep)
        self.helpers[name] = text
        return name

    def use_struct(self, elem: str, lanes: int) -> str:
        name = struct_name(elem, lanes)
        if name not in self.types:
            self.types[name] = (
                f"typedef struct {{ {_STRUCT_ELEM[elem]} v[{lanes}]; }} {name};"
                f"  /* vector<{lanes}x{elem}> on the scalar ISA */"
            )
        return name

    def render(self) -> list[str]:
        out: list[str] = []
        if self.types:
            out += list(self.types.values())
            out.append("")
        for text in self.helpers.values():
            out += text.split("\n")
            out.append("")
        return out

