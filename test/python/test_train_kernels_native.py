"""The training kernels (lowering/kernels/: backward, loss, optimizer), compiled to native code.

Every case builds one kernel op (destination-passing form) on hand-made memref
arguments, emits its simd-level function with the C target, and calls it through
ctypes on numpy arrays (memref = pointer + one int64 per dynamic dimension, then tid,
nth). The results are compared with torch autograd in float64:

* on one thread (tid 0 of 1), and split over 2 and 3 threads run one after the
  other on the same buffers (so a row two threads both add into, or a row nobody
  writes, shows up as a wrong value);
* per thread on its own copy with the outputs poisoned with NaN, so the elements
  each thread writes are visible: they must partition the outputs.

All kernels go into one shared library (one C compile per test session).
"""

from __future__ import annotations

import ctypes
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    f16,
    f32,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, SSAValue

from ck.build import compiler
from ck.dialects import kernel as kn
from ck.dialects.types import WeightType
from ck.lowering.targets.c import emit_c
from ck.lowering.kernels import BUILDERS, kernel_args

DYN = DYNAMIC_INDEX
SPLITS = (1, 2, 3)
NUMPY_DTYPES = {f32: np.float32, i32: np.int32, f16: np.float16}


def _native_isa() -> str:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "scalar"
    return "avx512" if " avx512f" in flags else "avx2" if " avx2" in flags else "scalar"


VEC = _native_isa()  # the vector ISA of the machine (avx512 where available)


# ----------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    op: kn.KernelOp
    arrays: dict[str, np.ndarray]
    """Every kernel argument by name; outs hold their initial contents."""
    expected: dict[str, np.ndarray]
    """The outs after the kernel, from torch in float64."""
    poison: bool = True
    """The outs' initial contents are never read (not in place)."""
    tol: float = 1e-5
    variant: str = field(default="", init=False)


_rng = np.random.default_rng(2024)


def rand(*shape: int, scale: float = 1.0) -> np.ndarray:
    return (_rng.standard_normal(shape) * scale).astype(np.float32)


def nan(*shape: int) -> np.ndarray:
    return np.full(shape, np.nan, np.float32)


def memrefs(*types: Attribute) -> list[SSAValue]:
    return list(Block(arg_types=list(types)).args)


def mem(*shape: int, element: Attribute = f32) -> MemRefType:
    return MemRefType(element, list(shape))


def t64(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a, np.float64), requires_grad=grad)


def f32r(x: float) -> float:
    """x as the f32 property the op stores."""
    return float(np.float32(x))


def tokens_dim(t: int, dynamic: bool) -> int:
    return DYN if dynamic else t


def scheduled(case: Case, rows: int, tokens: int) -> Case:
    """The case with an outer-product tile schedule (as choose-schedules would set)."""
    case.op.properties["schedule"] = kn.ScheduleAttr(rows, tokens, 1)
    stem, isa = case.name.rsplit("_", 1)  # the name ends in the ISA
    return Case(f"{stem}_tile{rows}x{tokens}_{isa}", case.op, case.arrays, case.expected, case.poison)


def bf16(a: np.ndarray) -> torch.Tensor:
    """a rounded to bf16 by torch (nearest even), as float64: the operands of a `dot = bf16` product."""
    return torch.tensor(a).to(torch.bfloat16).to(torch.float64)


def scheduled_bf16(case: Case, rows: int, tokens: int) -> Case:
    """The case with a `dot = bf16` tile schedule, its expected outs recomputed by torch from
    operands rounded to bf16 (each product exact, summed in float64)."""
    case.op.properties["schedule"] = kn.ScheduleAttr(rows, tokens, 1, "bf16")
    a = case.arrays
    if isinstance(case.op, kn.MatmulDxOp):
        expected = {"dx": (bf16(a["dy"]) @ bf16(a["w"].astype(np.float32))).numpy()}
    elif isinstance(case.op, kn.MatmulDwOp):
        expected = {"dw": (bf16(a["dy"]).T @ bf16(a["x"])).numpy()}
    else:
        expected = {"y": (bf16(a["x"]) @ bf16(a["w"]).T).numpy()}
    stem, isa = case.name.rsplit("_", 1)
    return Case(f"{stem}_bf16tile{rows}x{tokens}_{isa}", case.op, case.arrays, expected, case.poison)


