"""Matrix products: y = x w^T (+ b) (gemv for one token, gemm for several) and its gradients
dx = dy w, dw (+)= dy^T x and db = the sum of dy over the tokens.

The forward kernel covers every form of kernel.gemv / kernel.gemm: one or several
weights over one input (q|k|v as one matmul over their concatenated rows), the
silu_mul epilogue (gate and up computed together, silu(g) * u stored), biases, a
quantized output, and `last_rows`. The output rows are split across threads in whole
units (16-row groups for rp16 weights, 32 rows when the output is quantized, so each
thread quantizes whole blocks of what it wrote).

Two inner loops, by the weights' layout and the input:
- rp16 weights and a q8_0 input: int8 dot products, 16 rows per register (`simd.dot_i8`,
  `vpdpbusd`), each block's int32 accumulator starting at -128 * sum(x_q) to undo the
  +128 the layout stores; several row groups are walked in lock-step ("streams"), which
  keeps more memory streams in flight than one group at a time would.
- rows layout (any dtype): one output row at a time, a vectorized dot product over K;
  with a q8_0 input each block's integer dot product is formed exactly in f32
  (|sum| <= 32 * 127 * 127 < 2^24) and scaled, so the result equals the int8 kernel's
  up to the f32 summation order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import DYNAMIC_INDEX, IntegerAttr, f32, i32
from xdsl.ir import SSAValue
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects.types import AFFINE_DTYPES, AFFINE_MINS, shape_of
from ck.lowering.kernels.bf16_pairs import PAIR_LANES, outer_tile_bf16, pack_pairs, pair_at, round_row, scratch
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import (
    Builder,
    affine_factors,
    affine_value,
    dot,
    general,
    lanes_for,
    new_builder,
    token_count,
    unit_split,
    weight_dtype,
    weight_layout,
    weight_vec,
)
from ck.lowering.kernels.quantize import quantize_blocks

GROUP = mem.RP16_ROWS


@dataclass(frozen=True)
class Segment:
    """Rows [start, start + rows) of the concatenated output space, computed from the
    weights `weights` (one; gate and up for the silu_mul epilogue) into `out`."""

    start: int
    rows: int
    weights: tuple[str, ...]
    out: str
    bias: tuple[str, ...]


def _segments(op: kn.GemvOp | kn.GemmOp) -> list[Segment]:
    names = dict(op.named_inputs())
    w_names = [n for n in names if n == "w" or n.startswith("w_")]
    b_names = [n for n in names if n == "bias" or n.startswith("bias_")]
    outs = [n for n in op.output_names() if n == "y" or (n.startswith("y_") and n[2:].isdigit())]
    if op.epilogue is not None:
        return [Segment(0, shape_of(op.w[0])[0], tuple(w_names), "y", tuple(b_names))]
    segs, start = [], 0
    for i, (w, out) in enumerate(zip(w_names, outs, strict=True)):
        rows = shape_of(op.w[i])[0]
        segs.append(Segment(start, rows, (w,), out, (b_names[i],) if b_names else ()))
        start += rows
    return segs


def _silu_mul(kb: KernelBuilder, g: SSAValue, u: SSAValue, lanes: int) -> SSAValue:
    """silu(g) * u = g / (1 + e^-g) * u, lane by lane."""
    zero, one = kb.vzero_lanes(lanes), kb.splat(kb.f32(1.0), lanes)
    return kb.vmul(kb.vdiv(g, kb.vadd(one, kb.vexp(kb.vsub(zero, g)))), u)


class MatmulKernel:
    """What every form of the forward matmul shares: threads, tokens, segments, epilogue."""

    def __init__(self, op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str, unit: int) -> None:
        self.op, self.isa = op, isa
        self.kb = kb = new_builder(name, op, isa, comment)
        self.segments = _segments(op)
        self.k = shape_of(op.w[0])[1]
        self.quantize = op.quantized_output
        self.unit = unit
        total = self.segments[-1].start + self.segments[-1].rows
        self.units = total // unit
        a = kb.args
        x0 = a["x"] if "x" in a else a["x_q"]
        y0 = a[self.segments[0].out]
        self.t_out = token_count(kb, y0)
        # last_rows: y holds the last rows of the product; x row = y row + (rows of x - rows of y)
        self.row_offset = kb.sub(token_count(kb, x0), self.t_out) if op.last_rows is not None else None
        self.lo_u, self.hi_u = unit_split(kb, self.units)
        key = f"part:rows:{self.units}x{unit}"
        for seg in self.segments:
            kb.touch(seg.out, "w", key)
        if self.quantize:
            for out in kn.q8_names("y"):
                kb.touch(out, "w", key)

    def x_row(self, t_out: SSAValue) -> SSAValue:
        return t_out if self.row_offset is None else self.kb.add(t_out, self.row_offset)

    def segment_range(self, seg: Segment) -> tuple[SSAValue, SSAValue]:
        """This thread's units of `seg`, as unit indices local to the segment."""
        kb = self.kb
        first, count = seg.start // self.unit, seg.rows // self.unit
        lo = kb.min(kb.max(kb.sub(self.lo_u, kb.index(first)), kb.index(0)), kb.index(count))
        hi = kb.min(kb.max(kb.sub(self.hi_u, kb.index(first)), kb.index(0)), kb.index(count))
        return lo, hi

    def quantize_units(self, t_out: SSAValue, u_lo: SSAValue, u_hi: SSAValue) -> None:
        """Quantize the blocks of units u_lo..u_hi of row t_out of y (this thread's)."""
        kb, a = self.kb, self.kb.args
        q_dtype = self.op.output_act_dtype
        per = self.unit // kn.act_block(q_dtype)
        b_lo, b_hi = kb.mul(u_lo, kb.index(per)), kb.mul(u_hi, kb.index(per))
        quantize_blocks(kb, a["y"], t_out, b_lo, b_hi, *(a[n] for n in kn.q8_names("y")), dtype=q_dtype)

    def store(self, seg: Segment, vals: list[SSAValue], bias: list[SSAValue], t_out: SSAValue, col: SSAValue,
              lanes: int) -> None:
        """seg's output at row t_out, columns col..: the weights' vectors `vals` (+ bias), through
        the silu_mul epilogue (gate, up) when the op has one."""
        kb = self.kb
        if bias:
            vals = [kb.vadd(v, b) for v, b in zip(vals, bias, strict=True)]
        out = _silu_mul(kb, vals[0], vals[1], lanes) if self.op.epilogue is not None else vals[0]
        kb.vstore(out, kb.args[seg.out], t_out, col)

    def notes(self) -> str:
        """The epilogue and the quantized output, as the kernel's description names them."""
        epi = ", silu(gate) * up" if self.op.epilogue is not None else ""
        return epi + (", quantized output" if self.quantize else "")


