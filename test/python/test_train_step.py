"""run.step tracks torch.optim.AdamW; checkpoints and GGUF export round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from hf_oracle import hf_model

import ck
import ck.testing
from ck.errors import CkError

SMALL = dict(vocab=300, dim=32, layers=2, hidden=64, heads=4, kv_heads=2, context_len=16)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def test_twenty_steps_track_torch_adamw() -> None:
    model = ck.models.qwen3_tiny(**SMALL, seed=3)
    run = ck.compile(model, mode="train", batch=2, seq=8, config=ck.CompileConfig(threads=2))
    spec = model.spec()
    hf = hf_model(spec, {ck.testing.hf_name(n): w for n, w in run.weights().items()})
    opt = torch.optim.AdamW(hf.parameters(), lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    rng = np.random.default_rng(0)
    for step in range(20):
        tokens, targets = rng.integers(0, model.vocab, (2, 8)), rng.integers(0, model.vocab, (2, 8))
        ours = run.step(tokens, targets, lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
        opt.zero_grad()
        logits = hf(torch.tensor(tokens)).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, model.vocab), torch.tensor(targets).reshape(-1))
        loss.backward()
        opt.step()
        assert abs(ours - loss.item()) <= 1e-4 * loss.item(), step
    assert run.step_count == 20


def test_checkpoint_round_trip(tmp_path: Path) -> None:
    model = ck.models.qwen3_tiny(**SMALL, seed=4)
    run = ck.compile(model, mode="train", seq=8)
    rng = np.random.default_rng(1)
    batches = [(rng.integers(0, 300, (1, 8)), rng.integers(0, 300, (1, 8))) for _ in range(4)]
    for t, y in batches[:2]:
        run.step(t, y, lr=1e-2)
    run.save(tmp_path / "ckpt.npz")
    resumed = ck.load_run(tmp_path / "ckpt.npz")
    assert resumed.step_count == 2
    for t, y in batches[2:]:
        assert resumed.step(t, y, lr=1e-2) == pytest.approx(run.step(t, y, lr=1e-2), rel=1e-6)
    with pytest.raises(CkError, match="not a ck checkpoint"):
        (tmp_path / "bad.npz").write_text("nope")
        ck.load_run(tmp_path / "bad.npz")


def test_saved_gguf_gives_the_training_forward_pass(tmp_path: Path) -> None:
    model = ck.models.qwen3_tiny(**SMALL, seed=5)
    run = ck.compile(model, mode="train", seq=8)
    rng = np.random.default_rng(2)
    for _ in range(3):
        run.step(rng.integers(0, 300, (1, 8)), rng.integers(0, 300, (1, 8)), lr=1e-2)
    tokens, targets = rng.integers(0, 300, 8), rng.integers(0, 300, 8)
    train_loss = run.forward_backward(tokens[None], targets[None])
    run.save_gguf(tmp_path / "trained.gguf")
    with ck.load(tmp_path / "trained.gguf", context_len=16, threads=1) as m:
        logits = m.logits(tokens.tolist()).astype(np.float64)
    logp = logits - logits.max(-1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(-1, keepdims=True))
    assert -logp[np.arange(8), targets].mean() == pytest.approx(train_loss, rel=1e-5)


def test_compile_config_changes_what_is_generated() -> None:
    """Each CompileConfig field reaches the generated code, and every variant trains the same."""
    model = ck.models.qwen3_tiny(**SMALL, seed=8)
    rng = np.random.default_rng(3)
    data = [(rng.integers(0, 300, (2, 8)), rng.integers(0, 300, (2, 8))) for _ in range(3)]
    configs = [ck.CompileConfig(), ck.CompileConfig(pack_weights=False), ck.CompileConfig(vectorize=False),
               ck.CompileConfig(threads=2), ck.CompileConfig(isa="scalar")]
    runs = [ck.compile(model, mode="train", batch=2, seq=8, config=c) for c in configs]
    losses = [[r.step(t, y, lr=1e-2) for t, y in data] for r in runs]
    for other in losses[1:]:
        assert other == pytest.approx(losses[0], rel=1e-5)
    c = {name: (r.directory / "model.c").read_text() for name, r in zip(["packed", "unpacked", "scalar"], runs)}
    assert c["packed"].count("adamw_") < c["unpacked"].count("adamw_")  # one flat update vs one per weight
    assert "_mm512" not in c["scalar"] and ("_mm512" in c["packed"] or "_mm256" in c["packed"])
    assert runs[3].directory == runs[0].directory  # threads: same code, a bigger pool
    assert runs[4].directory == runs[2].directory  # scalar ISA == no vectorization


def test_vectorize_false_is_shorthand_for_isa_scalar() -> None:
    assert ck.CompileConfig(vectorize=False).isa == "scalar"
    assert ck.CompileConfig(vectorize=False) == ck.CompileConfig(isa="scalar", vectorize=False)
    assert ck.CompileConfig(isa="scalar").isa == "scalar"
    with pytest.raises(CkError, match="vectorize=False is shorthand for isa='scalar', which conflicts with isa='avx2'"):
        ck.CompileConfig(isa="avx2", vectorize=False)
    with pytest.raises(CkError, match=r"dtype='bf16' needs the avx512 kernels .*got isa 'scalar' \(vectorize=False\)"):
        ck.CompileConfig(dtype="bf16", vectorize=False)
