"""Rotary position embedding: from positions (rope, and its gradient: the rotation by
minus the angle), or from a table of cos/sin computed once per call (rope_table, then
rope_apply, which may also apply Qwen3's per-head QK-norm first)."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import f32
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import (
    Builder, general, lanes_for, new_builder, rms_scale, split_name, thread_rows, token_count, unit_split,
)


def _cos_sin(kb: KernelBuilder, pos: SSAValue, i: SSAValue, theta: float, n_rot: int) -> tuple[SSAValue, SSAValue]:
    """The f32 cos and sin of the angle of rotary pair i at position pos (an f64):
    pos * theta^(-2i/n_rot), computed in double precision."""
    from xdsl.dialects import math as xmath

    expo = kb.fdiv(kb.fmul(kb.f64(-2.0), kb.index_to_f64(i)), kb.f64(float(n_rot)))
    angle = kb.fmul(pos, kb.op(xmath.PowFOp(kb.f64(theta), expo)))
    return kb.truncf(kb.op(xmath.CosOp(angle)), f32), kb.truncf(kb.op(xmath.SinOp(angle)), f32)


def build_rotation(op: kn.RopeOp | kn.RopeBwdOp, name: str, isa: str, comment: str, src: str, dst: str,
                   inverse: bool) -> tuple[func.FuncOp, str]:
    """Rotate each (i, i + n_rot/2) pair (neox) or (2i, 2i+1) pair (norm) of every head by the
    token's angle pos * theta^(-2i/n_rot), computed in double precision; `inverse` rotates by
    minus the angle, which is rope's backward. Dimensions past n_rot pass through."""
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
            cos, sin = _cos_sin(kb, pos, i, theta, n_rot)
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


def build_rope_table(op: kn.RopeTableOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """table[t, i] = cos(pos_t * theta^(-2i/n_rot)), table[t, n_rot/2 + i] = the sin, in double
    precision (the same angles rope computes), once per call for every layer's ropes."""
    n_rot, theta = op.n_rot.value.data, op.theta.value.data
    half = n_rot // 2
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lo, hi, split = thread_rows(kb, op, token_count(kb, a["positions"]))

    def token(t: SSAValue) -> None:
        pos = kb.index_to_f64(kb.i32_to_index(kb.load(a["positions"], t)))

        def pair(i: SSAValue) -> None:
            cos, sin = _cos_sin(kb, pos, i, theta, n_rot)
            kb.store(cos, a["y"], t, i)
            kb.store(sin, a["y"], t, kb.add(i, kb.index(half)))

        kb.loop(0, half, pair, name="i")

    kb.loop(lo, hi, token, name="t")
    if split == "tokens":
        kb.touch("y", "w", "part:tokens")
    return kb.finish(), f"scalar, angles in double precision, split by {split}"


def build_rope_apply(op: kn.RopeApplyOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Each head of x: [RMS-normalized and scaled by `norm`], then each (i, i + n_rot/2)
    pair (neox; vectorized) or (2i, 2i+1) pair (norm style; scalar) rotated by the token's
    cos/sin from the table (or by minus the angle: `inverse`, rope's gradient); dimensions
    past n_rot pass through. Split by heads (whole
    groups of `group` heads, matching attention's kv-head split) or by tokens."""
    _, d = shape_of(op.x)
    hd, n_rot, neox = op.head_dim.value.data, op.n_rot.value.data, op.style.data == "neox"
    half = n_rot // 2
    group = op.group.value.data if op.group is not None else 1
    heads = d // hd
    units = heads // group
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    x, table, y = a["x"], a["table"], a["y"]
    lanes = lanes_for(kb.lanes, half) if neox else 1
    norm, inverse = op.norm is not None, op.inverse is not None
    split = split_name(op, "heads")
    n_tokens = token_count(kb, x)
    if split == "heads":
        u_lo, u_hi = unit_split(kb, units)
        h_lo, h_hi = kb.mul(u_lo, kb.index(group)), kb.mul(u_hi, kb.index(group))
        t_lo, t_hi = kb.index(0), n_tokens
        key = f"part:heads:{units}"
    else:
        h_lo, h_hi = kb.index(0), kb.index(heads)
        t_lo, t_hi = kb.split(n_tokens, a["tid"], a["nth"])
        key = "part:tokens"

    def token(t: SSAValue) -> None:
        def head(h: SSAValue) -> None:
            base = kb.mul(h, kb.index(hd))
            scale = None
            if norm:
                scale = rms_scale(kb, x, t, base, hd, op.eps.value.data, lanes_for(kb.lanes, hd))

            def value(i: SSAValue, n: int) -> SSAValue:  # x[t, base + i], normed when asked
                v = kb.vload(x, t, kb.add(base, i), lanes=n)
                if scale is None:
                    return v
                return kb.vmul(kb.vmul(v, kb.splat(scale, n)), kb.vload(a["norm_data"], i, lanes=n))

            def pair(i: SSAValue) -> None:
                if neox:
                    i0, i1 = i, kb.add(i, kb.index(half))
                else:
                    i0 = kb.mul(i, kb.index(2))
                    i1 = kb.add(i0, kb.index(1))
                x0, x1 = value(i0, lanes), value(i1, lanes)
                cos = kb.vload(table, t, i, lanes=lanes)
                sin = kb.vload(table, t, kb.add(i, kb.index(half)), lanes=lanes)
                if inverse:  # by minus the angle: sin negated
                    kb.vstore(kb.vadd(kb.vmul(x0, cos), kb.vmul(x1, sin)), y, t, kb.add(base, i0))
                    kb.vstore(kb.vsub(kb.vmul(x1, cos), kb.vmul(x0, sin)), y, t, kb.add(base, i1))
                else:
                    kb.vstore(kb.vsub(kb.vmul(x0, cos), kb.vmul(x1, sin)), y, t, kb.add(base, i0))
                    kb.vstore(kb.vadd(kb.vmul(x0, sin), kb.vmul(x1, cos)), y, t, kb.add(base, i1))

            kb.loop(0, half, pair, step=lanes, name="i")
            if n_rot < hd:
                kb.loop(n_rot, hd, lambda j: kb.vstore(value(j, 1), y, t, kb.add(base, j)), name="j")

        kb.loop(h_lo, h_hi, head, name="h")

    kb.loop(t_lo, t_hi, token, name="t")
    kb.touch("x", "r", key)
    kb.touch("y", "w", key)
    what = ("QK-norm, then " if norm else "") + f"{op.style.data} rotation{' by minus the angle' if inverse else ''} from the table"
    if neox:
        lanes_note = general(lanes, kb, f"n_rot/2={half}")
    else:  # adjacent pairs: no two vectors of the pair's halves to rotate against each other
        lanes_note = "1 lanes" + ("" if kb.lanes == 1 else " (scalar: norm style, pairs 2i, 2i+1 side by side)")
    return kb.finish(), f"{lanes_note}, {what}, split by {split}"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.RopeTableOp: ("rope_table", build_rope_table),
    kn.RopeApplyOp: ("rope_apply", build_rope_apply),
    kn.RopeOp: ("rope", build_rope),
    kn.RopeBwdOp: ("rope_bwd", build_rope_bwd),
}
