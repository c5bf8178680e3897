"""Shared pieces of the kernel builders: a kernel's arguments, lane choice, and the small
loop nests several kernel families use (dot products, RMS scales, weight rows as f32,
the online-softmax attention row).

Every builder gets the kernel op (destination-passing form), the function name, the ISA
and a comment, and returns a `func.func` whose arguments are the op's buffers (weights
as the typed views of their packed parts), then the thread id and thread count, with a
short description of the variant it chose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects import arith, func
from xdsl.dialects.builtin import f32
from xdsl.ir import Attribute, SSAValue

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects.types import AFFINE_DTYPES, AFFINE_MINS, WeightType, is_quantized
from ck.lowering.kernels.builder import INDEX, KernelBuilder

Builder = Callable[..., tuple[func.FuncOp, str]]
"""(op, function name, isa, comment) -> (the kernel function, a description of its variant)."""


@dataclass(frozen=True)
class Arg:
    """One argument of a kernel function: its name, type, and the call-site value or weight part."""

    name: str
    type: Attribute
    value: SSAValue
    part: str | None = None  # a weight: which packed part the argument is a view of



def weight_args(name: str, w: SSAValue) -> list[Arg]:
    typ = w.type
    if not isinstance(typ, WeightType):  # an f32 buffer (training)
        return [Arg(f"{name}_data", typ, w)]
    return [Arg(f"{name}_{part}", view, w, part) for part, (_, view) in mem.weight_parts(typ, mem.layout_of(w)).items()]



def kernel_args(op: kn.KernelOp) -> list[Arg]:
    """The buffers of `op` as kernel-function arguments, in order: inputs, outs."""
    args: list[Arg] = []
    for name, value in op.named_inputs():
        if isinstance(value.type, WeightType):
            args.extend(weight_args(name, value))
        else:
            args.append(Arg(name, value.type, value))
    for name, value in zip(op.output_names(), op.outs, strict=True):
        args.append(Arg(name, value.type, value))
    return args



def lanes_for(isa_lanes: int, *dims: int) -> int:
    """The ISA's lanes when every dimension is a multiple of them, else 1 (general kernel)."""
    return isa_lanes if all(d % isa_lanes == 0 for d in dims) else 1



def new_builder(name: str, op: kn.KernelOp, isa: str, comment: str) -> KernelBuilder:
    args = [(a.name, a.type) for a in kernel_args(op)] + [("tid", INDEX), ("nth", INDEX)]
    return KernelBuilder(name, args, isa, comment)



def general(lanes: int, kb: KernelBuilder, what: str) -> str:
    return f"{lanes} lanes" + ("" if lanes == kb.lanes else f" (general: {what} not a multiple of {kb.lanes})")



def token_count(kb: KernelBuilder, buffer: SSAValue) -> SSAValue:
    return kb.dim(buffer, 0)



def weight_dtype(w: SSAValue) -> str:
    return w.type.storage if isinstance(w.type, WeightType) else "f32"



def dense(kb: KernelBuilder, name: str) -> SSAValue:
    """A dense weight argument: `<name>` for an f32 memref (trainable), else `<name>_data`."""
    return kb.args[name] if name in kb.args else kb.args[f"{name}_data"]



def dequant_row(kb: KernelBuilder, prefix: str, row: SSAValue, k: SSAValue, dtype: str, lanes: int) -> SSAValue:
    """Weights [row, k .. k+lanes) of a packed matrix as an f32 vector."""
    a = kb.args
    if dtype == "q8_0":
        q = kb.to_f32(kb.vload(a[f"{prefix}_quants"], row, k, lanes=lanes))
        block = kb.div(k, kb.index(32))
        scale = kb.extf(kb.load(a[f"{prefix}_scales"], row, block))
        return kb.vmul(q, kb.splat(scale, lanes))
    if dtype in AFFINE_DTYPES:  # lanes never cross a scale's group: they divide 16
        q = kb.to_f32(kb.vload(a[f"{prefix}_quants"], row, k, lanes=lanes))
        scale, minimum = affine_factors(kb, prefix, row, k, dtype)
        w = kb.vmul(kb.splat(scale, lanes), q)
        return kb.vadd(w, kb.splat(minimum, lanes)) if minimum is not None else w
    return kb.to_f32(kb.vload(a[f"{prefix}_data"], row, k, lanes=lanes))


