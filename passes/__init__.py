"""IR -> IR passes that stay inside one dialect (name -> lazy pass class)."""

import importlib
from collections.abc import Callable

from xdsl.passes import ModulePass


def _lazy(module: str, name: str) -> Callable[[], type[ModulePass]]:
    return lambda: getattr(importlib.import_module(module), name)


PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "specialize-seq-len": _lazy("ck.passes.specialize_seq_len", "SpecializeSeqLenPass"),
    "transformer-autodiff": _lazy("ck.passes.transformer_autodiff", "TransformerAutodiffPass"),
    "quantize-activations": _lazy("ck.passes.quantize_activations", "QuantizeActivationsPass"),
    "select-weight-layouts": _lazy("ck.passes.select_weight_layouts", "SelectWeightLayoutsPass"),
    "plan-threads": _lazy("ck.passes.plan_threads", "PlanThreadsPass"),
    "remove-barriers": _lazy("ck.passes.remove_barriers", "RemoveBarriersPass"),
}
