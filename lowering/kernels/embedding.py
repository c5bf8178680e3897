"""Token embedding (a row gather, dequantized) and its gradient (a scatter-add)."""

from __future__ import annotations

from xdsl.dialects import arith, func
from xdsl.dialects.builtin import IntegerAttr, f32, i8
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects.types import AFFINE_DTYPES, AFFINE_MINS, shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import (
    Builder, affine_value, column_split, dequant_row, general, lanes_for, new_builder, thread_rows, token_count, weight_layout,
    zero_columns,
)


def build_embedding(op: kn.EmbeddingOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """y[t] = the dequantized row tokens[t] of the table. Rows layout: vectorized; rp16 (a
    tied table the lm head reads as int8 dot products): row r is lane r % 16 of group
    r / 16, gathered 4 bytes per k-step. Tokens split across threads, or every token on
    every thread (split = replicate)."""
    _, d = shape_of(op.table)
    dtype = op.w_dtype.data
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    lo, hi, split = thread_rows(kb, op, token_count(kb, a["tokens"]))
    rp16 = weight_layout(op.table) == "rp16"
    lanes = 1 if rp16 else lanes_for(kb.lanes, d)

    def token(t: SSAValue) -> None:
        row = kb.i32_to_index(kb.load(a["tokens"], t))
        if rp16:
            _gather_rp16(kb, row, t, d, dtype)
            return

        def chunk(c: SSAValue) -> None:
            kb.vstore(dequant_row(kb, "table", row, c, dtype, lanes), a["y"], t, c)

        kb.loop(0, d, chunk, step=lanes, name="d")

    kb.loop(lo, hi, token, name="t")
    if split == "tokens":
        kb.touch("y", "w", "part:tokens")
    layout = "rp16 gather, scalar" if rp16 else general(lanes, kb, f"width={d}")
    return kb.finish(), f"{layout}, split by {split}"


def _gather_rp16(kb: KernelBuilder, row: SSAValue, t: SSAValue, d: int, dtype: str) -> None:
    """y[t, k] = (quants byte of (row, k) ^ 0x80) * scale of (row, k) (+ its min), from rp16."""
    a = kb.args
    g = kb.div(row, kb.index(mem.RP16_ROWS))
    lane4 = kb.mul(kb.rem(row, kb.index(mem.RP16_ROWS)), kb.index(4))
    lane = kb.rem(row, kb.index(mem.RP16_ROWS))
    bias = kb.op(arith.ConstantOp(IntegerAttr(-128, i8)))
    group = AFFINE_DTYPES.get(dtype, kn.Q8_BLOCK)

    def block(b: SSAValue) -> None:
        k_quant = dtype in mem.K_QUANT_DTYPES  # integer scales and mins times d and dmin per 256
        superblock = kb.div(b, kb.index(8)) if k_quant else None
        minimum = kb.load(a["table_mins"], g, b, lane) if dtype in AFFINE_MINS else None
        if minimum is not None and k_quant:
            minimum = kb.fsub(kb.f32(0.0), kb.fmul(kb.load(a["table_dmin"], g, superblock, lane),
                                                   kb.op(arith.SIToFPOp(minimum, f32))))
        block_scale = None if dtype in AFFINE_DTYPES else kb.extf(kb.load(a["table_scales"], g, b, lane))

        def value_at(q: SSAValue, col: SSAValue) -> None:
            if block_scale is None:
                scale = kb.load(a["table_scales"], g, kb.div(col, kb.index(group)), lane)
                if k_quant:
                    scale = kb.fmul(kb.load(a["table_d"], g, superblock, lane), kb.op(arith.SIToFPOp(scale, f32)))
                value = affine_value(kb, dtype, q, scale, minimum)
            else:
                value = kb.fmul(kb.op(arith.SIToFPOp(q, f32)), block_scale)
            kb.store(value, a["y"], t, col)

        def byte_at(k: SSAValue) -> SSAValue:  # k-step k // 4, byte k % 4 of the row's 4
            at = kb.add(kb.add(kb.mul(kb.div(k, kb.index(4)), kb.index(4 * mem.RP16_ROWS)), lane4), kb.rem(k, kb.index(4)))
            return kb.load(a["table_quants"], g, b, at)

        col0 = kb.mul(b, kb.index(kn.Q8_BLOCK))
        if dtype not in mem.RP16_NIBBLE_DTYPES:
            def byte(k: SSAValue) -> None:
                value_at(kb.op(arith.XOrIOp(byte_at(k), bias)), kb.add(col0, k))

            kb.loop(0, kn.Q8_BLOCK, byte, name="k")
            return
        offset = mem.rp16_offset(dtype)
        for first in (0, kn.Q8_BLOCK // 2):  # low nibbles: k-steps 0..3; high: 4..7, same bytes

            def nibble(k: SSAValue, first: int = first) -> None:
                v = byte_at(k)
                if first:
                    v = kb.op(arith.ShRUIOp(v, kb.op(arith.ConstantOp(IntegerAttr(4, i8)))))
                v = kb.op(arith.AndIOp(v, kb.op(arith.ConstantOp(IntegerAttr(15, i8)))))
                if offset:
                    v = kb.op(arith.SubiOp(v, kb.op(arith.ConstantOp(IntegerAttr(offset, i8)))))
                value_at(v, kb.add(col0, kb.add(k, kb.index(first))))

            kb.loop(0, kn.Q8_BLOCK // 2, nibble, name="k")

    kb.loop(0, d // kn.Q8_BLOCK, block, name="b")


def build_embedding_bwd(op: kn.EmbeddingBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dtable[tokens[t], :] += dy[t, :], after zeroing dtable.
    Split by feature column: repeated tokens add into the same row, never the same element
    from two threads."""
    _, d = shape_of(op.dy)
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, d)
    a = kb.args
    dy, tokens, dtable = a["dy"], a["tokens"], a["dtable"]
    c_lo, c_hi = column_split(kb, d, lanes)
    zero_columns(kb, dtable, kb.dim(dtable, 0), c_lo, c_hi, lanes)

    def token(t: SSAValue) -> None:
        row = kb.i32_to_index(kb.load(tokens, t))

        def chunk(c: SSAValue) -> None:
            total = kb.vadd(kb.vload(dtable, row, c, lanes=lanes), kb.vload(dy, t, c, lanes=lanes))
            kb.vstore(total, dtable, row, c)

        kb.loop(c_lo, c_hi, chunk, step=lanes, name="c")

    kb.loop(0, token_count(kb, dy), token, name="t")
    return kb.finish(), f"{general(lanes, kb, f'width={d}')}, dtable = scatter-add, split by column"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.EmbeddingOp: ("embedding", build_embedding),
    kn.EmbeddingBwdOp: ("embedding_bwd", build_embedding_bwd),
}
