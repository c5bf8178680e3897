"""The compiled training step (ck.compile(model, mode="train")) against PyTorch autograd."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_autodiff import CONFIGS, torch_grads

import ck
from ck.errors import CkError


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", CONFIGS)
@pytest.mark.parametrize("threads", [1, 2])
def test_native_gradients_match_pytorch(name: str, threads: int) -> None:
    model = ck.models.qwen3_tiny(**CONFIGS[name], seed=4)
    run = ck.compile(model, mode="train", batch=1, seq=12, config=ck.CompileConfig(threads=threads))
    rng = np.random.default_rng(5)
    tokens, targets = rng.integers(0, model.vocab, (1, 12)), rng.integers(0, model.vocab, (1, 12))
    loss = run.forward_backward(tokens, targets)
    ref_loss, ref = torch_grads(model, run.weights(), tokens[0].tolist(), targets[0].tolist())
    assert abs(loss - ref_loss) <= 1e-5 * abs(ref_loss)
    grads = run.grads()
    assert set(grads) == set(model.tensor_shapes())
    for n, g in grads.items():
        assert g.shape == ref[n].shape
        assert np.abs(g - ref[n]).max() <= 1e-4 * np.abs(ref[n]).max(), n
    inv = run.invariants()
    assert inv["unresolved"] == [] and sorted(inv["weight_grads"]) == sorted(grads)


def test_batch_mean_and_set_weights() -> None:
    model = ck.models.qwen3_tiny(**CONFIGS["tied_4q_2kv"], seed=6)
    run = ck.compile(model, mode="train", batch=2, seq=8)
    rng = np.random.default_rng(7)
    tokens, targets = rng.integers(0, model.vocab, (2, 8)), rng.integers(0, model.vocab, (2, 8))
    new = {n: (w * 0.5).astype(np.float32) for n, w in run.weights().items()}
    run.set_weights(new)
    assert all(np.array_equal(run.weights()[n], new[n]) for n in new)
    loss = run.forward_backward(tokens, targets)
    parts = [torch_grads(model, new, tokens[b].tolist(), targets[b].tolist()) for b in range(2)]
    assert abs(loss - (parts[0][0] + parts[1][0]) / 2) <= 1e-5 * loss
    for n, g in run.grads().items():
        ref = (parts[0][1][n] + parts[1][1][n]) / 2
        assert np.abs(g - ref).max() <= 1e-4 * np.abs(ref).max(), n


def test_bad_inputs_are_errors() -> None:
    model = ck.models.qwen3_tiny(**CONFIGS["tied_4q_2kv"])
    run = ck.compile(model, mode="train", seq=4)
    with pytest.raises(CkError, match=r"shape \[batch, seq\] = \[1, 4\]"):
        run.forward_backward(np.zeros((1, 5), int), np.zeros((1, 5), int))
    with pytest.raises(CkError, match="outside the vocabulary"):
        run.forward_backward(np.full((1, 4), model.vocab), np.zeros((1, 4), int))
    with pytest.raises(CkError, match="unknown weight"):
        run.set_weights({"nope.weight": np.zeros(3)})
    with pytest.raises(CkError, match="no gradients yet"):
        run.grads()
    with pytest.raises(CkError, match="unknown mode"):
        ck.compile(model, mode="infer")
