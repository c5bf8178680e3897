"""The inference kernels at their edges, each built alone and called natively on avx512, avx2
and scalar, against the registry's numpy semantics (or, for the RMS norms, an independent
float64 formula written here, where the placement of eps is the thing under test).

Inputs chosen to expose a kernel: rows whose mean square is near eps (and far below it), all
zeros, large magnitudes (1e30 where the math does not overflow f32, values near the q8_0
scale limits), widths that leave a vector remainder (16k +- 1 on the general kernels, an odd
tail on the blocked ones), the last KV position, and NaN / inf in one row (or head, or weight
row), which must reach exactly the outputs the semantics say and no other.

Each output is compared element by element against a bound that follows the math: exact
where the kernel rounds once (adds, dequantization, q8_0 quantization of its own output), a
few f32 ulps of the row's (head's) magnitude where it sums (rtol 1e-6 .. 4e-6), and of
sum |x| |w| for the matmuls. A failure says how many times the bound the error is (and a NaN
in the wrong place says so), which is the margin by which a bug is caught.

Every kernel of one ISA goes into one library (module scope, built on first use).
"""

from __future__ import annotations

import ctypes
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from gguf import GGMLQuantizationType
from gguf.quants import dequantize

from ck.block_quants import affine_rp16, unpack_affine
from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects.types import AFFINE_DTYPES, WeightType
from ck.ggml_quants import quantize_blocks as ggml_quantize
from ck.lowering.kernel_registry import (
    KERNELS,
    quantize_act_with_sums,
    rope_table,
)
from ck.lowering.kernels import BUILDERS, kernel_args
from ck.lowering.schedule_candidates import schedule_candidates
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    MemRefType,
    ModuleOp,
    StringAttr,
    f16,
    f32,
    i8,
    i32,
)
from xdsl.ir import Attribute, Block, SSAValue

from ck import reference as ref
from ck.kernel_timing import NUMPY_TYPES
from ck.weights_blob import rp16

ISAS = ("avx512", "avx2", "scalar")
DYN = DYNAMIC_INDEX
EPS = 1e-6
TINY = 1e-37
"""Absolute slack added to every bound (an f32 subnormal's worth: 0 stays 0)."""

_rng = np.random.default_rng(11)


# ----------------------------------------------------------------------------- IR values


def values(*types: Attribute) -> list[SSAValue]:
    return list(Block(arg_types=list(types)).args)


def buf(*shape: int, element: Attribute = f32) -> SSAValue:
    return values(MemRefType(element, list(shape)))[0]


_keep: list[object] = []  # the memory.weight ops an rp16 weight value belongs to


def weight(shape: tuple[int, ...], dtype: str, layout: str = "rows") -> SSAValue:
    """A weight operand; rp16 only as the result of a memory.weight (its layout lives there)."""
    typ = WeightType(list(shape), dtype)
    if layout == "rows":
        return values(typ)[0]
    op = mem.WeightOp(buf(1, element=i8), "w", 0, typ, layout)
    _keep.append(op)
    return op.results[0]


# ----------------------------------------------------------------------------- inputs


def normal(*shape: int, scale: float = 1.0) -> np.ndarray:
    return (_rng.standard_normal(shape) * scale).astype(np.float32)


def norm_rows(d: int) -> np.ndarray:
    """Rows for an RMS norm: normal; mean square ~ eps (1e-3 values); far below eps (1e-6);
    zeros; 1e17 (squares sum within f32); NaN in the last column; +inf in the first; normal."""
    rows = [
        normal(d),
        normal(d, scale=1e-3),
        normal(d, scale=1e-6),
        np.zeros(d, np.float32),
        normal(d, scale=1e17),
        normal(d),
        normal(d),
        normal(d, scale=3.0),
    ]
    rows[5][-1] = np.nan
    rows[6][0] = np.inf
    return np.stack(rows)


