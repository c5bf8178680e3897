"""ck.build and `ck compile`: the cache key, the artifacts, and the --emit stages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from ck.build import build
from ck.compiler import CompileOptions
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
    assert "/* blk.2 attn_q: gemv q8_0 64x64 */" in c
    # one kernel function serves every layer: defined once, called for attn_q and attn_output of 3 layers
    (name,) = {line.split("(")[0].split()[-1] for line in c.splitlines() if line.startswith("static void gemv_q8_0_64x64_")}
    assert c.count(f"{name}(") == 1 + 2 * 3


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
