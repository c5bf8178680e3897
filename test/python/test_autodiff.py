"""transformer-autodiff: the derived backward pass, run by the kernels' numpy semantics, against
PyTorch autograd on Hugging Face Qwen3 with the same weights, and against finite differences."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from hf_oracle import hf_model
from xdsl.context import Context
from xdsl.interpreter import Interpreter
from xdsl.interpreters.func import FuncFunctions

import ck.models
import ck.testing
from ck.lowering.kernel_registry import KernelFunctions
from ck.passes.transformer_autodiff import TransformerAutodiffPass
from ck.reference import TransformerFunctions
from ck.testing import ModelSpec

CONFIGS = {
    "tied_4q_2kv": dict(vocab=96, dim=32, layers=2, hidden=64, heads=4, kv_heads=2, context_len=16),
    "untied_2q_1kv_hd24": dict(vocab=80, dim=48, layers=1, hidden=96, heads=2, kv_heads=1, context_len=16,
                               head_dim=24, tie_embeddings=False),
}


def derived(model: ck.models.TinyModel, seq: int):
    module = model.train_module(seq)
    TransformerAutodiffPass().apply(Context(), module)
    module.verify()
    return module


def run_train_step(module, weights: dict[str, np.ndarray], tokens, targets) -> tuple[float, dict[str, np.ndarray]]:
    functions = TransformerFunctions(lambda name: weights[name])
    interp = Interpreter(module)
    interp.register_implementations(FuncFunctions())
    interp.register_implementations(functions)
    interp.register_implementations(KernelFunctions(functions.kv))
    t = np.asarray(tokens, dtype=np.int32)
    results = interp.call_op("train_step", (t, np.arange(len(t), dtype=np.int32), np.asarray(targets, dtype=np.int32)))
    fn = next(f for f in module.ops if getattr(f, "sym_name", None) and f.sym_name.data == "train_step")
    names = [a.data for a in fn.attributes["ck.grads"].data]
    return float(results[0]), dict(zip(names, (np.asarray(g, dtype=np.float64) for g in results[1:]), strict=True))


def torch_grads(model: ck.models.TinyModel, weights: dict[str, np.ndarray], tokens, targets):
    spec = ModelSpec(arch=model.arch, vocab=model.vocab, dim=model.dim, layers=model.layers, ffn=model.hidden,
                     heads=model.heads, kv_heads=model.kv_heads, head_dim=model.hd, rope_theta=model.rope_theta,
                     rms_eps=model.rms_eps, tied=model.tie_embeddings, context_len=model.context_len)
    to_hf = {ck.testing.gguf_name(h): h for h in ck.testing.random_hf_weights(spec)}
    hf = hf_model(spec, {to_hf[n]: w for n, w in weights.items()})
    out = hf(torch.tensor([tokens]), labels=None).logits[0]
    loss = torch.nn.functional.cross_entropy(out, torch.tensor(targets))
    loss.backward()
    params = dict(hf.named_parameters())
    return float(loss.detach()), {n: params[to_hf[n]].grad.double().numpy() for n in weights}


@pytest.mark.parametrize("name", CONFIGS)
def test_gradients_match_pytorch(name: str) -> None:
    model = ck.models.qwen3_tiny(**CONFIGS[name], seed=1)
    weights = model.init_weights()
    rng = np.random.default_rng(0)
    tokens, targets = rng.integers(0, model.vocab, 12).tolist(), rng.integers(0, model.vocab, 12).tolist()
    loss, grads = run_train_step(derived(model, 12), weights, tokens, targets)
    ref_loss, ref = torch_grads(model, weights, tokens, targets)
    assert abs(loss - ref_loss) < 1e-5 * abs(ref_loss)
    assert set(grads) == set(weights)
    for n, g in grads.items():
        scale = np.abs(ref[n]).max()
        assert np.abs(g - ref[n]).max() <= 1e-4 * scale, n


def test_finite_differences() -> None:
    model = ck.models.qwen3_tiny(**CONFIGS["tied_4q_2kv"], seed=2)
    weights = {n: w.astype(np.float64) for n, w in model.init_weights().items()}
    rng = np.random.default_rng(3)
    tokens, targets = rng.integers(0, model.vocab, 8).tolist(), rng.integers(0, model.vocab, 8).tolist()
    module = derived(model, 8)
    _, grads = run_train_step(module, weights, tokens, targets)
    kinds = {n.replace("blk.1.", "blk.0.") for n in weights}  # every kind of weight, some in each layer
    for name in sorted(kinds | {"blk.1.attn_q.weight", "blk.1.ffn_down.weight"}):
        for _ in range(2):
            idx = tuple(rng.integers(0, d) for d in weights[name].shape)
            h = 1e-2  # the loss comes back in float32: a larger step keeps rounding below 1e-4
            plus, minus = dict(weights), dict(weights)
            plus[name] = weights[name].copy(); plus[name][idx] += h
            minus[name] = weights[name].copy(); minus[name][idx] -= h
            fd = (run_train_step(module, plus, tokens, targets)[0] - run_train_step(module, minus, tokens, targets)[0]) / (2 * h)
            g = grads[name][idx]
            assert abs(fd - g) <= max(5e-2 * abs(g), 1e-4), (name, idx, fd, g)


def test_invariants() -> None:
    model = ck.models.qwen3_tiny(**CONFIGS["tied_4q_2kv"])
    module = derived(model, 4)
    inv = json.loads(module.attributes["ck.invariants"].data)
    assert inv["unresolved"] == []
    assert sorted(inv["weight_grads"]) == sorted(model.tensor_shapes())
    assert "token_embd" in inv["accumulations"]  # tied: embedding and lm head gradients are summed
    assert inv["backward_ops"] > inv["forward_ops"] > 0 and inv["activation_grads"] > 0
