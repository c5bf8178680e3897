"""Executable reference semantics of the transformer dialect (numpy, run by xDSL's interpreter).

This is the oracle the lowering passes are checked against, so it favours being
obviously right over being fast: every op computes in float64 from the float32
(dequantized) weights and hands float32 back. Attention bound to a `kv_slot`
keeps its keys and values between calls, so the reference can decode token by
token exactly as the compiled runtime does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls
from xdsl.interpreters.func import FuncFunctions

from ck.dialects import transformer as tf

WeightSource = Callable[[str], np.ndarray]


def _out(x: np.ndarray) -> tuple[np.ndarray]:
    return (np.asarray(x, dtype=np.float32),)


def rmsnorm(x: np.ndarray, w: np.ndarray, eps: float) -> np.ndarray:
    x = x.astype(np.float64)
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def layernorm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    x = x.astype(np.float64)
    centered = x - x.mean(axis=-1, keepdims=True)
    return centered / np.sqrt(np.mean(centered * centered, axis=-1, keepdims=True) + eps) * w + b


GELU_C = float(np.sqrt(2.0 / np.pi))
GELU_A = 0.044715


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form (transformers' gelu_new)."""
    x = x.astype(np.float64)
    return 0.5 * x * (1.0 + np.tanh(GELU_C * (x + GELU_A * x**3)))


def rope_angles(positions: np.ndarray, n_rot: int, theta: float) -> np.ndarray:
    """[T, n_rot/2]: position * theta^(-2i/n_rot), in float64."""
    inv_freq = theta ** (-np.arange(0, n_rot, 2, dtype=np.float64) / n_rot)
    return np.asarray(positions).astype(np.float64)[:, None] * inv_freq[None, :]


