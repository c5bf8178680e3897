"""`lower-transformer-to-kernel`: replace every transformer op by the kernel the registry picks.

The mode comes from the shapes (a one-token function is decode, a chunk is prefill),
so run `specialize-seq-len` first to get both. Weights stay `transformer.weight`
values: which bytes they occupy is decided by `plan-memory`. Every kernel records the
transformer op it came from (`ck.origin`, `ck.layer`: see `ck.lowering.provenance`).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.ir import Operation
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import transformer as tf
from ck.lowering.kernel_registry import SELECT, Target, select
from ck.lowering.provenance import set_provenance, transformer_layer


@dataclass
class LowerToKernel(RewritePattern):
    target: Target
    index: dict[Operation, int]
    """Each op's place in its function's body, taken before any op is replaced."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if type(op) not in SELECT:
            return
        kernel = select(op, self.target)
        set_provenance(kernel, [f"{op.name}#{self.index[op]}"], transformer_layer(op))
        for old, new in zip(op.results, kernel.results, strict=False):
            new.name_hint = old.name_hint
        rewriter.replace(op, [kernel], [kernel.results[0]])


@dataclass(frozen=True)
class LowerTransformerToKernelPass(ModulePass):
    name = "lower-transformer-to-kernel"

    isa: str = "avx512"
    act_dtype: str = "f32"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        try:
            target = Target(self.isa, self.act_dtype)
        except ValueError as e:
            raise PassFailedException(f"lower-transformer-to-kernel: {e}") from None
        index = {
            o: i for fn in op.ops if isinstance(fn, func.FuncOp) and fn.body.blocks
            for i, o in enumerate(fn.body.block.ops)
        }
        PatternRewriteWalker(
            GreedyRewritePatternApplier([LowerToKernel(target, index)], dce_enabled=False),
            apply_recursively=False,
        ).rewrite_module(op)
        left = [o.name for o in op.walk() if o.dialect_name() == "transformer" and not isinstance(o, tf.WeightOp)]
        if left:
            raise PassFailedException(f"lower-transformer-to-kernel: no kernel for {left[0]}")
