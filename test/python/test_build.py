"""ck.build and `ck compile`: the cache key, the artifacts, and the --emit stages."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from pipeline_replay import replay_pipeline

from ck.build import build, cache_root
from ck.compiler import STAGES, CompileOptions, pipeline_spec, stage_passes
from ck.testing import ModelSpec, write_gguf

ARTIFACTS = ["transformer.mlir", "kernel.mlir", "memory.mlir", "simd.mlir", "model.c", "layout.json",
             "weights.bump", "libmodel.so"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_cache_hits_and_rebuilds(tmp_path: Path) -> None:
    write_gguf(tmp_path / "a.gguf", ModelSpec(), seed=1)
    write_gguf(tmp_path / "b.gguf", ModelSpec(), seed=2)  # same shapes, other weights
    opts = CompileOptions(context_len=32)
    first = build(tmp_path / "a.gguf", opts)
    stamp = Path(first.library).stat().st_mtime_ns
    again = build(tmp_path / "a.gguf", opts)
    assert again.directory == first.directory and Path(again.library).stat().st_mtime_ns == stamp
    other = build(tmp_path / "b.gguf", opts)
    assert other.directory != first.directory
    assert Path(other.weights).read_bytes() != Path(first.weights).read_bytes()
    assert build(tmp_path / "a.gguf", CompileOptions(context_len=64)).directory != first.directory
    forced = build(tmp_path / "a.gguf", opts, force=True)
    assert forced.directory == first.directory and Path(forced.library).stat().st_mtime_ns != stamp


@pytest.fixture
def no_cc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the C compiler where a test is about what comes before it (it is most of a build's time)."""
    monkeypatch.setattr("ck.build.compile_library", lambda out, isa: (out / "libmodel.so").write_bytes(b"\0"))


def test_builds_share_the_weight_blob(tmp_path: Path, no_cc: None) -> None:
    # context length changes the code, not the weights: one blob, written once, linked into both builds
    write_gguf(tmp_path / "a.gguf", ModelSpec(dtype="q8_0", tied=False), seed=1)
    write_gguf(tmp_path / "b.gguf", ModelSpec(dtype="q8_0", tied=False), seed=2)  # same shapes, other weights
    first = build(tmp_path / "a.gguf", CompileOptions(context_len=32))
    stamp = first.weights.stat().st_mtime_ns
    recorded = json.loads((Path(first.directory) / "build.json").read_text())["pipeline"]
    assert recorded == first.pipeline == pipeline_spec(CompileOptions(context_len=32))
    second = build(tmp_path / "a.gguf", CompileOptions(context_len=64))
    assert second.directory != first.directory and second.weights == Path(second.directory) / "weights.bump"
    assert os.path.samefile(first.weights, second.weights) and second.weights.stat().st_mtime_ns == stamp
    (shared,) = (cache_root() / "weights").iterdir()
    assert os.path.samefile(shared, first.weights)
    # an explicit directory (ck compile -o), even rebuilt by force, links the same blob too
    explicit = build(tmp_path / "a.gguf", CompileOptions(context_len=16), directory=tmp_path / "out", force=True)
    assert os.path.samefile(explicit.weights, first.weights) and explicit.weights.stat().st_mtime_ns == stamp
    other = build(tmp_path / "b.gguf", CompileOptions(context_len=32))
    assert not os.path.samefile(other.weights, first.weights)
    assert other.weights.read_bytes() != first.weights.read_bytes()
    assert len(list((cache_root() / "weights").iterdir())) == 2


def test_pipeline_names_registered_passes() -> None:
    from ck.lowering import PASSES as LOWERING_PASSES
    from ck.passes import PASSES

    registered = {**PASSES, **LOWERING_PASSES}
    options = CompileOptions(context_len=32, act_dtype="q8_0")
    for p in (p for stage in STAGES for p in stage_passes(stage, options)):
        assert p.name in registered and registered[p.name]() is type(p), f"ck-opt does not know {p.name}"
    assert pipeline_spec(options).startswith("specialize-seq-len{")


@pytest.mark.parametrize("dtype,act_dtype", [("q8_0", "q8_0"), ("f32", "f32")])
def test_recorded_pipeline_reproduces_model_c(dtype: str, act_dtype: str, tmp_path: Path, no_cc: None) -> None:
    # what build.json records is enough to redo the build by hand: ck-opt -p PIPELINE | ck-translate -t c
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype=dtype, tied=False))
    out = tmp_path / "out"
    build(tmp_path / "m.gguf", CompileOptions(context_len=32, act_dtype=act_dtype), directory=out)
    pipeline = json.loads((out / "build.json").read_text())["pipeline"]
    assert pipeline.startswith("specialize-seq-len{") and "plan-memory{context_len=32 " in pipeline
    replayed = replay_pipeline(out / "transformer.mlir", pipeline, tmp_path)
    assert replayed == (out / "model.c").read_bytes()