def pack(w: np.ndarray, dtype: str, prefix: str, layout: str = "rows") -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The packed parts of the logical weight w (rounded to dtype first), named as kernel
    arguments, and the logical values they hold (float64)."""
    if dtype == "f32":
        data = w.astype(np.float32)
        return {f"{prefix}_data": data}, data.astype(np.float64)
    if dtype == "f16":
        data = w.astype(np.float16)
        return {f"{prefix}_data": data}, data.astype(np.float64)
    if dtype == "bf16":
        bits = (w.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
        return {f"{prefix}_data": bits}, (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    n, k = w.shape
    if dtype in AFFINE_DTYPES:  # llama.cpp's quantizer; gguf-py's dequantize is the logical value
        qtype = GGMLQuantizationType[dtype.upper()]
        raw = ggml_quantize(np.nan_to_num(w.astype(np.float32), nan=0.0), qtype)
        logical = dequantize(raw, qtype).reshape(n, k).astype(np.float64)
        rows = unpack_affine(raw, dtype, n, k)
        if layout == "rp16":
            parts = affine_rp16(rows, dtype)
            parts["quants"] = parts["quants"].view(np.int8)
        else:
            parts = {name: rows[name] for name in ("scales", "mins", "quants") if name in rows}
        return {f"{prefix}_{p}": a for p, a in parts.items()}, logical
    blocks = w.astype(np.float32).reshape(n, k // 32, 32)
    amax = np.abs(blocks).max(-1)
    scales = (amax / 127).astype(np.float16)
    with np.errstate(divide="ignore", invalid="ignore"):
        quants = np.rint(np.where(amax[..., None] > 0, blocks / scales.astype(np.float32)[..., None], 0))
    quants = np.clip(quants, -127, 127).astype(np.int8).reshape(n, k)
    logical = (quants.reshape(n, k // 32, 32).astype(np.float64) * scales.astype(np.float64)[..., None]).reshape(n, k)
    if layout == "rp16":
        parts = rp16(scales, quants)
        parts["quants"] = parts["quants"].view(np.int8)
    else:
        parts = {"scales": scales, "quants": quants}
    return {f"{prefix}_{p}": a for p, a in parts.items()}, logical


# ----------------------------------------------------------------------------- expectations


@dataclass
class Expect:
    want: np.ndarray
    """float64; NaN / inf exactly where the kernel must write them."""
    bound: np.ndarray
    """Allowed |got - want| per element (0: exact)."""


@dataclass
class Case:
    name: str
    op: kn.KernelOp
    arrays: dict[str, np.ndarray]
    """Every kernel argument by name (outs poisoned with NaN, or their initial contents)."""
    expect: Callable[[dict[str, np.ndarray]], dict[str, Expect]]
    """The expected outs, given the arrays after the call (quantized outputs are checked
    against the quantization of the kernel's own f32 output)."""


def magnitude(want: np.ndarray, group: int | None = None) -> np.ndarray:
    """max |want| over each row (or each group of `group` columns), NaN / inf ignored, broadcast."""
    a = np.where(np.isfinite(want), np.abs(want), 0.0)
    if group is None:
        return np.broadcast_to(a.max(axis=-1, keepdims=True), a.shape)
    g = a.reshape(*a.shape[:-1], -1, group)
    return np.broadcast_to(g.max(axis=-1, keepdims=True), g.shape).reshape(a.shape)


def rowwise(want: np.ndarray, rtol: float, group: int | None = None) -> Expect:
    return Expect(want, rtol * magnitude(want, group) + TINY)


def exact(want: np.ndarray) -> Expect:
    return Expect(np.asarray(want, dtype=np.float64), np.zeros(np.shape(want)))


def quantized(arrays: dict[str, np.ndarray], y: str = "y") -> dict[str, Expect]:
    """y_q, y_scales, y_sums: exactly the q8_0 quantization of the kernel's f32 y, in the rows
    whose y is finite (a NaN row's quants are undefined), the others left as they are."""
    got = arrays[y]
    q, d, s = quantize_act_with_sums(np.nan_to_num(got, nan=0.0, posinf=0.0, neginf=0.0))
    finite = np.isfinite(got).all(axis=-1)
    out = {}
    for name, want in (("y_q", q), ("y_scales", d), ("y_sums", s)):
        want = np.where(finite[:, None], want, arrays[name]).astype(np.float64)
        out[name] = exact(want)
    return out


def silenced(fn: Callable[[], np.ndarray]) -> np.ndarray:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn()


def rms_f64(x: np.ndarray, w: np.ndarray, eps: float, width: int) -> np.ndarray:
    """The independent formula: x / sqrt(mean(x^2) + eps) * w per slice of `width`, float64."""
    x = x.astype(np.float64)
    h = x.reshape(*x.shape[:-1], -1, width)
    return silenced(lambda: (h / np.sqrt((h * h).mean(-1, keepdims=True) + np.float64(np.float32(eps)))
                             * np.asarray(w, np.float64)).reshape(x.shape))


def registry(op: kn.KernelOp, *args: np.ndarray, kv: object = None) -> tuple[np.ndarray, ...]:
    return silenced(lambda: KERNELS[type(op)].reference(op, args, kv))


# ----------------------------------------------------------------------------- cases


def rmsnorm_case(isa: str, d: int, residual: bool = False, quantize: bool = False) -> Case:
    t = 8
    x, w = buf(t, d), weight((d,), "f32")
    edge = norm_rows(d)
    wv = normal(d, scale=2.0)
    outs = [buf(t, d) for _ in range(2 if residual else 1)]
    if quantize:
        outs += [buf(t, d, element=i8), buf(t, d // 32), buf(t, d // 32, element=i32)]
    res = buf(t, d) if residual else None
    op = kn.RMSNormOp(x, w, EPS, res, quantize="q8_0" if quantize else None, outs=outs)
    arrays = {"x": edge, "w_data": wv, "y": np.full((t, d), np.nan, np.float32)}
    if residual:  # sum = the edge rows exactly: halves of them, a row that cancels to zeros, NaN in residual
        half = (edge * np.float32(0.5)).astype(np.float32)
        arrays["x"], arrays["residual"] = half.copy(), half.copy()
        arrays["x"][3], arrays["residual"][3] = normal(d), 0
        arrays["residual"][3] = -arrays["x"][3]
        arrays["x"][5, -1], arrays["residual"][5, -1] = 1.0, np.nan
        arrays["sum"] = np.full((t, d), np.nan, np.float32)
    if quantize:
        arrays |= {"y_q": np.zeros((t, d), np.int8), "y_scales": np.full((t, d // 32), np.nan, np.float32),
                   "y_sums": np.zeros((t, d // 32), np.int32)}

    def expect(got: dict[str, np.ndarray]) -> dict[str, Expect]:
        total = silenced(lambda: arrays["x"].astype(np.float64) + arrays["residual"]) if residual else arrays["x"]
        out = {"y": rowwise(rms_f64(np.asarray(total, np.float32), wv, EPS, d), 2e-6)}
        if residual:
            out["sum"] = exact(total.astype(np.float32))
        return out | (quantized(got) if quantize else {})

    tag = ("_res" if residual else "") + ("_q8" if quantize else "")
    return Case(f"rmsnorm{tag}_{d}_{isa}", op, arrays, expect)


def head_rmsnorm_case(isa: str, hd: int) -> Case:
    """Three heads per row, each its own edge: only the NaN head of a row goes NaN."""
    t, heads = 4, 3
    x, w, y = buf(t, heads * hd), weight((hd,), "f32"), buf(t, heads * hd)
    slices = norm_rows(hd)  # 8 kinds of head
    order = [[0, 1, 2], [3, 4, 5], [6, 7, 1], [2, 5, 0]]
    xv = np.stack([np.concatenate([slices[k] for k in row]) for row in order])
    wv = normal(hd)
    arrays = {"x": xv, "w_data": wv, "y": np.full(xv.shape, np.nan, np.float32)}
    op = kn.HeadRMSNormOp(x, w, hd, EPS, outs=[y])
    return Case(f"head_rmsnorm_hd{hd}_{isa}", op, arrays,
                lambda got: {"y": rowwise(rms_f64(xv, wv, EPS, hd), 2e-6, hd)})


POSITIONS = np.array([0, 1, 4095, 32767, 1_000_000], np.int32)


def rope_apply_norm_case(isa: str, hd: int, n_rot: int, style: str) -> Case:
    """QK-norm then the rotation from the table, per head: heads near eps, zeros, NaN."""
    t, heads = len(POSITIONS), 2
    x, tab, w, y = buf(t, heads * hd), buf(t, n_rot), weight((hd,), "f32"), buf(t, heads * hd)
    slices = norm_rows(hd)
    order = [[0, 1], [2, 3], [4, 5], [6, 7], [1, 0]]
    xv = np.stack([np.concatenate([slices[k] for k in row]) for row in order])
    wv = normal(hd)
    table = rope_table(POSITIONS, n_rot, 1e6).astype(np.float32)
    arrays = {"x": xv, "table": table, "norm_data": wv, "y": np.full(xv.shape, np.nan, np.float32)}
    op = kn.RopeApplyOp(x, tab, hd, n_rot, style, w, EPS, outs=[y])

    def expect(got: dict[str, np.ndarray]) -> dict[str, Expect]:
        normed = rms_f64(xv, wv, EPS, hd).reshape(t, heads, hd)
        tab64 = table.astype(np.float64)
        silenced(lambda: ref.rotate_pairs(normed, tab64[:, None, : n_rot // 2], tab64[:, None, n_rot // 2:], n_rot, style))
        return {"y": rowwise(normed.reshape(t, -1), 3e-6, hd)}

    return Case(f"rope_apply_norm_{style}_hd{hd}_rot{n_rot}_{isa}", op, arrays, expect)


def rope_table_case(isa: str, n_rot: int, theta: float) -> Case:
    pos, y = buf(len(POSITIONS), element=i32), buf(len(POSITIONS), n_rot)
    op = kn.RopeTableOp(pos, n_rot, theta, outs=[y])
    arrays = {"positions": POSITIONS, "y": np.full((len(POSITIONS), n_rot), np.nan, np.float32)}
    want = rope_table(POSITIONS, n_rot, theta)
    # one f32 rounding of a value in [-1, 1], and the double angle's error at position 1e6
    return Case(f"rope_table_{n_rot}_theta{int(theta)}_{isa}", op, arrays,
                lambda got: {"y": Expect(want, np.full(want.shape, 1.2e-7))})


def embedding_case(isa: str, dtype: str, d: int, layout: str = "rows") -> Case:
    """Tokens: the last table row (twice), the first; row 3 holds large values and +-inf,
    row 5 a NaN, which only the tokens reading them see."""
    vocab = 32 if layout == "rp16" else 9
    ids = np.array([vocab - 1, 0, 3, 5, vocab - 1, 2], np.int32)
    table = normal(vocab, d)
    big = {"f32": 1e30, "f16": 6e4, "bf16": 1e30, "q8_0": 6e4 * 127}[dtype]
    table[3, ::3] = big
    if dtype != "q8_0":  # q8_0 has no inf or NaN weights to speak of (a scale could be; not here)
        table[3, 1], table[3, 2], table[5, d - 1] = np.inf, -np.inf, np.nan
    parts, logical = pack(table, dtype, "table", layout)
    tok, y = buf(len(ids), element=i32), buf(len(ids), d)
    op = kn.EmbeddingOp(tok, weight((vocab, d), dtype, layout), dtype, outs=[y])
    arrays = {"tokens": ids, **parts, "y": np.full((len(ids), d), np.nan, np.float32)}
    return Case(f"embedding_{dtype}_{layout}_{vocab}x{d}_{isa}", op, arrays,
                lambda got: {"y": exact(logical[ids].astype(np.float32))})


def quantize_rows(k: int) -> np.ndarray:
    """Rows for q8_0 quantization: normal; zeros; ties (amax 127, x.5 values: nearest even);
    amax 8e6 (scale near the fp16 maximum); amax 8.4e6 (scale rounds to inf); 1e30; amax
    1e-6 (scale an fp16 subnormal); one nonzero; all negative."""
    rows = [normal(k), np.zeros(k, np.float32)]
    ties = np.resize(np.array([127.0, 2.5, -2.5, 3.5, -3.5, 0.5, -0.5, 1.5, 126.5, -126.5], np.float32), k)
    rows.append(ties)
    for amax in (8e6, 8.4e6, 1e30, 1e-6):
        r = normal(k)
        rows.append((r / np.abs(r).max() * np.float32(amax)).astype(np.float32))
    one = np.zeros(k, np.float32)
    one[k - 1] = -3.0
    rows += [one, -np.abs(normal(k))]
    return np.stack(rows)


def quantize_act_case(isa: str, k: int, dtype: str = "q8_0") -> Case:
    xv = quantize_rows(k)
    t = len(xv)
    block, group = kn.ACT_BLOCKS[dtype]
    x, q, s, sums = buf(t, k), buf(t, k, element=i8), buf(t, k // block), buf(t, k // group, element=i32)
    op = kn.QuantizeActOp(x, dtype, outs=[q, s, sums])
    arrays = {"x": xv, "q": np.zeros((t, k), np.int8), "scales": np.full((t, k // block), np.nan, np.float32),
              "sums": np.zeros((t, k // group), np.int32)}
    want = registry(op, xv)
    return Case(f"quantize_act_{dtype}_{k}_{isa}", op, arrays,
                lambda got: {name: exact(w) for name, w in zip(("q", "scales", "sums"), want, strict=True)})


def elementwise_rows(d: int) -> tuple[np.ndarray, np.ndarray]:
    """lhs / gate and rhs / up: normal; +-1e30; NaN in the first and the last (tail) column;
    +-inf; +-100 (e^100 overflows f32); zeros."""
    t = 6
    a, b = normal(t, d, scale=3.0), normal(t, d)
    a[1] = np.where(normal(d) > 0, 1e30, -1e30)
    b[1] = normal(d)
    a[2, 0], b[2, d - 1] = np.nan, np.nan
    a[3, d - 1], a[3, d // 2] = np.inf, -np.inf
    a[4] = np.where(normal(d) > 0, 100.0, -100.0)
    a[5] = 0
    b[5, 0] = 1e30
    return a, b


def add_case(isa: str, d: int) -> Case:
    lhs, rhs, y = buf(6, d), buf(6, d), buf(6, d)
    a, b = elementwise_rows(d)
    b[1] = np.where(normal(d) > 0, 3e38, -3e38)  # overflows to +-inf or cancels
    a[1] = np.where(normal(d) > 0, 3e38, -3e38)
    op = kn.AddOp(lhs, rhs, outs=[y])
    arrays = {"lhs": a, "rhs": b, "y": np.full((6, d), np.nan, np.float32)}
    (want,) = registry(op, a, b)
    rounded = silenced(lambda: np.asarray(want).astype(np.float32))  # 3e38 + 3e38: inf
    return Case(f"add_{d}_{isa}", op, arrays, lambda got: {"y": exact(rounded)})


def silu_mul_case(isa: str, d: int) -> Case:
    gate, up, y = buf(6, d), buf(6, d), buf(6, d)
    a, b = elementwise_rows(d)
    op = kn.SiluMulOp(gate, up, outs=[y])
    arrays = {"gate": a, "up": b, "y": np.full((6, d), np.nan, np.float32)}
    (want,) = registry(op, a, b)
    want = np.asarray(want)
    return Case(f"silu_mul_{d}_{isa}", op, arrays,
                lambda got: {"y": Expect(want, 1e-6 * np.where(np.isfinite(want), np.abs(want), 0) + TINY)})


def matmul_rows(t: int, k: int, q8_act: bool) -> np.ndarray:
    """x rows: normal; zeros; large (1e30 with f32 activations, amax 8e6 with q8_0); tiny
    (1e-30, or amax 1e-6: an fp16-subnormal scale); NaN (f32 activations); normal..."""
    rows = [normal(k), np.zeros(k, np.float32), normal(k, scale=8e6 / 4 if q8_act else 1e30),
            normal(k, scale=1e-6 / 4 if q8_act else 1e-30), normal(k)]
    if not q8_act:
        rows[4][k - 1] = np.nan
    while len(rows) < t:
        rows.append(normal(k))
    return np.stack(rows[:t])


def matmul_case(isa: str, t: int | None, n: int, k: int, dtype: str, q8_act: bool = False, layout: str = "rows",
                bias: bool = False, last: int | None = None, nan_weight_row: bool = True,
                candidate: int = 0) -> Case:
    """y = x w^T (+ b) with gemv (t None: one token) or gemm (t tokens; `last`: only the last
    rows, the lm head), on the registry's schedule for the ISA. A NaN in weight row 5 reaches
    column 5 of every output row and nothing else; a NaN in x row 4 reaches row 4 only."""
    tokens = 1 if t is None else t
    xv = matmul_rows(tokens, k, q8_act) if t is not None else normal(1, k, scale=1e3)
    wl = normal(n, k, scale=1 / np.sqrt(k))
    if dtype == "q8_0":
        wl[1, :32] *= 6e4 * 127 / np.abs(wl[1, :32]).max()  # a block scale near the fp16 maximum
    if nan_weight_row and dtype in ("f32", "f16", "bf16"):
        wl[5, k // 2] = np.nan
    parts, w_logical = pack(wl, dtype, "w", layout)
    w = weight((n, k), dtype, layout)
    act = kn.matmul_act_dtype(dtype) if q8_act else "f32"
    if q8_act:
        xq, xs, xsum = quantize_act_with_sums(xv, act)
        block, group = kn.ACT_BLOCKS[act]
        ins: list[SSAValue] = [buf(tokens, k, element=i8), buf(tokens, k // block),
                               buf(tokens, k // group, element=i32)]
        xs, xsum = xs.astype(np.float32), xsum.astype(np.int32)
        arrays = {"x_q": xq, "x_scales": xs, "x_sums": xsum}
        x_args: tuple[np.ndarray, ...] = (xq, xs, xsum)
    else:
        ins = [buf(tokens, k)]
        arrays = {"x": xv}
        x_args = (xv,)
    bv = normal(n)
    b = weight((n,), "f32") if bias else None
    rows_out = last if last is not None else tokens
    y = buf(DYN if last is not None else tokens, n)
    cls = kn.GemvOp if t is None else kn.GemmOp
    op = cls(ins, w, dtype, act, b, last_rows=last is not None, outs=[y])
    op.properties["schedule"] = schedule_candidates(op, isa)[candidate]  # 0: the cost model's
    arrays |= parts
    if bias:
        arrays["bias_data"] = bv
    arrays["y"] = np.full((rows_out, n), np.nan, np.float32)

    def expect(got: dict[str, np.ndarray]) -> dict[str, Expect]:
        (want,) = registry(op, *x_args, w_logical, *([bv] if bias else []))
        xa = np.abs(ref_x(x_args))
        size = silenced(lambda: np.nan_to_num(xa, nan=0.0) @ np.nan_to_num(np.abs(w_logical), nan=0.0).T)
        size = size + (np.abs(bv) if bias else 0)
        return {"y": Expect(np.asarray(want)[-rows_out:], 4e-6 * size[-rows_out:] + TINY)}

    kind = "gemv" if t is None else f"gemm_t{t}"
    tag = f"{kind}_{dtype}{'_rp16' if layout == 'rp16' else ''}{'_q8act' if q8_act else ''}{'_bias' if bias else ''}"
    tag += f"_last{last}" if last is not None else ""
    tag += f"_schedule{candidate}" if candidate else ""
    return Case(f"{tag}_{n}x{k}_{isa}", op, arrays, expect)


def ref_x(x_args: tuple[np.ndarray, ...]) -> np.ndarray:
    if len(x_args) == 1:
        return x_args[0].astype(np.float64)
    q, d = x_args[0], x_args[1]
    block = q.shape[1] // d.shape[1]
    return (q.reshape(q.shape[0], -1, block).astype(np.float64) * d.astype(np.float64)[..., None]).reshape(q.shape)


def attention_case(isa: str, context: int, positions: list[int], hd: int = 16, cache: Attribute = f32,
                   stale_nan: bool = False, quantize: bool = False, hq: int = 4, hkv: int = 2) -> Case:
    """Attention over the KV cache for the queries at `positions` (their k, v written into the
    cache first). The cache rows before them hold earlier keys; with `stale_nan` the rows after
    the last position hold NaN, which must not be read. Query heads: random; integer-valued
    (exact scores up to 256 at scale 1/4: e^256 overflows f32 without the max subtracted);
    NaN in one element of head 2 (its output only: head 3 shares its kv head); random, with
    its own token's key along it (score ~8: most of its weight on the last visible key)."""
    t = len(positions)
    scale = 0.25
    q, k, v, pos = buf(t, hq * hd), buf(t, hkv * hd), buf(t, hkv * hd), buf(t, element=i32)
    kc, vc = buf(hkv, context, hd, element=cache), buf(hkv, context, hd, element=cache)
    outs = [buf(t, hq * hd)]
    if quantize:
        outs += [buf(t, hq * hd, element=i8), buf(t, hq * hd // 32), buf(t, hq * hd // 32, element=i32)]
    variant = "decode" if t == 1 else "prefill"
    op = kn.AttentionOp(q, k, v, pos, hq, hkv, hd, scale, variant, 0, quantize="q8_0" if quantize else None,
                        k_cache=kc, v_cache=vc, outs=outs)
    qv = normal(t, hq * hd).reshape(t, hq, hd)
    qv[:, 1] = _rng.integers(-8, 9, (t, hd))
    qv[0, 2, hd - 1] = np.nan
    qv = qv.reshape(t, hq * hd)
    kv_, vv = normal(t, hkv * hd), normal(t, hkv * hd)
    kv_[:, :hd] = _rng.integers(-8, 9, (t, hd))
    kv_[:, hd:] = 2 * qv[:, 3 * hd:]  # query head 3 looks mostly at its own token's key: the last one it may see
    ctype = np.float16 if cache == f16 else np.float32
    k_cache = normal(hkv, context, hd).astype(ctype)
    k_cache[0] = _rng.integers(-8, 9, (context, hd))
    v_cache = normal(hkv, context, hd).astype(ctype)
    last = max(positions)
    if stale_nan:
        k_cache[:, last + 1:], v_cache[:, last + 1:] = np.nan, np.nan
    p = np.array(positions, np.int32)
    arrays = {"q": qv, "k": kv_, "v": vv, "positions": p, "k_cache": k_cache, "v_cache": v_cache,
              "y": np.full((t, hq * hd), np.nan, np.float32)}
    if quantize:
        arrays |= {"y_q": np.zeros((t, hq * hd), np.int8), "y_scales": np.full((t, hq * hd // 32), np.nan, np.float32),
                   "y_sums": np.zeros((t, hq * hd // 32), np.int32)}
    keys, vals = k_cache.copy(), v_cache.copy()
    keys[:, p] = kv_.reshape(t, hkv, hd).transpose(1, 0, 2).astype(ctype)
    vals[:, p] = vv.reshape(t, hkv, hd).transpose(1, 0, 2).astype(ctype)

    def expect(got: dict[str, np.ndarray]) -> dict[str, Expect]:
        seen = np.arange(last + 1)
        ks = keys[:, seen].transpose(1, 0, 2).reshape(len(seen), hkv * hd)
        vs = vals[:, seen].transpose(1, 0, 2).reshape(len(seen), hkv * hd)
        want = silenced(lambda: ref.attention(qv, ks, vs, p, seen, hq, hkv, hd, scale))
        size = np.abs(vs.astype(np.float64)).max()
        out = {"y": Expect(want, np.full(want.shape, 4e-6 * size)),
               "k_cache": exact(keys.astype(np.float64)), "v_cache": exact(vals.astype(np.float64))}
        return out | (quantized(got) if quantize else {})

    cname = "f16" if cache == f16 else "f32"
    tag = f"{variant}_c{context}_p{positions[0]}{'_' + str(last) if t > 1 else ''}_hd{hd}_{cname}"
    tag += ("_stale" if stale_nan else "") + ("_q8" if quantize else "")
    return Case(f"attention_{tag}_{isa}", op, arrays, expect)


def cases_for(isa: str) -> list[Case]:
    c = [
        rmsnorm_case(isa, 64), rmsnorm_case(isa, 47), rmsnorm_case(isa, 64, residual=True, quantize=True),
        rmsnorm_case(isa, 49, residual=True),
        head_rmsnorm_case(isa, 16), head_rmsnorm_case(isa, 17),
        rope_apply_norm_case(isa, 32, 32, "neox"), rope_apply_norm_case(isa, 32, 24, "neox"),
        rope_apply_norm_case(isa, 16, 16, "norm"),
        rope_table_case(isa, 64, 1e6), rope_table_case(isa, 30, 1e4),
        embedding_case(isa, "f32", 47), embedding_case(isa, "f16", 47), embedding_case(isa, "bf16", 33),
        embedding_case(isa, "q8_0", 64), embedding_case(isa, "q8_0", 64, "rp16"),
        quantize_act_case(isa, 96), quantize_act_case(isa, 512, "q8_k"),
        add_case(isa, 47), silu_mul_case(isa, 47), silu_mul_case(isa, 15),
        # decode at the last KV position (37 = 2 x 16 + 5: it is in the one-at-a-time tail), f32 and f16
        attention_case(isa, 37, [36]), attention_case(isa, 37, [36], cache=f16),
        attention_case(isa, 40, [17], stale_nan=True),
        attention_case(isa, 33, [28, 29, 30, 31, 32], hd=32, quantize=True),
        attention_case(isa, 33, [28, 29, 30, 31, 32], hd=24, cache=f16, stale_nan=False),
    ]
    for dtype in ("f32", "f16", "bf16", "q8_0"):
        c.append(matmul_case(isa, None, 24, 96 if dtype == "q8_0" else 47, dtype))
        c.append(matmul_case(isa, 13, 48, 96 if dtype == "q8_0" else 47, dtype, bias=dtype == "f32"))
    c += [
        matmul_case(isa, 13, 64, 64, "f32"),  # K a whole number of vectors: the packed tile's vector path
        matmul_case(isa, None, 32, 96, "q8_0", q8_act=True),
        matmul_case(isa, None, 32, 96, "q8_0", q8_act=True, layout="rp16"),
        matmul_case(isa, 13, 32, 96, "q8_0", q8_act=True),
        matmul_case(isa, 13, 32, 128, "q8_0", q8_act=True, layout="rp16"),
        matmul_case(isa, 5, 32, 96, "q8_0", q8_act=True, layout="rp16", last=1),
        matmul_case(isa, 5, 24, 47, "f32", last=2),
    ]
    for dtype in ("q4_1", "q4_k", "q5_k", "q6_k"):  # a legacy type with mins, and the k-quants (q8_k input)
        k = 512
        c += [matmul_case(isa, None, 32, k, dtype, q8_act=True), matmul_case(isa, 13, 32, k, dtype, q8_act=True),
              matmul_case(isa, None, 32, k, dtype, q8_act=True, layout="rp16"),
              matmul_case(isa, 13, 32, k, dtype, q8_act=True, layout="rp16")]
    # every schedule `ck bench --tune` may pick computes the same outputs (rows x tokens tiles,
    # row groups in lock-step): the one-token kernel of a k-quant, each candidate
    probe = matmul_case(isa, None, 64, 512, "q4_k", q8_act=True, layout="rp16")
    c += [matmul_case(isa, None, 64, 512, "q4_k", q8_act=True, layout="rp16", candidate=i)
          for i in range(1, len(schedule_candidates(probe.op, isa)))]
    return c


CASES = {isa: cases_for(isa) for isa in ISAS}


# ----------------------------------------------------------------------------- build and call

_libs: dict[str, ctypes.CDLL] = {}


@pytest.fixture(scope="module")
def build_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ck-kernel-edges-") as tmp:
        yield Path(tmp)


def library(isa: str, root: Path) -> ctypes.CDLL:
    """Every case of `isa` in one library, compiled as libmodel.so is (flags of the ISA)."""
    if isa not in _libs:
        from ck.build import compile_library
        from ck.compiler import emit_c

        functions = []
        for case in CASES[isa]:
            case.op.verify()
            fn, _ = BUILDERS[type(case.op)][1](case.op, case.name, isa, case.name)
            fn.sym_visibility = StringAttr("public")
            functions.append(fn)
        out = root / isa
        out.mkdir()
        (out / "model.c").write_text(emit_c(ModuleOp(functions)))
        compile_library(out, isa)
        _libs[isa] = ctypes.CDLL(str(out / "libmodel.so"))
    return _libs[isa]


def call(lib: ctypes.CDLL, case: Case, arrays: dict[str, np.ndarray], tid: int = 0, nth: int = 1) -> None:
    args: list[object] = []
    for arg in kernel_args(case.op):
        value = arrays[arg.name]
        assert isinstance(arg.type, MemRefType)
        shape = arg.type.get_shape()
        want = NUMPY_TYPES[arg.type.element_type]
        assert value.dtype == want, (arg.name, value.dtype)
        assert value.flags.c_contiguous and value.ndim == len(shape), arg.name
        assert all(s in (DYN, n) for s, n in zip(shape, value.shape, strict=True)), (arg.name, shape, value.shape)
        args.append(ctypes.c_void_p(value.ctypes.data))
        args.extend(ctypes.c_int64(value.shape[axis]) for axis, size in enumerate(shape) if size == DYN)
    fn = getattr(lib, case.name)
    fn.restype = None
    fn(*args, ctypes.c_int64(tid), ctypes.c_int64(nth))


def compare(name: str, got: np.ndarray, e: Expect) -> None:
    """got matches e: NaN exactly where e.want has NaN, the same infinities, and every other
    element within its bound. A failure names every problem at once: NaN or inf in the wrong
    place, and the worst error per row as a multiple of its bound (the margin of a bug)."""
    got = np.asarray(got, dtype=np.float64)
    want = e.want
    assert got.shape == want.shape, f"{name}: shape {got.shape}, expected {want.shape}"
    problems = []
    nan_got, nan_want = np.isnan(got), np.isnan(want)
    if (nan_got != nan_want).any():
        where = np.argwhere(nan_got != nan_want)
        problems.append(f"NaN in the wrong place at {where[:4].tolist()} ({int((nan_got & ~nan_want).sum())} "
                        f"unexpected, {int((nan_want & ~nan_got).sum())} missing; rows {sorted(set(where[:, 0].tolist()))})")
    bad_inf = (np.isinf(want) | np.isinf(got)) & (got != want) & ~nan_got & ~nan_want
    if bad_inf.any():
        problems.append(f"inf mismatch at {np.argwhere(bad_inf)[:4].tolist()}")
    ok = np.isfinite(got) & np.isfinite(want)
    err = np.where(ok, silenced(lambda: np.abs(got - want)), 0.0)
    ratio = np.where(err > e.bound, err / np.maximum(e.bound, TINY), 0.0)
    if ratio.max(initial=0.0) > 0:
        rows = ratio.reshape(ratio.shape[0], -1).max(axis=1) if ratio.ndim else ratio.reshape(1)
        worst = ", ".join(f"row {r}: {rows[r]:.3g}x" for r in np.flatnonzero(rows))
        at = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        problems.append(f"error {err[at]:.3g} at {list(map(int, at))} is {ratio[at]:.3g}x the bound {e.bound[at]:.3g} "
                        f"(got {got[at]:.9g}, want {want[at]:.9g}); worst per row: {worst}")
    assert not problems, f"{name}: " + "; ".join(problems)


def run_case(isa: str, case: Case, root: Path, nth: int = 1) -> dict[str, np.ndarray]:
    lib = library(isa, root)
    arrays = {name: a.copy() for name, a in case.arrays.items()}
    for tid in range(nth):
        call(lib, case, arrays, tid, nth)
    return arrays


PARAMS = [pytest.param(isa, case, id=case.name) for isa in ISAS for case in CASES[isa]]


@pytest.mark.parametrize("isa,case", PARAMS)
def test_kernel_edges(isa: str, case: Case, build_dir: Path) -> None:
    arrays = run_case(isa, case, build_dir)
    for name, e in case.expect(arrays).items():
        compare(name, arrays[name], e)


@pytest.mark.parametrize("name", ["rmsnorm_res_q8_64", "attention_prefill_c33_p28_32_hd32_f32_q8", "gemm_t13_f32_bias_48x47",
                                  "gemm_t13_q8_0_rp16_q8act_32x128"])
def test_two_threads_write_the_same(name: str, build_dir: Path) -> None:
    """Split over 2 threads (one after the other), the outputs are what one thread writes."""
    isa = ISAS[0]
    case = next(c for c in CASES[isa] if c.name == f"{name}_{isa}")
    one, two = run_case(isa, case, build_dir), run_case(isa, case, build_dir, nth=2)
    for out in case.expect(one):
        np.testing.assert_array_equal(two[out], one[out], err_msg=out)


def test_norm_oracle_matches_the_registry() -> None:
    """The registry's rmsnorm and head_rmsnorm semantics agree with the formula here on the
    edge rows (the formula is the oracle for eps: inside the square root, added to the mean)."""
    rows = norm_rows(64)
    w = normal(64)
    x, wv = buf(8, 64), weight((64,), "f32")
    (got,) = registry(kn.RMSNormOp(x, wv, EPS, result_types=[x.type]), rows, w)
    np.testing.assert_allclose(got, rms_f64(rows, w, EPS, 64), rtol=1e-6, atol=TINY)
    (got,) = registry(kn.HeadRMSNormOp(x, weight((16,), "f32"), 16, EPS, result_types=[x.type]), rows, w[:16])
    np.testing.assert_allclose(got, rms_f64(rows, w[:16], EPS, 16), rtol=1e-6, atol=TINY)
    # and the rows are the edge they claim: mean square within 2x of eps, and far below it
    ms = (rows.astype(np.float64) ** 2).mean(-1)
    assert 0.5 * EPS < ms[1] < 2 * EPS and ms[2] < 1e-4 * EPS and ms[3] == 0
