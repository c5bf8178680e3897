"""Token embedding (a row gather, dequantized) and its gradient (a scatter-add)."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.common import Builder, column_split, dequant_row, lanes_for, new_builder, token_count, zero_columns


def build_embedding(op: kn.EmbeddingOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    _, d = shape_of(op.table)
    dtype = op.w_dtype.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, d)
    a = kb.args
    lo, hi = kb.split(token_count(kb, a["tokens"]), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        row = kb.i32_to_index(kb.load(a["tokens"], t))

        def chunk(c: SSAValue) -> None:
            kb.vstore(dequant_row(kb, "table", row, c, dtype, lanes), a["y"], t, c)

        kb.loop(0, d, chunk, step=lanes, name="d")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), f"{lanes} lanes"



def build_embedding_bwd(op: kn.EmbeddingBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dtable[tokens[t], :] += dy[t, :] (after zeroing dtable unless `accumulate`).
    Split by feature column: repeated tokens add into the same row, never the same element
    from two threads."""
    _, d = shape_of(op.dy)
    accumulate = op.accumulate is not None
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, d)
    a = kb.args
    dy, tokens, dtable = a["dy"], a["tokens"], a["dtable"]
    c_lo, c_hi = column_split(kb, d, lanes)
    if not accumulate:
        zero_columns(kb, dtable, kb.dim(dtable, 0), c_lo, c_hi, lanes)

    def token(t: SSAValue) -> None:
        row = kb.i32_to_index(kb.load(tokens, t))

        def chunk(c: SSAValue) -> None:
            total = kb.vadd(kb.vload(dtable, row, c, lanes=lanes), kb.vload(dy, t, c, lanes=lanes))
            kb.vstore(total, dtable, row, c)

        kb.loop(c_lo, c_hi, chunk, step=lanes, name="c")

    kb.loop(0, token_count(kb, dy), token, name="t")
    mode = "dtable +=" if accumulate else "dtable ="
    return kb.finish(), f"{lanes} lanes, {mode} scatter-add, split by column"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.EmbeddingOp: ("embedding", build_embedding),
    kn.EmbeddingBwdOp: ("embedding_bwd", build_embedding_bwd),
}