def test_compile_to_a_directory_keeps_every_artifact(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0", tied=False))
    proc = run("ck", "compile", str(tmp_path / "m.gguf"), "-o", str(tmp_path / "out"), "-c", "32")
    assert proc.returncode == 0, proc.stderr
    for name in ARTIFACTS:
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    layout = json.loads((tmp_path / "out" / "layout.json").read_text())
    totals = layout["totals"]
    assert totals["context_len"] == 32 and totals["alignment"] == 64
    for buf in layout["functions"]["ck_prefill"]["buffers"]:
        assert buf["offset"] % 64 == 0 and buf["offset"] + buf["size"] <= totals["arena_bytes"]
        assert buf["live"][0] <= buf["live"][1]
    q = next(w for w in layout["weights"] if w["name"] == "blk.0.attn_q.weight")
    assert q["dtype"] == "q8_0" and set(q["parts"]) == {"scales", "quants"}
    assert (tmp_path / "out" / "weights.bump").stat().st_size >= totals["weights_bytes"]
    assert len(layout["kv_cache"]) == 2 * 2  # k and v for 2 layers
    assert layout["kernels"] and all("variant" in k for k in layout["kernels"])
    recorded = json.loads((tmp_path / "out" / "build.json").read_text())["pipeline"]
    assert recorded.startswith("specialize-seq-len{") and "plan-memory{context_len=32 " in recorded


def test_general_kernel_is_recorded(tmp_path: Path) -> None:
    # head_dim 12 and width 36 do not divide 16 lanes: the general (1-lane) kernel is chosen and recorded
    write_gguf(tmp_path / "m.gguf", ModelSpec(dim=36, heads=3, kv_heads=1, ffn=72))
    info = build(tmp_path / "m.gguf", CompileOptions(context_len=16, isa="avx512"))
    kernels = json.loads((Path(info.directory) / "layout.json").read_text())["kernels"]
    assert any("general" in k["variant"] for k in kernels)


@pytest.mark.parametrize("stage,marker", [
    ("kernel", "kernel.gemm"), ("memory", "memory.slot"), ("simd", "simd.fma"), ("c", "void ck_decode("),
])
def test_emit_each_stage(stage: str, marker: str, tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec())
    proc = run("ck", "compile", str(tmp_path / "m.gguf"), "--emit", stage, "-c", "16")
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout
    if stage != "c":  # every level is real IR: it parses back, verifies and prints the same
        again = subprocess.run(["ck-opt"], input=proc.stdout, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0 and again.stdout == proc.stdout, again.stderr


def test_generated_c_reads_like_the_model(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0", tied=False, layers=3))
    proc = run("ck", "compile", str(tmp_path / "m.gguf"), "--emit", "c", "-c", "16")
    c = proc.stdout
    assert "/* blk.2 attn_q+attn_k+attn_v: gemv q8_0 (64+32+32)x64 */" in c  # q|k|v fused into one matmul
    assert "/* blk.2 attn_output: gemv q8_0 64x64 */" in c
    # one kernel function serves every layer: defined once, called for attn_output of 3 layers
    (name,) = {line.split("(")[0].split()[-1] for line in c.splitlines() if line.startswith("static void gemv_q8_0_64x64_")}
    assert c.count(f"{name}(") == 1 + 3


def test_weights_blob_holds_the_gguf_bytes(tmp_path: Path) -> None:
    from ck.gguf_file import GGUFFile

    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="f16", tied=False))
    info = build(tmp_path / "m.gguf", CompileOptions(context_len=16))
    layout = json.loads((Path(info.directory) / "layout.json").read_text())
    blob = np.fromfile(info.weights, dtype=np.uint8)
    gguf = GGUFFile(tmp_path / "m.gguf")
    w = next(w for w in layout["weights"] if w["name"] == "blk.1.ffn_down.weight")
    n = int(np.prod(w["shape"]))
    got = blob[w["offset"]: w["offset"] + 2 * n].view(np.float16).reshape(w["shape"])
    assert np.array_equal(got.astype(np.float32), gguf.tensor_f32("blk.1.ffn_down.weight"))
