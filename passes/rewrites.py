"""Small IR edits the kernel-level passes share: copy an op with new operands, put a new
op in an old one's place, find where a value is ready, move a weight up."""

from __future__ import annotations

from xdsl.dialects.builtin import DenseArrayBase, i32
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from ck.dialects import transformer as tf
from ck.lowering.provenance import merge_provenance


def rebuild(
    op: Operation, operands: list[SSAValue], sizes: list[int] | None = None, *,
    properties: dict[str, Attribute] | None = None, more_results: list[Attribute] | None = None,
) -> Operation:
    """A copy of `op` (same properties, attributes and result types) with new operands, to put
    in its place with replace_op(s): `sizes` replaces its operand segment sizes when the groups
    change length, `properties` sets some properties anew, `more_results` appends result types."""
    props = dict(op.properties) | (properties or {})
    if sizes is not None:
        props["operandSegmentSizes"] = DenseArrayBase.from_list(i32, sizes)
    return type(op).create(
        operands=operands, result_types=[*(r.type for r in op.results), *(more_results or [])], properties=props,
        attributes=dict(op.attributes),
    )


def replace_op(op: Operation, new: Operation) -> None:
    """Put `new` where `op` is; its results take the names and the uses of op's."""
    replace_ops([op], new)


def replace_ops(ops: list[Operation], new: Operation) -> None:
    """Put `new` where ops[0] is and erase `ops` (in order in one block): new's results, in
    order, take the names and the uses of all their results, in order, and `new` takes the
    transformer ops they came from (`ck.origin`)."""
    merge_provenance(new, ops)
    Rewriter.insert_op(new, InsertPoint.before(ops[0]))
    for old, r in zip([r for o in ops for r in o.results], new.results, strict=True):
        r.name_hint = old.name_hint
        old.replace_all_uses_with(r)
    for o in reversed(ops):
        Rewriter.erase_op(o)


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
