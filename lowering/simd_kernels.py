"""Kernel bodies at the simd level: one builder per kernel family.

Each builder gets the kernel op (destination-passing form), the ISA and the lane
count the registry chose (the ISA's f32 width, or 1 for the general kernel when a
dimension does not divide it), and returns a `func.func` whose arguments are the
op's buffers (weights as the typed views of their packed parts), then the thread
id and thread count. Every kernel splits its outer loop across threads: rows of
a matrix, tokens of an activation, KV heads of attention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX, f32
from xdsl.ir import Attribute, SSAValue
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects.types import WeightType, shape_of
from ck.lowering.simd_builder import INDEX, KernelBuilder


@dataclass(frozen=True)
class Arg:
    """One argument of a kernel function: its name, type, and the call-site value or weight part."""

    name: str
    type: Attribute
    value: SSAValue
    part: str | None = None  # a weight: which packed part the argument is a view of


def _weight_args(name: str, w: SSAValue) -> list[Arg]:
    typ = w.type
    if not isinstance(typ, WeightType):  # an f32 buffer (training)
        return [Arg(f"{name}_data", typ, w)]
    return [Arg(f"{name}_{part}", view, w, part) for part, (_, view) in mem.weight_parts(typ).items()]


def kernel_args(op: kn.KernelOp) -> list[Arg]:
    """The buffers of `op` as kernel-function arguments, in order: inputs, outs."""
    args: list[Arg] = []
    for name, value in op.named_inputs():
        if isinstance(value.type, WeightType):
            args.extend(_weight_args(name, value))
        else:
            args.append(Arg(name, value.type, value))
    for name, value in zip(op.OUTPUTS, op.outs, strict=True):
        args.append(Arg(name, value.type, value))
    return args


def _lanes_for(isa_lanes: int, *dims: int) -> int:
    """The ISA's lanes when every dimension is a multiple of them, else 1 (general kernel)."""
    return isa_lanes if all(d % isa_lanes == 0 for d in dims) else 1


def new_builder(name: str, op: kn.KernelOp, isa: str, comment: str) -> KernelBuilder:
    args = [(a.name, a.type) for a in kernel_args(op)] + [("tid", INDEX), ("nth", INDEX)]
    return KernelBuilder(name, args, isa, comment)


# ----------------------------------------------------------------------------- helpers


def _dequant_row(kb: KernelBuilder, prefix: str, row: SSAValue, k: SSAValue, dtype: str, lanes: int) -> SSAValue:
    """Weights [row, k .. k+lanes) of a packed matrix as an f32 vector."""
    a = kb.args
    if dtype == "q8_0":
        q = kb.to_f32(kb.vload(a[f"{prefix}_quants"], row, k, lanes=lanes))
        block = kb.div(k, kb.index(32))
        scale = kb.extf(kb.load(a[f"{prefix}_scales"], row, block))
        return kb.vmul(q, kb.splat(scale, lanes))
    return kb.to_f32(kb.vload(a[f"{prefix}_data"], row, k, lanes=lanes))


def _dot(kb: KernelBuilder, x: SSAValue, t: SSAValue, w_prefix: str, row: SSAValue, k_dim: int, dtype: str, lanes: int) -> SSAValue:
    """sum_k x[t, k] * w[row, k] with `lanes`-wide FMAs and one horizontal sum."""

    def body(k: SSAValue, acc: SSAValue) -> list[SSAValue]:
        xv = kb.vload(x, t, k, lanes=lanes)
        wv = _dequant_row(kb, w_prefix, row, k, dtype, lanes)
        return [kb.vfma(xv, wv, acc)]

    (acc,) = kb.loop(0, k_dim, body, step=lanes, carried=[kb.vzero_lanes(lanes)], name="k")
    return kb.vsum(acc)


def _tokens(kb: KernelBuilder, buffer: SSAValue) -> SSAValue:
    return kb.dim(buffer, 0)


# ----------------------------------------------------------------------------- kernels


