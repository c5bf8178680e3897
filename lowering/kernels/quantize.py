"""Activations to 8 bits, as llama.cpp's CPU path quantizes them before an int8 dot product.

q8_0 (for q8_0 and the legacy 4/5-bit weights), per block of 32 values: amax = max |x|,
the stored scale is fp16(amax / 127) (kept as the f32 value of that fp16), q =
round-to-nearest-even(x * (127 / amax)) with the multiplier from the f32 amax, and the
block's sum of q. q8_k (for the k-quants), per block of 256: iscale = 127 / amax, q =
round-to-nearest-even(x * iscale), the f32 scale 1 / iscale, and a sum of q per 16. The
sums are what a kernel reading weights stored with an offset (w + 128) or with mins
needs. `quantize_blocks` is also the tail of every kernel that writes a quantized output
(rmsnorm, attention, the gate/up matmul): it re-reads the f32 values the kernel just
stored, still in L1.
"""

from __future__ import annotations

from xdsl.dialects import arith, func
from xdsl.dialects.builtin import IntegerAttr, f16, f32, i8, i32
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import Builder, new_builder, thread_rows, token_count


def quantize_blocks(
    kb: KernelBuilder, y: SSAValue, t: SSAValue, b_lo: SSAValue | int, b_hi: SSAValue | int,
    q: SSAValue, scales: SSAValue, sums: SSAValue, col0: SSAValue | int = 0, dtype: str = "q8_0",
) -> None:
    """Quantize blocks b_lo..b_hi of row t of y to `dtype` (block b = y[t, col0 + B b ...],
    B the dtype's block) into q, scales and sums (indexed from column col0 on)."""
    block, group = kn.ACT_BLOCKS[dtype]
    lanes = min(kb.lanes, group)
    zero = kb.vzero_lanes(lanes)
    zero_i = kb.splat(kb.op(arith.ConstantOp(IntegerAttr(0, i32))), lanes)
    base = kb.index(col0) if isinstance(col0, int) else col0
    first_block = kb.div(base, kb.index(block))

    def one_block(b: SSAValue) -> None:
        c0 = kb.add(base, kb.mul(b, kb.index(block)))

        def amax_step(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
            v = kb.vload(y, t, kb.add(c0, c), lanes=lanes)
            return [kb.vmax(acc, kb.vmax(v, kb.vsub(zero, v)))]

        (m,) = kb.loop(0, block, amax_step, step=lanes, carried=[zero], name="c")
        amax = kb.vmax_lanes(m)
        positive = kb.op(arith.CmpfOp(amax, kb.f32(0.0), "ogt"))
        iscale = kb.select(positive, kb.fdiv(kb.f32(127.0), amax), kb.f32(0.0))
        if dtype == "q8_k":
            scale = kb.select(positive, kb.fdiv(kb.f32(1.0), iscale), kb.f32(0.0))
        else:
            scale = kb.extf(kb.truncf(kb.fdiv(amax, kb.f32(127.0)), f16), f32)
        inv = kb.splat(iscale, lanes)

        def one_group(g: SSAValue) -> None:
            g0 = kb.add(c0, kb.mul(g, kb.index(group)))

            def q_step(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
                col = kb.add(g0, c)
                v = kb.vmul(kb.vload(y, t, col, lanes=lanes), inv)
                kb.vstore(kb.convert(v, i8), q, t, col)
                return [kb.vadd(acc, kb.convert(v, i32))]

            (total,) = kb.loop(0, group, q_step, step=lanes, carried=[zero_i], name="c")
            per = block // group
            kb.store(kb.vsum(total), sums, t, kb.add(kb.mul(kb.add(first_block, b), kb.index(per)), g))

        kb.store(scale, scales, t, kb.add(first_block, b))
        if block == group:  # q8_0: one sum per block
            one_group(kb.index(0))
        else:
            kb.loop(0, block // group, one_group, name="g")

    kb.loop(b_lo, b_hi, one_block, name="b")


def build_quantize_act(op: kn.QuantizeActOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Every row of x to 8 bits (q8_0 or q8_k); rows split across threads (or all rows on every thread, into
    its own buffers, with split = replicate)."""
    _, k = shape_of(op.x)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lo, hi, split = thread_rows(kb, op, token_count(kb, a["x"]))

    def row(t: SSAValue) -> None:
        quantize_blocks(kb, a["x"], t, 0, k // kn.act_block(op.dtype), a["q"], a["scales"], a["sums"], dtype=op.dtype)

    kb.loop(lo, hi, row, name="t")
    if split == "tokens":
        for out in ("q", "scales", "sums"):
            kb.touch(out, "w", "part:tokens")
    return kb.finish(), f"{op.dtype}, {min(kb.lanes, kn.ACT_BLOCKS[op.dtype][1])} lanes, split by {split}"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.QuantizeActOp: ("quantize_act", build_quantize_act),
}