def rotate_pairs(heads: np.ndarray, cos: np.ndarray, sin: np.ndarray, n_rot: int, style: str) -> None:
    """Rotate, in place, the pairs of every head of heads [T, H, head_dim] by the angles whose
    cos and sin are [T, 1, n_rot/2]."""
    if style == "neox":  # rotate half: element i pairs with i + n_rot/2
        a, b = heads[..., : n_rot // 2].copy(), heads[..., n_rot // 2 : n_rot].copy()
        heads[..., : n_rot // 2] = a * cos - b * sin
        heads[..., n_rot // 2 : n_rot] = a * sin + b * cos
    else:  # norm: adjacent pairs (2i, 2i+1)
        a, b = heads[..., 0:n_rot:2].copy(), heads[..., 1:n_rot:2].copy()
        heads[..., 0:n_rot:2] = a * cos - b * sin
        heads[..., 1:n_rot:2] = a * sin + b * cos


def rope(x: np.ndarray, positions: np.ndarray, head_dim: int, n_rot: int, theta: float, style: str) -> np.ndarray:
    t = x.shape[0]
    heads = x.astype(np.float64).reshape(t, -1, head_dim).copy()
    angles = rope_angles(positions, n_rot, theta)
    rotate_pairs(heads, np.cos(angles)[:, None, :], np.sin(angles)[:, None, :], n_rot, style)
    return heads.reshape(t, -1)


def visibility(q_pos: np.ndarray, k_pos: np.ndarray, seq_len: int | None = None) -> np.ndarray:
    """[queries, keys]: causal by position, and with `seq_len` only within the query row's own
    sequence (rows hold a batch of sequences of seq_len tokens, one after another)."""
    visible = k_pos[None, :] <= q_pos[:, None]
    if seq_len is not None:
        rows_q, rows_k = np.arange(len(q_pos)) // seq_len, np.arange(len(k_pos)) // seq_len
        visible &= rows_q[:, None] == rows_k[None, :]
    return visible


def attention(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    q_pos: np.ndarray,
    k_pos: np.ndarray,
    n_heads: int,
    n_kv_heads: int,
    head_dim: int,
    scale: float,
    seq_len: int | None = None,
) -> np.ndarray:
    """Causal GQA: query at position p sees keys at positions <= p (in its own sequence)."""
    t, s = q.shape[0], k.shape[0]
    qh = q.astype(np.float64).reshape(t, n_heads, head_dim).transpose(1, 0, 2)
    kh = k.astype(np.float64).reshape(s, n_kv_heads, head_dim).transpose(1, 0, 2)
    vh = v.astype(np.float64).reshape(s, n_kv_heads, head_dim).transpose(1, 0, 2)
    group = n_heads // n_kv_heads
    kh, vh = np.repeat(kh, group, axis=0), np.repeat(vh, group, axis=0)
    scores = qh @ kh.transpose(0, 2, 1) * scale  # [H, T, S]
    scores = np.where(visibility(q_pos, k_pos, seq_len)[None], scores, -np.inf)
    scores -= scores.max(axis=-1, keepdims=True)
    p = np.exp(scores)
    p /= p.sum(axis=-1, keepdims=True)
    return (p @ vh).transpose(1, 0, 2).reshape(t, n_heads * head_dim)


def silu(x: np.ndarray) -> np.ndarray:
    return x / (1.0 + np.exp(-x))


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return np.asarray(-logp[np.arange(len(targets)), targets].mean())


def _int(attr: Any) -> int:
    return int(attr.value.data)


def _float(attr: Any) -> float:
    return float(attr.value.data)


class KVState:
    """The KV cache of the reference: per slot, the positions, keys and values seen so far.

    A call whose first position is 0 starts the sequence over; otherwise the new keys
    and values are appended after the cached positions before them.
    """

    def __init__(self) -> None:
        self.slots: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def clear(self) -> None:
        self.slots.clear()

    def attend(self, op: Any, q: np.ndarray, k: np.ndarray, v: np.ndarray, pos: Any) -> np.ndarray:
        """Causal GQA attention of `op` (transformer or kernel level), through its kv_slot."""
        pos = np.asarray(pos, dtype=np.int64)
        k_pos = pos
        if op.kv_slot is not None:
            slot = _int(op.kv_slot)
            if slot in self.slots and len(pos) and pos[0] > 0:
                old_pos, old_k, old_v = self.slots[slot]
                keep = old_pos < pos[0]
                k_pos = np.concatenate([old_pos[keep], pos])
                k = np.concatenate([old_k[keep], k])
                v = np.concatenate([old_v[keep], v])
            self.slots[slot] = (k_pos, k, v)
        seq_len = op.seq_len.value.data if getattr(op, "seq_len", None) is not None else None
        return attention(
            q, k, v, pos, k_pos, _int(op.n_heads), _int(op.n_kv_heads), _int(op.head_dim), _float(op.scale), seq_len
        )


@register_impls
class TransformerFunctions(InterpreterFunctions):
    """numpy implementations of every transformer op."""

    def __init__(self, weights: WeightSource) -> None:
        super().__init__()
        self.weights = weights
        self.kv = KVState()

    @impl(tf.WeightOp)
    def run_weight(self, interp: Interpreter, op: tf.WeightOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        return (self.weights(op.tensor_name.data),)

    @impl(tf.EmbeddingOp)
    def run_embedding(self, interp: Interpreter, op: tf.EmbeddingOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        tokens, table = args
        return _out(table[np.asarray(tokens, dtype=np.int64)])

    @impl(tf.RMSNormOp)
    def run_rmsnorm(self, interp: Interpreter, op: tf.RMSNormOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        x, w = args
        return _out(rmsnorm(x, w, _float(op.eps)))

    @impl(tf.LayerNormOp)
    def run_layernorm(self, interp: Interpreter, op: tf.LayerNormOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        x, w, b = args
        return _out(layernorm(x, w, b, _float(op.eps)))

    @impl(tf.SliceOp)
    def run_slice(self, interp: Interpreter, op: tf.SliceOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        (x,) = args
        offset, width = _int(op.offset), op.output.type.get_shape()[1]
        return _out(x[:, offset : offset + width])

    @impl(tf.GeluOp)
    def run_gelu(self, interp: Interpreter, op: tf.GeluOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        return _out(gelu(args[0]))

    @impl(tf.LinearOp)
    def run_linear(self, interp: Interpreter, op: tf.LinearOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        x, w, *bias = args
        y = x.astype(np.float64) @ w.astype(np.float64).T
        return _out(y + bias[0] if bias else y)

    @impl(tf.HeadRMSNormOp)
    def run_head_rmsnorm(self, interp: Interpreter, op: tf.HeadRMSNormOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        x, w = args
        hd = _int(op.head_dim)
        return _out(rmsnorm(x.reshape(x.shape[0], -1, hd), w, _float(op.eps)).reshape(x.shape))

    @impl(tf.RopeOp)
    def run_rope(self, interp: Interpreter, op: tf.RopeOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        x, pos = args
        return _out(rope(x, np.asarray(pos), _int(op.head_dim), _int(op.n_rot), _float(op.theta), op.style.data))

    @impl(tf.AttentionOp)
    def run_attention(self, interp: Interpreter, op: tf.AttentionOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        return _out(self.kv.attend(op, *args))

    @impl(tf.AddOp)
    def run_add(self, interp: Interpreter, op: tf.AddOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        return _out(args[0].astype(np.float64) + args[1])

    @impl(tf.SiluMulOp)
    def run_silu_mul(self, interp: Interpreter, op: tf.SiluMulOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        gate, up = (a.astype(np.float64) for a in args)
        return _out(silu(gate) * up)

    @impl(tf.LMHeadOp)
    def run_lm_head(self, interp: Interpreter, op: tf.LMHeadOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        x, w = args
        return _out(x.astype(np.float64) @ w.astype(np.float64).T)

    @impl(tf.CrossEntropyOp)
    def run_cross_entropy(self, interp: Interpreter, op: tf.CrossEntropyOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        logits, targets = args
        return _out(cross_entropy(logits, np.asarray(targets, dtype=np.int64)))


class ReferenceRunner:
    """Runs a transformer-level module with the numpy semantics, keeping KV state between calls."""

    def __init__(self, module: ModuleOp, weights: WeightSource, entry: str = "forward") -> None:
        cache: dict[str, np.ndarray] = {}

        def cached(name: str) -> np.ndarray:
            if name not in cache:
                cache[name] = np.asarray(weights(name), dtype=np.float32)
            return cache[name]

        from ck.lowering.kernel_registry import KernelFunctions  # kernel-level IR runs too

        self.entry = entry
        self.functions = TransformerFunctions(cached)
        self.interpreter = Interpreter(module)
        self.interpreter.register_implementations(FuncFunctions())
        self.interpreter.register_implementations(self.functions)
        self.interpreter.register_implementations(KernelFunctions(self.functions.kv))
        self.position = 0

    def forward(self, ids: Sequence[int]) -> np.ndarray:
        """Append `ids` at the current position and return their logits [len(ids), vocab]."""
        tokens = np.asarray(ids, dtype=np.int32)
        positions = np.arange(self.position, self.position + len(tokens), dtype=np.int32)
        (logits,) = self.interpreter.call_op(self.entry, (tokens, positions))
        self.position += len(tokens)
        return np.asarray(logits, dtype=np.float32)

    def reset(self) -> None:
        self.functions.kv.clear()
        self.position = 0

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        """Logits of a fresh sequence at positions 0..len(ids)-1."""
        self.reset()
        return self.forward(ids)


def reference_model(path: str) -> ReferenceRunner:
    """Import a GGUF file and run its transformer IR with the numpy semantics."""
    from ck.importer import import_gguf

    imported = import_gguf(path)
    return ReferenceRunner(imported.module, imported.gguf.tensor_f32)