def affine_factors(kb: KernelBuilder, prefix: str, row: SSAValue, k: SSAValue, dtype: str) -> tuple[SSAValue, SSAValue | None]:
    """The scale (and min, or None) of w[row, k] of an affine type in the rows layout."""
    a = kb.args
    scale = kb.load(a[f"{prefix}_scales"], row, kb.div(k, kb.index(AFFINE_DTYPES[dtype])))
    minimum = kb.load(a[f"{prefix}_mins"], row, kb.div(k, kb.index(32))) if dtype in AFFINE_MINS else None
    return scale, minimum


def affine_value(kb: KernelBuilder, dtype: str, q: SSAValue, scale: SSAValue, minimum: SSAValue | None) -> SSAValue:
    """One weight of an affine block type: scale * q (+ min), q an int8 scalar."""
    w = kb.fmul(scale, kb.op(arith.SIToFPOp(q, f32)))
    return kb.fadd(w, minimum) if minimum is not None else w



def weight_vec(kb: KernelBuilder, name: str, row: SSAValue, k: SSAValue, dtype: str, lanes: int) -> SSAValue:
    """w[row, k .. k+lanes) as f32, for a trainable f32 memref or any packed weight."""
    if is_quantized(dtype):
        return dequant_row(kb, name, row, k, dtype, lanes)
    return kb.to_f32(kb.vload(dense(kb, name), row, k, lanes=lanes))



def dot(kb: KernelBuilder, x: SSAValue, t: SSAValue, w_prefix: str, row: SSAValue, k_dim: int, dtype: str, lanes: int) -> SSAValue:
    """sum_k x[t, k] * w[row, k] with `lanes`-wide FMAs and one horizontal sum."""

    def body(k: SSAValue, acc: SSAValue) -> list[SSAValue]:
        xv = kb.vload(x, t, k, lanes=lanes)
        wv = dequant_row(kb, w_prefix, row, k, dtype, lanes)
        return [kb.vfma(xv, wv, acc)]

    (acc,) = kb.loop(0, k_dim, body, step=lanes, carried=[kb.vzero_lanes(lanes)], name="k")
    return kb.vsum(acc)



def rms_scale(kb: KernelBuilder, x: SSAValue, t: SSAValue, start: SSAValue | int, width: int, eps: float, lanes: int) -> SSAValue:
    """1 / sqrt(mean(x[t, start:start+width]^2) + eps)."""
    base = kb.index(start) if isinstance(start, int) else start

    def body(i: SSAValue, acc: SSAValue) -> list[SSAValue]:
        v = kb.vload(x, t, kb.add(base, i), lanes=lanes)
        return [kb.vfma(v, v, acc)]

    (acc,) = kb.loop(0, width, body, step=lanes, carried=[kb.vzero_lanes(lanes)], name="d")
    mean = kb.fdiv(kb.vsum(acc), kb.f32(float(width)))
    return kb.fdiv(kb.f32(1.0), kb.sqrt(kb.fadd(mean, kb.f32(eps))))



def scale_by_weight(kb: KernelBuilder, x: SSAValue, y: SSAValue, w: SSAValue, t: SSAValue, start: SSAValue | int, width: int, scale: SSAValue, lanes: int) -> None:
    base = kb.index(start) if isinstance(start, int) else start
    s = kb.splat(scale, lanes)

    def body(i: SSAValue) -> None:
        col = kb.add(base, i)
        v = kb.vmul(kb.vmul(kb.vload(x, t, col, lanes=lanes), s), kb.vload(w, i, lanes=lanes))
        kb.vstore(v, y, t, col)

    kb.loop(0, width, body, step=lanes, name="d")