def build_matmul(op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    if op.act_dtype.data != "f32":
        raise PassFailedException(
            f"{op.name}: act_dtype {op.act_dtype.data} kernels are not generated yet (use act_dtype f32)"
        )
    n, k = shape_of(op.w)
    dtype = op.w_dtype.data
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, k)
    a = kb.args
    x, y = a["x"], a["y"]
    lo, hi = kb.split(kb.index(n), a["tid"], a["nth"])
    t_count = _tokens(kb, x)

    def row(r: SSAValue) -> None:
        bias = kb.load(a["bias_data"], r) if "bias_data" in a else None

        def token(t: SSAValue) -> None:
            s = _dot(kb, x, t, "w", r, k, dtype, lanes)
            kb.store(kb.fadd(s, bias) if bias is not None else s, y, t, r)

        kb.loop(0, t_count, token, name="t")

    kb.loop(lo, hi, row, name="n")
    return kb.finish(), f"{lanes} lanes" + ("" if lanes == kb.lanes else f" (general: K={k} not a multiple of {kb.lanes})")


def build_embedding(op: kn.EmbeddingOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    _, d = shape_of(op.table)
    dtype = op.w_dtype.data
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, d)
    a = kb.args
    lo, hi = kb.split(_tokens(kb, a["tokens"]), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        row = kb.i32_to_index(kb.load(a["tokens"], t))

        def chunk(c: SSAValue) -> None:
            kb.vstore(_dequant_row(kb, "table", row, c, dtype, lanes), a["y"], t, c)

        kb.loop(0, d, chunk, step=lanes, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{lanes} lanes"


def _rms_scale(kb: KernelBuilder, x: SSAValue, t: SSAValue, start: SSAValue | int, width: int, eps: float, lanes: int) -> SSAValue:
    """1 / sqrt(mean(x[t, start:start+width]^2) + eps)."""
    base = kb.index(start) if isinstance(start, int) else start

    def body(i: SSAValue, acc: SSAValue) -> list[SSAValue]:
        v = kb.vload(x, t, kb.add(base, i), lanes=lanes)
        return [kb.vfma(v, v, acc)]

    (acc,) = kb.loop(0, width, body, step=lanes, carried=[kb.vzero_lanes(lanes)], name="d")
    mean = kb.fdiv(kb.vsum(acc), kb.f32(float(width)))
    return kb.fdiv(kb.f32(1.0), kb.sqrt(kb.fadd(mean, kb.f32(eps))))


def _scale_by_weight(kb: KernelBuilder, x: SSAValue, y: SSAValue, w: SSAValue, t: SSAValue, start: SSAValue | int, width: int, scale: SSAValue, lanes: int) -> None:
    base = kb.index(start) if isinstance(start, int) else start
    s = kb.splat(scale, lanes)

    def body(i: SSAValue) -> None:
        col = kb.add(base, i)
        v = kb.vmul(kb.vmul(kb.vload(x, t, col, lanes=lanes), s), kb.vload(w, i, lanes=lanes))
        kb.vstore(v, y, t, col)

    kb.loop(0, width, body, step=lanes, name="d")


def build_rmsnorm(op: kn.RMSNormOp | kn.HeadRMSNormOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    _, d = shape_of(op.x)
    width = op.head_dim.value.data if isinstance(op, kn.HeadRMSNormOp) else d
    eps = op.eps.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, width)
    a = kb.args
    x, y, w = a["x"], a["y"], a["w_data"]
    lo, hi = kb.split(_tokens(kb, x), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def head(h: SSAValue) -> None:
            start = kb.mul(h, kb.index(width))
            scale = _rms_scale(kb, x, t, start, width, eps, lanes)
            _scale_by_weight(kb, x, y, w, t, start, width, scale, lanes)

        kb.loop(0, d // width, head, name="h")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{lanes} lanes"


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
    lo, hi = kb.split(_tokens(kb, x), a["tid"], a["nth"])

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


def build_elementwise(op: kn.AddOp | kn.SiluMulOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    _, d = shape_of(op.operands[0])
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lhs, rhs, y = a[op.LHS], a[op.RHS], a["y"]
    lo, hi = kb.split(_tokens(kb, lhs), a["tid"], a["nth"])
    silu = isinstance(op, kn.SiluMulOp)
    lanes = 1 if silu else _lanes_for(kb.lanes, d)

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


def dot_rows(kb: KernelBuilder, a: SSAValue, ta: SSAValue, a_base: SSAValue, b: SSAValue, tb: SSAValue,
             b_base: SSAValue, hd: int, lanes: int) -> SSAValue:
    """sum_c a[ta, a_base + c] * b[tb, b_base + c] over one head."""

    def body(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
        av = kb.vload(a, ta, kb.add(a_base, c), lanes=lanes)
        bv = kb.vload(b, tb, kb.add(b_base, c), lanes=lanes)
        return [kb.vfma(av, bv, acc)]

    (acc,) = kb.loop(0, hd, body, step=lanes, carried=[kb.vzero_lanes(lanes)], name="c")
    return kb.vsum(acc)


def attend_row(
    kb: KernelBuilder, q: SSAValue, t: SSAValue, q_base: SSAValue, keys: SSAValue, values: SSAValue,
    kv_base: SSAValue, y: SSAValue, hd: int, scale: float, lanes: int, s_lo: SSAValue | int, s_hi: SSAValue,
    visible: Callable[[SSAValue], SSAValue] | None = None,
) -> None:
    """y[t, head] = softmax(scale q k^T) v over key rows s_lo..s_hi (those `visible` allows),
    in one online-softmax pass: a running max and sum rescale the accumulated row."""

    def zero(c: SSAValue) -> None:
        kb.vstore(kb.vzero_lanes(lanes), y, t, kb.add(q_base, c))

    kb.loop(0, hd, zero, step=lanes, name="c")

    def key(s: SSAValue, m: SSAValue, l: SSAValue) -> list[SSAValue]:
        def attend() -> list[SSAValue]:
            score = kb.fmul(dot_rows(kb, q, t, q_base, keys, s, kv_base, hd, lanes), kb.f32(scale))
            m_new = kb.fmax(m, score)
            corr = kb.exp(kb.fsub(m, m_new))
            w = kb.exp(kb.fsub(score, m_new))
            corr_v, w_v = kb.splat(corr, lanes), kb.splat(w, lanes)

            def acc_v(c: SSAValue) -> None:
                col = kb.add(q_base, c)
                out = kb.vload(y, t, col, lanes=lanes)
                vv = kb.vload(values, s, kb.add(kv_base, c), lanes=lanes)
                kb.vstore(kb.vfma(w_v, vv, kb.vmul(out, corr_v)), y, t, col)

            kb.loop(0, hd, acc_v, step=lanes, name="c")
            return [m_new, kb.fadd(kb.fmul(l, corr), w)]

        if visible is None:
            return attend()
        return kb.if_(visible(s), attend, lambda: [m, l], [f32, f32])

    _, total = kb.loop(s_lo, s_hi, key, carried=[kb.f32(float("-inf")), kb.f32(0.0)], name="s")
    inv = kb.splat(kb.fdiv(kb.f32(1.0), total), lanes)

    def normalize(c: SSAValue) -> None:
        col = kb.add(q_base, c)
        kb.vstore(kb.vmul(kb.vload(y, t, col, lanes=lanes), inv), y, t, col)

    kb.loop(0, hd, normalize, step=lanes, name="c")


def build_attention(op: kn.AttentionOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Causal GQA over the KV cache, one online-softmax pass per (query token, head).

    Each thread owns whole KV heads: it writes their new K/V rows into the cache and
    computes the query heads that read them, so no other thread touches that data.
    """
    if op.k_cache is None or op.v_cache is None:
        raise PassFailedException("kernel.attention: the simd kernel needs the KV cache (plan-memory binds it)")
    hq, hkv, hd = op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data
    group = hq // hkv
    scale = op.scale.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = _lanes_for(kb.lanes, hd)
    a = kb.args
    q, k, v, pos, kc, vc, y = a["q"], a["k"], a["v"], a["positions"], a["k_cache"], a["v_cache"], a["y"]
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = _tokens(kb, q)

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))

        def write(t: SSAValue) -> None:
            p = kb.i32_to_index(kb.load(pos, t))

            def chunk(c: SSAValue) -> None:
                col = kb.add(kv_base, c)
                kb.vstore(kb.vload(k, t, col, lanes=lanes), kc, p, col)
                kb.vstore(kb.vload(v, t, col, lanes=lanes), vc, p, col)

            kb.loop(0, hd, chunk, step=lanes, name="c")

        kb.loop(0, n_tokens, write, name="t")

        def q_head(j: SSAValue) -> None:
            q_base = kb.mul(kb.add(kb.mul(g, kb.index(group)), j), kb.index(hd))

            def token(t: SSAValue) -> None:
                p = kb.i32_to_index(kb.load(pos, t))
                attend_row(kb, q, t, q_base, kc, vc, kv_base, y, hd, scale, lanes, 0, kb.add(p, kb.index(1)))

            kb.loop(0, n_tokens, token, name="t")

        kb.loop(0, group, q_head, name="j")

    kb.loop(lo, hi, kv_head, name="g")
    return kb.finish(), f"{lanes} lanes, online softmax, split by kv head"


Builder = Callable[..., tuple[func.FuncOp, str]]

BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.GemvOp: ("gemv", build_matmul),
    kn.GemmOp: ("gemm", build_matmul),
    kn.EmbeddingOp: ("embedding", build_embedding),
    kn.RMSNormOp: ("rmsnorm", build_rmsnorm),
    kn.HeadRMSNormOp: ("head_rmsnorm", build_rmsnorm),
    kn.RopeOp: ("rope", build_rope),
    kn.AddOp: ("add", build_elementwise),
    kn.SiluMulOp: ("silu_mul", build_elementwise),
    kn.AttentionOp: ("attention", build_attention),
}


def kernel_name(op: kn.KernelOp, kind: str, isa: str) -> str:
    """A readable function name: `gemv_q8_0_2048x1024_avx512`, `rmsnorm_1024_tn_avx512`."""
    shaped = next((o for o in op.outs if shape_of(o)), op.outs[0])  # softmax_xent's loss is a scalar
    tokens = shape_of(shaped)[0] if shape_of(shaped) else 1
    t = "tn" if tokens == DYNAMIC_INDEX else f"t{tokens}"
    props = op.properties
    if isinstance(op, (kn.GemvOp, kn.GemmOp)):
        n, k = shape_of(op.w)
        parts = [op.w_dtype.data, f"{n}x{k}"] + ([t] if isinstance(op, kn.GemmOp) else [])
    elif isinstance(op, kn.EmbeddingOp):
        parts = [op.w_dtype.data, "x".join(map(str, shape_of(op.table))), t]
    elif isinstance(op, kn.AttentionOp):
        parts = [op.variant.data, f"h{props['n_heads'].value.data}", f"kv{props['n_kv_heads'].value.data}",
                 f"hd{props['head_dim'].value.data}"] + ([] if op.variant.data == "decode" else [t])
    elif isinstance(op, kn.RopeOp):
        parts = [op.style.data, str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}", t]
    elif isinstance(op, kn.HeadRMSNormOp):
        parts = [str(shape_of(op.x)[1]), f"hd{op.head_dim.value.data}", t]
    else:
        parts = ["x".join(map(str, shape_of(shaped)[1:] or shape_of(shaped))), t]
    return "_".join([kind, *parts, isa])


# The training kernels (backward, loss, optimizer, cache-free attention) register themselves in BUILDERS.
from ck.lowering import simd_kernels_train  # noqa: E402, F401
