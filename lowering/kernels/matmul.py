"""Matrix products: y = x w^T (gemv for one token, gemm for several) and its gradients
dx = dy w and dw (+)= dy^T x."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import SSAValue
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.common import Builder, dot, general, lanes_for, new_builder, token_count, weight_dtype, weight_vec


def build_matmul(op: kn.GemvOp | kn.GemmOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    if op.act_dtype.data != "f32":
        raise PassFailedException(
            f"{op.name}: act_dtype {op.act_dtype.data} kernels are not generated yet (use act_dtype f32)"
        )
    n, k = shape_of(op.w)
    dtype = op.w_dtype.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, k)
    a = kb.args
    x, y = a["x"], a["y"]
    lo, hi = kb.split(kb.index(n), a["tid"], a["nth"])
    t_count = token_count(kb, x)

    def row(r: SSAValue) -> None:
        bias = kb.load(a["bias_data"], r) if "bias_data" in a else None

        def token(t: SSAValue) -> None:
            s = dot(kb, x, t, "w", r, k, dtype, lanes)
            kb.store(kb.fadd(s, bias) if bias is not None else s, y, t, r)

        kb.loop(0, t_count, token, name="t")

    kb.loop(lo, hi, row, name="n")
    return kb.finish(), f"{lanes} lanes" + ("" if lanes == kb.lanes else f" (general: K={k} not a multiple of {kb.lanes})")



def build_matmul_dx(op: kn.MatmulDxOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dx[t, :] = sum_n dy[t, n] * w[n, :], one register accumulator per K chunk; split by tokens."""
    n, k = shape_of(op.w)
    dtype = weight_dtype(op.w)
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, k)
    a = kb.args
    dy, dx = a["dy"], a["dx"]
    lo, hi = kb.split(token_count(kb, dy), a["tid"], a["nth"])

    def token(t: SSAValue) -> None:
        def chunk(c: SSAValue) -> None:
            def row(r: SSAValue, acc: SSAValue) -> list[SSAValue]:
                g = kb.splat(kb.load(dy, t, r), lanes)
                return [kb.vfma(g, weight_vec(kb, "w", r, c, dtype, lanes), acc)]

            (acc,) = kb.loop(0, n, row, carried=[kb.vzero_lanes(lanes)], name="n")
            kb.vstore(acc, dx, t, c)

        kb.loop(0, k, chunk, step=lanes, name="k")

    kb.loop(lo, hi, token, name="t")
    return kb.finish(), general(lanes, kb, f"K={k}") + ", split by token"



def build_matmul_dw(op: kn.MatmulDwOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """dw[n, :] (+)= sum_t dy[t, n] * x[t, :]; split by rows n of dw."""
    n, k = shape_of(op.outs[0])
    accumulate = op.accumulate is not None
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, k)
    a = kb.args
    dy, x, dw = a["dy"], a["x"], a["dw"]
    lo, hi = kb.split(kb.index(n), a["tid"], a["nth"])
    t_count = token_count(kb, dy)

    def row(r: SSAValue) -> None:
        def chunk(c: SSAValue) -> None:
            def token(t: SSAValue, acc: SSAValue) -> list[SSAValue]:
                g = kb.splat(kb.load(dy, t, r), lanes)
                return [kb.vfma(g, kb.vload(x, t, c, lanes=lanes), acc)]

            init = kb.vload(dw, r, c, lanes=lanes) if accumulate else kb.vzero_lanes(lanes)
            (acc,) = kb.loop(0, t_count, token, carried=[init], name="t")
            kb.vstore(acc, dw, r, c)

        kb.loop(0, k, chunk, step=lanes, name="k")

    kb.loop(lo, hi, row, name="n")
    mode = "dw += dy^T x" if accumulate else "dw = dy^T x"
    return kb.finish(), general(lanes, kb, f"K={k}") + f", {mode}, split by row of dw"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.GemvOp: ("gemv", build_matmul),
    kn.GemmOp: ("gemm", build_matmul),
    kn.MatmulDxOp: ("matmul_dx", build_matmul_dx),
    kn.MatmulDwOp: ("matmul_dw", build_matmul_dw),
}
