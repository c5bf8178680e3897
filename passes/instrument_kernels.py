"""`instrument-kernels`: time every kernel and barrier call of the entry points (profiling builds).

Each call of an entry function (`ck_decode`, `ck_prefill`, `ck_train_step`,
`ck_adamw_step`) to a kernel (it has `ck.kernel`) or to `ck_barrier` becomes a *site*,
numbered across the module in order, and is bracketed by calls into the runtime's clock:

    func.call @gemv_q8_0_1024x1024_avx512(...) {ck.kernel = "kernel.gemv", ...}
  becomes
    %site = arith.constant 7 : index
    func.call @ck_prof_begin(%site, %tid) : (index, index) -> ()
    func.call @gemv_q8_0_1024x1024_avx512(...) {ck.kernel = "kernel.gemv", ck.site = 7 : i64, ...}
    func.call @ck_prof_end(%site, %tid) : (index, index) -> ()

so each thread stamps its own start and end of each call (runtime_c: `ck_prof_begin`);
`ck profile` turns the stamps into time per call site. The module records the number of
sites (`ck.profile_sites`). Only the timing calls are added: the kernels, their order and
the barriers stay as they were, so the instrumented build computes exactly what the plain
one does.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import IndexType, IntegerAttr, ModuleOp, UnitAttr, i64
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from ck.dialects.simd import RUNTIME_ABI_ATTR
from ck.lowering.lower_kernel_to_simd import BARRIER, KERNEL_ATTR

PROF_BEGIN, PROF_END = "ck_prof_begin", "ck_prof_end"
SITE_ATTR = "ck.site"
SITES_ATTR = "ck.profile_sites"


def is_site(op: object) -> bool:
    """A kernel call or a barrier: what a profiling build times."""
    return isinstance(op, func.CallOp) and (
        KERNEL_ATTR in op.attributes or op.callee.root_reference.data == BARRIER
    )


@dataclass(frozen=True)
class InstrumentKernelsPass(ModulePass):
    name = "instrument-kernels"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if SITES_ATTR in op.attributes:
            raise PassFailedException("instrument-kernels: the module is instrumented already")
        site = 0
        for fn in [f for f in op.ops if isinstance(f, func.FuncOp) and not f.is_declaration]:
            calls = [c for c in fn.body.block.ops if is_site(c)]
            if not calls:
                continue
            args = fn.body.block.args
            if len(args) < 2 or not isinstance(args[-2].type, IndexType):
                raise PassFailedException(
                    f"instrument-kernels: @{fn.sym_name.data} calls kernels but has no thread id argument"
                )
            tid = args[-2]
            for call in calls:
                self._bracket(call, site, tid)
                site += 1
        index = IndexType()
        block = op.body.block
        for name in (PROF_END, PROF_BEGIN):  # each goes first: begin, then end
            decl = func.FuncOp.external(name, [index, index], [])
            decl.attributes[RUNTIME_ABI_ATTR] = UnitAttr()
            first = block.first_op
            if first is None:
                block.add_op(decl)
            else:
                block.insert_op_before(decl, first)
        op.attributes[SITES_ATTR] = IntegerAttr(site, i64)

    @staticmethod
    def _bracket(call: func.CallOp, site: int, tid: SSAValue) -> None:
        number = arith.ConstantOp(IntegerAttr(site, IndexType()))
        number.result.name_hint = "site"
        call.attributes[SITE_ATTR] = IntegerAttr(site, i64)
        Rewriter.insert_op(number, InsertPoint.before(call))
        Rewriter.insert_op(func.CallOp(PROF_BEGIN, [number.result, tid], []), InsertPoint.before(call))
        Rewriter.insert_op(func.CallOp(PROF_END, [number.result, tid], []), InsertPoint.after(call))
