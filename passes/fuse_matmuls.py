"""`fuse-matmuls`: matmuls that read the same input become one matmul over their
concatenated rows (Qwen's q, k and v projections).

    %q = kernel.gemv ins(%h : ...) weights(%wq : ...) {...}
    %k = kernel.gemv ins(%h : ...) weights(%wk : ...) {...}
    %v = kernel.gemv ins(%h : ...) weights(%wv : ...) {...}
  becomes
    %q, %k, %v = kernel.gemv ins(%h : ...) weights(%wq, %wk, %wv : ...) {...}

One kernel then splits all 4096 rows across the threads at once (each thread gets an
equal share of the bytes, whatever the three shapes), reads the input once, and costs
one call. Matmuls fuse when they read the same value with the same dtypes and either
all or none have biases; the fused op goes where the first was (the later weights'
`transformer.weight` ops move up to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from ck.dialects import kernel as kn
from ck.passes.rewrites import hoist_weights, replace_ops

Matmul = kn.GemvOp | kn.GemmOp


def _key(op: Matmul) -> tuple[object, ...] | None:
    if len(op.w) != 1 or op.epilogue is not None or op.quantize is not None or op.last_rows is not None:
        return None
    return (type(op), tuple(op.x), op.w_dtype.data, op.act_dtype.data, bool(op.bias), op.split)


@dataclass(frozen=True)
class FuseMatmulsPass(ModulePass):
    name = "fuse-matmuls"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.ops:
            if isinstance(fn, func.FuncOp) and not fn.is_declaration:
                groups: dict[tuple[object, ...], list[Matmul]] = {}
                for o in fn.walk():
                    if isinstance(o, Matmul) and o.res and (key := _key(o)) is not None:
                        groups.setdefault(key, []).append(o)
                for group in groups.values():
                    if len(group) > 1:
                        self._fuse(group)

    @staticmethod
    def _fuse(group: list[Matmul]) -> None:
        first = group[0]
        weights: list[SSAValue] = [m.w[0] for m in group]
        biases: list[SSAValue] = [b for m in group for b in m.bias]
        hoist_weights([*weights, *biases], first)
        fused = type(first)(list(first.x), weights, first.w_dtype.data, first.act_dtype.data, biases or None)
        replace_ops(list(group), fused)

