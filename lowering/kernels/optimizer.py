"""The optimizer step: AdamW in place over a parameter and its moments."""

from __future__ import annotations

from xdsl.dialects import arith, func
from xdsl.dialects import math as xmath
from xdsl.dialects.builtin import MemRefType, f32, f64
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.lowering.kernels.common import Builder, new_builder


def build_adamw(op: kn.AdamWOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """One AdamW step in place over param, m, v (see kernel.adamw); the flat element
    range is split across threads. Scalar (a square root and a division per element).
    The hyperparameters are run-time arguments (the f32 scalars lr, beta1, beta2, eps,
    weight_decay after the i64 step), so one compiled kernel serves any schedule;
    1 - beta is computed in f32, the bias corrections 1 / (1 - beta^step) in double."""
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    # param, m, v name the outs arguments: the same buffers as the inputs (updated in place)
    param, grad, m, v = a["param"], a["grad"], a["m"], a["v"]
    typ = param.type
    assert isinstance(typ, MemRefType)
    rank = len(typ.get_shape())
    dims = [kb.dim(param, i) for i in range(rank)]
    inner = dims[-1] if rank else kb.index(1)
    rows = kb.index(1)
    for size in dims[:-1]:
        rows = kb.mul(rows, size)

    step = kb.op(arith.SIToFPOp(a["step"], f64))

    def inv_correction(beta: SSAValue) -> SSAValue:  # 1 / (1 - beta^step), beta in f32
        power = kb.op(xmath.PowFOp(kb.extf(beta, f64), step))
        return kb.truncf(kb.fdiv(kb.f64(1.0), kb.fsub(kb.f64(1.0), power)), f32)

    b1, b2 = a["beta1"], a["beta2"]
    inv_bc1, inv_bc2 = inv_correction(b1), inv_correction(b2)
    one_b1, one_b2 = kb.fsub(kb.f32(1.0), b1), kb.fsub(kb.f32(1.0), b2)
    lr, eps, wd = a["lr"], a["eps"], a["weight_decay"]

    lo, hi = kb.split(kb.mul(rows, inner), a["tid"], a["nth"])
    row_lo = kb.div(lo, inner)
    row_hi = kb.div(kb.add(hi, kb.sub(inner, kb.index(1))), inner)

    def row(r: SSAValue) -> None:
        base = kb.mul(r, inner)
        c_lo = kb.sub(kb.max(lo, base), base)
        c_hi = kb.sub(kb.min(hi, kb.add(base, inner)), base)
        lead: list[SSAValue] = []  # r as indices into the leading dimensions
        rest = r
        for size in reversed(dims[1:-1]):
            lead.insert(0, kb.rem(rest, size))
            rest = kb.div(rest, size)
        if rank > 1:
            lead.insert(0, rest)

        def element(c: SSAValue) -> None:
            at = [*lead, c] if rank else []
            p, g = kb.load(param, *at), kb.load(grad, *at)
            m_new = kb.fadd(kb.fmul(b1, kb.load(m, *at)), kb.fmul(one_b1, g))
            v_new = kb.fadd(kb.fmul(b2, kb.load(v, *at)), kb.fmul(one_b2, kb.fmul(g, g)))
            denom = kb.fadd(kb.sqrt(kb.fmul(v_new, inv_bc2)), eps)
            update = kb.fadd(kb.fdiv(kb.fmul(m_new, inv_bc1), denom), kb.fmul(wd, p))
            kb.store(m_new, m, *at)
            kb.store(v_new, v, *at)
            kb.store(kb.fsub(p, kb.fmul(lr, update)), param, *at)

        kb.loop(c_lo, c_hi, element, name="c")

    kb.loop(row_lo, row_hi, row, name="r")
    return kb.finish(), "scalar, split by flat element range"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.AdamWOp: ("adamw", build_adamw),
}
