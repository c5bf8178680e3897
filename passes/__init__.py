"""ck's optimizing and transforming passes (`ck-opt -p NAME`), name -> lazy pass class; the
lowerings from one level to the next (and plan-memory) are in ck.lowering."""

import importlib
from collections.abc import Callable

from xdsl.passes import ModulePass


def _lazy(module: str, name: str) -> Callable[[], type[ModulePass]]:
    return lambda: getattr(importlib.import_module(module), name)


PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "specialize-seq-len": _lazy("ck.passes.specialize_seq_len", "SpecializeSeqLenPass"),
    "transformer-autodiff": _lazy("ck.passes.transformer_autodiff", "TransformerAutodiffPass"),
    "fuse-swiglu": _lazy("ck.passes.fuse_swiglu", "FuseSwigluPass"),
    "fuse-matmuls": _lazy("ck.passes.fuse_matmuls", "FuseMatmulsPass"),
    "fuse-residual-norm": _lazy("ck.passes.fuse_residual_norm", "FuseResidualNormPass"),
    "rope-table": _lazy("ck.passes.rope_table", "RopeTablePass"),
    "fuse-qk-norm-rope": _lazy("ck.passes.fuse_qk_norm_rope", "FuseQkNormRopePass"),
    "quantize-activations": _lazy("ck.passes.quantize_activations", "QuantizeActivationsPass"),
    "fuse-quantize": _lazy("ck.passes.fuse_quantize", "FuseQuantizePass"),
    "select-weight-layouts": _lazy("ck.passes.select_weight_layouts", "SelectWeightLayoutsPass"),
    "tuned-schedules": _lazy("ck.passes.tuned_schedules", "TunedSchedulesPass"),
    "choose-schedules": _lazy("ck.passes.choose_schedules", "ChooseSchedulesPass"),
    "batch-decode": _lazy("ck.passes.batch_decode", "BatchDecodePass"),
    "plan-threads": _lazy("ck.passes.plan_threads", "PlanThreadsPass"),
    "remove-barriers": _lazy("ck.passes.remove_barriers", "RemoveBarriersPass"),
    "instrument-kernels": _lazy("ck.passes.instrument_kernels", "InstrumentKernelsPass"),
    "append-adamw": _lazy("ck.passes.append_adamw", "AppendAdamWPass"),
}