def gemm_f32(isa: str, t: int, n: int, k: int) -> Case:
    """The forward product of training: y = x w^T with an f32 weight buffer."""
    x, w, y = memrefs(mem(t, k), WeightType([n, k], "f32"), mem(t, n))
    arrays = {"x": rand(t, k), "w": rand(n, k), "y": nan(t, n)}
    expected = {"y": (t64(arrays["x"]) @ t64(arrays["w"]).T).numpy()}
    return Case(f"gemm_f32_{n}x{k}_t{t}_{isa}", kn.GemmOp(x, w, "f32", split="rows", outs=[y]), arrays, expected)


def matmul_dx(isa: str, t: int, n: int, k: int, dynamic: bool = False, w_dtype: str = "f32") -> Case:
    tt = tokens_dim(t, dynamic)
    w_arr = rand(n, k)
    if w_dtype == "f32":
        w_type: Attribute = mem(n, k)
    else:
        w_type = WeightType([n, k], w_dtype)
        w_arr = w_arr.astype(np.float16)
    dy, w, dx = memrefs(mem(tt, n), w_type, mem(tt, k))
    arrays = {"dy": rand(t, n), "w": w_arr, "dx": nan(t, k)}
    x = t64(np.zeros((t, k)), grad=True)
    (x @ t64(w_arr).T).backward(t64(arrays["dy"]))
    name = f"matmul_dx_{w_dtype}_{n}x{k}_t{t}{'_dyn' if dynamic else ''}_{isa}"
    return Case(name, kn.MatmulDxOp(dy, w, outs=[dx]), arrays, {"dx": x.grad.numpy()})


def matmul_dw(isa: str, t: int, n: int, k: int, dynamic: bool = False) -> Case:
    tt = tokens_dim(t, dynamic)
    dy, x, dw = memrefs(mem(tt, n), mem(tt, k), mem(n, k))
    arrays = {"dy": rand(t, n), "x": rand(t, k), "dw": nan(n, k)}
    w = t64(np.zeros((n, k)), grad=True)
    (t64(arrays["x"]) @ w.T).backward(t64(arrays["dy"]))
    name = f"matmul_dw_{n}x{k}_t{t}{'_dyn' if dynamic else ''}_{isa}"
    return Case(name, kn.MatmulDwOp(dy, x, outs=[dw]), arrays, {"dw": w.grad.numpy()})


def matmul_db(isa: str, t: int, n: int, dynamic: bool = False) -> Case:
    tt = tokens_dim(t, dynamic)
    dy, db = memrefs(mem(tt, n), mem(n))
    arrays = {"dy": rand(t, n), "db": nan(n)}
    b = t64(np.zeros(n), grad=True)
    (t64(rand(t, 3)) @ t64(rand(n, 3)).T + b).backward(t64(arrays["dy"]))
    name = f"matmul_db_{n}_t{t}{'_dyn' if dynamic else ''}_{isa}"
    return Case(name, kn.MatmulDbOp(dy, outs=[db]), arrays, {"db": b.grad.numpy()})


