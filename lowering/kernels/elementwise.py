"""Elementwise kernels: the residual add and SwiGLU's silu(gate) * up, with its gradient."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue

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


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.AddOp: ("add", build_elementwise),
    kn.SiluMulOp: ("silu_mul", build_elementwise),
    kn.SiluMulBwdOp: ("silu_mul_bwd", build_silu_mul_bwd),
}
