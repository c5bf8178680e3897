"""What the optimizing passes decide, as layout.json records it, and that the decisions compute
the same numbers: weight layouts (rp16 where the int8 kernels can read it, rows with a reason
where not), barriers per layer, thread-private buffers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context

import ck
from ck.compiler import compile_options, stage_passes
from ck.importer import import_gguf
from ck.reference import ReferenceRunner
from ck.testing import ModelSpec, write_gguf


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def layout(m: ck.Model) -> dict:
    return json.loads((Path(m.info.directory) / "layout.json").read_text())


@pytest.mark.parametrize("arch", ["qwen3", "qwen2", "llama"])
def test_decode_keeps_at_most_six_barriers_per_layer(arch: str, tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(arch=arch, dtype="q8_0", layers=3, tied=False))
    with ck.load(tmp_path / "m.gguf", context_len=32, threads=2) as m:
        info = layout(m)
    decode = info["functions"]["ck_decode"]
    assert decode["barriers"]["by_layer"] == [5, 5, 5]
    assert decode["barriers"]["per_layer_max"] <= 6
    calls = decode["calls"]
    assert not calls[-1]["barrier_after"]  # the end of the job is a rendezvous already
    private = {b["name"] for b in decode["buffers"] if b["private"]}
    shared = {b["name"] for b in decode["buffers"] if not b["private"]}
    assert {"x", "l0_h", "l0_h_q"} <= private  # embedding and the replicated norm + quantize
    assert {"l0_q", "l0_attn", "l0_o", "l0_down"} <= shared  # split kernels' outputs


def test_q8_0_weights_are_repacked_where_the_int8_kernels_read_them(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0", tied=False))
    with ck.load(tmp_path / "m.gguf", context_len=32, threads=1) as m:
        weights = {w["name"]: w for w in layout(m)["weights"]}
    assert weights["blk.0.attn_q.weight"]["layout"] == "rp16"
    assert weights["output.weight"]["layout"] == "rp16"
    assert weights["blk.0.attn_norm.weight"]["layout"] == "rows"
    with ck.load(tmp_path / "m.gguf", context_len=32, threads=1, act_dtype="f32") as m:
        weights = {w["name"]: w for w in layout(m)["weights"]}
    assert weights["blk.0.attn_q.weight"]["layout"] == "rows"
    assert "f32 activations" in weights["blk.0.attn_q.weight"]["layout_reason"]


def test_a_shape_that_does_not_fit_keeps_rows_and_says_why(tmp_path: Path) -> None:
    """A vocabulary of 328 rows is not a whole number of 16-row groups: the tied embedding / lm
    head keeps the rows layout (reason in layout.json) and the general int8 kernel computes
    what the kernel-level numpy semantics compute."""
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0", vocab=328, tied=True))
    ids = [int(i) for i in np.random.default_rng(3).integers(0, 328, 19)]
    imported = import_gguf(tmp_path / "m.gguf")
    module = imported.module
    for p in stage_passes("kernel", compile_options(context_len=64)):
        p.apply(Context(), module)
    expected = ReferenceRunner(module, imported.gguf.tensor_f32, entry="ck_prefill").logits(ids)
    with ck.load(tmp_path / "m.gguf", context_len=64, threads=2) as m:
        got = m.logits(ids)
        info = layout(m)
    embd = next(w for w in info["weights"] if w["name"] == "token_embd.weight")
    assert embd["layout"] == "rows" and "328 rows" in embd["layout_reason"]
    assert any("rows layout, q8_0 x q8_0" in k["variant"] for k in info["kernels"])
    assert np.abs(got - expected).max() < 1e-4
