"""ck.models.gpt2_tiny trains: gradients of the derived backward pass (numpy semantics and the
compiled kernels) against torch autograd on transformers' GPT2LMHeadModel with the same
weights, AdamW steps against torch.optim.AdamW, and the exported GGUF against the trained
weights. Biases, LayerNorm weights and the position table are set to random values first, so
every gradient is exercised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from hf_oracle import hf_model
from test_autodiff import derived, run_train_step

import ck
import ck.testing
from ck.reference import reference_model

SMALL = dict(vocab=96, dim=32, layers=2, heads=4, context_len=16)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def randomized(weights: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """gpt2_tiny's start (norm weights one, biases zero) moved off its special values."""
    rng = np.random.default_rng(seed)
    out = {}
    for n, w in weights.items():
        if w.ndim == 1:
            base = 1.0 if n.endswith("norm.weight") else 0.0
            w = base + 0.3 * rng.standard_normal(w.shape)
        out[n] = w.astype(np.float32)
    return out


def hf_gpt2(model: ck.models.TinyModel, weights: dict[str, np.ndarray]) -> torch.nn.Module:
    return hf_model(model.spec(), ck.testing.hf_weights("gpt2", weights))


def torch_loss(hf: torch.nn.Module, tokens: np.ndarray, targets: np.ndarray) -> torch.Tensor:
    logits = hf(torch.tensor(tokens)).logits
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(targets).reshape(-1))


def torch_grads(model: ck.models.TinyModel, hf: torch.nn.Module) -> dict[str, np.ndarray]:
    """d loss / d weight by GGUF name, in ck's [out, in] layout."""
    params = dict(hf.named_parameters())
    hf_grads = {n: params[n].grad.double().numpy() for n in params}
    back = {}
    for name in model.tensor_shapes():
        hf = ck.testing.hf_name(name, "gpt2")
        g = hf_grads[hf]
        back[name] = g.T if hf.endswith(ck.testing.GPT2_CONV1D) else g
    return back


def assert_close(grads: dict[str, np.ndarray], ref: dict[str, np.ndarray]) -> None:
    assert set(grads) == set(ref)
    for n, g in grads.items():
        assert g.shape == ref[n].shape, n
        assert np.abs(g - ref[n]).max() <= 1e-4 * np.abs(ref[n]).max(), n


def test_the_model() -> None:
    model = ck.models.gpt2_tiny(**SMALL)
    shapes = model.tensor_shapes()
    assert model.arch == "gpt2" and model.hidden == 128 and model.kv_heads == 4
    assert shapes["position_embd.weight"] == (16, 32) and shapes["blk.0.attn_qkv.weight"] == (96, 32)
    assert shapes["blk.1.ffn_norm.bias"] == (32,) and "output.weight" not in shapes  # tied
    weights = model.init_weights()
    assert not weights["blk.0.attn_qkv.bias"].any() and (weights["output_norm.weight"] == 1).all()


def test_derived_gradients_match_pytorch() -> None:
    """The backward pass the autodiff pass derives, run by the kernels' numpy semantics."""
    model = ck.models.gpt2_tiny(**SMALL, seed=1, tie_embeddings=False)
    weights = randomized(model.init_weights(), 2)
    rng = np.random.default_rng(0)
    tokens, targets = rng.integers(0, model.vocab, 12), rng.integers(0, model.vocab, 12)
    loss, grads = run_train_step(derived(model, 12), weights, tokens.tolist(), targets.tolist())
    hf = hf_gpt2(model, weights)
    ref_loss = torch_loss(hf, tokens[None], targets[None])
    ref_loss.backward()
    assert abs(loss - ref_loss.item()) <= 1e-5 * ref_loss.item()
    assert_close(grads, torch_grads(model, hf))


@pytest.mark.parametrize("isa,threads,dim", [("avx512", 2, 40), ("scalar", 3, 32)])
def test_native_gradients_match_pytorch(isa: str, threads: int, dim: int) -> None:
    """The compiled training step, tied embeddings, a batch of two sequences; dim 40 is no
    multiple of avx512's 16 lanes (one-lane layernorm kernels, vector tails in the slices)."""
    model = ck.models.gpt2_tiny(**{**SMALL, "dim": dim}, seed=4)
    run = ck.compile(model, mode="train", batch=2, seq=8, config=ck.CompileConfig(threads=threads, isa=isa))
    weights = randomized(run.weights(), 5)
    run.set_weights(weights)
    rng = np.random.default_rng(6)
    tokens, targets = rng.integers(0, model.vocab, (2, 8)), rng.integers(0, model.vocab, (2, 8))
    loss = run.forward_backward(tokens, targets)
    hf = hf_gpt2(model, weights)
    ref_loss = torch_loss(hf, tokens, targets)
    ref_loss.backward()
    assert abs(loss - ref_loss.item()) <= 1e-5 * ref_loss.item()
    assert_close(run.grads(), torch_grads(model, hf))


def test_adamw_steps_track_torch_and_the_export_runs(tmp_path: Path) -> None:
    model = ck.models.gpt2_tiny(**SMALL, seed=7)
    run = ck.compile(model, mode="train", batch=2, seq=8, config=ck.CompileConfig(threads=2))
    hf = hf_gpt2(model, run.weights())
    opt = torch.optim.AdamW(hf.parameters(), lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    rng = np.random.default_rng(8)
    for step in range(6):
        tokens, targets = rng.integers(0, model.vocab, (2, 8)), rng.integers(0, model.vocab, (2, 8))
        ours = run.step(tokens, targets, lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
        opt.zero_grad()
        loss = torch_loss(hf, tokens, targets)
        loss.backward()
        opt.step()
        assert abs(ours - loss.item()) <= 1e-4 * loss.item(), step
    theirs = {n: p.detach().numpy() for n, p in hf.named_parameters()}
    for name, w in ck.testing.hf_weights("gpt2", run.weights()).items():
        if name.endswith("c_attn.bias"):
            # the k part of the bias adds q.b_k to all of a query's scores, which softmax ignores:
            # its gradient is 0 up to rounding, and AdamW scales that noise to steps of +-lr
            k = slice(model.dim, 2 * model.dim)
            assert np.abs(run.grads()[ck.testing.gguf_name(name)][k]).max() < 1e-6
            w, theirs[name] = np.delete(w, np.s_[k]), np.delete(theirs[name], np.s_[k])
        assert np.abs(w - theirs[name]).max() <= 1e-4, name

    run.save_gguf(tmp_path / "tiny.gguf")
    ids = rng.integers(0, model.vocab, 10).tolist()
    with torch.no_grad():
        expected = hf(torch.tensor([ids])).logits[0].numpy()
    assert np.abs(reference_model(str(tmp_path / "tiny.gguf")).logits(ids) - expected).max() < 1e-4
