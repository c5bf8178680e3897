"""The kernel registry: which kernel computes each transformer op, what it computes, what it costs.

`select` maps a transformer op to kernel ops, given the target (ISA, activation
dtype) and the mode, which is read off the shapes (one token: decode; a chunk:
prefill). Every kernel op class has a `KernelInfo` with a numpy reference (so
kernel-level IR is executable, like transformer-level IR) and a cost model
(bytes moved, flops) for profiling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls
from xdsl.ir import Operation, SSAValue

from ck import reference as ref
from ck.dialects import kernel as kn
from ck.dialects import transformer as tf
from ck.dialects.memory import element_bytes, layout_of, weight_bytes
from ck.dialects.simd import unknown_isa
from ck.dialects.types import K_QUANT_DTYPES, WeightType, is_quantized, shape_of


@dataclass(frozen=True)
class Target:
    """What the generated code runs on and how it computes."""

    isa: str = "avx512"
    act_dtype: str = "f32"  # q8_0: 8-bit activations in int8 dot products (kn.matmul_act_dtype)

    def __post_init__(self) -> None:
        if problem := unknown_isa(self.isa):
            raise ValueError(problem)
        if self.act_dtype not in kn.ACT_CHOICES:
            raise ValueError(f"unknown act_dtype '{self.act_dtype}' (choose from {', '.join(kn.ACT_CHOICES)})")


def is_decode(value: SSAValue) -> bool:
    """One token: the decode regime (GEMV, attention over the cache)."""
    return shape_of(value)[0] == 1


def _storage(w: SSAValue) -> str:
    typ = w.type
    return typ.storage if isinstance(typ, WeightType) else "f32"


def _matmul(x: SSAValue, w: SSAValue, bias: SSAValue | None, target: Target, last_rows: bool = False) -> Operation:
    w_dtype = _storage(w)
    act = kn.matmul_act_dtype(w_dtype) if is_quantized(w_dtype) and target.act_dtype != "f32" else "f32"
    cls = kn.GemvOp if is_decode(x) else kn.GemmOp
    return cls(x, w, w_dtype, act, bias, last_rows=last_rows and cls is kn.GemmOp)


def _lm_head(op: tf.LMHeadOp, target: Target) -> Operation:
    """The lm head; when its logits are what the function returns, a prefill computes only
    the rows the caller asks for (the last one when only the next token matters)."""
    returned = any(isinstance(u.operation, func.ReturnOp) for u in op.output.uses)
    return _matmul(op.input, op.weight, None, target, last_rows=returned)


def with_seq_len(new: Operation, old: Operation) -> Operation:
    """Carry an attention's `seq_len` (a batch of sequences in the rows) over to its kernel."""
    if old.properties.get("seq_len") is not None:
        new.properties["seq_len"] = old.properties["seq_len"]
    return new


Selector = Callable[[Any, Target], Operation]

SELECT: dict[type[Operation], Selector] = {
    tf.EmbeddingOp: lambda op, t: kn.EmbeddingOp(op.tokens, op.table, _storage(op.table)),
    tf.RMSNormOp: lambda op, t: kn.RMSNormOp(op.input, op.weight, op.eps.value.data),
    tf.LinearOp: lambda op, t: _matmul(op.input, op.weight, op.bias, t),
    tf.HeadRMSNormOp: lambda op, t: kn.HeadRMSNormOp(
        op.input, op.weight, op.head_dim.value.data, op.eps.value.data
    ),
    tf.RopeOp: lambda op, t: kn.RopeOp(
        op.input, op.positions, op.head_dim.value.data, op.n_rot.value.data,
        op.theta.value.data, op.style.data,
    ),
    tf.AttentionOp: lambda op, t: with_seq_len(kn.AttentionOp(
        op.q, op.k, op.v, op.positions,
        op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data, op.scale.value.data,
        "decode" if is_decode(op.q) and op.kv_slot is not None else "prefill",
        op.kv_slot.value.data if op.kv_slot is not None else None,
    ), op),
    tf.AddOp: lambda op, t: kn.AddOp(op.lhs, op.rhs),
    tf.SiluMulOp: lambda op, t: kn.SiluMulOp(op.lhs, op.rhs),
    tf.LayerNormOp: lambda op, t: kn.LayerNormOp(op.input, op.weight, op.bias, op.eps.value.data),
    tf.GeluOp: lambda op, t: kn.GeluOp(op.input),
    tf.SliceOp: lambda op, t: kn.SliceOp(op.input, op.offset.value.data, shape_of(op.output)[1]),
    tf.LMHeadOp: _lm_head,
    tf.CrossEntropyOp: lambda op, t: kn.SoftmaxXentOp(op.logits, op.targets),
}


def select(op: Operation, target: Target) -> Operation:
    """The kernel op (value form) that computes `op` on `target`."""
    try:
        return SELECT[type(op)](op, target)
    except KeyError:
        raise NotImplementedError(f"no kernel for {op.name}") from None


# ----------------------------------------------------------------------------- schedules

