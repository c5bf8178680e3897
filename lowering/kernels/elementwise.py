"""Elementwise kernels: the residual add and SwiGLU's silu(gate) * up, with its gradient."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.common import Builder, lanes_for, new_builder, token_count


def build_elementwise(op: kn.AddOp | kn.SiluMulOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    _, d = shape_of(op.operands[0])
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lhs, rhs, y = a[op.LHS], a[op.RHS], a["y"]
    lo, hi = kb.split(token_count(kb, lhs), a["tid"], a["nth"])
    silu = isinstance(op, kn.SiluMulOp)
    lanes = 1 if silu else lanes_for(kb.lanes, d)

    def token(t: SSAValue) -> None:
        def col(c: SSAValue) -> None:
            if silu:  # y = g / (1 + exp(-g)) * u
                g, u = kb.load(lhs, t, c), kb.load(rhs, t, c)
                e = kb.exp(kb.fsub(kb.f32(0.0), g))
                kb.store(kb.fmul(kb.fdiv(g, kb.fadd(kb.f32(1.0), e)), u), y, t, c)
            else:
                kb.vstore(kb.vadd(kb.vload(lhs, t, c, lanes=lanes), kb.vload(rhs, t, c, lanes=lanes)), y, t, c)

        kb.loop(0, d, col, step=lanes, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{lanes} lanes"



def build_silu_mul_bwd(op: kn.SiluMulBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y = g * sigmoid(g) * u:  dup = dy * g * s ;  dgate = dy * u * s * (1 + g * (1 - s)).
    Scalar (a division per element), split by token."""
    _, d = shape_of(op.dy)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    dy, gate, up, dgate, dup = a["dy"], a["gate"], a["up"], a["dgate"], a["dup"]
    lo, hi = kb.split(token_count(kb, dy), a["tid"], a["nth"])
    one = kb.f32(1.0)

    def token(t: SSAValue) -> None:
        def col(c: SSAValue) -> None:
            g, u, gy = kb.load(gate, t, c), kb.load(up, t, c), kb.load(dy, t, c)
            s = kb.fdiv(one, kb.fadd(one, kb.exp(kb.fsub(kb.f32(0.0), g))))
            kb.store(kb.fmul(gy, kb.fmul(g, s)), dup, t, c)
            ds = kb.fmul(s, kb.fadd(one, kb.fmul(g, kb.fsub(one, s))))
            kb.store(kb.fmul(kb.fmul(gy, u), ds), dgate, t, c)

        kb.loop(0, d, col, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), "scalar, split by token"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.AddOp: ("add", build_elementwise),
    kn.SiluMulOp: ("silu_mul", build_elementwise),
    kn.SiluMulBwdOp: ("silu_mul_bwd", build_silu_mul_bwd),
}