def column_split(kb: KernelBuilder, width: int, lanes: int) -> tuple[SSAValue, SSAValue]:
    """This thread's columns [lo, hi) of range(width), whole vectors of `lanes` each."""
    lo, hi = kb.split(kb.index(width // lanes), kb.args["tid"], kb.args["nth"])
    return kb.mul(lo, kb.index(lanes)), kb.mul(hi, kb.index(lanes))



def zero_columns(
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



def dot_rows(kb: KernelBuilder, a: SSAValue, ta: SSAValue, a_base: SSAValue, b: SSAValue, tb: SSAValue,
             b_base: SSAValue, hd: int, lanes: int) -> SSAValue:
    """sum_c a[ta, a_base + c] * b[tb, b_base + c] over one head."""

    def body(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
        av = kb.vload(a, ta, kb.add(a_base, c), lanes=lanes)
        bv = kb.vload(b, tb, kb.add(b_base, c), lanes=lanes)
        return [kb.vfma(av, bv, acc)]

    (acc,) = kb.loop(0, hd, body, step=lanes, carried=[kb.vzero_lanes(lanes)], name="c")
    return kb.vsum(acc)



VectorAt = Callable[[SSAValue, SSAValue], SSAValue]
"""(key row s, column c within the head) -> the f32 vector of a key or value there."""


def attend_row(
    kb: KernelBuilder, q: SSAValue, t: SSAValue, q_base: SSAValue, key_at: VectorAt, value_at: VectorAt,
    y: SSAValue, hd: int, scale: float, lanes: int, s_lo: SSAValue | int, s_hi: SSAValue,
    visible: Callable[[SSAValue], SSAValue] | None = None,
) -> None:
    """y[t, head] = softmax(scale q k^T) v over key rows s_lo..s_hi (those `visible` allows),
    in one online-softmax pass: a running max and sum rescale the row accumulated in y."""

    def zero(c: SSAValue) -> None:
        kb.vstore(kb.vzero_lanes(lanes), y, t, kb.add(q_base, c))

    kb.loop(0, hd, zero, step=lanes, name="c")

    def key(s: SSAValue, m: SSAValue, l: SSAValue) -> list[SSAValue]:
        def attend() -> list[SSAValue]:
            def dot(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
                return [kb.vfma(kb.vload(q, t, kb.add(q_base, c), lanes=lanes), key_at(s, c), acc)]

            (qk,) = kb.loop(0, hd, dot, step=lanes, carried=[kb.vzero_lanes(lanes)], name="c")
            score = kb.fmul(kb.vsum(qk), kb.f32(scale))
            m_new = kb.fmax(m, score)
            corr = kb.exp(kb.fsub(m, m_new))
            w = kb.exp(kb.fsub(score, m_new))
            corr_v, w_v = kb.splat(corr, lanes), kb.splat(w, lanes)

            def acc_v(c: SSAValue) -> None:
                col = kb.add(q_base, c)
                out = kb.vload(y, t, col, lanes=lanes)
                kb.vstore(kb.vfma(w_v, value_at(s, c), kb.vmul(out, corr_v)), y, t, col)

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


def split_name(op: kn.KernelOp, default: str = "tokens") -> str:
    """The op's `split` property, or the kernel's default."""
    return op.split.data if op.split is not None else default


def thread_rows(kb: KernelBuilder, op: kn.KernelOp, n: SSAValue) -> tuple[SSAValue, SSAValue, str]:
    """The rows [lo, hi) of range(n) this thread computes: its share (split = tokens, the
    default) or all of them (split = replicate: every thread computes everything)."""
    split = split_name(op)
    if split == "replicate":
        return kb.index(0), n, split
    lo, hi = kb.split(n, kb.args["tid"], kb.args["nth"])
    return lo, hi, split


def unit_split(kb: KernelBuilder, units: int) -> tuple[SSAValue, SSAValue]:
    """This thread's share [lo, hi) of `units` equal pieces of work."""
    return kb.split(kb.index(units), kb.args["tid"], kb.args["nth"])


def weight_layout(w: SSAValue) -> str:
    """The packed layout of a weight operand (its memory.weight's)."""
    return mem.layout_of(w)