REGISTERS = {"avx512": 32, "avx2": 16, "scalar": 16}
"""Vector registers per ISA (the scalar ISA's "registers" are general-purpose ones)."""
SCRATCH = 4
"""Registers a micro-kernel leaves for temporaries (scales, broadcasts) so nothing spills."""
K_QUANT_DECODE_STREAMS = 2
"""Row tiles (of two groups) a one-token k-quant matmul walks in lock-step (see matmul_schedule)."""
DECODE_STREAMS = {"avx512": 4, "avx2": 2, "scalar": 1}
"""Row tiles a one-token int8 matmul walks in lock-step: the weights stream from DRAM, and
more sequential streams keep more reads in flight (4 measured best on this box's cores)."""


def int8_register_tiles(isa: str, weights_per_row: int, rows_divide: list[int], tokens: int) -> list[tuple[int, int]]:
    """Every (row groups, tokens) register tile of the int8 rp16 micro-kernel within the register
    budget: per (row group, register half, weight, token) an i32 block accumulator and an f32
    sum, plus the weight registers and one broadcast activation. Row groups (of 16) must divide
    every output's rows."""
    from xdsl.dialects.builtin import i32

    from ck.dialects.simd import IsaAttr

    halves = 16 // IsaAttr(isa).lanes(i32)
    budget = REGISTERS[isa] - SCRATCH
    tiles: list[tuple[int, int]] = []
    for groups in (1, 2):
        if any(n % (16 * groups) for n in rows_divide):
            continue
        for t in range(1, min(tokens, 8) + 1):
            weight_regs = groups * halves * weights_per_row
            if weight_regs * t * 2 + weight_regs + 1 <= budget:
                tiles.append((groups, t))
    return tiles


def int8_register_tile(isa: str, weights_per_row: int, rows_divide: list[int], tokens: int,
                       max_groups: int = 2) -> tuple[int, int]:
    """The tile of int8_register_tiles (of at most `max_groups` row groups) that does the most
    multiply-adds per weight load ((1, 1) when none fits)."""
    best = (1, 1)
    for groups, t in int8_register_tiles(isa, weights_per_row, rows_divide, tokens):
        if groups <= max_groups and groups * t > best[0] * best[1]:
            best = (groups, t)
    return best


PACKED_PANEL_BYTES = 1 << 20
"""Largest transposed weight panel (K x rows x weights f32) a packed f32 matmul keeps on its
stack; past it the matmul computes one row at a time."""


def f32_register_tiles(isa: str, weights_per_row: int, rows_divide: list[int], tokens: int, block: int = 1) -> list[tuple[int, int]]:
    """Every (rows, tokens) register tile of the f32 outer-product micro-kernel within the
    register budget: per (row vector, weight, token) one accumulator, plus a loaded weight
    vector per (row vector, weight) and one broadcast. The rows (whole vectors, a multiple of
    `block`) must divide every output's rows."""
    from ck.dialects.simd import IsaAttr
    from xdsl.dialects.builtin import f32

    lanes = IsaAttr(isa).lanes(f32)
    budget = REGISTERS[isa] - SCRATCH
    tiles: list[tuple[int, int]] = []
    for vectors in range(1, 5):
        rows = vectors * lanes
        if rows % block or any(n % rows for n in rows_divide):
            continue
        for t in range(1, min(tokens, 12) + 1):
            if vectors * weights_per_row * (t + 1) + 1 <= budget:
                tiles.append((rows, t))
    return tiles


def f32_register_tile(isa: str, weights_per_row: int, rows_divide: list[int], tokens: int, block: int = 1) -> tuple[int, int]:
    """The tile of f32_register_tiles with the most multiply-adds per load ((0, 0) when none fits)."""
    best = (0, 0)
    for rows, t in f32_register_tiles(isa, weights_per_row, rows_divide, tokens, block):
        if rows * t > best[0] * best[1]:
            best = (rows, t)
    return best


BF16_PACK_BYTES = 1 << 20
"""Stack bytes the bf16 pair packs of one gradient matmul may take (else it stays f32)."""


