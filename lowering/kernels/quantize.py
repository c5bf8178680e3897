"""Activations to q8_0, as llama.cpp's CPU path quantizes them before a q8_0 dot product.

Per block of 32 values: amax = max |x|, the stored scale is fp16(amax / 127) (kept as the
f32 value of that fp16), q = round-to-nearest-even(x * (127 / amax)) with the multiplier
from the f32 amax, and the block's sum of q (what a kernel reading weights stored as
w + 128 subtracts 128 times). `quantize_blocks` is also the tail of every kernel that
writes a quantized output (rmsnorm, attention, the gate/up matmul): it re-reads the f32
values the kernel just stored, still in L1.
"""

from __future__ import annotations

from xdsl.dialects import arith, func
from xdsl.dialects.builtin import IntegerAttr, f16, f32, i8, i32
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import Builder, new_builder, thread_rows, token_count

BLOCK = kn.Q8_BLOCK


def quantize_blocks(
    kb: KernelBuilder, y: SSAValue, t: SSAValue, b_lo: SSAValue | int, b_hi: SSAValue | int,
    q: SSAValue, scales: SSAValue, sums: SSAValue, col0: SSAValue | int = 0,
) -> None:
    """Quantize blocks b_lo..b_hi of row t of y (block b = y[t, col0 + 32 b ...]) into q,
    scales and sums (indexed by block b from column col0 / 32 on)."""
    lanes = min(kb.lanes, BLOCK)
    zero = kb.vzero_lanes(lanes)
    zero_i = kb.splat(kb.op(arith.ConstantOp(IntegerAttr(0, i32))), lanes)
    base = kb.index(col0) if isinstance(col0, int) else col0
    first_block = kb.div(base, kb.index(BLOCK))

    def block(b: SSAValue) -> None:
        c0 = kb.add(base, kb.mul(b, kb.index(BLOCK)))

        def amax_step(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
            v = kb.vload(y, t, kb.add(c0, c), lanes=lanes)
            return [kb.vmax(acc, kb.vmax(v, kb.vsub(zero, v)))]

        (m,) = kb.loop(0, BLOCK, amax_step, step=lanes, carried=[zero], name="c")
        amax = kb.vmax_lanes(m)
        scale = kb.extf(kb.truncf(kb.fdiv(amax, kb.f32(127.0)), f16), f32)
        positive = kb.op(arith.CmpfOp(amax, kb.f32(0.0), "ogt"))
        inv = kb.splat(kb.select(positive, kb.fdiv(kb.f32(127.0), amax), kb.f32(0.0)), lanes)

        def q_step(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
            col = kb.add(c0, c)
            v = kb.vmul(kb.vload(y, t, col, lanes=lanes), inv)
            kb.vstore(kb.convert(v, i8), q, t, col)
            return [kb.vadd(acc, kb.convert(v, i32))]

        (total,) = kb.loop(0, BLOCK, q_step, step=lanes, carried=[zero_i], name="c")
        out = kb.add(first_block, b)
        kb.store(scale, scales, t, out)
        kb.store(kb.vsum(total), sums, t, out)

    kb.loop(b_lo, b_hi, block, name="b")


def build_quantize_act(op: kn.QuantizeActOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Every row of x to q8_0; rows split across threads (or all rows on every thread, into
    its own buffers, with split = replicate)."""
    _, k = shape_of(op.x)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lo, hi, split = thread_rows(kb, op, token_count(kb, a["x"]))

    def row(t: SSAValue) -> None:
        quantize_blocks(kb, a["x"], t, 0, k // BLOCK, a["q"], a["scales"], a["sums"])

    kb.loop(lo, hi, row, name="t")
    if split == "tokens":
        for out in ("q", "scales", "sums"):
            kb.touch(out, "w", "part:tokens")
    return kb.finish(), f"{min(kb.lanes, BLOCK)} lanes, split by {split}"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.QuantizeActOp: ("quantize_act", build_quantize_act),
}
