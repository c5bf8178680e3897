"""Dialect -> dialect conversions and emitters (name -> lazy class)."""

import importlib
from collections.abc import Callable
from typing import Any


def _lazy(module: str, name: str) -> Callable[[], Any]:
    return lambda: getattr(importlib.import_module(module), name)


PASSES: dict[str, Callable[[], Any]] = {
    "lower-transformer-to-kernel": _lazy("ck.lowering.lower_transformer_to_kernel", "LowerTransformerToKernelPass"),
    "plan-memory": _lazy("ck.lowering.plan_memory", "PlanMemoryPass"),
    "lower-kernel-to-simd": _lazy("ck.lowering.lower_kernel_to_simd", "LowerKernelToSimdPass"),
}
TARGETS: dict[str, Callable[[], Any]] = {
    "c": _lazy("ck.lowering.targets.c", "CTarget"),
    "llvm": _lazy("ck.lowering.targets.llvm", "LLVMTarget"),
}
