"""The C prelude's numerics ported to LLVM IR (part of the `llvm` target; see llvm.py).

Only e^x needs a helper function: every other C prelude helper is a few instructions the
simd handlers emit in place (the bf16 rounding, the reduction tree, the dot_i8 widening).
`ck_exp_*` is c_prelude.py's exactly: clamp to [-104, 89] (maxps/minps order, NaN passes),
n = rint(x log2 e), r = x - n ln2 in two FMAs (Cody-Waite), Cephes' polynomial, then 2^n
as two exact power-of-two multiplies (2^k1 * 2^k2). The C prelude's zmm version scales
with vscalefps instead; both round once, so every width and the scalar twin agree bit for
bit. One internal `alwaysinline` function per ISA and width, carrying the ISA's target
attributes so it inlines into that ISA's kernels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ck.lowering.targets.llvm import f32_lit, global_ref

if TYPE_CHECKING:
    from ck.lowering.targets.llvm import ModuleEmitter

_POLY = ("1.3981999507e-3", "8.3334519073e-3", "4.1665795894e-2", "1.6666665459e-1", "5.0000001201e-1")


def exp_helper(mod: ModuleEmitter, isa: str | None, lanes: int) -> str:
    """`@ck.exp.<isa>.v<lanes>f32`, defined in `mod` on first use; returns its reference."""
    name = f"ck.exp.{isa or 'scalar'}.v{lanes}f32"
    ref = global_ref(name)
    if name in mod.helpers:
        return ref
    t, i, b = f"<{lanes} x float>", f"<{lanes} x i32>", f"<{lanes} x i1>"

    def k(x: float) -> str:
        return f"splat (float {f32_lit(x)})"

    def ki(x: int) -> str:
        return f"splat (i32 {x})"

    fma = mod.declare(f"llvm.fma.v{lanes}f32", t, [t, t, t])
    rint = mod.declare(f"llvm.rint.v{lanes}f32", t, [t])
    body = [
        f"; e^x on {lanes} f32 lanes, the C prelude's ck_exp_f32x{lanes} (see llvm_prelude.py).",
        f"define internal {t} {ref}({t} %x) {mod.attrs(isa, 'alwaysinline')} {{",
        "entry:",
        f"  %lo = fcmp ogt {t} {k(-104.0)}, %x",  # max_ps(-104, x): NaN passes
        f"  %x1 = select {b} %lo, {t} {k(-104.0)}, {t} %x",
        f"  %hi = fcmp olt {t} {k(89.0)}, %x1",  # min_ps(89, x1)
        f"  %x2 = select {b} %hi, {t} {k(89.0)}, {t} %x1",
        f"  %m = fmul {t} %x2, {k(1.44269504088896341)}",
        f"  %n = call {t} {rint}({t} %m)",
        f"  %nn = fneg {t} %n",
        f"  %r0 = call {t} {fma}({t} %nn, {t} {k(0.693359375)}, {t} %x2)",  # x = n ln2 + r
        f"  %r = call {t} {fma}({t} %nn, {t} {k(-2.12194440e-4)}, {t} %r0)",
    ]
    prev = k(1.9875691500e-4)  # e^r = 1 + r + r^2 p(r)
    for j, c in enumerate(_POLY):
        body.append(f"  %p{j} = call {t} {fma}({t} {prev}, {t} %r, {t} {k(float(c))})")
        prev = f"%p{j}"
    body += [
        f"  %rr = fmul {t} %r, %r",
        f"  %q = call {t} {fma}({t} {prev}, {t} %rr, {t} %r)",
        f"  %e = fadd {t} %q, {k(1.0)}",
        # 2^n = 2^k1 * 2^k2, both normal; a NaN lane converts 0 instead (fptosi of NaN is poison)
        f"  %isnan = fcmp uno {t} %n, %n",
        f"  %ns = select {b} %isnan, {t} zeroinitializer, {t} %n",
        f"  %kk = fptosi {t} %ns to {i}",
        f"  %k1 = ashr {i} %kk, {ki(1)}",
        f"  %k2 = sub {i} %kk, %k1",
        f"  %b1 = add {i} %k1, {ki(127)}",
        f"  %b2 = add {i} %k2, {ki(127)}",
        f"  %e1 = shl {i} %b1, {ki(23)}",
        f"  %e2 = shl {i} %b2, {ki(23)}",
        f"  %s1 = bitcast {i} %e1 to {t}",
        f"  %s2 = bitcast {i} %e2 to {t}",
        f"  %y1 = fmul {t} %e, %s1",
        f"  %y = fmul {t} %y1, %s2",
        f"  ret {t} %y",
        "}",
    ]
    mod.helpers[name] = "\n".join(body)
    return ref
