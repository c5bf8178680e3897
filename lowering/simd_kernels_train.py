"""Training kernels at the simd level: backward passes, the loss, the optimizer step,
and forward attention without a KV cache.

Same conventions as `simd_kernels.py`: each builder gets the destination-passing
kernel op, a function name, the ISA and a comment, and returns the `func.func`
(arguments: the op's buffers from `kernel_args`, then `tid`, `nth`) with a variant
description. Every thread of the pool runs the function with its own (tid, nth) and a
barrier follows, so each builder splits its work into pieces that one thread owns
exclusively:

    matmul_dx          dx rows (tokens)
    matmul_dw          dw rows (N)
    rmsnorm_bwd        dx over tokens; dw (a sum over tokens) over feature columns,
    head_rmsnorm_bwd   each thread summing all tokens (and heads) for its columns
    rope_bwd           tokens
    attention          kv heads (and the query heads that read them)
    attention_bwd      kv heads: dk, dv of the kv head, dq of the query heads in its group
    silu_mul_bwd       tokens
    embedding_bwd      feature columns, so scatter-adds of repeated tokens never collide
    softmax_xent       dlogits rows; thread 0 alone also sums the (scalar) loss
    adamw              the flat element range of the parameter

This module registers its builders in `simd_kernels.BUILDERS` when imported (the
import at the bottom of simd_kernels.py), whichever of the two modules is imported
first.
"""

from __future__ import annotations

from xdsl.dialects import arith, func
from xdsl.dialects import math as xmath
from xdsl.dialects.builtin import MemRefType, f32, f64, i64
from xdsl.ir import SSAValue
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import simd
from ck.dialects.types import WeightType, shape_of
from ck.lowering.simd_builder import KernelBuilder
from ck.lowering.simd_kernels import (
    BUILDERS,
    Builder,
    _dequant_row,
    _lanes_for,
    _rms_scale,
    _tokens,
    attend_row,
    build_attention,
    build_rotation,
    dot_rows,
    new_builder,
)

# ----------------------------------------------------------------------------- helpers


def _cmpi(kb: KernelBuilder, a: SSAValue, b: SSAValue, pred: str) -> SSAValue:
    return kb.op(arith.CmpiOp(a, b, pred))


