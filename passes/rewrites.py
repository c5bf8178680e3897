"""Small IR edits the kernel-level passes share: copy an op with new operands, put a new
op in an old one's place, find where a value is ready, move a weight up."""

from __future__ import annotations

from xdsl.dialects.builtin import DenseArrayBase, i32
from xdsl.ir import Block, BlockArgument, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from ck.dialects import transformer as tf


def rebuild(op: Operation, operands: list[SSAValue], sizes: list[int] | None = None) -> Operation:
    """A copy of `op` (same properties, attributes and result types) with new operands;
    `sizes` replaces its operand segment sizes when the groups change length."""
    props = dict(op.properties)
    if sizes is not None:
        props["operandSegmentSizes"] = DenseArrayBase.from_list(i32, sizes)
    new = type(op).create(
        operands=operands, result_types=[r.type for r in op.results], properties=props,
        attributes=dict(op.attributes),
    )
    for old, r in zip(op.results, new.results, strict=True):
        r.name_hint = old.name_hint
    return new


def replace_op(op: Operation, new: Operation) -> None:
    """Put `new` where `op` is and let every use of op's results use new's."""
    Rewriter.insert_op(new, InsertPoint.before(op))
    for old, r in zip(op.results, new.results, strict=False):
        old.replace_all_uses_with(r)
    Rewriter.erase_op(op)


def after_definition(value: SSAValue) -> InsertPoint:
    """Just after `value` is produced (at the start of its block for an argument)."""
    if isinstance(value, BlockArgument):
        block = value.block
        assert isinstance(block, Block)
        return InsertPoint.at_start(block)
    assert isinstance(value.owner, Operation)
    return InsertPoint.after(value.owner)


def hoist_weights(values: list[SSAValue], before: Operation) -> None:
    """Move the `transformer.weight` ops defining `values` (read-only, no operands) above
    `before`, so a fused op placed there can read them."""
    for v in values:
        owner = v.owner
        if isinstance(owner, tf.WeightOp) and owner.parent_block() is before.parent_block():
            block = before.parent_block()
            assert block is not None
            ops = list(block.ops)
            if ops.index(owner) > ops.index(before):
                owner.detach()
                Rewriter.insert_op(owner, InsertPoint.before(before))


def named(op: Operation, names: list[str | None]) -> Operation:
    """Give op's results these name hints (None keeps one unnamed)."""
    for r, n in zip(op.results, names, strict=False):
        if n:
            r.name_hint = n
    return op
