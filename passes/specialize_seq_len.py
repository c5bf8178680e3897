"""`specialize-seq-len`: make a decode entry point (one token) beside the prefill one.

The importer builds `@forward` with a dynamic token dimension. This pass clones it
into `@decode`, where every `?` token dimension becomes 1, and renames the original
`@prefill` (a chunk of tokens). Kernel selection then reads the mode off the shapes:
one token gets GEMV and decode attention, a chunk gets GEMM and prefill attention.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.dialects.builtin import DYNAMIC_INDEX, StringAttr, TensorType
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriteWalker,
    TypeConversionPattern,
    attr_type_rewrite_pattern,
)
from xdsl.utils.exceptions import PassFailedException


class FixTokenDim(TypeConversionPattern):
    """tensor<?x...> -> tensor<Nx...>: the token dimension is always the first."""

    def __init__(self, tokens: int) -> None:
        super().__init__(recursive=True)
        self.tokens = tokens

    @attr_type_rewrite_pattern
    def convert_type(self, typ: TensorType) -> TensorType | None:
        shape = list(typ.get_shape())
        if not shape or shape[0] != DYNAMIC_INDEX:
            return None
        return TensorType(typ.element_type, [self.tokens, *shape[1:]])


@dataclass(frozen=True)
class SpecializeSeqLenPass(ModulePass):
    name = "specialize-seq-len"

    source: str = "forward"
    decode: str = "decode"
    prefill: str = "prefill"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        fns = [f for f in op.ops if isinstance(f, func.FuncOp) and f.sym_name.data == self.source]
        if not fns:
            raise PassFailedException(f"specialize-seq-len: no function @{self.source}")
        prefill = fns[0]
        decode = prefill.clone()
        decode.sym_name = StringAttr(self.decode)
        prefill.sym_name = StringAttr(self.prefill)
        scratch = builtin.ModuleOp([decode])  # rewrite the clone alone, signature included
        PatternRewriteWalker(FixTokenDim(1)).rewrite_module(scratch)
        rewritten = scratch.body.block.first_op  # the pattern may have rebuilt the op
        assert rewritten is not None
        rewritten.detach()
        op.body.block.insert_op_before(rewritten, prefill)
