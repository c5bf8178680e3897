"""`choose-schedules`: give every matmul the loop-nest schedule the kernel registry's cost
model picks for it, now that the weights' layouts are known.

    kernel.gemm ins(%hq, %hs, %hsum : ...) weights(%w : ...) outs(%y : ...) {w_dtype = "q8_0", act_dtype = "q8_0"}
  becomes (avx512, rp16 weights, several tokens)
    kernel.gemm ... {w_dtype = "q8_0", act_dtype = "q8_0", schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1>}

A one-token int8 matmul streams its weights once from DRAM, so its schedule walks
several 16-row groups in lock-step (`streams`); a prefill one reuses each weight load
for `tokens` tokens and each activation for `rows` rows, from registers. The gradient
matmuls of training (matmul_dx, matmul_dw) get f32 outer-product tiles the same way. With
`dot=bf16` (bf16 training), the f32 matmuls whose shapes allow it multiply bf16 pairs
instead (`dot = bf16` in the schedule; see #kernel.schedule). A schedule already present
(written by hand, or by a tuner) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects.simd import unknown_isa


@dataclass(frozen=True)
class ChooseSchedulesPass(ModulePass):
    name = "choose-schedules"

    isa: str = "avx512"
    dot: str = "f32"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from ck.lowering.kernel_registry import gradient_schedule, matmul_schedule

        if problem := unknown_isa(self.isa):
            raise PassFailedException(f"choose-schedules: {problem}")
        if self.dot not in kn.DOT_DTYPES:
            raise PassFailedException(f"choose-schedules: unknown dot '{self.dot}' (choose from {', '.join(kn.DOT_DTYPES)})")
        if self.dot == "bf16" and self.isa != "avx512":
            raise PassFailedException(f"choose-schedules: dot=bf16 needs isa avx512 (vdpbf16ps), got '{self.isa}'")
        for o in op.walk():
            if isinstance(o, kn.GemvOp | kn.GemmOp) and o.schedule is None:
                o.properties["schedule"] = matmul_schedule(o, self.isa, self.dot)
            elif isinstance(o, kn.MatmulDxOp | kn.MatmulDwOp) and o.schedule is None:
                o.properties["schedule"] = gradient_schedule(o, self.isa, self.dot)
