"""The numpy semantics of the backward and optimizer kernels equal torch autograd / torch.optim.AdamW.

Each kernel op is built in value form, verified, and its KERNELS reference run on
float64 arrays; the expected values are torch's gradients (float64) of the forward
the kernel differentiates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX, ModuleOp, TensorType, f32, i32, i64
from xdsl.interpreter import Interpreter
from xdsl.interpreters.func import FuncFunctions
from xdsl.ir import Block, Region
from xdsl.utils.test_value import create_ssa_value

from ck.dialects import kernel as kn
from ck.lowering.kernel_registry import KERNELS, KernelFunctions
from ck.reference import KVState

T = 6
GAPPED = np.array([0, 2, 3, 7, 8, 12])  # positions with holes


def tensor(*shape: int, element: Any = f32) -> Any:
    return create_ssa_value(TensorType(element, shape))


def run(op: kn.KernelOp, *args: Any) -> tuple[np.ndarray, ...]:
    op.verify()
    outs = KERNELS[type(op)].reference(op, args, None)
    assert len(outs) == len(op.OUTPUTS)
    return tuple(np.asarray(o) for o in outs)


def rng_arrays(seed: int, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


def t64(a: np.ndarray, grad: bool = True) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def grads(y: torch.Tensor, dy: np.ndarray, *wrt: torch.Tensor) -> list[np.ndarray]:
    """The vector-Jacobian products dy^T dy/dwrt, by torch autograd."""
    return [g.numpy() for g in torch.autograd.grad(y, wrt, torch.from_numpy(dy))]


def assert_close(got: np.ndarray, want: np.ndarray, tol: float = 1e-9) -> None:
    assert got.shape == want.shape
    scale = max(np.abs(want).max(), 1e-300)
    assert np.abs(got - want).max() <= tol * scale, np.abs(got - want).max() / scale


# ----------------------------------------------------------------------------- matmul


def test_matmul_dx_and_dw() -> None:
    n, k = 5, 7
    x, w, dy = rng_arrays(0, (T, k), (n, k), (T, n))
    (dx,) = run(kn.MatmulDxOp(tensor(T, n), tensor(n, k)), dy, w)
    (dw,) = run(kn.MatmulDwOp(tensor(T, n), tensor(T, k)), dy, x)
    xt, wt = t64(x), t64(w)
    want_dx, want_dw = grads(xt @ wt.T, dy, xt, wt)
    assert_close(dx, want_dx)
    assert_close(dw, want_dw)


def test_matmul_db_sums_dy_over_the_tokens() -> None:
    n, k = 5, 7
    x, w, b, dy = rng_arrays(4, (T, k), (n, k), (n,), (T, n))
    (db,) = run(kn.MatmulDbOp(tensor(DYNAMIC_INDEX, n)), dy)
    bt = t64(b)
    (want,) = grads(t64(x, grad=False) @ t64(w, grad=False).T + bt, dy, bt)
    assert_close(db, want)


# ----------------------------------------------------------------------------- norms


def torch_rmsnorm(x: torch.Tensor, w: torch.Tensor, eps: float) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def test_rmsnorm_bwd() -> None:
    d = 16
    x, w, dy = rng_arrays(1, (T, d), (d,), (T, d))
    op = kn.RMSNormBwdOp(tensor(T, d), tensor(T, d), tensor(d), 1e-5)
    dx, dw = run(op, dy, x, w)
    xt, wt = t64(x), t64(w)
    want_dx, want_dw = grads(torch_rmsnorm(xt, wt, op.eps.value.data), dy, xt, wt)
    assert_close(dx, want_dx)
    assert_close(dw, want_dw)


def test_head_rmsnorm_bwd_sums_the_shared_weight_over_heads() -> None:
    hd, heads = 8, 3
    x, w, dy = rng_arrays(2, (T, heads * hd), (hd,), (T, heads * hd))
    op = kn.HeadRMSNormBwdOp(tensor(T, heads * hd), tensor(T, heads * hd), tensor(hd), hd, 1e-6)
    dx, dw = run(op, dy, x, w)
    xt, wt = t64(x), t64(w)
    y = torch_rmsnorm(xt.reshape(T, heads, hd), wt, op.eps.value.data).reshape(T, heads * hd)
    want_dx, want_dw = grads(y, dy, xt, wt)
    assert_close(dx, want_dx)
    assert_close(dw, want_dw)


def test_layernorm_bwd() -> None:
    d = 16
    x, w, b, dy = rng_arrays(3, (T, d), (d,), (d,), (T, d))
    op = kn.LayerNormBwdOp(tensor(T, d), tensor(T, d), tensor(d), 1e-5)
    dx, dw, db = run(op, dy, x, w)
    xt, wt, bt = t64(x), t64(w), t64(b)
    y = F.layer_norm(xt, (d,), wt, bt, op.eps.value.data)
    want_dx, want_dw, want_db = grads(y, dy, xt, wt, bt)
    assert_close(dx, want_dx)
    assert_close(dw, want_dw)
    assert_close(db, want_db)


# ----------------------------------------------------------------------------- gpt-2 elementwise


def test_gelu_bwd_is_the_gradient_of_the_tanh_form() -> None:
    x, dy = rng_arrays(5, (T, 24), (T, 24))
    x = 3 * x  # into both tails of the curve
    (dx,) = run(kn.GeluBwdOp(tensor(T, 24), tensor(T, 24)), dy, x)
    xt = t64(x)
    (want,) = grads(F.gelu(xt, approximate="tanh"), dy, xt)
    assert_close(dx, want)


def test_slice_bwd_fills_its_columns() -> None:
    (qkv, dy) = rng_arrays(6, (T, 24), (T, 8))
    (dx,) = run(kn.SliceBwdOp(tensor(T, 8), 8, 24), dy)
    qt = t64(qkv)
    (want,) = grads(qt[:, 8:16], dy, qt)
    assert_close(dx, want, 0.0)


# ----------------------------------------------------------------------------- rope


def torch_rope(
    x: torch.Tensor, pos: np.ndarray, hd: int, n_rot: int, theta: float, style: str
) -> torch.Tensor:
    t = x.shape[0]
    h = x.reshape(t, -1, hd)
    inv_freq = theta ** (-torch.arange(0, n_rot, 2, dtype=torch.float64) / n_rot)
    ang = torch.tensor(pos, dtype=torch.float64)[:, None, None] * inv_freq
    cos, sin = torch.cos(ang), torch.sin(ang)
    rot, rest = h[..., :n_rot], h[..., n_rot:]
    if style == "neox":
        a, b = rot[..., : n_rot // 2], rot[..., n_rot // 2 :]
        rot = torch.cat([a * cos - b * sin, a * sin + b * cos], dim=-1)
    else:
        a, b = rot[..., 0::2], rot[..., 1::2]
        rot = torch.stack([a * cos - b * sin, a * sin + b * cos], dim=-1).flatten(-2)
    return torch.cat([rot, rest], dim=-1).reshape(t, -1)


@pytest.mark.parametrize("style", ["neox", "norm"])
@pytest.mark.parametrize("n_rot", [8, 4, 6])
@pytest.mark.parametrize("positions", [np.arange(T), GAPPED], ids=["contiguous", "gapped"])
def test_rope_bwd(style: str, n_rot: int, positions: np.ndarray) -> None:
    hd, heads = 8, 2
    (dy,) = rng_arrays(3, (T, heads * hd))
    op = kn.RopeBwdOp(tensor(T, heads * hd), tensor(T, element=i32), hd, n_rot, 1e4, style)
    (dx,) = run(op, dy, positions.astype(np.int32))
    (x,) = rng_arrays(4, (T, heads * hd))
    xt = t64(x)
    (want,) = grads(torch_rope(xt, positions, hd, n_rot, op.theta.value.data, style), dy, xt)
    assert_close(dx, want)
    # rope keeps the dims past n_rot as they are, so their gradient passes through
    if n_rot < hd:
        tail = dx.reshape(T, heads, hd)[..., n_rot:]
        assert_close(tail, dy.reshape(T, heads, hd)[..., n_rot:], 0.0)


# ----------------------------------------------------------------------------- attention


@pytest.mark.parametrize("n_kv_heads", [2, 4, 1])
@pytest.mark.parametrize(
    "positions",
    [np.arange(T), GAPPED, np.array([3, 0, 7, 2, 2, 5])],
    ids=["contiguous", "gapped", "shuffled"],
)
def test_attention_bwd_gqa_causal_by_position(n_kv_heads: int, positions: np.ndarray) -> None:
    n_heads, hd = 4, 8
    wq, wkv = n_heads * hd, n_kv_heads * hd
    q, k, v, dout = rng_arrays(5, (T, wq), (T, wkv), (T, wkv), (T, wq))
    op = kn.AttentionBwdOp(
        tensor(T, n_heads * hd), tensor(T, n_heads * hd), tensor(T, n_kv_heads * hd),
        tensor(T, n_kv_heads * hd), tensor(T, element=i32), n_heads, n_kv_heads, hd, hd**-0.5,
    )
    dq, dk, dv = run(op, dout, q, k, v, positions.astype(np.int32))

    qt, kt, vt = t64(q), t64(k), t64(v)

    def heads(a: torch.Tensor, n: int) -> torch.Tensor:
        return a.reshape(T, n, hd).transpose(0, 1)[None]

    visible = torch.tensor(positions[None, :] <= positions[:, None])  # [query, key]
    out = F.scaled_dot_product_attention(
        heads(qt, n_heads), heads(kt, n_kv_heads), heads(vt, n_kv_heads),
        attn_mask=visible, scale=op.scale.value.data, enable_gqa=True,
    )
    out = out[0].transpose(0, 1).reshape(T, n_heads * hd)
    want_dq, want_dk, want_dv = grads(out, dout, qt, kt, vt)
    assert_close(dq, want_dq)
    assert_close(dk, want_dk)
    assert_close(dv, want_dv)


# ----------------------------------------------------------------------------- mlp, embedding, loss


def test_silu_mul_bwd() -> None:
    d = 12
    gate, up, dy = rng_arrays(6, (T, d), (T, d), (T, d))
    gate[0, :3] = [-40.0, 0.0, 30.0]  # saturated sigmoid both ways
    dgate, dup = run(kn.SiluMulBwdOp(tensor(T, d), tensor(T, d), tensor(T, d)), dy, gate, up)
    gt, ut = t64(gate), t64(up)
    want_dgate, want_dup = grads(F.silu(gt) * ut, dy, gt, ut)
    assert_close(dgate, want_dgate)
    assert_close(dup, want_dup)


def test_embedding_bwd_adds_up_repeated_tokens() -> None:
    vocab, d = 10, 4
    tokens = np.array([3, 7, 3, 0, 3, 7], dtype=np.int32)
    table, dy = rng_arrays(7, (vocab, d), (T, d))
    op = kn.EmbeddingBwdOp(tensor(T, d), tensor(T, element=i32), result_types=[TensorType(f32, [vocab, d])])
    (dtable,) = run(op, dy, tokens)
    tt = t64(table)
    (want,) = grads(F.embedding(torch.from_numpy(tokens.astype(np.int64)), tt), dy, tt)
    assert_close(dtable, want)
    assert_close(dtable[3], dy[[0, 2, 4]].sum(axis=0))
    assert not dtable[[1, 2, 4, 5, 6, 8, 9]].any()


def test_softmax_xent() -> None:
    vocab = 9
    (logits,) = rng_arrays(8, (T, vocab))
    targets = np.array([1, 8, 0, 1, 4, 4], dtype=np.int32)
    loss, dlogits = run(kn.SoftmaxXentOp(tensor(T, vocab), tensor(T, element=i32)), logits, targets)
    lt = t64(logits)
    want_loss = F.cross_entropy(lt, torch.from_numpy(targets.astype(np.int64)))
    (want,) = torch.autograd.grad(want_loss, lt)
    assert abs(float(loss) - want_loss.item()) <= 1e-12 * abs(want_loss.item())
    assert_close(dlogits, want.numpy())


# ----------------------------------------------------------------------------- optimizer


def adamw_op(param: Any) -> kn.AdamWOp:
    """kernel.adamw (value form) on state shaped like `param`: step and the five
    hyperparameters are scalar operands (i64, f32), their values given at run time."""
    state = [param] + [create_ssa_value(param.type) for _ in range(3)]
    hyper = [create_ssa_value(f32) for _ in kn.AdamWOp.HYPERPARAMETERS]
    return kn.AdamWOp(*state, create_ssa_value(i64), *hyper)


@pytest.mark.parametrize("shape", [(5, 3), (7,)])
def test_adamw_matches_torch_over_five_steps(shape: tuple[int, ...]) -> None:
    """One op, run five times with a decaying learning rate: the hyperparameters are run-time
    f32 operands, and torch gets the same f32-rounded values."""
    op = adamw_op(tensor(*shape))
    b1, b2, eps, wd = (np.float32(x) for x in (0.9, 0.95, 1e-8, 0.1))
    lrs = [np.float32(1e-2 * 0.7**i) for i in range(5)]  # a schedule, changed per call
    param, *grad_steps = rng_arrays(9, shape, *[shape] * 5)
    p = torch.tensor(param, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.AdamW(
        [p], lr=float(lrs[0]), betas=(float(b1), float(b2)), eps=float(eps), weight_decay=float(wd), foreach=False
    )
    m, v = np.zeros(shape), np.zeros(shape)
    for step, (g, lr) in enumerate(zip(grad_steps, lrs, strict=True), start=1):
        opt.param_groups[0]["lr"] = float(lr)
        p.grad = torch.from_numpy(g.copy())
        opt.step()
        param, m, v = run(op, param, g, m, v, np.int64(step), lr, b1, b2, eps, wd)
    state = opt.state[p]
    assert_close(param, p.detach().numpy(), 1e-12)
    assert_close(m, state["exp_avg"].numpy(), 1e-12)
    assert_close(v, state["exp_avg_sq"].numpy(), 1e-12)


# ----------------------------------------------------------------------------- interpreter and costs


def test_interpreter_runs_a_backward_kernel_in_float32() -> None:
    d = 8
    block = Block(arg_types=[TensorType(f32, [T, d])] * 2 + [TensorType(f32, [d])])
    op = kn.RMSNormBwdOp(*block.args, 1e-6)
    block.add_ops([op, func.ReturnOp(*op.res)])
    signature = ([a.type for a in block.args], [r.type for r in op.res])
    module = ModuleOp([func.FuncOp("bwd", signature, Region(block))])
    module.verify()
    interp = Interpreter(module)
    interp.register_implementations(FuncFunctions())
    interp.register_implementations(KernelFunctions(KVState()))
    dy, x, w = (a.astype(np.float32) for a in rng_arrays(10, (T, d), (T, d), (d,)))
    dx, dw = interp.call_op("bwd", (dy, x, w))
    want_dx, want_dw = run(op, dy, x, w)
    assert dx.dtype == dw.dtype == np.float32
    assert_close(dx, want_dx.astype(np.float32), 0.0)
    assert_close(dw, want_dw.astype(np.float32), 0.0)


def test_backward_costs_count_the_tokens_of_dy() -> None:
    n, k, vocab = 16, 32, 100
    dw = kn.MatmulDwOp(tensor(DYNAMIC_INDEX, n), tensor(DYNAMIC_INDEX, k))
    cost = KERNELS[kn.MatmulDwOp].cost(dw, 10)
    assert cost.flops == 2 * 10 * n * k
    assert cost.bytes == 4 * (10 * n + 10 * k + n * k)
    dx = kn.MatmulDxOp(tensor(DYNAMIC_INDEX, n), tensor(n, k))
    assert KERNELS[kn.MatmulDxOp].cost(dx, 10).flops == 2 * 10 * n * k
    emb = kn.EmbeddingBwdOp(
        tensor(DYNAMIC_INDEX, k),
        tensor(DYNAMIC_INDEX, element=i32),
        result_types=[TensorType(f32, [vocab, k])],
    )
    cost = KERNELS[kn.EmbeddingBwdOp].cost(emb, 10)
    assert cost.flops == 10 * k and cost.bytes == 4 * (10 * k + 10 + vocab * k)
    db = KERNELS[kn.MatmulDbOp].cost(kn.MatmulDbOp(tensor(DYNAMIC_INDEX, n)), 10)
    assert db.flops == 10 * n and db.bytes == 4 * (10 * n + n)
    adam = adamw_op(tensor(n, k))
    cost = KERNELS[kn.AdamWOp].cost(adam, 10)
    assert cost.flops == 12 * n * k and cost.bytes == 4 * 7 * n * k + 8 + 4 * 5  # + step, 5 f32 scalars
    matmuls = ("kernel.matmul_dx", "kernel.matmul_dw", "kernel.matmul_db")
    bwd_ops = [c for c in KERNELS if c.name.endswith("_bwd") or c.name in matmuls]
    assert len(bwd_ops) == 12
