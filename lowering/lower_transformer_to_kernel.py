"""`lower-transformer-to-kernel`: replace every transformer op by the kernel the registry picks.

The mode comes from the shapes (a one-token function is decode, a chunk is prefill),
so run `specialize-seq-len` first to get both. Weights stay `transformer.weight`
values: which bytes they occupy is decided by `plan-memory`.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
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


@dataclass
class LowerToKernel(RewritePattern):
    target: Target

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if type(op) not in SELECT:
            return
        kernel = select(op, self.target)
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
        PatternRewriteWalker(
            GreedyRewritePatternApplier([LowerToKernel(target)], dce_enabled=False),
            apply_recursively=False,
        ).rewrite_module(op)
        left = [o.name for o in op.walk() if o.dialect_name() == "transformer" and not isinstance(o, tf.WeightOp)]
        if left:
            raise PassFailedException(f"lower-transformer-to-kernel: no kernel for {left[0]}")
