"""A training build is one ck-opt pipeline: train.json's `pipeline` takes the kept
transformer.mlir (forward + loss, as authored) to the build's model.c, optimizer included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pipeline_replay import replay_pipeline

import ck
from ck.lowering import PASSES as LOWERING_PASSES
from ck.passes import PASSES
from ck.train import train_stages

SMALL = dict(vocab=300, dim=32, layers=2, hidden=64, heads=4, kv_heads=2, context_len=16)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def test_training_passes_are_registered() -> None:
    registered = {**PASSES, **LOWERING_PASSES}
    for _, passes in train_stages(seq=8, batch=2, isa="avx512", pack_weights=False):
        for p in passes:
            assert p.name in registered and registered[p.name]() is type(p), f"ck-opt does not know {p.name}"


@pytest.mark.parametrize("pack_weights", [True, False])
def test_recorded_pipeline_reproduces_model_c(pack_weights: bool, tmp_path: Path) -> None:
    model = ck.models.qwen3_tiny(**SMALL, seed=1)
    run = ck.compile(model, mode="train", batch=2, seq=8, config=ck.CompileConfig(pack_weights=pack_weights))
    out = run.directory
    pipeline = json.loads((out / "train.json").read_text())["pipeline"]
    assert pipeline.startswith('transformer-autodiff{entry="ck_train_step"}')
    assert f"append-adamw{{pack_weights={str(pack_weights).lower()}}}" in pipeline
    assert "plan-memory{context_len=8 max_tokens=16 " in pipeline
    assert "transformer.cross_entropy" in (out / "transformer.mlir").read_text()
    assert "kernel.adamw" not in (out / "transformer.mlir").read_text()  # the module as authored
    replayed = replay_pipeline(out / "transformer.mlir", pipeline, tmp_path)
    model_c = (out / "model.c").read_bytes()
    assert b"void ck_adamw_step(" in model_c
    assert replayed == model_c
