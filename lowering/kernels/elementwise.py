"""Elementwise kernels: the residual add, SwiGLU's silu(gate) * up, GPT-2's GELU, column slices
(q, k, v out of a fused projection), and their gradients."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue

from ck import reference as ref
from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.common import Builder, new_builder, token_count


def build_elementwise(op: kn.AddOp | kn.SiluMulOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y = lhs + rhs, or y = silu(gate) * up = gate / (1 + e^-gate) * up (simd.exp, also for
    the one-lane tail, so every element rounds alike); rows split across threads."""
    _, d = shape_of(op.operands[0])
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lhs, rhs, y = a[op.LHS], a[op.RHS], a["y"]
    lo, hi = kb.split(token_count(kb, lhs), a["tid"], a["nth"])
    silu = isinstance(op, kn.SiluMulOp)

    def token(t: SSAValue) -> None:
        def cols(c: SSAValue, n: int) -> None:  # n lanes: a vector, or one lane of the tail
            g, u = kb.vload(lhs, t, c, lanes=n), kb.vload(rhs, t, c, lanes=n)
            if silu:
                one, zero = kb.splat(kb.f32(1.0), n), kb.vzero_lanes(n)
                kb.vstore(kb.vmul(kb.vdiv(g, kb.vadd(one, kb.vexp(kb.vsub(zero, g)))), u), y, t, c)
            else:
                kb.vstore(kb.vadd(g, u), y, t, c)

        kb.blocked(0, kb.index(d), kb.lanes, cols, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{kb.lanes} lanes, split by token"


def build_silu_mul_bwd(op: kn.SiluMulBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y = g * sigmoid(g) * u:  dup = dy * g * s ;  dgate = dy * u * s * (1 + g * (1 - s)).
    Vectors, then one-lane vectors for the tail of a row; rows split across threads."""
    _, d = shape_of(op.dy)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    dy, gate, up, dgate, dup = a["dy"], a["gate"], a["up"], a["dgate"], a["dup"]
    lo, hi = kb.split(token_count(kb, dy), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def cols(c: SSAValue, n: int) -> None:  # n lanes: a vector, or one lane of the tail
            one, zero = kb.splat(kb.f32(1.0), n), kb.vzero_lanes(n)
            g, u, gy = (kb.vload(buf, t, c, lanes=n) for buf in (gate, up, dy))
            s = kb.vdiv(one, kb.vadd(one, kb.vexp(kb.vsub(zero, g))))
            kb.vstore(kb.vmul(gy, kb.vmul(g, s)), dup, t, c)
            ds = kb.vmul(s, kb.vadd(one, kb.vmul(g, kb.vsub(one, s))))
            kb.vstore(kb.vmul(kb.vmul(gy, u), ds), dgate, t, c)

        kb.blocked(0, kb.index(d), kb.lanes, cols, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{kb.lanes} lanes, split by token"


def build_gelu(op: kn.GeluOp | kn.GeluBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """gelu(x) = 0.5 x (1 + tanh(u)) = x * s with s = sigmoid(2u) = 1 / (1 + e^-2u),
    u = c (x + a x^3); the gradient: dx = dy * (s + x s (1 - s) 2c (1 + 3a x^2)).
    Vectors, then one-lane vectors for the tail of a row; rows split across threads."""
    _, d = shape_of(op.x)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    bwd = isinstance(op, kn.GeluBwdOp)
    x, out = a["x"], a["dx" if bwd else "y"]
    lo, hi = kb.split(token_count(kb, x), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def cols(c: SSAValue, n: int) -> None:
            one = kb.splat(kb.f32(1.0), n)
            xv = kb.vload(x, t, c, lanes=n)
            x2 = kb.vmul(xv, xv)
            inner = kb.vfma(kb.splat(kb.f32(ref.GELU_A), n), kb.vmul(x2, xv), xv)  # x + a x^3
            e = kb.vexp(kb.vmul(kb.splat(kb.f32(-2.0 * ref.GELU_C), n), inner))  # e^-2u
            if not bwd:
                kb.vstore(kb.vdiv(xv, kb.vadd(one, e)), out, t, c)
                return
            s = kb.vdiv(one, kb.vadd(one, e))
            slope = kb.vfma(kb.splat(kb.f32(3.0 * ref.GELU_A), n), x2, one)  # 1 + 3a x^2
            ds = kb.vmul(kb.vmul(s, kb.vsub(one, s)), kb.vmul(kb.splat(kb.f32(2.0 * ref.GELU_C), n), slope))
            grad = kb.vfma(xv, ds, s)
            kb.vstore(kb.vmul(kb.vload(a["dy"], t, c, lanes=n), grad), out, t, c)

        kb.blocked(0, kb.index(d), kb.lanes, cols, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{kb.lanes} lanes, split by token"


def build_slice(op: kn.SliceOp | kn.SliceBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """slice: y[t, :] = x[t, offset : offset + W]; slice_bwd: dx[t, :] = 0, then
    dx[t, offset : offset + W] = dy[t, :]. Rows split across threads."""
    bwd = isinstance(op, kn.SliceBwdOp)
    src_name, dst_name = ("dy", "dx") if bwd else ("x", "y")
    offset = op.offset.value.data
    width = shape_of(op.dy if bwd else op.outputs[0])[1]
    full = shape_of(op.outputs[0] if bwd else op.x)[1]
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    src, dst = a[src_name], a[dst_name]
    lo, hi = kb.split(token_count(kb, src), a["tid"], a["nth"])
    base = kb.index(offset)

    def token(t: SSAValue) -> None:
        if bwd:
            kb.blocked(0, kb.index(full), kb.lanes, lambda c, n: kb.vstore(kb.vzero_lanes(n), dst, t, c), name="d")

        def cols(c: SSAValue, n: int) -> None:
            wide = kb.add(base, c)
            if bwd:
                kb.vstore(kb.vload(src, t, c, lanes=n), dst, t, wide)
            else:
                kb.vstore(kb.vload(src, t, wide, lanes=n), dst, t, c)

        kb.blocked(0, kb.index(width), kb.lanes, cols, name="c")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{kb.lanes} lanes, columns [{offset}, {offset + width}) of {full}, split by token"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.GeluOp: ("gelu", build_gelu),
    kn.GeluBwdOp: ("gelu_bwd", build_gelu),
    kn.SliceOp: ("slice", build_slice),
    kn.SliceBwdOp: ("slice_bwd", build_slice),
    kn.AddOp: ("add", build_elementwise),
    kn.SiluMulOp: ("silu_mul", build_elementwise),
    kn.SiluMulBwdOp: ("silu_mul_bwd", build_silu_mul_bwd),
}
