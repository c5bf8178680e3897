"""RMSNorm over rows (and per head: QK-norm), LayerNorm (GPT-2), and their gradients."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import (
    Builder, column_split, dense, general, lanes_for, new_builder, rms_scale, scale_by_weight, thread_rows, token_count,
    zero_columns,
)
from ck.lowering.kernels.quantize import quantize_blocks


def build_rmsnorm(op: kn.RMSNormOp | kn.HeadRMSNormOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Per row (per head slice for head_rmsnorm): [sum = x + residual, stored], the RMS
    scale, y = x * scale * w, [y quantized to q8_0]. Rows split across threads, or all rows
    on every thread (split = replicate, into buffers of its own)."""
    _, d = shape_of(op.x)
    width = op.head_dim.value.data if isinstance(op, kn.HeadRMSNormOp) else d
    eps = op.eps.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, width)
    a = kb.args
    x, y, w = a["x"], a["y"], a["w_data"]
    residual = isinstance(op, kn.RMSNormOp) and op.residual is not None
    quantize = op.quantized_output
    lo, hi, split = thread_rows(kb, op, token_count(kb, x))

    def token(t: SSAValue) -> None:
        src = x
        if residual:  # the residual add, folded in: sum = x + residual, the stream goes on
            src = a["sum"]

            def add(c: SSAValue) -> None:
                kb.vstore(kb.vadd(kb.vload(x, t, c, lanes=lanes), kb.vload(a["residual"], t, c, lanes=lanes)), src, t, c)

            kb.loop(0, d, add, step=lanes, name="d")

        def head(h: SSAValue) -> None:
            start = kb.mul(h, kb.index(width))
            scale = rms_scale(kb, src, t, start, width, eps, lanes)
            scale_by_weight(kb, src, y, w, t, start, width, scale, lanes)

        kb.loop(0, d // width, head, name="h")
        if quantize:
            q_dtype = op.output_act_dtype
            quantize_blocks(kb, y, t, 0, d // kn.act_block(q_dtype), *(a[n] for n in kn.q8_names("y")), dtype=q_dtype)

    kb.loop(lo, hi, token, name="t")
    if split == "tokens":
        for arg in ("x", "residual"):
            if arg in a:
                kb.touch(arg, "r", "part:tokens")
        for out in op.output_names():
            kb.touch(out, "w", "part:tokens")
    extras = (", + residual" if residual else "") + (", quantized output" if quantize else "")
    dim = f"head_dim={width}" if isinstance(op, kn.HeadRMSNormOp) else f"width={width}"
    return kb.finish(), f"{general(lanes, kb, dim)}{extras}, split by {split}"


def build_rmsnorm_bwd(op: kn.RMSNormBwdOp | kn.HeadRMSNormBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y = x * r * w with r = 1/sqrt(mean(x^2) + eps), per row (or per head slice):

        dx = r * (dy * w) - x * r^3 / width * sum(dy * w * x)
        dw = sum over tokens (and heads) of dy * x * r

    dx is split by token; dw by feature column, each thread summing every token for
    its columns (recomputing r), so no two threads add into one dw element.
    """
    _, d = shape_of(op.x)
    width = op.head_dim.value.data if isinstance(op, kn.HeadRMSNormBwdOp) else d
    heads = d // width
    eps = op.eps.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, width)
    a = kb.args
    dy, x, w, dx, dw = a["dy"], a["x"], dense(kb, "w"), a["dx"], a["dw"]
    t_count = token_count(kb, x)

    # dx, by token
    lo, hi = kb.split(t_count, a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def head(h: SSAValue) -> None:
            start = kb.mul(h, kb.index(width))
            r = rms_scale(kb, x, t, start, width, eps, lanes)

            def dot(i: SSAValue, acc: SSAValue) -> list[SSAValue]:
                col = kb.add(start, i)
                gw = kb.vmul(kb.vload(dy, t, col, lanes=lanes), kb.vload(w, i, lanes=lanes))
                return [kb.vfma(gw, kb.vload(x, t, col, lanes=lanes), acc)]

            (acc,) = kb.loop(0, width, dot, step=lanes, carried=[kb.vzero_lanes(lanes)], name="d")
            coef = kb.fdiv(kb.fmul(kb.vsum(acc), kb.fmul(r, kb.fmul(r, r))), kb.f32(float(width)))
            r_v, neg_coef = kb.splat(r, lanes), kb.splat(kb.fsub(kb.f32(0.0), coef), lanes)

            def write(i: SSAValue) -> None:
                col = kb.add(start, i)
                gw = kb.vmul(kb.vload(dy, t, col, lanes=lanes), kb.vload(w, i, lanes=lanes))
                xv = kb.vload(x, t, col, lanes=lanes)
                kb.vstore(kb.vfma(neg_coef, xv, kb.vmul(r_v, gw)), dx, t, col)

            kb.loop(0, width, write, step=lanes, name="d")

        kb.loop(0, heads, head, name="h")

    kb.loop(lo, hi, token, name="t")

    # dw, by column: every token (and head) for this thread's columns
    c_lo, c_hi = column_split(kb, width, lanes)
    zero_columns(kb, dw, None, c_lo, c_hi, lanes)
    has_columns = kb.cmpi(c_lo, c_hi, "ult")
    t_end = kb.select(has_columns, t_count, kb.index(0))  # no columns: skip the r's

    def dw_token(t: SSAValue) -> None:
        def head(h: SSAValue) -> None:
            start = kb.mul(h, kb.index(width))
            r_v = kb.splat(rms_scale(kb, x, t, start, width, eps, lanes), lanes)

            def chunk(c: SSAValue) -> None:
                col = kb.add(start, c)
                gx = kb.vmul(kb.vload(dy, t, col, lanes=lanes), kb.vload(x, t, col, lanes=lanes))
                kb.vstore(kb.vfma(gx, r_v, kb.vload(dw, c, lanes=lanes)), dw, c)

            kb.loop(c_lo, c_hi, chunk, step=lanes, name="c")

        kb.loop(0, heads, head, name="h")

    kb.loop(0, t_end, dw_token, name="t")
    dim = f"head_dim={width}" if isinstance(op, kn.HeadRMSNormBwdOp) else f"width={width}"
    return kb.finish(), f"{general(lanes, kb, dim)}, dx split by token, dw split by column"


def _moments(kb: KernelBuilder, x: SSAValue, t: SSAValue, d: int, eps: float, lanes: int) -> tuple[SSAValue, SSAValue]:
    """The row's mean and r = 1/sqrt(var + eps), var = mean((x - mean)^2): two passes, as ggml_norm."""

    def total(i: SSAValue, acc: SSAValue) -> list[SSAValue]:
        return [kb.vadd(kb.vload(x, t, i, lanes=lanes), acc)]

    (acc,) = kb.loop(0, d, total, step=lanes, carried=[kb.vzero_lanes(lanes)], name="d")
    mean = kb.fdiv(kb.vsum(acc), kb.f32(float(d)))
    mean_v = kb.splat(mean, lanes)

    def squares(i: SSAValue, acc: SSAValue) -> list[SSAValue]:
        c = kb.vsub(kb.vload(x, t, i, lanes=lanes), mean_v)
        return [kb.vfma(c, c, acc)]

    (acc,) = kb.loop(0, d, squares, step=lanes, carried=[kb.vzero_lanes(lanes)], name="d")
    var = kb.fdiv(kb.vsum(acc), kb.f32(float(d)))
    return mean, kb.fdiv(kb.f32(1.0), kb.sqrt(kb.fadd(var, kb.f32(eps))))


def build_layernorm(op: kn.LayerNormOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Per row: mean, variance of x - mean, r = 1/sqrt(var + eps), y = (x - mean) * r * w + b.
    Rows split across threads."""
    _, d = shape_of(op.x)
    eps = op.eps.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, d)
    a = kb.args
    x, y, w, b = a["x"], a["y"], dense(kb, "w"), dense(kb, "b")
    lo, hi = kb.split(token_count(kb, x), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        mean, r = _moments(kb, x, t, d, eps, lanes)
        mean_v, r_v = kb.splat(mean, lanes), kb.splat(r, lanes)

        def write(i: SSAValue) -> None:
            xhat = kb.vmul(kb.vsub(kb.vload(x, t, i, lanes=lanes), mean_v), r_v)
            kb.vstore(kb.vfma(xhat, kb.vload(w, i, lanes=lanes), kb.vload(b, i, lanes=lanes)), y, t, i)

        kb.loop(0, d, write, step=lanes, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{general(lanes, kb, f'width={d}')}, split by tokens"


def build_layernorm_bwd(op: kn.LayerNormBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y = xhat * w + b with xhat = (x - mean) * r, r = 1/sqrt(var + eps), per row:

        dx = r * (g - mean(g) - xhat * mean(g * xhat))   with g = dy * w
        dw = sum over tokens of dy * xhat ;  db = sum over tokens of dy

    dx is split by token; dw and db by feature column, each thread summing every token for
    its columns (recomputing mean and r), so no two threads add into one element.
    """
    _, d = shape_of(op.x)
    eps = op.eps.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, d)
    a = kb.args
    dy, x, w, dx, dw, db = a["dy"], a["x"], dense(kb, "w"), a["dx"], a["dw"], a["db"]
    t_count = token_count(kb, x)
    inv_d = kb.f32(1.0 / d)

    lo, hi = kb.split(t_count, a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        mean, r = _moments(kb, x, t, d, eps, lanes)
        mean_v, r_v = kb.splat(mean, lanes), kb.splat(r, lanes)

        def at(i: SSAValue) -> tuple[SSAValue, SSAValue]:  # (g, xhat) at columns i..
            g = kb.vmul(kb.vload(dy, t, i, lanes=lanes), kb.vload(w, i, lanes=lanes))
            return g, kb.vmul(kb.vsub(kb.vload(x, t, i, lanes=lanes), mean_v), r_v)

        def sums(i: SSAValue, sg: SSAValue, sgx: SSAValue) -> list[SSAValue]:
            g, xhat = at(i)
            return [kb.vadd(g, sg), kb.vfma(g, xhat, sgx)]

        zero = kb.vzero_lanes(lanes)
        sg, sgx = kb.loop(0, d, sums, step=lanes, carried=[zero, zero], name="d")
        mean_g = kb.splat(kb.fmul(kb.vsum(sg), inv_d), lanes)
        neg_mean_gx = kb.splat(kb.fsub(kb.f32(0.0), kb.fmul(kb.vsum(sgx), inv_d)), lanes)

        def write(i: SSAValue) -> None:
            g, xhat = at(i)
            kb.vstore(kb.vmul(r_v, kb.vfma(xhat, neg_mean_gx, kb.vsub(g, mean_g))), dx, t, i)

        kb.loop(0, d, write, step=lanes, name="d")

    kb.loop(lo, hi, token, name="t")

    c_lo, c_hi = column_split(kb, d, lanes)
    zero_columns(kb, dw, None, c_lo, c_hi, lanes)
    zero_columns(kb, db, None, c_lo, c_hi, lanes)
    has_columns = kb.cmpi(c_lo, c_hi, "ult")
    t_end = kb.select(has_columns, t_count, kb.index(0))  # no columns: skip the moments

    def dw_token(t: SSAValue) -> None:
        mean, r = _moments(kb, x, t, d, eps, lanes)
        mean_v, r_v = kb.splat(mean, lanes), kb.splat(r, lanes)

        def chunk(c: SSAValue) -> None:
            g = kb.vload(dy, t, c, lanes=lanes)
            xhat = kb.vmul(kb.vsub(kb.vload(x, t, c, lanes=lanes), mean_v), r_v)
            kb.vstore(kb.vfma(g, xhat, kb.vload(dw, c, lanes=lanes)), dw, c)
            kb.vstore(kb.vadd(g, kb.vload(db, c, lanes=lanes)), db, c)

        kb.loop(c_lo, c_hi, chunk, step=lanes, name="c")

    kb.loop(0, t_end, dw_token, name="t")
    return kb.finish(), f"{general(lanes, kb, f'width={d}')}, dx split by token, dw and db split by column"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.LayerNormOp: ("layernorm", build_layernorm),
    kn.LayerNormBwdOp: ("layernorm_bwd", build_layernorm_bwd),
    kn.RMSNormOp: ("rmsnorm", build_rmsnorm),
    kn.HeadRMSNormOp: ("head_rmsnorm", build_rmsnorm),
    kn.RMSNormBwdOp: ("rmsnorm_bwd", build_rmsnorm_bwd),
    kn.HeadRMSNormBwdOp: ("head_rmsnorm_bwd", build_rmsnorm_bwd),
}
