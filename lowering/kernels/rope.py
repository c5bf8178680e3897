"""Rotary position embedding and its gradient (the rotation by minus the angle)."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import f32
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.common import Builder, new_builder, token_count


def build_rotation(op: kn.RopeOp | kn.RopeBwdOp, name: str, isa: str, comment: str, src: str, dst: str,
                   inverse: bool) -> tuple[func.FuncOp, str]:
    """Rotate each (i, i + n_rot/2) pair (neox) or (2i, 2i+1) pair (norm) of every head by the
    token's angle pos * theta^(-2i/n_rot), computed in double precision; `inverse` rotates by
    minus the angle, which is rope's backward. Dimensions past n_rot pass through."""
    from xdsl.dialects import math as xmath

    _, d = shape_of(op.operands[0])
    hd, n_rot = op.head_dim.value.data, op.n_rot.value.data
    theta, neox = op.theta.value.data, op.style.data == "neox"
    half = n_rot // 2
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    x, y = a[src], a[dst]
    lo, hi = kb.split(token_count(kb, x), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        pos = kb.index_to_f64(kb.i32_to_index(kb.load(a["positions"], t)))

        def pair(i: SSAValue) -> None:
            expo = kb.fdiv(kb.fmul(kb.f64(-2.0), kb.index_to_f64(i)), kb.f64(float(n_rot)))
            angle = kb.fmul(pos, kb.op(xmath.PowFOp(kb.f64(theta), expo)))
            cos = kb.truncf(kb.op(xmath.CosOp(angle)), f32)
            sin = kb.truncf(kb.op(xmath.SinOp(angle)), f32)
            if inverse:
                sin = kb.fsub(kb.f32(0.0), sin)

            def head(h: SSAValue) -> None:
                base = kb.mul(h, kb.index(hd))
                if neox:
                    i0, i1 = kb.add(base, i), kb.add(base, kb.add(i, kb.index(half)))
                else:
                    two_i = kb.mul(i, kb.index(2))
                    i0, i1 = kb.add(base, two_i), kb.add(base, kb.add(two_i, kb.index(1)))
                x0, x1 = kb.load(x, t, i0), kb.load(x, t, i1)
                kb.store(kb.fsub(kb.fmul(x0, cos), kb.fmul(x1, sin)), y, t, i0)
                kb.store(kb.fadd(kb.fmul(x0, sin), kb.fmul(x1, cos)), y, t, i1)

            kb.loop(0, d // hd, head, name="h")

        kb.loop(0, half, pair, name="i")
        if n_rot < hd:

            def rest(h: SSAValue) -> None:
                base = kb.mul(h, kb.index(hd))

                def copy(j: SSAValue) -> None:
                    col = kb.add(base, j)
                    kb.store(kb.load(x, t, col), y, t, col)

                kb.loop(n_rot, hd, copy, name="j")

            kb.loop(0, d // hd, rest, name="h")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), "scalar (angles in double precision)"



def build_rope(op: kn.RopeOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    return build_rotation(op, name, isa, comment, "x", "y", inverse=False)



def build_rope_bwd(op: kn.RopeBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """rope's backward is the rotation by minus the angle: dx0 = dy0 cos + dy1 sin, dx1 = dy1 cos - dy0 sin."""
    return build_rotation(op, name, isa, comment, "dy", "dx", inverse=True)


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.RopeOp: ("rope", build_rope),
    kn.RopeBwdOp: ("rope_bwd", build_rope_bwd),
}
