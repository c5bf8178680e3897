"""`choose-schedules`: give every matmul the loop-nest schedule the kernel registry's cost
model picks for it, now that the weights' layouts are known.

    kernel.gemm ins(%hq, %hs, %hsum : ...) weights(%w : ...) outs(%y : ...) {w_dtype = "q8_0", act_dtype = "q8_0"}
  becomes (avx512, rp16 weights, several tokens)
    kernel.gemm ... {w_dtype = "q8_0", act_dtype = "q8_0", schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1>}

A one-token int8 matmul streams its weights once from DRAM, so its schedule walks
several 16-row groups in lock-step (`streams`); a prefill one reuses each weight load
for `tokens` tokens and each activation for `rows` rows, from registers. The gradient
matmuls of training (matmul_dx, matmul_dw) get f32 outer-product tiles the same way. A
schedule already present (written by hand, or by a tuner) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects.simd import ISA_BITS


@dataclass(frozen=True)
class ChooseSchedulesPass(ModulePass):
    name = "choose-schedules"

    isa: str = "avx512"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from ck.lowering.kernel_registry import gradient_schedule, matmul_schedule

        if self.isa not in ISA_BITS:
            raise PassFailedException(f"choose-schedules: unknown isa '{self.isa}' (choose from {', '.join(ISA_BITS)})")
        for o in op.walk():
            if isinstance(o, kn.GemvOp | kn.GemmOp) and o.schedule is None:
                o.properties["schedule"] = matmul_schedule(o, self.isa)
            elif isinstance(o, kn.MatmulDxOp | kn.MatmulDwOp) and o.schedule is None:
                o.properties["schedule"] = gradient_schedule(o, self.isa)
