"""`tuned-schedules`: give each matmul the schedule this machine's tuning table measured
fastest for its shape, before `choose-schedules` gives the others the cost model's.

    kernel.gemm ins(%hq, %hs, %hsum : memref<?x64xi8>, ...) weights(%w : !transformer.weight<64x64, q8_0>) ...
  with the table entry "gemm q8_0/rp16 64x64 t64 q8_0-in avx512" -> rows 16, tokens 8, streams 1 becomes
    kernel.gemm ... {..., schedule = #kernel.schedule<rows = 16, tokens = 8, streams = 1>}

The table is the JSON file `ck bench --tune` writes (ck/tuning_table.py); a dynamic token
count is keyed by the module's `ck.max_tokens` (the prefill chunk the tuner timed). A table
schedule must be one of the op's candidates (lowering/schedule_candidates.py): the same
micro-kernel as the cost model's, so the results do not change; another one (a hand edit,
a table from another ck) is an error. A schedule already present is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects.simd import unknown_isa
from ck.errors import CkError


@dataclass(frozen=True)
class TunedSchedulesPass(ModulePass):
    name = "tuned-schedules"

    table: str = ""
    isa: str = "avx512"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from ck.lowering.schedule_candidates import schedule_candidates
        from ck.tuning_table import TuningTable, schedule_text, shape_key

        if problem := unknown_isa(self.isa):
            raise PassFailedException(f"tuned-schedules: {problem}")
        if not self.table:
            raise PassFailedException("tuned-schedules: no table given (table=PATH, a file `ck bench --tune` wrote)")
        try:
            table = TuningTable.load(self.table)
        except CkError as e:
            raise PassFailedException(f"tuned-schedules: {e}") from None
        if table.isa != self.isa:
            raise PassFailedException(f"tuned-schedules: the table {self.table} was tuned for isa '{table.isa}', "
                                      f"not '{self.isa}'")
        chunk = op.attributes.get("ck.max_tokens")
        max_tokens = chunk.value.data if isinstance(chunk, IntegerAttr) else None
        for o in op.walk():
            if not isinstance(o, kn.GemvOp | kn.GemmOp) or o.schedule is not None:
                continue
            key = shape_key(o, self.isa, max_tokens)
            if key not in table.shapes:
                continue
            schedule = table.shapes[key].attr
            allowed = schedule_candidates(o, self.isa)
            if schedule not in allowed:
                raise PassFailedException(
                    f"tuned-schedules: the table {self.table} gives '{key}' the schedule {schedule_text(schedule)}, "
                    f"which is not one of its candidates ({', '.join(schedule_text(s) for s in allowed)}): "
                    "run `ck bench --tune` again"
                )
            o.properties["schedule"] = schedule