def rmsnorm_bwd(isa: str, t: int, d: int, head_dim: int | None = None, eps: float = 1e-6) -> Case:
    width = head_dim or d
    dy, x, w, dx, dw = memrefs(mem(t, d), mem(t, d), mem(width), mem(t, d), mem(width))
    arrays = {"dy": rand(t, d), "x": rand(t, d), "w": rand(width), "dx": nan(t, d), "dw": nan(width)}
    xs, ws = t64(arrays["x"], grad=True), t64(arrays["w"], grad=True)
    heads = xs.view(t, d // width, width)
    y = heads * torch.rsqrt(heads.pow(2).mean(-1, keepdim=True) + f32r(eps)) * ws
    y.reshape(t, d).backward(t64(arrays["dy"]))
    if head_dim is None:
        op: kn.KernelOp = kn.RMSNormBwdOp(dy, x, w, eps, outs=[dx, dw])
        name = f"rmsnorm_bwd_{d}_t{t}_{isa}"
    else:
        op = kn.HeadRMSNormBwdOp(dy, x, w, head_dim, eps, outs=[dx, dw])
        name = f"head_rmsnorm_bwd_{d}_hd{head_dim}_t{t}_{isa}"
    return Case(name, op, arrays, {"dx": xs.grad.numpy(), "dw": ws.grad.numpy()})


def rope_bwd(isa: str, t: int, d: int, hd: int, n_rot: int, theta: float, style: str, table: bool = False) -> Case:
    """rope's gradient from positions (kernel.rope_bwd), or with `table` from a cos/sin table
    (kernel.rope_apply inverse, what rope-table makes of it) against torch autograd."""
    dy, pos, dx = memrefs(mem(t, d), mem(t, element=i32), mem(t, d))
    positions = np.array([3, 0, 17, 5, 9, 1][:t], np.int32)
    arrays = {"dy": rand(t, d), "positions": positions, "dx": nan(t, d)}
    x = t64(rand(t, d), grad=True)
    inv_freq = f32r(theta) ** (-torch.arange(0, n_rot, 2, dtype=torch.float64) / n_rot)
    angles = torch.tensor(positions, dtype=torch.float64)[:, None] * inv_freq[None, :]
    cos, sin = torch.cos(angles)[:, None, :], torch.sin(angles)[:, None, :]
    heads = x.view(t, d // hd, hd)
    if style == "neox":
        a, b = heads[..., : n_rot // 2], heads[..., n_rot // 2 : n_rot]
        rotated = torch.cat([a * cos - b * sin, a * sin + b * cos], -1)
    else:
        a, b = heads[..., 0:n_rot:2], heads[..., 1:n_rot:2]
        rotated = torch.stack([a * cos - b * sin, a * sin + b * cos], -1).flatten(-2)
    y = torch.cat([rotated, heads[..., n_rot:]], -1).reshape(t, d)
    y.backward(t64(arrays["dy"]))
    name = f"{style}_{d}_hd{hd}_rot{n_rot}_t{t}_{isa}"
    if table:  # the table input: cos then sin of each angle, in f32 as rope_table stores them
        (tab,) = memrefs(mem(t, n_rot))
        arrays = {"x": arrays["dy"], "table": np.concatenate([np.cos(angles.numpy()), np.sin(angles.numpy())], -1).astype(np.float32),
                  "y": arrays["dx"]}
        op: kn.KernelOp = kn.RopeApplyOp(dy, tab, hd, n_rot, style, inverse=True, outs=[dx])
        return Case(f"rope_apply_inverse_{name}", op, arrays, {"y": x.grad.numpy()})
    op = kn.RopeBwdOp(dy, pos, hd, n_rot, theta, style, outs=[dx])
    return Case(f"rope_bwd_{name}", op, arrays, {"dx": x.grad.numpy()})


def torch_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, pos: np.ndarray, hq: int, hkv: int, hd: int,
                    scale: float, seq_len: int | None = None) -> torch.Tensor:
    """Causal GQA by position (ck.reference.attention): query t sees key s when pos[s] <= pos[t]
    (and, with seq_len, s is in t's own sequence of seq_len rows)."""
    t, group = q.shape[0], hq // hkv
    qh = q.view(t, hq, hd).transpose(0, 1)
    kh = k.view(t, hkv, hd).transpose(0, 1).repeat_interleave(group, 0)
    vh = v.view(t, hkv, hd).transpose(0, 1).repeat_interleave(group, 0)
    p = torch.tensor(pos)
    visible = p[None, :] <= p[:, None]
    if seq_len is not None:
        rows = torch.arange(t) // seq_len
        visible &= rows[None, :] == rows[:, None]
    scores = (qh @ kh.transpose(1, 2) * scale).masked_fill(~visible, float("-inf"))
    return (torch.softmax(scores, -1) @ vh).transpose(0, 1).reshape(t, hq * hd)


def attention_case(isa: str, backward: bool, t: int, hq: int, hkv: int, hd: int, positions: Sequence[int] | None = None,
                   dynamic: bool = False, seq_len: int | None = None) -> Case:
    """Attention without a cache (or its gradient) against torch; positions default to each
    sequence's rows 0, 1, ... (rising: the blocked kernels skip keys after the diagonal)."""
    tt = tokens_dim(t, dynamic)
    scale = 1.0 / hd**0.5
    pos = np.array(positions if positions is not None else np.arange(t) % (seq_len or t), np.int32)
    q_a, k_a, v_a = rand(t, hq * hd), rand(t, hkv * hd), rand(t, hkv * hd)
    q, k, v = t64(q_a, grad=True), t64(k_a, grad=True), t64(v_a, grad=True)
    y = torch_attention(q, k, v, pos, hq, hkv, hd, f32r(scale), seq_len)
    tag = (f"h{hq}_kv{hkv}_hd{hd}_t{t}{'_pos' if positions is not None else ''}{'_dyn' if dynamic else ''}"
           f"{f'_seq{seq_len}' if seq_len else ''}_{isa}")

    def with_seq_len(op: kn.KernelOp) -> kn.KernelOp:
        if seq_len is not None:
            op.properties["seq_len"] = IntegerAttr(seq_len, 64)
        return op

    if not backward:
        qv, kv, vv, pv, yv = memrefs(mem(tt, hq * hd), mem(tt, hkv * hd), mem(tt, hkv * hd), mem(tt, element=i32), mem(tt, hq * hd))
        op: kn.KernelOp = with_seq_len(kn.AttentionOp(qv, kv, vv, pv, hq, hkv, hd, scale, outs=[yv]))
        arrays = {"q": q_a, "k": k_a, "v": v_a, "positions": pos, "y": nan(t, hq * hd)}
        return Case(f"attention_nocache_{tag}", op, arrays, {"y": y.detach().numpy()})
    dout = rand(t, hq * hd)
    y.backward(t64(dout))
    vals = memrefs(
        mem(tt, hq * hd), mem(tt, hq * hd), mem(tt, hkv * hd), mem(tt, hkv * hd), mem(tt, element=i32),
        mem(tt, hq * hd), mem(tt, hkv * hd), mem(tt, hkv * hd),
    )
    op = with_seq_len(kn.AttentionBwdOp(*vals[:5], hq, hkv, hd, scale, outs=vals[5:]))
    arrays = {
        "dout": dout, "q": q_a, "k": k_a, "v": v_a, "positions": pos,
        "dq": nan(t, hq * hd), "dk": nan(t, hkv * hd), "dv": nan(t, hkv * hd),
    }
    expected = {"dq": q.grad.numpy(), "dk": k.grad.numpy(), "dv": v.grad.numpy()}
    return Case(f"attention_bwd_{tag}", op, arrays, expected)


def silu_mul_bwd(isa: str, t: int, d: int) -> Case:
    dy, gate, up, dgate, dup = memrefs(*[mem(t, d)] * 5)
    arrays = {"dy": rand(t, d), "gate": rand(t, d, scale=3.0), "up": rand(t, d), "dgate": nan(t, d), "dup": nan(t, d)}
    g, u = t64(arrays["gate"], grad=True), t64(arrays["up"], grad=True)
    (F.silu(g) * u).backward(t64(arrays["dy"]))
    op = kn.SiluMulBwdOp(dy, gate, up, outs=[dgate, dup])
    return Case(f"silu_mul_bwd_{d}_t{t}_{isa}", op, arrays, {"dgate": g.grad.numpy(), "dup": u.grad.numpy()})


def silu_mul(isa: str, t: int, d: int) -> Case:
    gate, up, y = memrefs(*[mem(t, d)] * 3)
    arrays = {"gate": rand(t, d, scale=3.0), "up": rand(t, d), "y": nan(t, d)}
    expected = F.silu(t64(arrays["gate"])) * t64(arrays["up"])
    return Case(f"silu_mul_{d}_t{t}_{isa}", kn.SiluMulOp(gate, up, outs=[y]), arrays, {"y": expected.numpy()})


def embedding_bwd(isa: str, vocab: int, d: int, ids: Sequence[int]) -> Case:
    t = len(ids)
    dy, tokens, dtable = memrefs(mem(t, d), mem(t, element=i32), mem(vocab, d))
    arrays = {
        "dy": rand(t, d),
        "tokens": np.array(ids, np.int32),
        "dtable": nan(vocab, d),
    }
    table = t64(np.zeros((vocab, d)), grad=True)
    F.embedding(torch.tensor(ids), table).backward(t64(arrays["dy"]))
    name = f"embedding_bwd_{vocab}x{d}_t{t}_{isa}"
    return Case(name, kn.EmbeddingBwdOp(dy, tokens, outs=[dtable]), arrays, {"dtable": table.grad.numpy()})


def softmax_xent(isa: str, t: int, v: int, dynamic: bool = False) -> Case:
    tt = tokens_dim(t, dynamic)
    logits, targets, loss, dlogits = memrefs(mem(tt, v), mem(tt, element=i32), mem(), mem(tt, v))
    arrays = {
        "logits": rand(t, v, scale=4.0),
        "targets": _rng.integers(0, v, t).astype(np.int32),
        "loss": nan(),
        "dlogits": nan(t, v),
    }
    z = t64(arrays["logits"], grad=True)
    nll = F.cross_entropy(z, torch.tensor(arrays["targets"], dtype=torch.long))
    nll.backward()
    op = kn.SoftmaxXentOp(logits, targets, outs=[loss, dlogits])
    expected = {"loss": nll.detach().numpy(), "dlogits": z.grad.numpy()}
    return Case(f"softmax_xent_{v}_t{t}{'_dyn' if dynamic else ''}_{isa}", op, arrays, expected)


ADAMW_HYPERPARAMETERS = ("lr", "beta1", "beta2", "eps", "weight_decay")


def adamw_expected(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """torch.optim.AdamW (float64) from the state, step and f32 hyperparameters in `arrays`."""
    lr, b1, b2, eps, wd = (float(arrays[n]) for n in ADAMW_HYPERPARAMETERS)
    p = t64(arrays["param"], grad=True)
    opt = torch.optim.AdamW([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd, foreach=False)
    step = int(arrays["step"])
    opt.state[p] = {"step": torch.tensor(float(step - 1)), "exp_avg": t64(arrays["m"]), "exp_avg_sq": t64(arrays["v"])}
    p.grad = t64(arrays["grad"])
    opt.step()
    state = opt.state[p]
    return {"param": p.detach().numpy(), "m": state["exp_avg"].numpy(), "v": state["exp_avg_sq"].numpy()}


def adamw(isa: str, shape: tuple[int, ...], step: int) -> Case:
    """The hyperparameters are f32 scalar arguments of the kernel, passed per call."""
    hyper = dict(zip(ADAMW_HYPERPARAMETERS, (1e-2, 0.9, 0.95, 1e-6, 0.1), strict=True))
    param, grad, m, v, step_v, *scalars = memrefs(
        mem(*shape), mem(*shape), mem(*shape), mem(*shape), i64, *[f32] * len(hyper)
    )
    arrays = {
        "param": rand(*shape),
        "grad": rand(*shape),
        "m": rand(*shape, scale=0.1),
        "v": np.abs(rand(*shape, scale=0.1)),
        "step": np.array(step, np.int64),
        **{name: np.array(x, np.float32) for name, x in hyper.items()},
    }
    op = kn.AdamWOp(param, grad, m, v, step_v, *scalars, in_place=True)
    return Case(f"adamw_{'x'.join(map(str, shape))}_step{step}_{isa}", op, arrays, adamw_expected(arrays), poison=False)


CASES: list[Case] = [
    matmul_dx(VEC, 5, 24, 32),
    matmul_dx(VEC, 5, 24, 32, dynamic=True),
    matmul_dx(VEC, 4, 12, 20),  # K not a multiple of the lanes: the general kernel
    matmul_dx(VEC, 3, 8, 32, w_dtype="f16"),  # a frozen half-precision weight
    matmul_dw(VEC, 5, 7, 32),
    matmul_dw(VEC, 6, 9, 48, dynamic=True),
    matmul_dw("scalar", 5, 7, 20),
    matmul_db(VEC, 7, 144, dynamic=True),  # 9 vectors: a tile of 4 per thread, and the rest one at a time
    matmul_db(VEC, 5, 48),
    matmul_db(VEC, 3, 20),  # not a multiple of the lanes: the general kernel
    matmul_db("scalar", 4, 12),
    # register-tiled outer products: 13 tokens / rows are a whole tile (6) twice and one left over
    scheduled(matmul_dx(VEC, 13, 24, 64), 32, 6),
    scheduled(matmul_dx(VEC, 13, 24, 64, dynamic=True, w_dtype="f16"), 16, 6),
    scheduled(matmul_dw(VEC, 9, 13, 64), 32, 6),
    scheduled(matmul_dw(VEC, 9, 13, 64, dynamic=True), 64, 4),
    # bf16 pair products: a whole tile and a remainder of tokens / rows, pairs along the
    # reduced dimension (K, w's rows, the tokens), an f16 weight for dx
    scheduled_bf16(gemm_f32("avx512", 13, 64, 48), 32, 6),
    scheduled_bf16(gemm_f32("avx512", 7, 96, 34), 48, 4),
    scheduled_bf16(matmul_dx("avx512", 13, 24, 64), 32, 6),
    scheduled_bf16(matmul_dx("avx512", 13, 24, 64, dynamic=True, w_dtype="f16"), 16, 6),
    scheduled_bf16(matmul_dw("avx512", 10, 32, 64), 32, 6),
    scheduled_bf16(matmul_dw("avx512", 12, 48, 64), 64, 4),
    rmsnorm_bwd(VEC, 5, 64),
    rmsnorm_bwd(VEC, 4, 20),
    rmsnorm_bwd(VEC, 3, 96, head_dim=32),
    rope_bwd(VEC, 6, 64, 16, 16, 10000.0, "neox"),
    rope_bwd(VEC, 5, 48, 16, 8, 1e6, "norm"),
    rope_bwd(VEC, 4, 32, 16, 8, 500.0, "neox"),
    rope_bwd(VEC, 6, 64, 32, 32, 10000.0, "neox", table=True),
    rope_bwd(VEC, 5, 48, 16, 8, 1e6, "norm", table=True),
    rope_bwd("scalar", 4, 32, 16, 12, 500.0, "neox", table=True),
    attention_case(VEC, False, 7, 4, 2, 16),
    attention_case(VEC, False, 6, 4, 1, 16, positions=[4, 0, 2, 2, 7, 1]),
    attention_case(VEC, False, 5, 6, 3, 8, dynamic=True),
    attention_case(VEC, True, 7, 4, 2, 16),
    attention_case(VEC, True, 6, 4, 1, 16, positions=[4, 0, 2, 2, 7, 1]),
    attention_case(VEC, True, 5, 6, 3, 16, dynamic=True),
    attention_case("scalar", True, 6, 4, 2, 8),
    attention_case("scalar", False, 6, 4, 2, 8),
    # key blocks: several per sequence, a partial last one, batches of sequences (seq_len),
    # positions that do not rise (every block computed and masked), 1 / 2 / 4 vectors per head,
    # odd GQA groups (one query head per panel load), avx2's 8-key blocks
    attention_case(VEC, False, 74, 4, 2, 16, seq_len=37),
    attention_case(VEC, True, 74, 4, 2, 16, seq_len=37),
    attention_case(VEC, False, 40, 6, 2, 32, seq_len=20),
    attention_case(VEC, True, 40, 6, 2, 32, seq_len=20),
    attention_case(VEC, True, 33, 2, 1, 64),
    attention_case(VEC, False, 35, 4, 2, 16, positions=[(7 * i) % 11 for i in range(35)]),
    attention_case(VEC, True, 35, 4, 2, 16, positions=[(7 * i) % 11 for i in range(35)]),
    attention_case(VEC, True, 36, 4, 2, 16, positions=[i % 18 for i in range(36)], seq_len=12),
    attention_case("avx2", False, 30, 4, 2, 16, seq_len=15),
    attention_case("avx2", True, 30, 4, 2, 16, seq_len=15),
    attention_case("scalar", True, 20, 4, 2, 8, seq_len=10),
    silu_mul_bwd(VEC, 5, 24),  # a vector and a tail of one-lane vectors (avx512)
    silu_mul_bwd("avx2", 3, 21),
    silu_mul_bwd("scalar", 2, 5),
    silu_mul(VEC, 5, 40),
    silu_mul("avx2", 2, 13),
    embedding_bwd(VEC, 10, 32, [3, 1, 3, 9, 3, 0]),
    embedding_bwd(VEC, 7, 12, [6, 6, 2]),
    softmax_xent(VEC, 5, 48),
    softmax_xent(VEC, 6, 80, dynamic=True),
    softmax_xent("scalar", 4, 50),
    adamw(VEC, (5, 12), 1),
    adamw(VEC, (37,), 3),
    adamw(VEC, (3, 4, 5), 10),
    # vectors then a scalar tail, thread ranges starting and ending mid-row; a flat blob as packed
    adamw(VEC, (3, 40), 4),
    adamw(VEC, (1000,), 7),
    adamw("avx2", (3, 40), 2),
    adamw("scalar", (37,), 3),
]


# ----------------------------------------------------------------------------- build and call


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    functions = []
    for case in CASES:
        case.op.verify()
        _, build = BUILDERS[type(case.op)]
        isa = case.name.rsplit("_", 1)[1]
        fn, case.variant = build(case.op, case.name, isa, case.name)
        fn.sym_visibility = StringAttr("public")
        functions.append(fn)
    module = ModuleOp(functions)
    module.verify()
    out = tmp_path_factory.mktemp("train_kernels")
    (out / "kernels.c").write_text(emit_c(module))
    cmd = [*compiler(), "-O2", "-march=native", "-std=gnu11", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror",
           str(out / "kernels.c"), "-o", str(out / "kernels.so"), "-lm"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    return ctypes.CDLL(str(out / "kernels.so"))


def call(lib: ctypes.CDLL, case: Case, arrays: dict[str, np.ndarray], tid: int, nth: int) -> None:
    args: list[object] = []
    for arg in kernel_args(case.op):
        value = arrays[arg.name if arg.name in arrays else arg.name.removesuffix("_data")]
        if isinstance(arg.type, MemRefType):
            shape = arg.type.get_shape()
            assert value.dtype == NUMPY_DTYPES[arg.type.element_type] and value.flags.c_contiguous
            assert len(shape) == value.ndim and all(s in (DYN, n) for s, n in zip(shape, value.shape)), arg.name
            args.append(ctypes.c_void_p(value.ctypes.data))
            args.extend(ctypes.c_int64(value.shape[axis]) for axis, size in enumerate(shape) if size == DYN)
        elif arg.type == f32:  # a run-time f32 scalar (the hyperparameters of adamw)
            args.append(ctypes.c_float(float(value)))
        else:
            args.append(ctypes.c_int64(int(value)))
    fn = getattr(lib, case.name)
    fn.restype = None
    fn(*args, ctypes.c_int64(tid), ctypes.c_int64(nth))


def fresh(case: Case) -> dict[str, np.ndarray]:
    return {name: a.copy() for name, a in case.arrays.items()}


def rel_err(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.abs(got.astype(np.float64) - want).max() / max(np.abs(want).max(), 1e-30))


@pytest.mark.parametrize("nth", SPLITS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_matches_torch(lib: ctypes.CDLL, case: Case, nth: int) -> None:
    """tid 0..nth-1 one after the other on the same buffers = the whole kernel."""
    arrays = fresh(case)
    for tid in range(nth):
        call(lib, case, arrays, tid, nth)
    for out, want in case.expected.items():
        got = arrays[out]
        assert not np.isnan(got).any(), f"{out}: elements no thread wrote ({case.variant})"
        err = rel_err(got, want)
        assert err <= case.tol, f"{out}: relative error {err:.2e} with {nth} thread(s) ({case.variant})"


@pytest.mark.parametrize("case", [c for c in CASES if c.poison], ids=lambda c: c.name)
def test_threads_write_disjoint_parts(lib: ctypes.CDLL, case: Case) -> None:
    """Each thread alone, on NaN-poisoned outputs: the elements written partition the outputs."""
    nth = 3
    owner = {out: np.zeros(case.arrays[out].shape, np.int32) for out in case.expected}
    for tid in range(nth):
        arrays = fresh(case)
        call(lib, case, arrays, tid, nth)
        for out in case.expected:
            owner[out] += ~np.isnan(arrays[out])
    for out, count in owner.items():
        assert (count == 1).all(), f"{out}: written by {sorted(set(count.ravel().tolist()))} threads ({case.variant})"


@pytest.mark.parametrize("nth", (1, 3))
def test_adamw_hyperparameters_change_per_call(lib: ctypes.CDLL, nth: int) -> None:
    """One compiled adamw kernel, called with other hyperparameters (a learning-rate schedule,
    other betas, eps, weight decay) and steps: each call matches torch with its own values."""
    case = next(c for c in CASES if c.name.startswith("adamw_"))
    for step, (lr, b1, b2, eps, wd) in enumerate([(3e-4, 0.8, 0.99, 1e-8, 0.0), (5e-2, 0.5, 0.9, 1e-3, 0.3)], start=2):
        arrays = fresh(case)
        hyper = dict(zip(ADAMW_HYPERPARAMETERS, (lr, b1, b2, eps, wd), strict=True))
        arrays.update({name: np.array(x, np.float32) for name, x in hyper.items()}, step=np.array(step, np.int64))
        want = adamw_expected(arrays)
        for tid in range(nth):
            call(lib, case, arrays, tid, nth)
        for out, expected in want.items():
            err = rel_err(arrays[out], expected)
            assert err <= case.tol, f"{out}: relative error {err:.2e} at lr={lr}, betas=({b1}, {b2})"


def test_registry_dispatches_attention_by_cache() -> None:
    """Training kernels are registered; kernel.attention keeps the cached kernel when the op has caches."""
    for cls in (kn.MatmulDxOp, kn.MatmulDwOp, kn.MatmulDbOp, kn.RMSNormBwdOp, kn.HeadRMSNormBwdOp, kn.RopeBwdOp,
                kn.AttentionBwdOp, kn.SiluMulBwdOp, kn.EmbeddingBwdOp, kn.SoftmaxXentOp, kn.AdamWOp):
        assert cls in BUILDERS
    q, k, v, pos, kc, vc, y = memrefs(mem(3, 32), mem(3, 16), mem(3, 16), mem(3, element=i32), mem(8, 16), mem(8, 16), mem(3, 32))
    cached = kn.AttentionOp(q, k, v, pos, 2, 1, 16, 0.25, kv_slot=0, k_cache=kc, v_cache=vc, outs=[y])
    plain = kn.AttentionOp(q, k, v, pos, 2, 1, 16, 0.25, outs=[y])
    kind, build = BUILDERS[kn.AttentionOp]
    assert kind == "attention"
    fn, variant = build(cached, "cached", "scalar", "")
    assert "no KV cache" not in variant and [a.name_hint for a in fn.body.block.args][4:6] == ["k_cache", "v_cache"]
    _, variant = build(plain, "plain", "scalar", "")
    assert "no KV cache" in variant