def _select(kb: KernelBuilder, cond: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
    return kb.op(arith.SelectOp(cond, a, b))


def _sub(kb: KernelBuilder, a: SSAValue, b: SSAValue) -> SSAValue:
    return kb.op(arith.SubiOp(a, b))


def _min(kb: KernelBuilder, a: SSAValue, b: SSAValue) -> SSAValue:
    return kb.op(arith.MinSIOp(a, b))


def _max(kb: KernelBuilder, a: SSAValue, b: SSAValue) -> SSAValue:
    return kb.op(arith.MaxSIOp(a, b))


def _rem(kb: KernelBuilder, a: SSAValue, b: SSAValue) -> SSAValue:
    return kb.op(arith.RemUIOp(a, b))


def _log(kb: KernelBuilder, x: SSAValue) -> SSAValue:
    return kb.op(xmath.LogOp(x))


def _index_to_f32(kb: KernelBuilder, x: SSAValue) -> SSAValue:
    return kb.op(arith.SIToFPOp(kb.op(arith.IndexCastOp(x, i64)), f32))


def _vexp(kb: KernelBuilder, v: SSAValue) -> SSAValue:
    return kb.op(simd.ExpOp(v))


def _vmax(kb: KernelBuilder, a: SSAValue, b: SSAValue) -> SSAValue:
    return kb.op(simd.MaxOp(a, b))


def _column_split(kb: KernelBuilder, width: int, lanes: int) -> tuple[SSAValue, SSAValue]:
    """This thread's columns [lo, hi) of range(width), whole vectors of `lanes` each."""
    lo, hi = kb.split(kb.index(width // lanes), kb.args["tid"], kb.args["nth"])
    return kb.mul(lo, kb.index(lanes)), kb.mul(hi, kb.index(lanes))


def _zero_columns(
    kb: KernelBuilder, buf: SSAValue, rows: SSAValue | None, lo: SSAValue | int, hi: SSAValue | int, lanes: int
) -> None:
    """buf[r, lo:hi] = 0 for every row r (or buf[lo:hi] = 0 when rows is None)."""

    def cols(r: SSAValue | None) -> None:
        def chunk(c: SSAValue) -> None:
            kb.vstore(kb.vzero_lanes(lanes), buf, *([r] if r is not None else []), c)

        kb.loop(lo, hi, chunk, step=lanes, name="c")

    if rows is None:
        cols(None)
    else:
        kb.loop(0, rows, cols, name="r")


def _weight_dtype(w: SSAValue) -> str:
    return w.type.storage if isinstance(w.type, WeightType) else "f32"


def _dense(kb: KernelBuilder, name: str) -> SSAValue:
    """A dense weight argument: `<name>` for an f32 memref (trainable), else `<name>_data`."""
    return kb.args[name] if name in kb.args else kb.args[f"{name}_data"]


def _weight_vec(kb: KernelBuilder, name: str, row: SSAValue, k: SSAValue, dtype: str, lanes: int) -> SSAValue:
    """w[row, k .. k+lanes) as f32, for a trainable f32 memref or any packed weight."""
    if dtype == "q8_0":
        return _dequant_row(kb, name, row, k, dtype, lanes)
    return kb.to_f32(kb.vload(_dense(kb, name), row, k, lanes=lanes))


def _general(lanes: int, kb: KernelBuilder, what: str) -> str:
    return f"{lanes} lanes" + ("" if lanes == kb.lanes else f" (general: {what} not a multiple of {kb.lanes})")


# ----------------------------------------------------------------------------- matmul


def build_matmul_dx(op: kn.MatmulDxOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dx[t, :] = sum_n dy[t, n] * w[n, :], one register accumulator per K chunk; split by tokens."""
    n, k = shape_of(op.w)
    dtype = _weight_dtype(op.w)
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, k)
    a = kb.args
    dy, dx = a["dy"], a["dx"]
    lo, hi = kb.split(_tokens(kb, dy), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def chunk(c: SSAValue) -> None:
            def row(r: SSAValue, acc: SSAValue) -> list[SSAValue]:
                g = kb.splat(kb.load(dy, t, r), lanes)
                return [kb.vfma(g, _weight_vec(kb, "w", r, c, dtype, lanes), acc)]

            (acc,) = kb.loop(0, n, row, carried=[kb.vzero_lanes(lanes)], name="n")
            kb.vstore(acc, dx, t, c)

        kb.loop(0, k, chunk, step=lanes, name="k")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), _general(lanes, kb, f"K={k}") + ", split by token"


def build_matmul_dw(op: kn.MatmulDwOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dw[n, :] (+)= sum_t dy[t, n] * x[t, :]; split by rows n of dw."""
    n, k = shape_of(op.outs[0])
    accumulate = op.accumulate is not None
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, k)
    a = kb.args
    dy, x, dw = a["dy"], a["x"], a["dw"]
    lo, hi = kb.split(kb.index(n), a["tid"], a["nth"])
    t_count = _tokens(kb, dy)

    def row(r: SSAValue) -> None:
        def chunk(c: SSAValue) -> None:
            def token(t: SSAValue, acc: SSAValue) -> list[SSAValue]:
                g = kb.splat(kb.load(dy, t, r), lanes)
                return [kb.vfma(g, kb.vload(x, t, c, lanes=lanes), acc)]

            init = kb.vload(dw, r, c, lanes=lanes) if accumulate else kb.vzero_lanes(lanes)
            (acc,) = kb.loop(0, t_count, token, carried=[init], name="t")
            kb.vstore(acc, dw, r, c)

        kb.loop(0, k, chunk, step=lanes, name="k")

    kb.loop(lo, hi, row, name="n")
    mode = "dw += dy^T x" if accumulate else "dw = dy^T x"
    return kb.finish(), _general(lanes, kb, f"K={k}") + f", {mode}, split by row of dw"


# ----------------------------------------------------------------------------- rmsnorm


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
    lanes = _lanes_for(kb.lanes, width)
    a = kb.args
    dy, x, w, dx, dw = a["dy"], a["x"], _dense(kb, "w"), a["dx"], a["dw"]
    t_count = _tokens(kb, x)

    # dx, by token
    lo, hi = kb.split(t_count, a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def head(h: SSAValue) -> None:
            start = kb.mul(h, kb.index(width))
            r = _rms_scale(kb, x, t, start, width, eps, lanes)

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
    c_lo, c_hi = _column_split(kb, width, lanes)
    _zero_columns(kb, dw, None, c_lo, c_hi, lanes)
    has_columns = _cmpi(kb, c_lo, c_hi, "ult")
    t_end = _select(kb, has_columns, t_count, kb.index(0))  # no columns: skip the r's

    def dw_token(t: SSAValue) -> None:
        def head(h: SSAValue) -> None:
            start = kb.mul(h, kb.index(width))
            r_v = kb.splat(_rms_scale(kb, x, t, start, width, eps, lanes), lanes)

            def chunk(c: SSAValue) -> None:
                col = kb.add(start, c)
                gx = kb.vmul(kb.vload(dy, t, col, lanes=lanes), kb.vload(x, t, col, lanes=lanes))
                kb.vstore(kb.vfma(gx, r_v, kb.vload(dw, c, lanes=lanes)), dw, c)

            kb.loop(c_lo, c_hi, chunk, step=lanes, name="c")

        kb.loop(0, heads, head, name="h")

    kb.loop(0, t_end, dw_token, name="t")
    return kb.finish(), f"{lanes} lanes, dx split by token, dw split by column"


# ----------------------------------------------------------------------------- rope


def build_rope_bwd(op: kn.RopeBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """rope's backward is the rotation by minus the angle: dx0 = dy0 cos + dy1 sin, dx1 = dy1 cos - dy0 sin."""
    return build_rotation(op, name, isa, comment, "dy", "dx", inverse=True)


def build_silu_mul_bwd(op: kn.SiluMulBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y = g * sigmoid(g) * u:  dup = dy * g * s ;  dgate = dy * u * s * (1 + g * (1 - s)).
    Scalar (a division per element), split by token."""
    _, d = shape_of(op.dy)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    dy, gate, up, dgate, dup = a["dy"], a["gate"], a["up"], a["dgate"], a["dup"]
    lo, hi = kb.split(_tokens(kb, dy), a["tid"], a["nth"])
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


# ----------------------------------------------------------------------------- embedding


def build_embedding_bwd(op: kn.EmbeddingBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dtable[tokens[t], :] += dy[t, :] (after zeroing dtable unless `accumulate`).
    Split by feature column: repeated tokens add into the same row, never the same element
    from two threads."""
    _, d = shape_of(op.dy)
    accumulate = op.accumulate is not None
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, d)
    a = kb.args
    dy, tokens, dtable = a["dy"], a["tokens"], a["dtable"]
    c_lo, c_hi = _column_split(kb, d, lanes)
    if not accumulate:
        _zero_columns(kb, dtable, kb.dim(dtable, 0), c_lo, c_hi, lanes)

    def token(t: SSAValue) -> None:
        row = kb.i32_to_index(kb.load(tokens, t))

        def chunk(c: SSAValue) -> None:
            total = kb.vadd(kb.vload(dtable, row, c, lanes=lanes), kb.vload(dy, t, c, lanes=lanes))
            kb.vstore(total, dtable, row, c)

        kb.loop(c_lo, c_hi, chunk, step=lanes, name="c")

    kb.loop(0, _tokens(kb, dy), token, name="t")
    mode = "dtable +=" if accumulate else "dtable ="
    return kb.finish(), f"{lanes} lanes, {mode} scatter-add, split by column"


# ----------------------------------------------------------------------------- softmax + cross-entropy


def _row_max_and_sum(kb: KernelBuilder, logits: SSAValue, t: SSAValue, v: int, lanes: int) -> tuple[SSAValue, SSAValue]:
    """(max_j z[t, j], sum_j exp(z[t, j] - max)) of one row of logits."""

    def top(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
        return [_vmax(kb, acc, kb.vload(logits, t, c, lanes=lanes))]

    (m_v,) = kb.loop(0, v, top, step=lanes, carried=[kb.splat(kb.f32(float("-inf")), lanes)], name="v")
    m = kb.op(simd.ReduceOp("max", m_v))
    m_s = kb.splat(m, lanes)

    def total(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
        return [kb.vadd(acc, _vexp(kb, kb.vsub(kb.vload(logits, t, c, lanes=lanes), m_s)))]

    (s_v,) = kb.loop(0, v, total, step=lanes, carried=[kb.vzero_lanes(lanes)], name="v")
    return m, kb.vsum(s_v)


def build_softmax_xent(op: kn.SoftmaxXentOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dlogits[t] = (softmax(z[t]) - onehot(target[t])) / T, split by row; thread 0 alone
    sums loss = mean_t (logsumexp(z[t]) - z[t, target[t]]) over every row (a scalar has
    one writer)."""
    _, v = shape_of(op.logits)
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, v)
    a = kb.args
    logits, targets, loss, dlogits = a["logits"], a["targets"], a["loss"], a["dlogits"]
    t_count = _tokens(kb, logits)
    inv_t = kb.fdiv(kb.f32(1.0), _index_to_f32(kb, t_count))
    lo, hi = kb.split(t_count, a["tid"], a["nth"])

    def row(t: SSAValue) -> None:
        m, s = _row_max_and_sum(kb, logits, t, v, lanes)
        m_s, scale = kb.splat(m, lanes), kb.splat(kb.fdiv(inv_t, s), lanes)

        def write(c: SSAValue) -> None:
            p = _vexp(kb, kb.vsub(kb.vload(logits, t, c, lanes=lanes), m_s))
            kb.vstore(kb.vmul(p, scale), dlogits, t, c)

        kb.loop(0, v, write, step=lanes, name="v")
        target = kb.i32_to_index(kb.load(targets, t))
        kb.store(kb.fsub(kb.load(dlogits, t, target), inv_t), dlogits, t, target)

    kb.loop(lo, hi, row, name="t")

    def total_loss() -> None:
        def nll(t: SSAValue, acc: SSAValue) -> list[SSAValue]:
            m, s = _row_max_and_sum(kb, logits, t, v, lanes)
            z = kb.load(logits, t, kb.i32_to_index(kb.load(targets, t)))
            return [kb.fadd(acc, kb.fsub(kb.fadd(m, _log(kb, s)), z))]

        (acc,) = kb.loop(0, t_count, nll, carried=[kb.f32(0.0)], name="t")
        kb.store(kb.fmul(acc, inv_t), loss)

    kb.if_(_cmpi(kb, a["tid"], kb.index(0), "eq"), total_loss)
    return kb.finish(), f"{lanes} lanes, dlogits split by row, loss on thread 0"


# ----------------------------------------------------------------------------- adamw


def build_adamw(op: kn.AdamWOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """One AdamW step in place over param, m, v (see kernel.adamw); the flat element
    range is split across threads. Scalar (a square root and a division per element).
    The hyperparameters are run-time arguments (the f32 scalars lr, beta1, beta2, eps,
    weight_decay after the i64 step), so one compiled kernel serves any schedule;
    1 - beta is computed in f32, the bias corrections 1 / (1 - beta^step) in double."""
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    # param, m, v name the outs arguments: the same buffers as the inputs (updated in place)
    param, grad, m, v = a["param"], a["grad"], a["m"], a["v"]
    typ = param.type
    assert isinstance(typ, MemRefType)
    rank = len(typ.get_shape())
    dims = [kb.dim(param, i) for i in range(rank)]
    inner = dims[-1] if rank else kb.index(1)
    rows = kb.index(1)
    for size in dims[:-1]:
        rows = kb.mul(rows, size)

    step = kb.op(arith.SIToFPOp(a["step"], f64))

    def inv_correction(beta: SSAValue) -> SSAValue:  # 1 / (1 - beta^step), beta in f32
        power = kb.op(xmath.PowFOp(kb.extf(beta, f64), step))
        return kb.truncf(kb.fdiv(kb.f64(1.0), kb.fsub(kb.f64(1.0), power)), f32)

    b1, b2 = a["beta1"], a["beta2"]
    inv_bc1, inv_bc2 = inv_correction(b1), inv_correction(b2)
    one_b1, one_b2 = kb.fsub(kb.f32(1.0), b1), kb.fsub(kb.f32(1.0), b2)
    lr, eps, wd = a["lr"], a["eps"], a["weight_decay"]

    lo, hi = kb.split(kb.mul(rows, inner), a["tid"], a["nth"])
    row_lo = kb.div(lo, inner)
    row_hi = kb.div(kb.add(hi, _sub(kb, inner, kb.index(1))), inner)

    def row(r: SSAValue) -> None:
        base = kb.mul(r, inner)
        c_lo = _sub(kb, _max(kb, lo, base), base)
        c_hi = _sub(kb, _min(kb, hi, kb.add(base, inner)), base)
        lead: list[SSAValue] = []  # r as indices into the leading dimensions
        rest = r
        for size in reversed(dims[1:-1]):
            lead.insert(0, _rem(kb, rest, size))
            rest = kb.div(rest, size)
        if rank > 1:
            lead.insert(0, rest)

        def element(c: SSAValue) -> None:
            at = [*lead, c] if rank else []
            p, g = kb.load(param, *at), kb.load(grad, *at)
            m_new = kb.fadd(kb.fmul(b1, kb.load(m, *at)), kb.fmul(one_b1, g))
            v_new = kb.fadd(kb.fmul(b2, kb.load(v, *at)), kb.fmul(one_b2, kb.fmul(g, g)))
            denom = kb.fadd(kb.sqrt(kb.fmul(v_new, inv_bc2)), eps)
            update = kb.fadd(kb.fdiv(kb.fmul(m_new, inv_bc1), denom), kb.fmul(wd, p))
            kb.store(m_new, m, *at)
            kb.store(v_new, v, *at)
            kb.store(kb.fsub(p, kb.fmul(lr, update)), param, *at)

        kb.loop(c_lo, c_hi, element, name="c")

    kb.loop(row_lo, row_hi, row, name="r")
    return kb.finish(), "scalar, split by flat element range"


# ----------------------------------------------------------------------------- attention


def _heads(op: kn.AttentionOp | kn.AttentionBwdOp) -> tuple[int, int, int, int, float]:
    hq, hkv, hd = op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data
    return hq, hkv, hd, hq // hkv, op.scale.value.data


def _axpy(kb: KernelBuilder, coef: SSAValue, src: tuple[SSAValue, ...], dst: tuple[SSAValue, ...], lanes: int) -> None:
    """dst[row, col ..] += coef * src[row, col ..] for (buffer, row, col) triples, one vector."""
    total = kb.vfma(coef, kb.vload(*src, lanes=lanes), kb.vload(*dst, lanes=lanes))
    kb.vstore(total, *dst)


def _key_range(kb: KernelBuilder, op: kn.AttentionOp | kn.AttentionBwdOp, t: SSAValue, n_tokens: SSAValue) -> tuple[SSAValue, SSAValue]:
    """Rows the query row t may attend to: all rows, or with `seq_len` L only its own sequence
    [t - t % L, t - t % L + L) (a batch of sequences laid out row after row)."""
    if op.seq_len is None:
        return kb.index(0), n_tokens
    length = kb.index(op.seq_len.value.data)
    start = _sub(kb, t, _rem(kb, t, length))
    return start, _min(kb, kb.add(start, length), n_tokens)


def _visible(kb: KernelBuilder, pos: SSAValue, s: SSAValue, p: SSAValue) -> SSAValue:
    """Key s is visible to a query at position p: positions[s] <= p (causal by position)."""
    return _cmpi(kb, kb.load(pos, s), p, "sle")


def build_attention_nocache(op: kn.AttentionOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Causal GQA of q over the T keys k, v themselves (training: no KV cache). Query t
    sees key s when positions[s] <= positions[t]; one online-softmax pass per (query,
    head). Split by kv head, as the cached kernel."""
    if op.variant.data != "prefill":
        raise PassFailedException("kernel.attention: decode attention needs the KV cache (kv_slot)")
    hq, hkv, hd, group, scale = _heads(op)
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, hd)
    a = kb.args
    q, k, v, pos, y = a["q"], a["k"], a["v"], a["positions"], a["y"]
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = _tokens(kb, q)

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))

        def q_head(j: SSAValue) -> None:
            q_base = kb.mul(kb.add(kb.mul(g, kb.index(group)), j), kb.index(hd))

            def token(t: SSAValue) -> None:
                p = kb.load(pos, t)
                s_lo, s_hi = _key_range(kb, op, t, n_tokens)
                attend_row(kb, q, t, q_base, k, v, kv_base, y, hd, scale, lanes, s_lo, s_hi,
                           lambda s: _visible(kb, pos, s, p))

            kb.loop(0, n_tokens, token, name="t")

        kb.loop(0, group, q_head, name="j")

    kb.loop(lo, hi, kv_head, name="g")
    return kb.finish(), f"{lanes} lanes, no KV cache (causal by position), online softmax, split by kv head"


def build_attention_bwd(op: kn.AttentionBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Gradients of causal GQA without a cache (masking as build_attention_nocache).

    Per (query head, query t), with P = softmax(scale q k^T) over the visible keys:
      pass 1 (online softmax): the row's max, sum, and D = sum_s P[s] (dout . v_s);
      pass 2: dS = P (dout . v_s - D), then dq_t += scale dS k_s,
              dk_s += scale dS q_t, dv_s += P dout_t.
    Split by kv head: a thread owns dk, dv of its kv heads and dq of the query heads in
    their groups.
    """
    hq, hkv, hd, group, scale = _heads(op)
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, hd)
    a = kb.args
    dout, q, k, v, pos = a["dout"], a["q"], a["k"], a["v"], a["positions"]
    dq, dk, dv = a["dq"], a["dk"], a["dv"]
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = _tokens(kb, q)
    scale_c = kb.f32(scale)

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))

        def zero(s: SSAValue) -> None:
            def chunk(c: SSAValue) -> None:
                col = kb.add(kv_base, c)
                kb.vstore(kb.vzero_lanes(lanes), dk, s, col)
                kb.vstore(kb.vzero_lanes(lanes), dv, s, col)

            kb.loop(0, hd, chunk, step=lanes, name="c")

        kb.loop(0, n_tokens, zero, name="s")

        def q_head(j: SSAValue) -> None:
            q_base = kb.mul(kb.add(kb.mul(g, kb.index(group)), j), kb.index(hd))

            def token(t: SSAValue) -> None:
                p = kb.load(pos, t)

                def stats(s: SSAValue, m: SSAValue, l: SSAValue, d: SSAValue) -> list[SSAValue]:
                    def attend() -> list[SSAValue]:
                        score = kb.fmul(dot_rows(kb, q, t, q_base, k, s, kv_base, hd, lanes), scale_c)
                        dp = dot_rows(kb, dout, t, q_base, v, s, kv_base, hd, lanes)
                        m_new = kb.fmax(m, score)
                        corr = kb.exp(kb.fsub(m, m_new))
                        w = kb.exp(kb.fsub(score, m_new))
                        return [m_new, kb.fadd(kb.fmul(l, corr), w), kb.fadd(kb.fmul(d, corr), kb.fmul(w, dp))]

                    return kb.if_(_visible(kb, pos, s, p), attend, lambda: [m, l, d], [f32, f32, f32])

                zero_f = kb.f32(0.0)
                s_lo, s_hi = _key_range(kb, op, t, n_tokens)
                m, l, d = kb.loop(s_lo, s_hi, stats, carried=[kb.f32(float("-inf")), zero_f, zero_f], name="s")
                lse = kb.fadd(m, _log(kb, l))
                big_d = kb.fdiv(d, l)

                def zero_dq(c: SSAValue) -> None:
                    kb.vstore(kb.vzero_lanes(lanes), dq, t, kb.add(q_base, c))

                kb.loop(0, hd, zero_dq, step=lanes, name="c")

                def grads(s: SSAValue) -> None:
                    def attend() -> None:
                        score = kb.fmul(dot_rows(kb, q, t, q_base, k, s, kv_base, hd, lanes), scale_c)
                        dp = dot_rows(kb, dout, t, q_base, v, s, kv_base, hd, lanes)
                        prob = kb.exp(kb.fsub(score, lse))
                        ds = kb.fmul(scale_c, kb.fmul(prob, kb.fsub(dp, big_d)))
                        ds_v, p_v = kb.splat(ds, lanes), kb.splat(prob, lanes)

                        def chunk(c: SSAValue) -> None:
                            qcol, kcol = kb.add(q_base, c), kb.add(kv_base, c)
                            _axpy(kb, ds_v, (k, s, kcol), (dq, t, qcol), lanes)  # dq_t += scale dS k_s
                            _axpy(kb, ds_v, (q, t, qcol), (dk, s, kcol), lanes)  # dk_s += scale dS q_t
                            _axpy(kb, p_v, (dout, t, qcol), (dv, s, kcol), lanes)  # dv_s += P dout_t

                        kb.loop(0, hd, chunk, step=lanes, name="c")
                        return None

                    kb.if_(_visible(kb, pos, s, p), attend)

                kb.loop(s_lo, s_hi, grads, name="s")

            kb.loop(0, n_tokens, token, name="t")

        kb.loop(0, group, q_head, name="j")

    kb.loop(lo, hi, kv_head, name="g")
    return kb.finish(), f"{lanes} lanes, two passes per (query, head), split by kv head"


# ----------------------------------------------------------------------------- registration

def build_attention_any(op: kn.AttentionOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """kernel.attention: over the KV cache when the op has one, else over its own k, v."""
    if op.k_cache is None:
        return build_attention_nocache(op, name, isa, comment)
    return build_attention(op, name, isa, comment)


TRAIN_BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.MatmulDxOp: ("matmul_dx", build_matmul_dx),
    kn.MatmulDwOp: ("matmul_dw", build_matmul_dw),
    kn.RMSNormBwdOp: ("rmsnorm_bwd", build_rmsnorm_bwd),
    kn.HeadRMSNormBwdOp: ("head_rmsnorm_bwd", build_rmsnorm_bwd),
    kn.RopeBwdOp: ("rope_bwd", build_rope_bwd),
    kn.AttentionBwdOp: ("attention_bwd", build_attention_bwd),
    kn.SiluMulBwdOp: ("silu_mul_bwd", build_silu_mul_bwd),
    kn.EmbeddingBwdOp: ("embedding_bwd", build_embedding_bwd),
    kn.SoftmaxXentOp: ("softmax_xent", build_softmax_xent),
    kn.AdamWOp: ("adamw", build_adamw),
    kn.AttentionOp: ("attention", build_attention_any),
}

BUILDERS.update(TRAIN_BUILDERS)
