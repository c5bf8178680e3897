"""ck.models.qwen2_tiny trains: Qwen2's q/k/v biases are trained weights. Gradients, AdamW steps,
a checkpoint and the exported GGUF are checked against transformers' Qwen2ForCausalLM with the
same weights (torch autograd, torch.optim.AdamW), the bias gradients also against finite
differences. The biases are set to nonzero values first, so the forward pass depends on them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from hf_oracle import hf_model
from test_autodiff import CONFIGS, derived, run_train_step

import ck
import ck.testing
from ck.gguf_file import GGUFFile

SMALL = dict(vocab=300, dim=32, layers=2, hidden=64, heads=4, kv_heads=2, context_len=16)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def biases_of(model: ck.models.TinyModel) -> list[str]:
    return [f"blk.{i}.attn_{p}.bias" for i in range(model.layers) for p in "qkv"]


def with_random_biases(weights: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """`weights` with every bias drawn from N(0, 0.5^2) (qwen2_tiny starts them at zero)."""
    rng = np.random.default_rng(seed)
    return {n: (0.5 * rng.standard_normal(w.shape)).astype(w.dtype) if n.endswith(".bias") else w
            for n, w in weights.items()}


def hf_qwen2(model: ck.models.TinyModel, weights: dict[str, np.ndarray]) -> torch.nn.Module:
    return hf_model(model.spec(), {ck.testing.hf_name(n): w for n, w in weights.items()})


def torch_loss(hf: torch.nn.Module, tokens: np.ndarray, targets: np.ndarray) -> torch.Tensor:
    """Mean cross-entropy over a [batch, seq] batch, as the training step computes it."""
    logits = hf(torch.tensor(tokens)).logits
    flat_targets = torch.tensor(targets).reshape(-1)
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), flat_targets)


def test_the_model_has_zero_biases_and_no_qk_norm() -> None:
    model = ck.models.qwen2_tiny(**SMALL)
    weights = model.init_weights()
    assert model.arch == "qwen2" and model.spec().arch == "qwen2"
    assert all(not weights[b].any() for b in biases_of(model))
    assert not any("q_norm" in n or "k_norm" in n for n in weights)
    assert weights["blk.0.attn_q.bias"].shape == (32,) and weights["blk.0.attn_k.bias"].shape == (16,)


@pytest.mark.parametrize(("name", "threads"), [("tied_4q_2kv", 2), ("untied_2q_1kv_hd24", 1)])
def test_native_gradients_match_pytorch(name: str, threads: int) -> None:
    """Tied (biases of whole vectors) and untied with head_dim 24 (k/v biases of 24: the general kernel)."""
    model = ck.models.qwen2_tiny(**CONFIGS[name], seed=4)
    run = ck.compile(model, mode="train", batch=2, seq=8, config=ck.CompileConfig(threads=threads))
    weights = with_random_biases(run.weights(), 5)
    run.set_weights(weights)
    rng = np.random.default_rng(6)
    tokens, targets = rng.integers(0, model.vocab, (2, 8)), rng.integers(0, model.vocab, (2, 8))
    loss = run.forward_backward(tokens, targets)
    hf = hf_qwen2(model, weights)
    ref_loss = torch_loss(hf, tokens, targets)
    ref_loss.backward()
    assert abs(loss - ref_loss.item()) <= 1e-5 * ref_loss.item()
    grads, params = run.grads(), dict(hf.named_parameters())
    assert set(grads) == set(model.tensor_shapes()) and set(biases_of(model)) <= set(grads)
    for n, g in grads.items():
        ref = params[ck.testing.hf_name(n)].grad.double().numpy()
        assert np.abs(g - ref).max() <= 1e-4 * np.abs(ref).max(), n


def test_bias_gradients_match_finite_differences() -> None:
    model = ck.models.qwen2_tiny(**CONFIGS["tied_4q_2kv"], seed=2)
    weights = {n: w.astype(np.float64) for n, w in with_random_biases(model.init_weights(), 3).items()}
    rng = np.random.default_rng(4)
    tokens, targets = rng.integers(0, model.vocab, 8).tolist(), rng.integers(0, model.vocab, 8).tolist()
    module = derived(model, 8)
    _, grads = run_train_step(module, weights, tokens, targets)
    for name in biases_of(model):
        for _ in range(2):
            (idx,) = rng.integers(0, weights[name].shape[0], 1)
            h = 1e-2  # the loss comes back in float32: a larger step keeps rounding below 1e-4
            plus, minus = dict(weights), dict(weights)
            plus[name] = weights[name].copy()
            plus[name][idx] += h
            minus[name] = weights[name].copy()
            minus[name][idx] -= h
            loss_plus, loss_minus = (run_train_step(module, w, tokens, targets)[0] for w in (plus, minus))
            fd = (loss_plus - loss_minus) / (2 * h)
            g = grads[name][idx]
            assert abs(fd - g) <= max(5e-2 * abs(g), 1e-4), (name, idx, fd, g)


def test_adamw_steps_and_a_checkpoint_track_torch(tmp_path: Path) -> None:
    """Five AdamW steps, the last two after a save and ck.load_run: losses and biases follow torch."""
    model = ck.models.qwen2_tiny(**SMALL, seed=3)
    run = ck.compile(model, mode="train", batch=2, seq=8, config=ck.CompileConfig(threads=2))
    weights = with_random_biases(run.weights(), 1)
    run.set_weights(weights)
    hf = hf_qwen2(model, weights)
    hyper = dict(lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    opt = torch.optim.AdamW(hf.parameters(), **hyper)
    rng = np.random.default_rng(0)
    for step in range(5):
        if step == 3:
            run.save(tmp_path / "ckpt.npz")
            run = ck.load_run(tmp_path / "ckpt.npz")
            assert run.model == model and run.step_count == 3
        tokens, targets = rng.integers(0, model.vocab, (2, 8)), rng.integers(0, model.vocab, (2, 8))
        ours = run.step(tokens, targets, **hyper)
        opt.zero_grad()
        loss = torch_loss(hf, tokens, targets)
        loss.backward()
        opt.step()
        assert abs(ours - loss.item()) <= 1e-4 * loss.item(), step
    # Each bias moved by about lr per step; a wrong gradient would be off by as much. The k
    # biases' gradients nearly cancel (softmax ignores a shift shared by every key), so AdamW,
    # which divides by the gradient's size, turns their float32 rounding into up to ~1% of lr.
    params = dict(hf.named_parameters())
    for name in biases_of(model):
        theirs = params[ck.testing.hf_name(name)].detach().numpy()
        assert np.abs(run.weights()[name] - weights[name]).max() > 3 * hyper["lr"], name
        assert np.abs(run.weights()[name] - theirs).max() <= 0.1 * hyper["lr"], name


def test_saved_gguf_is_a_qwen2_that_ck_load_runs(tmp_path: Path) -> None:
    """The exported file (untied: output.weight too) runs in ck.load with transformers' logits,
    whose loss is the training forward's."""
    model = ck.models.qwen2_tiny(**SMALL, seed=5, tie_embeddings=False)
    run = ck.compile(model, mode="train", seq=8)
    run.set_weights(with_random_biases(run.weights(), 2))
    rng = np.random.default_rng(2)
    for _ in range(2):
        run.step(rng.integers(0, 300, (1, 8)), rng.integers(0, 300, (1, 8)), lr=1e-2)
    tokens, targets = rng.integers(0, 300, 8), rng.integers(0, 300, 8)
    train_loss = run.forward_backward(tokens[None], targets[None])
    run.save_gguf(tmp_path / "trained.gguf")
    assert GGUFFile(tmp_path / "trained.gguf").architecture == "qwen2"
    hf = hf_qwen2(model, run.weights())
    with torch.no_grad():
        want = hf(torch.tensor(tokens[None])).logits[0].double().numpy()
    assert train_loss == pytest.approx(torch_loss(hf, tokens[None], targets[None]).item(), rel=1e-5)
    with ck.load(tmp_path / "trained.gguf", context_len=16, threads=1) as m:
        logits = m.logits(tokens.tolist()).astype(np.float64)
    assert np.abs(logits - want).max() <= 1e-4 * np.abs(want).max()