# ----------------------------------------------------------------------------- rows layout


def _x_scale_column(kb: KernelBuilder, b: SSAValue, act_block: int) -> SSAValue:
    """The x_scales column of block b of 32: b for q8_0, b / 8 for q8_k (a scale per 256)."""
    return b if act_block == kn.Q8_BLOCK else kb.div(b, kb.index(act_block // kn.Q8_BLOCK))


def _sum_of_sums(kb: KernelBuilder, t: SSAValue, first: SSAValue, count: int) -> SSAValue:
    """x_sums[t, first] + ... + x_sums[t, first + count - 1] (i32): the sum of x_q over a span
    the 8-bit activation keeps several sums for (q8_k sums every 16 values)."""
    sums = kb.args["x_sums"]
    total = kb.load(sums, t, first)
    for i in range(1, count):
        total = kb.op(arith.AddiOp(total, kb.load(sums, t, kb.add(first, kb.index(i)))))
    return total


def _dot_q8_rows(kb: KernelBuilder, prefix: str, r: SSAValue, t: SSAValue, k: int, dtype: str,
                 act_dtype: str) -> SSAValue:
    """sum_b (sum_c w_q[r, c] x_q[t, c]) * w_scale[r, b] * x_scale[t, b], each block's
    integer sum formed exactly in f32. Affine types sum each scale's group apart (two per
    block of 32 for q6_k) and add min * sum(x_q) of the block. With q8_k activations x has
    a scale per 256 and a sum per 16."""
    a = kb.args
    group = AFFINE_DTYPES.get(dtype, kn.Q8_BLOCK)
    lanes = min(kb.lanes, group)
    act_block, act_group = kn.ACT_BLOCKS[act_dtype]

    def x_block_sum(b: SSAValue) -> SSAValue:
        """sum(x_q) over block b of 32, from the activation's sums (one or two per block)."""
        per = kn.Q8_BLOCK // act_group
        return _sum_of_sums(kb, t, b if per == 1 else kb.mul(b, kb.index(per)), per)

    def integer_sum(c0: SSAValue) -> SSAValue:
        def step(c: SSAValue, v: SSAValue) -> list[SSAValue]:
            col = kb.add(c0, c)
            wv = kb.to_f32(kb.vload(a[f"{prefix}_quants"], r, col, lanes=lanes))
            xv = kb.to_f32(kb.vload(a["x_q"], t, col, lanes=lanes))
            return [kb.vfma(wv, xv, v)]

        (v,) = kb.loop(0, group, step, step=lanes, carried=[kb.vzero_lanes(lanes)], name="c")
        return kb.vsum(v)

    def block(b: SSAValue, acc: SSAValue) -> list[SSAValue]:
        c0 = kb.mul(b, kb.index(kn.Q8_BLOCK))
        x_scale = kb.load(a["x_scales"], t, _x_scale_column(kb, b, act_block))
        if dtype == "q8_0":
            scale = kb.fmul(kb.extf(kb.load(a[f"{prefix}_scales"], r, b)), x_scale)
            return [kb.fadd(acc, kb.fmul(integer_sum(c0), scale))]
        subs = kn.Q8_BLOCK // group
        total = None
        for sub in range(subs):
            scale = kb.load(a[f"{prefix}_scales"], r, kb.add(kb.mul(b, kb.index(subs)), kb.index(sub)))
            term = kb.fmul(integer_sum(kb.add(c0, kb.index(sub * group))), scale)
            total = term if total is None else kb.fadd(total, term)
        assert total is not None
        if dtype in AFFINE_MINS:
            x_sum = kb.op(arith.SIToFPOp(x_block_sum(b), f32))
            total = kb.fadd(total, kb.fmul(kb.load(a[f"{prefix}_mins"], r, b), x_sum))
        return [kb.fadd(acc, kb.fmul(total, x_scale))]

    (acc,) = kb.loop(0, k // kn.Q8_BLOCK, block, carried=[kb.f32(0.0)], name="b")
    return acc


def build_matmul_rows(op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """One output row at a time: for each of this thread's rows, every token's dot product."""
    m = MatmulKernel(op, name, isa, comment, op.output_block)
    kb, a, k = m.kb, m.kb.args, m.k
    dtype = op.w_dtype.data
    lanes = lanes_for(kb.lanes, k)
    quantized_in = op.quantized_input

    def row_dot(prefix: str, r: SSAValue, t: SSAValue) -> SSAValue:
        if quantized_in:
            return _dot_q8_rows(kb, prefix, r, t, k, dtype, op.act_dtype.data)
        return dot(kb, a["x"], t, prefix, r, k, dtype, lanes)

    for seg in m.segments:
        u_lo, u_hi = m.segment_range(seg)
        r_lo, r_hi = kb.mul(u_lo, kb.index(m.unit)), kb.mul(u_hi, kb.index(m.unit))

        def row(r: SSAValue, seg: Segment = seg) -> None:
            biases = [kb.load(a[f"{b}_data"], r) for b in seg.bias]

            def token(t_out: SSAValue) -> None:
                t = m.x_row(t_out)
                values = [row_dot(w, r, t) for w in seg.weights]
                values = [kb.fadd(v, b) for v, b in zip(values, biases, strict=True)] if biases else values
                if op.epilogue is not None:
                    g, u = values
                    e = kb.exp(kb.fsub(kb.f32(0.0), g))
                    out = kb.fmul(kb.fdiv(g, kb.fadd(kb.f32(1.0), e)), u)
                else:
                    (out,) = values
                kb.store(out, a[seg.out], t_out, r)

            kb.loop(0, m.t_out, token, name="t")

        kb.loop(r_lo, r_hi, row, name="n")
        if m.quantize:
            kb.loop(0, m.t_out, lambda t_out, lo=u_lo, hi=u_hi: m.quantize_units(t_out, lo, hi), name="t")
    what = f"{dtype} x {op.act_dtype.data}, exact block sums in f32" if quantized_in else f"{dtype} weights, f32 activations"
    lane_note = "" if quantized_in else general(lanes, kb, f"K={k}") + ", "
    return kb.finish(), f"rows layout, {what}, {lane_note}split by rows"


# ----------------------------------------------------------------------------- packed f32


def _weight_scalar(kb: KernelBuilder, prefix: str, row: SSAValue, k: SSAValue, dtype: str) -> SSAValue:
    """w[row, k] as an f32 scalar, from any dense dtype or the rows layout of a block type."""
    a = kb.args
    if dtype in AFFINE_DTYPES:
        scale, minimum = affine_factors(kb, prefix, row, k, dtype)
        return affine_value(kb, dtype, kb.load(a[f"{prefix}_quants"], row, k), scale, minimum)
    if dtype == "q8_0":
        q = kb.op(arith.SIToFPOp(kb.load(a[f"{prefix}_quants"], row, k), f32))
        return kb.fmul(q, kb.extf(kb.load(a[f"{prefix}_scales"], row, kb.div(k, kb.index(kn.Q8_BLOCK)))))
    v = kb.load(a[f"{prefix}_data"], row, k)
    return v if v.type == f32 else kb.extf(v)


def build_matmul_packed(op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """f32 activations against rows-layout weights of any dtype, as register-tiled outer
    products: for each of this thread's `rows`-row units, the weights' rows are packed once,
    transposed and converted to f32, into a [K][rows x weights] panel on the stack; then every
    tile of `tokens` tokens accumulates rows x tokens in registers, one broadcast activation
    times a row vector of the panel per k (no horizontal sums)."""
    from ck.lowering.kernel_registry import matmul_schedule

    schedule = op.schedule if op.schedule is not None else matmul_schedule(op, isa)
    rows, tt = schedule.rows.data, schedule.tokens.data
    m = MatmulKernel(op, name, isa, comment, rows)
    kb, a, k = m.kb, m.kb.args, m.k
    dtype = op.w_dtype.data
    lanes = kb.lanes
    vectors = rows // lanes
    n_w = len(m.segments[0].weights)
    panel = kb.op(memref.AllocaOp.get(f32, alignment=64, shape=[k, rows * n_w]))
    panel.name_hint = "panel"
    bf16 = schedule.bf16
    if bf16 and (k % 2 or isa != "avx512"):
        raise PassFailedException(f"{op.name}: a dot = bf16 schedule needs avx512 and an even K, got K = {k} on {isa}")
    if bf16:  # the panel again as bf16 pairs of k, and each token tile's x rows in bf16
        pairs, x_bf16 = scratch(kb, [k // 2, 2 * rows * n_w], "pairs"), scratch(kb, [tt, k], "x_bf16")

    def pack(seg: Segment, n0: SSAValue) -> None:
        for wi, w in enumerate(seg.weights):
            def row(j: SSAValue, w: str = w, wi: int = wi) -> None:
                n = kb.add(n0, j)
                col = kb.add(j, kb.index(wi * rows))
                kb.loop(0, k, lambda c: kb.store(_weight_scalar(kb, w, n, c, dtype), panel, c, col), name="k")

            kb.loop(0, rows, row, name="j")
        if bf16:
            pack_pairs(kb, lambda r, c: kb.vload(panel, r, c), k // 2, rows * n_w, pairs)

    def tile(seg: Segment, n0: SSAValue, t0: SSAValue, tokens: int) -> None:
        ts = [kb.offset(t0, j) for j in range(tokens)]
        xs = [m.x_row(t) for t in ts]
        columns = [wi * rows + v * lanes for wi in range(n_w) for v in range(vectors)]
        zeros = [kb.vzero_lanes()] * (tokens * n_w * vectors)

        def step(c: SSAValue, *acc: SSAValue) -> list[SSAValue]:
            wv = [kb.vload(panel, c, kb.index(col)) for col in columns]
            out = list(acc)
            for j in range(tokens):
                xb = kb.splat(kb.load(a["x"], xs[j], c))
                for i, w in enumerate(wv):
                    out[j * len(wv) + i] = kb.vfma(xb, w, acc[j * len(wv) + i])
            return out

        if bf16:
            for j in range(tokens):
                round_row(kb, a["x"], xs[j], k, x_bf16, kb.index(j))
            acc = outer_tile_bf16(kb, kb.index(k // 2), lambda p, j: pair_at(kb, x_bf16, kb.index(j), p),
                                  lambda p, i: kb.vload(pairs, p, kb.index(2 * columns[i]), lanes=PAIR_LANES),
                                  tokens, len(columns), zeros)
        else:
            acc = kb.loop(0, k, step, carried=zeros, name="k")
        for v in range(vectors):
            col = kb.add(n0, kb.index(v * lanes))
            bias = [kb.vload(a[f"{b}_data"], col) for b in seg.bias]
            for j in range(tokens):
                m.store(seg, [acc[j * n_w * vectors + wi * vectors + v] for wi in range(n_w)], bias, ts[j], col, lanes)

    for seg in m.segments:
        lo, hi = m.segment_range(seg)

        def unit(u: SSAValue, seg: Segment = seg) -> None:
            n0 = kb.mul(u, kb.index(rows))
            pack(seg, n0)
            kb.blocked(0, m.t_out, tt, lambda t0, tokens: tile(seg, n0, t0, tokens), name="t")
            if m.quantize:
                kb.loop(0, m.t_out, lambda t_out: m.quantize_units(t_out, u, kb.add(u, kb.index(1))), name="t")

        kb.loop(lo, hi, unit, name="u")
    products = "bf16 pair products (x and the panel rounded to bf16)" if bf16 else "outer products"
    return kb.finish(), (
        f"rows layout, {dtype} weights packed transposed to f32, register tile {rows} rows x {tt} tokens of "
        f"{products}{m.notes()}, split by rows"
    )


# ----------------------------------------------------------------------------- rp16 layout


def build_matmul_rp16(op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """int8 dot products over rp16 weights (see the module docstring), blocked as the op's
    schedule says: a tile of `rows` rows (whole 16-row groups) x `tokens` tokens accumulates in
    registers over K; with one token per tile, `streams` tiles walk in lock-step."""
    from ck.lowering.kernel_registry import matmul_schedule

    schedule = op.schedule if op.schedule is not None else matmul_schedule(op, isa)
    tile_groups, tt = schedule.rows.data // GROUP, schedule.tokens.data
    unit_groups = max(tile_groups, op.output_block // GROUP)  # a thread's share: whole tiles and blocks
    # `streams` row groups in lock-step: one group (of every weight it reads) from each of `lock` units
    lock = max(1, schedule.streams.data // len(op.w if op.epilogue is not None else op.w[:1]))
    m = MatmulKernel(op, name, isa, comment, GROUP * unit_groups)
    kb, a, k = m.kb, m.kb.args, m.k
    l32 = kb.isa.lanes(i32)  # rows per register
    halves = GROUP // l32
    nb = k // kn.Q8_BLOCK
    dtype = op.w_dtype.data
    offset = mem.rp16_offset(dtype)  # what the layout added to each q
    nibbles = dtype in mem.RP16_NIBBLE_DTYPES
    k_quant = dtype in mem.K_QUANT_DTYPES
    if offset:
        minus_offset = kb.op(arith.ConstantOp(IntegerAttr(-offset, i32)))
    mins = dtype in AFFINE_MINS
    subs = kn.Q8_BLOCK // AFFINE_DTYPES.get(dtype, kn.Q8_BLOCK)  # scales per block of 32
    steps = kn.Q8_BLOCK // 4 // subs  # k-steps of 4 per scale
    # q8_0: a scale and a sum per block of 32; q8_k (the k-quants): a scale per 256, a sum per 16
    act_block, act_group = kn.ACT_BLOCKS[op.act_dtype.data]
    sums_per_sub = kn.Q8_BLOCK // subs // act_group  # x sums that make one scale's group
    assert sums_per_sub >= 1, f"{dtype}: a scale per {kn.Q8_BLOCK // subs} needs sums at least that fine"

    def tile(seg: Segment, groups: Sequence[SSAValue], t0: SSAValue, tokens: int) -> None:
        """Outputs of row `groups` of `seg` for the `tokens` output rows from t0, in registers."""
        streams = [(w, g) for g in groups for w in seg.weights]  # gate, up of one group side by side
        n = len(streams) * halves
        ts = [kb.offset(t0, j) for j in range(tokens)]
        xs = [m.x_row(t) for t in ts]

        def kstep(c0: SSAValue, b: SSAValue, s: SSAValue, ai: Sequence[SSAValue]) -> list[SSAValue]:
            """One k-step of 4 bytes: every stream's dot products."""
            col = kb.add(c0, kb.mul(s, kb.index(4)))
            xb = [kb.regroup(kb.vload(a["x_q"], x, col, lanes=4), 4 * l32) for x in xs]
            at = kb.mul(s, kb.index(4 * GROUP))
            out = list(ai)
            for i, (w, g) in enumerate(streams):
                for h in range(halves):
                    wv = kb.vload(a[f"{w}_quants"], g, b, kb.add(at, kb.index(4 * l32 * h)), lanes=4 * l32)
                    for j in range(tokens):
                        idx = (i * halves + h) * tokens + j
                        out[idx] = kb.dot_i8(ai[idx], wv, xb[j])
            return out

        def kstep_pair(c0: SSAValue, b: SSAValue, s: SSAValue, ai: Sequence[SSAValue]) -> list[SSAValue]:
            """k-steps s and s + 4 of a block of 4-bit weights: one load of 64 bytes per 16 rows,
            the low nibbles for k-step s and the high ones for s + 4."""
            col = kb.add(c0, kb.mul(s, kb.index(4)))
            xlo = [kb.regroup(kb.vload(a["x_q"], x, col, lanes=4), 4 * l32) for x in xs]
            xhi = [kb.regroup(kb.vload(a["x_q"], x, kb.add(col, kb.index(16)), lanes=4), 4 * l32) for x in xs]
            at = kb.mul(s, kb.index(4 * GROUP))
            out = list(ai)
            for i, (w, g) in enumerate(streams):
                for h in range(halves):
                    packed = kb.vload(a[f"{w}_quants"], g, b, kb.add(at, kb.index(4 * l32 * h)), lanes=4 * l32)
                    lo, hi = kb.nibbles(packed, "low"), kb.nibbles(packed, "high")
                    for j in range(tokens):
                        idx = (i * halves + h) * tokens + j
                        out[idx] = kb.dot_i8(kb.dot_i8(ai[idx], lo, xlo[j]), hi, xhi[j])
            return out

        def scale_index(b: SSAValue, sub: int) -> SSAValue:
            """Scale `sub` of block b (a scale per 16: two per block)."""
            return kb.add(kb.mul(b, kb.index(subs)), kb.index(sub)) if subs > 1 else b

        def x_sum(x: SSAValue, b: SSAValue, sub: int, count: int) -> SSAValue:
            """The sum of x_q over `count` scale groups from group `sub` of block b (i32)."""
            per_block = subs * sums_per_sub
            first = b if per_block == 1 else kb.add(kb.mul(b, kb.index(per_block)), kb.index(sub * sums_per_sub))
            return _sum_of_sums(kb, x, first, count * sums_per_sub)

        def start(sub: int, b: SSAValue) -> list[SSAValue]:
            """Each token's start of group `sub`'s dot products: -offset * its sum of x_q."""
            if not offset:
                return [kb.splat(kb.i32(0), l32)] * tokens
            return [kb.splat(kb.op(arith.MuliOp(x_sum(x, b, sub, 1), minus_offset)), l32) for x in xs]

        def block(b: SSAValue, *acc: SSAValue) -> list[SSAValue]:
            new = list(acc)
            sums = []  # i32 per scale group, converted where used
            for sub in range(subs):
                comps = start(sub, b)
                if sub == 0:
                    c0 = kb.mul(b, kb.index(kn.Q8_BLOCK))
                init = [comps[j] for _ in range(n) for j in range(tokens)]
                if nibbles:  # k-steps s and s + 4 from one load
                    ai = kb.loop(0, kn.Q8_BLOCK // 8, lambda s, *ai: kstep_pair(c0, b, s, ai), carried=init, name="s")
                else:
                    ai = kb.loop(sub * steps, (sub + 1) * steps, lambda s, *ai: kstep(c0, b, s, ai),
                                 carried=init, name="s")
                sums.append(list(ai))
            x_block = _x_scale_column(kb, b, act_block)
            x_scales = [kb.load(a["x_scales"], x, x_block) for x in xs]
            das = [kb.splat(xs_, l32) for xs_ in x_scales]
            if mins:  # min * sum(x_q) * x_scale
                m_das = [kb.splat(kb.fmul(kb.op(arith.SIToFPOp(x_sum(x, b, 0, subs), f32)), xs_), l32)
                         for x, xs_ in zip(xs, x_scales, strict=True)]
            if k_quant:
                superblock = kb.div(b, kb.index(8))  # 8 blocks of 32 per 256
            for i, (w, g) in enumerate(streams):
                for h in range(halves):
                    lane = kb.index(h * l32)
                    if k_quant:  # the integer scales times d (exact in f32: the stored scale)
                        d = kb.vload(a[f"{w}_d"], g, superblock, lane, lanes=l32)
                    for sub in range(subs):
                        sc = kb.to_f32(kb.vload(a[f"{w}_scales"], g, scale_index(b, sub), lane, lanes=l32))
                        if k_quant:
                            sc = kb.vmul(d, sc)
                        for j in range(tokens):
                            idx = (i * halves + h) * tokens + j
                            new[idx] = kb.vfma(kb.to_f32(sums[sub][idx]), kb.vmul(sc, das[j]), new[idx])
                    if mins:
                        mn = kb.to_f32(kb.vload(a[f"{w}_mins"], g, b, lane, lanes=l32))
                        if k_quant:  # -(dmin * m)
                            dmin = kb.vload(a[f"{w}_dmin"], g, superblock, lane, lanes=l32)
                            mn = kb.vsub(kb.vzero_lanes(l32), kb.vmul(dmin, mn))
                        for j in range(tokens):
                            idx = (i * halves + h) * tokens + j
                            new[idx] = kb.vfma(mn, m_das[j], new[idx])
            return new

        acc = kb.loop(0, nb, block, carried=[kb.vzero_lanes(l32)] * (n * tokens), name="b")
        n_w = len(seg.weights)
        for gi, g in enumerate(groups):
            row0 = kb.mul(g, kb.index(GROUP))
            for h in range(halves):
                row = kb.add(row0, kb.index(h * l32))
                bias = [kb.vload(a[f"{bn}_data"], row, lanes=l32) for bn in seg.bias]
                for j in range(tokens):
                    vals = [acc[((gi * n_w + wi) * halves + h) * tokens + j] for wi in range(n_w)]
                    m.store(seg, vals, bias, ts[j], row, l32)

    def unit_groups_of(u: SSAValue, first: SSAValue, count: int) -> list[SSAValue]:
        """Row groups first .. first + count of unit u."""
        base = kb.add(kb.mul(u, kb.index(unit_groups)), first)
        return [kb.add(base, kb.index(j)) for j in range(count)]

    def each_tile(body: Callable[[SSAValue], None], groups: int) -> None:
        """body(first row group, within the unit) for each tile of `groups` row groups of a unit
        (a unit of whole q8_k blocks holds 16 groups: a loop, not 16 copies of the kernel)."""
        if unit_groups == groups:
            body(kb.index(0))
        else:
            kb.loop(0, unit_groups, body, step=groups, name="j")

    def streamed(seg: Segment, units: Sequence[SSAValue]) -> None:
        """One token at a time, the units walked in lock-step, a row group of each at a time
        (far-apart streams: each unit's groups are contiguous, the units are not)."""

        def token(t_out: SSAValue) -> None:
            each_tile(lambda j: tile(seg, [unit_groups_of(u, j, 1)[0] for u in units], t_out, 1), 1)
            if m.quantize:
                for u in units:
                    m.quantize_units(t_out, u, kb.add(u, kb.index(1)))

        kb.loop(0, m.t_out, token, name="t")

    def tiled(seg: Segment, u: SSAValue) -> None:
        """Every token of unit u, `tt` tokens per register tile (then the rest in halving tiles: a
        decode step of a few sequences is all remainder)."""

        def tokens_from(t0: SSAValue, tokens: int) -> None:
            each_tile(lambda j: tile(seg, unit_groups_of(u, j, tile_groups), t0, tokens), tile_groups)

        kb.blocked(0, m.t_out, tt, tokens_from, name="t", halving=True)
        if m.quantize:
            kb.loop(0, m.t_out, lambda t_out: m.quantize_units(t_out, u, kb.add(u, kb.index(1))), name="t")

    walked = 1
    for seg in m.segments:
        lo, hi = m.segment_range(seg)
        if tt > 1:
            kb.loop(lo, hi, lambda u, seg=seg: tiled(seg, u), name="u")
            continue
        rest = lo
        if lock > 1 and seg.rows // m.unit >= lock:  # the lock-step walk, then what is left one by one
            walked = lock
            per = kb.div(kb.sub(hi, lo), kb.index(lock))

            def together(i: SSAValue, seg: Segment = seg, lo: SSAValue = lo, per: SSAValue = per) -> None:
                streamed(seg, [kb.add(lo, kb.add(kb.mul(per, kb.index(j)), i)) for j in range(lock)])

            kb.loop(0, per, together, name="i")
            rest = kb.add(lo, kb.mul(per, kb.index(lock)))
        kb.loop(rest, hi, lambda u, seg=seg: streamed(seg, [u]), name="u")
    if tt > 1:
        how = f"register tile {tile_groups * GROUP} rows x {tt} tokens"
    else:
        how = f"{walked * len(m.segments[0].weights)} row groups in lock-step"
    weights = f", {dtype} two per byte unpacked in registers" if nibbles else ""
    if subs > 1:
        weights = f", {dtype} scales per 16"
    act = ", q8_k activations (a scale per 256, sums per 16)" if act_block != kn.Q8_BLOCK else ""
    return kb.finish(), f"rp16, int8 dot products ({l32} rows per register){weights}{act}, {how}{m.notes()}, split by rows"


def build_matmul(op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    if op.act_dtype.data != "f32" and not op.quantized_input:
        raise PassFailedException(
            f"{op.name}: act_dtype {op.act_dtype.data} with an f32 input: run quantize-activations first "
            "(it quantizes each input once, for every matmul that reads it)"
        )
    layouts = {weight_layout(w) for w in op.w}
    if op.quantized_input and layouts == {"rp16"}:
        return build_matmul_rp16(op, name, isa, comment)
    if "rp16" in layouts:
        raise PassFailedException(f"{op.name}: rp16 weights need an 8-bit input and every weight in rp16")
    if op.schedule is not None and op.schedule.tokens.data > 1 and not op.quantized_input:
        return build_matmul_packed(op, name, isa, comment)
    return build_matmul_rows(op, name, isa, comment)


# ----------------------------------------------------------------------------- backward


def _outer_tile(
    kb: KernelBuilder, count: SSAValue, broadcast: Callable[[SSAValue, int], SSAValue],
    vector: Callable[[SSAValue, int], SSAValue], tile: int, vectors: int, init: list[SSAValue],
) -> list[SSAValue]:
    """sum over i < count of broadcast(i, j) * vector(i, v), for j < tile and v < vectors: the
    f32 outer-product micro-kernel of the gradient matmuls, accumulated in registers."""

    def step(i: SSAValue, *acc: SSAValue) -> list[SSAValue]:
        vs = [vector(i, v) for v in range(vectors)]
        out = list(acc)
        for j in range(tile):
            b = kb.splat(broadcast(i, j))
            for v in range(vectors):
                out[j * vectors + v] = kb.vfma(b, vs[v], acc[j * vectors + v])
        return out

    return kb.loop(0, count, step, carried=init, name="i")


def build_matmul_dx(op: kn.MatmulDxOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dx[t, :] = sum_n dy[t, n] * w[n, :]. With a schedule of `rows` columns x `tokens`
    tokens (the outer-product tile: w's row segment loaded once per n for every token of the
    tile, dy's scalars broadcast), else one register per K chunk; split by tokens."""
    n, k = shape_of(op.w)
    dtype = weight_dtype(op.w)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    dy, dx = a["dy"], a["dx"]
    lo, hi = kb.split(token_count(kb, dy), a["tid"], a["nth"])
    cols, tt = (op.schedule.rows.data, op.schedule.tokens.data) if op.schedule is not None else (1, 1)
    if cols >= kb.lanes and k % cols == 0:
        vectors = cols // kb.lanes
        bf16 = op.schedule is not None and op.schedule.bf16
        if bf16 and (n % 2 or isa != "avx512"):
            raise PassFailedException(f"{op.name}: a dot = bf16 schedule needs avx512 and an even number of w rows, "
                                      f"got {n} on {isa}")
        if bf16:  # w as bf16 pairs of its rows (once per thread), each token tile's dy rows in bf16
            w_pairs, dy_bf16 = scratch(kb, [n // 2, 2 * k], "w_pairs"), scratch(kb, [tt, n], "dy_bf16")
            pack_pairs(kb, lambda r, c: weight_vec(kb, "w", r, c, dtype, kb.lanes), n // 2, k, w_pairs)

        def tile(t0: SSAValue, tokens: int) -> None:
            if bf16:
                for j in range(tokens):
                    round_row(kb, dy, kb.offset(t0, j), n, dy_bf16, kb.index(j))

            def panel(c0: SSAValue) -> None:
                def b(i: SSAValue, j: int) -> SSAValue:
                    return kb.load(dy, kb.offset(t0, j), i)

                def w(i: SSAValue, v: int) -> SSAValue:
                    return weight_vec(kb, "w", i, kb.add(c0, kb.index(v * kb.lanes)), dtype, kb.lanes)

                def w_pair(p: SSAValue, v: int) -> SSAValue:
                    col = kb.mul(kb.add(c0, kb.index(v * kb.lanes)), kb.index(2))
                    return kb.vload(w_pairs, p, col, lanes=PAIR_LANES)

                zeros = [kb.vzero_lanes()] * (tokens * vectors)
                if bf16:
                    acc = outer_tile_bf16(kb, kb.index(n // 2), lambda p, j: pair_at(kb, dy_bf16, kb.index(j), p),
                                          w_pair, tokens, vectors, zeros)
                else:
                    acc = _outer_tile(kb, kb.index(n), b, w, tokens, vectors, zeros)
                for j in range(tokens):
                    for v in range(vectors):
                        kb.vstore(acc[j * vectors + v], dx, kb.offset(t0, j), kb.add(c0, kb.index(v * kb.lanes)))

            kb.loop(0, k, panel, step=cols, name="k")

        kb.blocked(lo, hi, tt, tile, name="t")
        kb.touch("dy", "r", "part:tokens")
        kb.touch("dx", "w", "part:tokens")
        products = "bf16 pair products (w and dy rounded to bf16)" if bf16 else "outer products"
        return kb.finish(), f"{products}, register tile {cols} columns x {tt} tokens, split by token"
    lanes = lanes_for(kb.lanes, k)

    def token(t: SSAValue) -> None:
        def chunk(c: SSAValue) -> None:
            def row(r: SSAValue, acc: SSAValue) -> list[SSAValue]:
                g = kb.splat(kb.load(dy, t, r), lanes)
                return [kb.vfma(g, weight_vec(kb, "w", r, c, dtype, lanes), acc)]

            (acc,) = kb.loop(0, n, row, carried=[kb.vzero_lanes(lanes)], name="n")
            kb.vstore(acc, dx, t, c)

        kb.loop(0, k, chunk, step=lanes, name="k")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), general(lanes, kb, f"K={k}") + ", split by token"


def build_matmul_dw(op: kn.MatmulDwOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dw[n, :] = sum_t dy[t, n] * x[t, :]. With a schedule of `rows` columns x `tokens`
    rows of dw (the outer-product tile: x's row segment loaded once per token for every row of
    the tile, dy's scalars broadcast), else one register per K chunk; split by rows of dw."""
    n, k = shape_of(op.outs[0])
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    dy, x, dw = a["dy"], a["x"], a["dw"]
    t_count = token_count(kb, dy)
    cols, tr = (op.schedule.rows.data, op.schedule.tokens.data) if op.schedule is not None else (1, 1)
    mode = "dw = dy^T x"
    if cols >= kb.lanes and k % cols == 0:
        vectors = cols // kb.lanes
        lo, hi = kb.split(kb.index(n), a["tid"], a["nth"])
        bf16 = op.schedule is not None and op.schedule.bf16
        tokens = shape_of(op.dy)[0]
        if bf16 and (tokens == DYNAMIC_INDEX or tokens % 2 or n % kb.lanes or isa != "avx512"):
            raise PassFailedException(f"{op.name}: a dot = bf16 schedule needs avx512, a static even token count and "
                                      f"dw rows in whole vectors, got {tokens} tokens and {n} rows on {isa}")
        if bf16:  # x and dy as bf16 pairs of tokens (once per thread)
            half = tokens // 2
            x_pairs, dy_pairs = scratch(kb, [half, 2 * k], "x_pairs"), scratch(kb, [half, 2 * n], "dy_pairs")
            pack_pairs(kb, lambda t, c: kb.vload(x, t, c), half, k, x_pairs)
            pack_pairs(kb, lambda t, c: kb.vload(dy, t, c), half, n, dy_pairs)

        def tile(r0: SSAValue, rows: int) -> None:
            def panel(c0: SSAValue) -> None:
                def at(j: int, v: int) -> tuple[SSAValue, SSAValue]:
                    return kb.offset(r0, j), kb.add(c0, kb.index(v * kb.lanes))

                init = [kb.vzero_lanes() for _ in range(rows * vectors)]
                if bf16:
                    acc = outer_tile_bf16(
                        kb, kb.index(half), lambda p, j: pair_at(kb, dy_pairs, p, at(j, 0)[0]),
                        lambda p, v: kb.vload(x_pairs, p, kb.mul(at(0, v)[1], kb.index(2)), lanes=PAIR_LANES),
                        rows, vectors, init,
                    )
                else:
                    acc = _outer_tile(
                        kb, t_count, lambda t, j: kb.load(dy, t, at(j, 0)[0]),
                        lambda t, v: kb.vload(x, t, kb.add(c0, kb.index(v * kb.lanes))), rows, vectors, init,
                    )
                for j in range(rows):
                    for v in range(vectors):
                        kb.vstore(acc[j * vectors + v], dw, *at(j, v))

            kb.loop(0, k, panel, step=cols, name="k")

        kb.blocked(lo, hi, tr, tile, name="n")
        products = "bf16 pair products (dy and x rounded to bf16)" if bf16 else "outer products"
        return kb.finish(), f"{products}, register tile {cols} columns x {tr} rows, {mode}, split by row of dw"
    lanes = lanes_for(kb.lanes, k)
    lo, hi = kb.split(kb.index(n), a["tid"], a["nth"])

    def row(r: SSAValue) -> None:
        def chunk(c: SSAValue) -> None:
            def token(t: SSAValue, acc: SSAValue) -> list[SSAValue]:
                g = kb.splat(kb.load(dy, t, r), lanes)
                return [kb.vfma(g, kb.vload(x, t, c, lanes=lanes), acc)]

            init = kb.vzero_lanes(lanes)
            (acc,) = kb.loop(0, t_count, token, carried=[init], name="t")
            kb.vstore(acc, dw, r, c)

        kb.loop(0, k, chunk, step=lanes, name="k")

    kb.loop(lo, hi, row, name="n")
    return kb.finish(), general(lanes, kb, f"K={k}") + f", {mode}, split by row of dw"


DB_TILE = 4
"""Vectors of db a thread sums at once: independent accumulators, one cache line of each dy row."""


def build_matmul_db(op: kn.MatmulDbOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """db[n] = sum_t dy[t, n], split by rows of db (whole vectors per thread): each thread keeps
    a tile of up to DB_TILE vectors of its rows in registers while it walks every token, so no two
    threads add into one element and db is stored once."""
    (n,) = shape_of(op.outs[0])
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    dy, db = a["dy"], a["db"]
    lanes = lanes_for(kb.lanes, n)
    t_count = token_count(kb, dy)
    lo, hi = kb.split(kb.index(n // lanes), a["tid"], a["nth"])

    def tile(v0: SSAValue, vectors: int) -> None:
        cols = [kb.mul(kb.offset(v0, j), kb.index(lanes)) for j in range(vectors)]

        def token(t: SSAValue, *acc: SSAValue) -> list[SSAValue]:
            return [kb.vadd(acc[j], kb.vload(dy, t, cols[j], lanes=lanes)) for j in range(vectors)]

        acc = kb.loop(0, t_count, token, carried=[kb.vzero_lanes(lanes)] * vectors, name="t")
        for j in range(vectors):
            kb.vstore(acc[j], db, cols[j])

    kb.blocked(lo, hi, DB_TILE, tile, name="v")
    kb.touch("db", "w", f"part:rows:{n // lanes}x{lanes}")
    return kb.finish(), general(lanes, kb, f"N={n}") + f", register tile {DB_TILE} vectors, split by row of db"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.GemvOp: ("gemv", build_matmul),
    kn.GemmOp: ("gemm", build_matmul),
    kn.MatmulDxOp: ("matmul_dx", build_matmul_dx),
    kn.MatmulDwOp: ("matmul_dw", build_matmul_dw),
    kn.MatmulDbOp: ("matmul_db", build_matmul_db),
}