def matmul_schedule(op: kn.GemvOp | kn.GemmOp, isa: str, dot: str = "f32") -> kn.ScheduleAttr:
    """The registry's cost model for a matmul's loop nest (see int8_register_tile and
    f32_register_tile): rp16 int8 decode walks 16-row groups in lock-step streams; rp16 int8
    prefill blocks rows x tokens in registers; a rows-layout prefill (f32 activations, any
    weight dtype) packs a transposed weight panel and blocks rows x tokens of f32 outer
    products (or, with dot = bf16 on avx512 and an even K, of bf16 pair products); what does
    not fit (decode, odd shapes, the scalar ISA) computes one output row at a time."""
    from ck.dialects.memory import layout_of

    rows = [shape_of(w)[0] for w in op.w]
    int8 = op.quantized_input and all(layout_of(w) == "rp16" for w in op.w)
    weights = 2 if op.epilogue is not None else 1
    if not int8:
        k = shape_of(op.w[0])[1]
        tokens = shape_of(op.x[0])[0]
        if isinstance(op, kn.GemvOp) or isa == "scalar" or op.quantized_input:
            return kn.ScheduleAttr(1, 1, 1)
        tile_rows, t = f32_register_tile(isa, weights, rows, 12 if tokens == DYNAMIC_INDEX else tokens,
                                         op.output_block)
        if tile_rows == 0 or t < 2 or k * tile_rows * weights * 4 > PACKED_PANEL_BYTES:
            return kn.ScheduleAttr(1, 1, 1)
        return kn.ScheduleAttr(tile_rows, t, 1, dot if _bf16_fits(isa, dot, k) else "f32")
    if isinstance(op, kn.GemvOp) or isa == "scalar":
        if op.w_dtype.data in K_QUANT_DTYPES and isa != "scalar" and not any(n % 32 for n in rows):
            # the k-quants do more work per byte (unpacking, a scale per 16 or 32): two row groups
            # per tile and two tiles in lock-step keep more of it in flight. `ck bench --tune` on
            # Qwen3-0.6B's Q4_K_M shapes: 1.23x to 1.66x over 16 rows x 4 streams, every gemv.
            return kn.ScheduleAttr(32, 1, K_QUANT_DECODE_STREAMS)
        return kn.ScheduleAttr(16, 1, DECODE_STREAMS[isa])
    tokens = shape_of(op.x[0])[0]
    # last_rows (the lm head of prefill) mostly computes one output row, the prompt's last: a
    # weight stream then, where one 16-row group at a time reads faster (measured by
    # `ck bench --tune` on the 151936-row lm head: 1.76x over two groups)
    groups, t = int8_register_tile(isa, weights, rows, 8 if tokens == DYNAMIC_INDEX else tokens,
                                   max_groups=1 if op.last_rows is not None else 2)
    return kn.ScheduleAttr(16 * groups, t, 1)


def _bf16_fits(isa: str, dot: str, reduced: int, pack_bytes: int = 0) -> bool:
    """bf16 pairs need avx512, an even reduced dimension, and packs within BF16_PACK_BYTES."""
    return dot == "bf16" and isa == "avx512" and reduced > 0 and reduced % 2 == 0 and pack_bytes <= BF16_PACK_BYTES


def gradient_schedule(op: kn.MatmulDxOp | kn.MatmulDwOp, isa: str, dot: str = "f32") -> kn.ScheduleAttr:
    """The outer-product tile of a gradient matmul: vectors along dx's / dw's columns (K),
    broadcasts along its tokens (dx) or rows (dw). One column at a time where K does not fit.
    With dot = bf16: bf16 pairs along the reduced dimension (dx: w's rows, packed with w once
    per thread; dw: the tokens, dy and x packed once per thread) when it is even and static."""
    n_out, k = shape_of(op.outputs[0])[-2:]
    cols, t = f32_register_tile(isa, 1, [k], 12)
    if isa == "scalar" or cols == 0:
        return kn.ScheduleAttr(1, 1, 1)
    if isinstance(op, kn.MatmulDxOp):
        n = shape_of(op.w)[0]
        fits = _bf16_fits(isa, dot, n, n * k * 2)
    else:
        tokens = shape_of(op.dy)[0]  # dy's columns are packed 16 at a time too
        fits = tokens != DYNAMIC_INDEX and n_out % 16 == 0 and _bf16_fits(isa, dot, tokens, tokens * (k + n_out) * 2)
    return kn.ScheduleAttr(cols, t, 1, "bf16" if fits else "f32")


# ----------------------------------------------------------------------------- semantics


