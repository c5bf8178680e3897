"""The optimizer step: AdamW in place over a parameter and its moments."""

from __future__ import annotations

from typing import NamedTuple

from xdsl.dialects import arith, func
from xdsl.dialects import math as xmath
from xdsl.dialects.builtin import MemRefType, f32, f64
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import Builder, new_builder


class AdamWConstants(NamedTuple):
    """What every element's update reads besides its own state: f32 scalars, or their splats."""

    beta1: SSAValue
    one_minus_beta1: SSAValue
    beta2: SSAValue
    one_minus_beta2: SSAValue
    inv_correction1: SSAValue  # 1 / (1 - beta1^step)
    inv_correction2: SSAValue  # 1 / (1 - beta2^step)
    eps: SSAValue
    weight_decay: SSAValue
    lr: SSAValue


def adamw_update(kb: KernelBuilder, k: AdamWConstants, p: SSAValue, g: SSAValue, m: SSAValue, v: SSAValue,
                 vector: bool) -> tuple[SSAValue, SSAValue, SSAValue]:
    """(param, m, v) after one step, on f32 scalars or vectors of them: written once, so the
    vectors and the scalar tail round every element through the same operations in the same order."""
    mul, add, sub, div, sqrt = (
        (kb.vmul, kb.vadd, kb.vsub, kb.vdiv, kb.vsqrt) if vector else (kb.fmul, kb.fadd, kb.fsub, kb.fdiv, kb.sqrt)
    )
    m_new = add(mul(k.beta1, m), mul(k.one_minus_beta1, g))
    v_new = add(mul(k.beta2, v), mul(k.one_minus_beta2, mul(g, g)))
    denom = add(sqrt(mul(v_new, k.inv_correction2)), k.eps)
    update = add(div(mul(m_new, k.inv_correction1), denom), mul(k.weight_decay, p))
    return sub(p, mul(k.lr, update)), m_new, v_new


def build_adamw(op: kn.AdamWOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """One AdamW step in place over param, m, v (see kernel.adamw); the flat element
    range is split across threads. Along each row of the last dimension: vectors of the
    ISA's lanes (simd.sqrt, simd.div), then a scalar tail. The hyperparameters are
    run-time arguments (the f32 scalars lr, beta1, beta2, eps, weight_decay after the i64
    step), so one compiled kernel serves any schedule; 1 - beta is computed in f32, the
    bias corrections 1 / (1 - beta^step) in double."""
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
    scalars = AdamWConstants(b1, one_b1, b2, one_b2, inv_bc1, inv_bc2, a["eps"], a["weight_decay"], a["lr"])
    # vectors run along the last dimension: none when a row is shorter than one
    vectorize = rank > 0 and kb.lanes > 1 and not 0 <= typ.get_shape()[-1] < kb.lanes
    splats = AdamWConstants(*(kb.splat(s) for s in scalars)) if vectorize else scalars

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

        def elements(c: SSAValue, n: int) -> None:  # n lanes from c: a vector, or one element of the tail
            at = [*lead, c] if rank else []
            vector = vectorize and n > 1
            load = (lambda buf: kb.vload(buf, *at)) if vector else (lambda buf: kb.load(buf, *at))
            p, g, m_old, v_old = (load(buf) for buf in (param, grad, m, v))
            p_new, m_new, v_new = adamw_update(kb, splats if vector else scalars, p, g, m_old, v_old, vector)
            store = kb.vstore if vector else kb.store
            store(m_new, m, *at)
            store(v_new, v, *at)
            store(p_new, param, *at)

        if vectorize:
            kb.blocked(c_lo, c_hi, kb.lanes, elements, name="c")
        else:
            kb.loop(c_lo, c_hi, lambda c: elements(c, 1), name="c")

    kb.loop(row_lo, row_hi, row, name="r")
    how = f"{kb.lanes} lanes then a scalar tail" if vectorize else "scalar"
    return kb.finish(), f"{how}, split by flat element range"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.AdamWOp: ("adamw", build_adamw),
}
