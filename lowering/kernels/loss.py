"""The training loss: softmax + cross-entropy, with its gradient dlogits."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue

from ck.dialects import kernel as kn
from ck.dialects import simd
from ck.dialects.types import shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import Builder, general, lanes_for, new_builder, token_count


def _row_max_and_sum(kb: KernelBuilder, logits: SSAValue, t: SSAValue, v: int, lanes: int) -> tuple[SSAValue, SSAValue]:
    """(max_j z[t, j], sum_j exp(z[t, j] - max)) of one row of logits."""

    def top(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
        return [kb.vmax(acc, kb.vload(logits, t, c, lanes=lanes))]

    (m_v,) = kb.loop(0, v, top, step=lanes, carried=[kb.splat(kb.f32(float("-inf")), lanes)], name="v")
    m = kb.op(simd.ReduceOp("max", m_v))
    m_s = kb.splat(m, lanes)

    def total(c: SSAValue, acc: SSAValue) -> list[SSAValue]:
        return [kb.vadd(acc, kb.vexp(kb.vsub(kb.vload(logits, t, c, lanes=lanes), m_s)))]

    (s_v,) = kb.loop(0, v, total, step=lanes, carried=[kb.vzero_lanes(lanes)], name="v")
    return m, kb.vsum(s_v)



def build_softmax_xent(op: kn.SoftmaxXentOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dlogits[t] = (softmax(z[t]) - onehot(target[t])) / T, split by row; thread 0 alone
    sums loss = mean_t (logsumexp(z[t]) - z[t, target[t]]) over every row (a scalar has
    one writer)."""
    _, v = shape_of(op.logits)
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, v)
    a = kb.args
    logits, targets, loss, dlogits = a["logits"], a["targets"], a["loss"], a["dlogits"]
    t_count = token_count(kb, logits)
    inv_t = kb.fdiv(kb.f32(1.0), kb.index_to_f32(t_count))
    lo, hi = kb.split(t_count, a["tid"], a["nth"])

    def row(t: SSAValue) -> None:
        m, s = _row_max_and_sum(kb, logits, t, v, lanes)
        m_s, scale = kb.splat(m, lanes), kb.splat(kb.fdiv(inv_t, s), lanes)

        def write(c: SSAValue) -> None:
            p = kb.vexp(kb.vsub(kb.vload(logits, t, c, lanes=lanes), m_s))
            kb.vstore(kb.vmul(p, scale), dlogits, t, c)

        kb.loop(0, v, write, step=lanes, name="v")
        target = kb.i32_to_index(kb.load(targets, t))
        kb.store(kb.fsub(kb.load(dlogits, t, target), inv_t), dlogits, t, target)

    kb.loop(lo, hi, row, name="t")

    def total_loss() -> None:
        def nll(t: SSAValue, acc: SSAValue) -> list[SSAValue]:
            m, s = _row_max_and_sum(kb, logits, t, v, lanes)
            z = kb.load(logits, t, kb.i32_to_index(kb.load(targets, t)))
            return [kb.fadd(acc, kb.fsub(kb.fadd(m, kb.log(s)), z))]

        (acc,) = kb.loop(0, t_count, nll, carried=[kb.f32(0.0)], name="t")
        kb.store(kb.fmul(acc, inv_t), loss)

    kb.if_(kb.cmpi(a["tid"], kb.index(0), "eq"), total_loss)
    return kb.finish(), f"{general(lanes, kb, f'vocab={v}')}, dlogits split by row, loss on thread 0"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.SoftmaxXentOp: ("softmax_xent", build_softmax_xent),
}