def quantize_q8_0(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Activations to Q8_0 as llama.cpp's CPU path: d = fp16(amax/127), q = rint(x*127/amax)."""
    blocks = x.astype(np.float32).reshape(*x.shape[:-1], -1, 32)
    amax = np.abs(blocks).max(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(amax > 0, np.float32(127) / amax, 0).astype(np.float32)
    q = np.rint(blocks * inv).astype(np.int8)
    d = (amax / np.float32(127)).astype(np.float16).astype(np.float32)
    return q.reshape(x.shape), d[..., 0]


def quantize_q8_k(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Activations to Q8_K as llama.cpp's quantize_row_q8_K: per 256, iscale = 127/amax,
    q = rint(x*iscale), d = 1/iscale in f32. (llama.cpp divides by the signed extreme,
    which flips the signs of q and d together: the products are the same.)"""
    blocks = x.astype(np.float32).reshape(*x.shape[:-1], -1, 256)
    amax = np.abs(blocks).max(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(amax > 0, np.float32(127) / amax, 0).astype(np.float32)
        d = np.where(amax > 0, np.float32(1) / inv, 0).astype(np.float32)
    q = np.minimum(np.rint(blocks * inv), 127).astype(np.int8)
    return q.reshape(x.shape), d[..., 0]


def quantize_act_with_sums(x: np.ndarray, dtype: str = "q8_0") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """kernel.quantize_act: (q, scales, sums of q per block of 32 (q8_0) or per 16 (q8_k))."""
    q, d = quantize_q8_k(x) if dtype == "q8_k" else quantize_q8_0(x)
    group = kn.ACT_BLOCKS[dtype][1]
    sums = q.reshape(*q.shape[:-1], -1, group).astype(np.int32).sum(axis=-1)
    return q, d, sums


def dequantize_act(q: np.ndarray, d: np.ndarray, dtype: str = "q8_0") -> np.ndarray:
    """x = q * scale per block (32 values for q8_0, 256 for q8_k), in float64."""
    q = np.asarray(q)
    block = kn.act_block(dtype)
    return (q.reshape(*q.shape[:-1], -1, block).astype(np.float64) * np.asarray(d)[..., None]).reshape(q.shape)


def matmul_reference(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None, act_dtype: str) -> np.ndarray:
    if act_dtype == "q8_0":
        x = dequantize_act(*quantize_q8_0(x))
    elif act_dtype == "q8_k":
        x = dequantize_act(*quantize_q8_k(x), "q8_k")
    y = x.astype(np.float64) @ w.astype(np.float64).T
    return y + bias if bias is not None else y


def bf16_rounded(a: Any) -> np.ndarray:
    """f32 values rounded to bf16 (nearest even), as f32: what a `dot = bf16` schedule multiplies."""
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16 << 16).astype(np.uint32)
    return np.where(np.isnan(a), np.float32(np.nan), r.view(np.float32))


def _dot_operands(op: Any, *arrays: Any) -> list[Any]:
    """The operands of a matmul's products: rounded to bf16 under a `dot = bf16` schedule."""
    if getattr(op, "schedule", None) is not None and op.schedule.bf16:
        return [bf16_rounded(a) for a in arrays]
    return list(arrays)


def matmul_semantics(op: Any, args: Sequence[Any]) -> tuple[Any, ...]:
    """kernel.gemv / kernel.gemm: every weight's product, the epilogue, the quantized output."""
    nx, nw = len(op.x), len(op.w)
    xs, ws, bs = args[:nx], args[nx : nx + nw], args[nx + nw :]
    act = op.act_dtype.data
    x = dequantize_act(xs[0], xs[1], act) if nx == 3 else np.asarray(xs[0])
    x, *ws = _dot_operands(op, x, *ws)
    if nx == 3:
        act = "f32"  # already quantized
    ys = [matmul_reference(x, w, b if bs else None, act) for w, b in zip(ws, bs or [None] * nw, strict=True)]
    if op.epilogue is not None:
        ys = [ref.silu(ys[0]) * ys[1]]
    outs: list[Any] = list(ys)
    if op.quantize is not None:
        outs += quantize_act_with_sums(np.asarray(ys[0], dtype=np.float32), op.quantize.data)
    return tuple(outs)


def rmsnorm_semantics(op: Any, args: Sequence[Any]) -> tuple[Any, ...]:
    """kernel.rmsnorm: [sum = x + residual], y = rmsnorm(sum), [y quantized]."""
    x, w = args[0], args[1]
    outs: list[Any] = []
    if op.residual is not None:
        x = np.asarray(np.asarray(x, dtype=np.float64) + args[2], dtype=np.float32)
        outs.append(x)
    y = np.asarray(ref.rmsnorm(x, w, op.eps.value.data), dtype=np.float32)
    outs.append(y)
    if op.quantize is not None:
        outs += quantize_act_with_sums(y, op.quantize.data)
    return tuple(outs)


def rope_table(positions: Any, n_rot: int, theta: float) -> np.ndarray:
    """[T, n_rot]: cos of every angle, then sin (angles in float64)."""
    angles = ref.rope_angles(positions, n_rot, theta)
    return np.concatenate([np.cos(angles), np.sin(angles)], axis=-1)


def rope_apply(op: Any, args: Sequence[Any]) -> np.ndarray:
    """kernel.rope_apply: [per-head RMSNorm by norm], then the rotation read off the table
    (by minus the angle when `inverse`: sin negated)."""
    x, table = np.asarray(args[0], dtype=np.float64), np.asarray(args[1], dtype=np.float64)
    hd, n_rot = op.head_dim.value.data, op.n_rot.value.data
    t = x.shape[0]
    heads = x.reshape(t, -1, hd)
    if op.norm is not None:
        heads = np.asarray(ref.rmsnorm(heads.astype(np.float32), args[2], op.eps.value.data), dtype=np.float32)
        heads = heads.astype(np.float64)
    heads = heads.copy()
    half = n_rot // 2
    sin = -table[:, None, half:] if op.inverse is not None else table[:, None, half:]
    ref.rotate_pairs(heads, table[:, None, :half], sin, n_rot, op.style.data)
    return heads.reshape(t, -1)


def attention_semantics(op: Any, args: Sequence[Any], kv: Any) -> tuple[Any, ...]:
    y = np.asarray(kv.attend(op, *args[:4]), dtype=np.float32)
    return (y, *quantize_act_with_sums(y, op.quantize.data)) if op.quantize is not None else (y,)


@dataclass(frozen=True)
class Cost:
    """Work of one kernel call: bytes read and written, and floating-point operations."""

    bytes: int
    flops: int


def _tokens(op: kn.KernelOp, tokens: int) -> int:
    t = shape_of(op.outputs[0])[0] if shape_of(op.outputs[0]) else 1
    return tokens if t == DYNAMIC_INDEX else t


def _operand_bytes(v: SSAValue, tokens: int) -> int:
    if isinstance(v.type, WeightType):  # in the layout the kernel reads (rp16 k-quants: 1/4 the scale bytes)
        return weight_bytes(v.type, layout_of(v))
    shape = [tokens if d == DYNAMIC_INDEX else d for d in shape_of(v)]
    element = getattr(v.type, "element_type", None)
    size = element_bytes(element) if element is not None else 4
    return size * int(np.prod(shape, dtype=np.int64))


def generic_cost(flops_per_token: Callable[[kn.KernelOp], int]) -> Callable[[kn.KernelOp, int], Cost]:
    def cost(op: kn.KernelOp, tokens: int) -> Cost:
        t = _tokens(op, tokens)
        moved = sum(_operand_bytes(v, t) for _, v in op.named_inputs())
        moved += sum(_operand_bytes(v, t) for v in op.outputs)
        return Cost(moved, t * flops_per_token(op))

    return cost


def _width(v: SSAValue) -> int:
    return shape_of(v)[-1]


def embedding_cost(op: Any, tokens: int) -> Cost:
    """A lookup reads one table row per token (not the table), the ids, and writes the rows."""
    t = _tokens(op, tokens)
    row = weight_bytes(op.table.type, layout_of(op.table)) // shape_of(op.table)[0]
    moved = t * row + _operand_bytes(op.tokens, t) + sum(_operand_bytes(v, t) for v in op.outputs)
    return Cost(moved, 0)


def matmul_cost(op: Any, tokens: int) -> Cost:
    """Every weight read once, x read, y written; 2 flops per weight element per token (or
    per computed row with last_rows)."""
    t = tokens if shape_of(op.x[0])[0] == DYNAMIC_INDEX else shape_of(op.x[0])[0]
    rows = _tokens(op, tokens) if op.last_rows is not None else t
    moved = sum(_operand_bytes(v, t) for _, v in op.named_inputs())
    moved += sum(_operand_bytes(v, rows) for v in op.outputs)
    macs = sum(shape_of(w)[0] * shape_of(w)[1] for w in op.w)
    return Cost(moved, 2 * rows * macs)


@dataclass(frozen=True)
class KernelInfo:
    """What a kernel computes (numpy, on value-form operands) and what it costs."""

    reference: Callable[[Any, Sequence[Any], Any], tuple[Any, ...]]
    cost: Callable[[kn.KernelOp, int], Cost]


def _attention_flops(op: Any) -> int:
    # per query token, averaged over a causal prefix: QK^T and PV, ~2*2*hd per head per key
    return 4 * op.n_heads.value.data * op.head_dim.value.data


KERNELS: dict[type[Operation], KernelInfo] = {
    kn.EmbeddingOp: KernelInfo(
        lambda op, a, st: (a[1][np.asarray(a[0], dtype=np.int64)],),
        lambda op, n: embedding_cost(op, n),
    ),
    kn.RMSNormOp: KernelInfo(
        lambda op, a, st: rmsnorm_semantics(op, a),
        generic_cost(lambda op: 4 * _width(op.x)),
    ),
    kn.HeadRMSNormOp: KernelInfo(
        lambda op, a, st: (
            ref.rmsnorm(a[0].reshape(a[0].shape[0], -1, op.head_dim.value.data), a[1], op.eps.value.data)
            .reshape(a[0].shape),
        ),
        generic_cost(lambda op: 4 * _width(op.x)),
    ),
    kn.GemvOp: KernelInfo(lambda op, a, st: matmul_semantics(op, a), lambda op, n: matmul_cost(op, n)),
    kn.GemmOp: KernelInfo(lambda op, a, st: matmul_semantics(op, a), lambda op, n: matmul_cost(op, n)),
    kn.RopeOp: KernelInfo(
        lambda op, a, st: (
            ref.rope(a[0], np.asarray(a[1]), op.head_dim.value.data, op.n_rot.value.data,
                     op.theta.value.data, op.style.data),
        ),
        generic_cost(lambda op: 6 * _width(op.x)),
    ),
    kn.AttentionOp: KernelInfo(
        lambda op, a, st: attention_semantics(op, a, st),
        generic_cost(_attention_flops),
    ),
    kn.AddOp: KernelInfo(
        lambda op, a, st: (a[0].astype(np.float64) + a[1],),
        generic_cost(lambda op: _width(op.operands[0])),
    ),
    kn.SiluMulOp: KernelInfo(
        lambda op, a, st: (ref.silu(a[0].astype(np.float64)) * a[1],),
        generic_cost(lambda op: 5 * _width(op.operands[0])),
    ),
    kn.LayerNormOp: KernelInfo(
        lambda op, a, st: (ref.layernorm(a[0], a[1], a[2], op.eps.value.data),),
        generic_cost(lambda op: 7 * _width(op.x)),
    ),
    kn.GeluOp: KernelInfo(
        lambda op, a, st: (ref.gelu(a[0]),),
        generic_cost(lambda op: 9 * _width(op.x)),
    ),
    kn.SliceOp: KernelInfo(
        lambda op, a, st: (np.asarray(a[0])[:, op.offset.value.data : op.offset.value.data + _width(op.outputs[0])],),
        generic_cost(lambda op: 0),
    ),
    kn.SoftmaxXentOp: KernelInfo(
        lambda op, a, st: _softmax_xent(a[0], np.asarray(a[1], dtype=np.int64)),
        generic_cost(lambda op: 4 * _width(op.logits)),
    ),
    kn.QuantizeActOp: KernelInfo(
        lambda op, a, st: quantize_act_with_sums(a[0], op.dtype),
        generic_cost(lambda op: 3 * _width(op.x)),
    ),
    kn.RopeTableOp: KernelInfo(
        lambda op, a, st: (rope_table(a[0], op.n_rot.value.data, op.theta.value.data),),
        generic_cost(lambda op: 20 * op.n_rot.value.data),
    ),
    kn.RopeApplyOp: KernelInfo(
        lambda op, a, st: (rope_apply(op, a),),
        generic_cost(lambda op: (10 if op.norm is not None else 6) * _width(op.x)),
    ),
    # ------------------------------------------------------------------ backward and optimizer
    kn.MatmulDxOp: KernelInfo(
        lambda op, a, st: (np.asarray(_dot_operands(op, a[0], a[1])[0], dtype=np.float64)
                           @ np.asarray(_dot_operands(op, a[0], a[1])[1], dtype=np.float64),),
        generic_cost(lambda op: 2 * shape_of(op.w)[0] * shape_of(op.w)[1]),
    ),
    kn.MatmulDwOp: KernelInfo(
        lambda op, a, st: (np.asarray(_dot_operands(op, a[0], a[1])[0], dtype=np.float64).T
                           @ np.asarray(_dot_operands(op, a[0], a[1])[1], dtype=np.float64),),
        lambda op, n: cost_per_dy_token(op, n, 2 * _width(op.dy) * _width(op.x)),
    ),
    kn.MatmulDbOp: KernelInfo(  # the bias gradient: every token's dy, summed
        lambda op, a, st: (np.asarray(a[0], dtype=np.float64).sum(axis=0),),
        lambda op, n: cost_per_dy_token(op, n, _width(op.dy)),
    ),
    kn.RMSNormBwdOp: KernelInfo(
        lambda op, a, st: rmsnorm_bwd(a[0], a[1], a[2], op.eps.value.data),
        generic_cost(lambda op: 8 * _width(op.x)),
    ),
    kn.HeadRMSNormBwdOp: KernelInfo(
        lambda op, a, st: head_rmsnorm_bwd(a[0], a[1], a[2], op.head_dim.value.data, op.eps.value.data),
        generic_cost(lambda op: 8 * _width(op.x)),
    ),
    kn.RopeBwdOp: KernelInfo(
        lambda op, a, st: (
            rope_bwd(a[0], a[1], op.head_dim.value.data, op.n_rot.value.data,
                     op.theta.value.data, op.style.data),
        ),
        generic_cost(lambda op: 6 * _width(op.dy)),
    ),
    kn.AttentionBwdOp: KernelInfo(
        lambda op, a, st: attention_bwd(
            *a, op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data, op.scale.value.data,
            op.seq_len.value.data if op.seq_len is not None else None,
        ),
        # recompute QK^T, then dV = P^T dO, dP = dO V^T, dQ = dS K, dK = dS^T Q: ~2.5x the forward
        generic_cost(lambda op: 10 * op.n_heads.value.data * op.head_dim.value.data),
    ),
    kn.SiluMulBwdOp: KernelInfo(
        lambda op, a, st: silu_mul_bwd(a[0], a[1], a[2]),
        generic_cost(lambda op: 10 * _width(op.dy)),
    ),
    kn.LayerNormBwdOp: KernelInfo(
        lambda op, a, st: layernorm_bwd(a[0], a[1], a[2], op.eps.value.data),
        generic_cost(lambda op: 12 * _width(op.x)),
    ),
    kn.GeluBwdOp: KernelInfo(
        lambda op, a, st: (gelu_bwd(a[0], a[1]),),
        generic_cost(lambda op: 14 * _width(op.x)),
    ),
    kn.SliceBwdOp: KernelInfo(  # the full width D is read off the dx result
        lambda op, a, st: (slice_bwd(a[0], op.offset.value.data, _width(op.outputs[0])),),
        generic_cost(lambda op: 0),
    ),
    kn.EmbeddingBwdOp: KernelInfo(  # the vocabulary size V is read off the dtable result
        lambda op, a, st: (embedding_bwd(a[0], a[1], shape_of(op.outputs[0])[0]),),
        lambda op, n: cost_per_dy_token(op, n, _width(op.dy)),
    ),
    kn.AdamWOp: KernelInfo(  # step, then lr, beta1, beta2, eps, weight_decay: run-time scalars
        lambda op, a, st: adamw(*a[:4], int(np.asarray(a[4])), *_adamw_hyperparameters(a[5:10])),
        lambda op, n: adamw_cost(op),
    ),
}


def _softmax_xent(logits: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = logits.astype(np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=-1, keepdims=True)
    loss = ref.cross_entropy(logits, targets)
    d = p.copy()
    d[np.arange(len(targets)), targets] -= 1.0
    return loss, d / len(targets)


def cost_per_dy_token(op: Any, tokens: int, flops_per_token: int) -> Cost:
    """`generic_cost` with the token count read off the `dy` operand rather than the first
    output, for backward kernels whose outputs are not per token (matmul_dw, matmul_db,
    embedding_bwd)."""
    first = shape_of(op.dy)[0]
    t = tokens if first == DYNAMIC_INDEX else first
    moved = sum(_operand_bytes(v, t) for _, v in op.named_inputs())
    moved += sum(_operand_bytes(v, t) for v in op.outputs)
    return Cost(moved, t * flops_per_token)


def _adamw_hyperparameters(values: Sequence[Any]) -> tuple[float, ...]:
    """lr, beta1, beta2, eps, weight_decay as Python floats: the f32 scalar operands'
    values, rounded to f32 (what the native kernel computes with) and then widened."""
    return tuple(float(np.float32(np.asarray(x))) for x in values)


def adamw_cost(op: Any) -> Cost:
    """~12 flops per element; reads param, grad, m, v (and the i64 step and five f32
    scalars), writes param, m, v."""
    elements = int(np.prod(shape_of(op.param), dtype=np.int64))
    return Cost(4 * 7 * elements + 8 + 4 * 5, 12 * elements)


def _f64(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def rmsnorm_bwd(dy: Any, x: Any, w: Any, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """y = x * r * w with r = 1/sqrt(mean(x^2) + eps) over the last axis; dr/dx = -r^3 x / D, so
    dx = r (dy w) - x r^3 mean(dy w x) and dw = sum over every leading axis of dy x r."""
    dy, x, w = _f64(dy), _f64(x), _f64(w)
    r = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    g = dy * w
    dx = r * g - x * r**3 * np.mean(g * x, axis=-1, keepdims=True)
    dw = (dy * x * r).reshape(-1, x.shape[-1]).sum(axis=0)
    return dx, dw


def head_rmsnorm_bwd(dy: Any, x: Any, w: Any, head_dim: int, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """rmsnorm_bwd per head of head_dim; the shared w [head_dim] sums over tokens and heads."""
    x = _f64(x)
    heads = (x.shape[0], -1, head_dim)
    dx, dw = rmsnorm_bwd(_f64(dy).reshape(heads), x.reshape(heads), w, eps)
    return dx.reshape(x.shape), dw


def rope_bwd(dy: Any, positions: Any, head_dim: int, n_rot: int, theta: float, style: str) -> np.ndarray:
    """Rope rotates each pair by an orthogonal 2x2 rotation; its transpose is the rotation by
    the negated angle, which is rope at the negated positions (angle = position * freq)."""
    return ref.rope(_f64(dy), -np.asarray(positions, dtype=np.int64), head_dim, n_rot, theta, style)


def attention_bwd(
    dout: Any, q: Any, k: Any, v: Any, positions: Any,
    n_heads: int, n_kv_heads: int, head_dim: int, scale: float, seq_len: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of causal GQA attention (query at position p sees keys at positions <= p).

    P = softmax(scale Q K^T) is recomputed per q head; dV = P^T dO, dP = dO V^T,
    dS = P (dP - rowsum(dP P)), dQ = scale dS K, dK = scale dS^T Q; the dK and dV of
    the q heads of one group (h // (n_heads / n_kv_heads)) add into their kv head.
    """
    t, group = q.shape[0], n_heads // n_kv_heads
    pos = np.asarray(positions, dtype=np.int64)

    def heads(a: Any, n: int) -> np.ndarray:  # [T, n*hd] -> [n, T, hd]
        return _f64(a).reshape(t, n, head_dim).transpose(1, 0, 2)

    qh, doh = heads(q, n_heads), heads(dout, n_heads)
    kh = np.repeat(heads(k, n_kv_heads), group, axis=0)  # q head h reads kv head h // group
    vh = np.repeat(heads(v, n_kv_heads), group, axis=0)
    visible = ref.visibility(pos, pos, seq_len)  # [T query, T key]
    s = np.where(visible[None], qh @ kh.transpose(0, 2, 1) * scale, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)  # [H, T, T], 0 where masked
    dv = p.transpose(0, 2, 1) @ doh
    dp = doh @ vh.transpose(0, 2, 1)
    ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))
    dq = scale * ds @ kh
    dk = scale * ds.transpose(0, 2, 1) @ qh

    def merge(a: np.ndarray, n: int) -> np.ndarray:  # [n, T, hd] -> [T, n*hd]
        return a.transpose(1, 0, 2).reshape(t, n * head_dim)

    def per_kv_head(a: np.ndarray) -> np.ndarray:  # sum the q heads of each group
        return merge(a.reshape(n_kv_heads, group, t, head_dim).sum(axis=1), n_kv_heads)

    return merge(dq, n_heads), per_kv_head(dk), per_kv_head(dv)


def silu_mul_bwd(dy: Any, gate: Any, up: Any) -> tuple[np.ndarray, np.ndarray]:
    """y = silu(g) u with silu(g) = g s, s = sigmoid(g): silu'(g) = s (1 + g (1 - s))."""
    dy, g, u = _f64(dy), _f64(gate), _f64(up)
    with np.errstate(over="ignore"):
        s = 1.0 / (1.0 + np.exp(-g))
    return dy * u * s * (1.0 + g * (1.0 - s)), dy * g * s


def layernorm_bwd(dy: Any, x: Any, w: Any, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """y = xhat w + b with xhat = (x - mean) r, r = 1/sqrt(var + eps) over the last axis:
    dx = r (g - mean(g) - xhat mean(g xhat)) with g = dy w; dw = sum dy xhat; db = sum dy."""
    dy, x, w = _f64(dy), _f64(x), _f64(w)
    centered = x - x.mean(axis=-1, keepdims=True)
    r = 1.0 / np.sqrt(np.mean(centered * centered, axis=-1, keepdims=True) + eps)
    xhat = centered * r
    g = dy * w
    dx = r * (g - g.mean(axis=-1, keepdims=True) - xhat * np.mean(g * xhat, axis=-1, keepdims=True))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def gelu_bwd(dy: Any, x: Any) -> np.ndarray:
    """gelu(x) = x s with s = sigmoid(2u), u = c (x + a x^3): gelu' = s + x s (1 - s) 2c (1 + 3a x^2)."""
    dy, x = _f64(dy), _f64(x)
    u = ref.GELU_C * (x + ref.GELU_A * x**3)
    with np.errstate(over="ignore"):
        s = 1.0 / (1.0 + np.exp(-2.0 * u))
    return dy * (s + x * s * (1.0 - s) * 2.0 * ref.GELU_C * (1.0 + 3.0 * ref.GELU_A * x * x))


def slice_bwd(dy: Any, offset: int, full_width: int) -> np.ndarray:
    """dx [T, full_width]: dy in its columns, zero elsewhere."""
    dy = _f64(dy)
    dx = np.zeros((dy.shape[0], full_width))
    dx[:, offset : offset + dy.shape[1]] = dy
    return dx


def embedding_bwd(dy: Any, tokens: Any, vocab: int) -> np.ndarray:
    """dtable [vocab, D]: row tokens[t] accumulates dy[t] (repeated tokens add up)."""
    dy = _f64(dy)
    dtable = np.zeros((vocab, dy.shape[-1]))
    np.add.at(dtable, np.asarray(tokens, dtype=np.int64), dy)
    return dtable


def adamw(
    param: Any, grad: Any, m: Any, v: Any, step: int,
    lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step of torch.optim.AdamW (its single-tensor path, in its order of operations):
    decoupled decay first, then the moments, then the bias-corrected update (step is 1-based)."""
    param, grad, m, v = _f64(param), _f64(grad), _f64(m), _f64(v)
    param = param * (1.0 - lr * weight_decay)
    m = beta1 * m + (1.0 - beta1) * grad
    v = beta2 * v + (1.0 - beta2) * grad * grad
    step_size = lr / (1.0 - beta1**step)
    denom = np.sqrt(v) / np.sqrt(1.0 - beta2**step) + eps
    return param - step_size * m / denom, m, v


# ----------------------------------------------------------------------------- interpreter


class KernelFunctions(InterpreterFunctions):
    """numpy implementations of the value-form kernel ops, taken from KERNELS."""

    def __init__(self, kv: ref.KVState) -> None:
        super().__init__()
        self.kv = kv


def _kernel_impl(info: KernelInfo) -> Callable[..., tuple[Any, ...]]:
    def run(self: KernelFunctions, interp: Interpreter, op: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
        outs = info.reference(op, args, self.kv)
        return tuple(
            np.asarray(o, dtype=np.float32) if np.asarray(o).dtype.kind == "f" else np.asarray(o) for o in outs
        )

    return run


for _cls, _info in KERNELS.items():
    setattr(KernelFunctions, "run_" + _cls.name.replace(".", "_"), impl(_cls)(_kernel_impl(_info)))
register_impls(KernelFunctions)
