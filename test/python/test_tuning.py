"""Tuning on this machine: `ck bench --tune` writes the table, builds take its schedules, and a
tuned build computes what the default one computes, bit for bit.

Exact equality is the claim, not a tolerance: every candidate schedule blocks the same
micro-kernel differently (lowering/schedule_candidates.py), so each output is the same
operations in the same order (int8 block sums are exact integers; the f32 sums run over the
blocks, or over K, in order whatever the tile). No test here asserts on a timing.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from pipeline_replay import replay_pipeline

from ck.build import BuildInfo, build, build_key
from ck.compiler import compile_options, detect_isa, lower
from ck.gguf_file import GGUFFile
from ck.runtime import Model
from ck.testing import ModelSpec, write_gguf
from ck.tuner import candidate_function, candidate_library, distinct_shapes
from ck.tuning_table import TunedShape, TuningTable, cpu_model, schedule_fields, table_path

ISA = detect_isa()
CONTEXT = 32


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of the test's own: its tuning table is never the user's."""
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "m.gguf"
    write_gguf(path, ModelSpec(dtype="q8_0", tied=False))
    return path


def forced_table(model: Path, act_dtype: str, pick: int = 1) -> TuningTable:
    """This machine's table with, for every shape that has several schedules, candidate `pick`
    (never the cost model's) as its winner, written where builds look for it."""
    options = compile_options(context_len=CONTEXT, act_dtype=act_dtype, tuned=False)
    shapes, _ = distinct_shapes(lower(GGUFFile(model), options, until="memory"), ISA)
    table = TuningTable(ISA, cpu_model()[0], "forced by test_tuning")
    for key, (_, candidates) in shapes.items():
        if len(candidates) > 1:
            table.shapes[key] = TunedShape(schedule_fields(candidates[min(pick, len(candidates) - 1)]),
                                           schedule_fields(candidates[0]), 1.0, 0.5)
    assert table.shapes, "the model has no shape with a schedule to choose"
    table.save(table_path(ISA))
    return table


def logits(info: BuildInfo, threads: int) -> list[np.ndarray]:
    """A prefill of 11 tokens, then 3 decode steps, with `threads` threads."""
    with Model(info, threads) as m:
        prefill = m.logits([5, 17, 2, 99, 3, 44, 250, 8, 1, 60, 7])
        return [prefill, *(m.forward([t]) for t in (12, 300, 4))]


@pytest.mark.parametrize("act_dtype", ["q8_0", pytest.param("f32", marks=pytest.mark.slow)])
def test_tuned_build_uses_the_table_and_computes_the_same(model: Path, act_dtype: str) -> None:
    # q8_0: int8 matmuls over rp16 weights (decode streams, prefill int8 tiles); f32: packed f32
    # tiles (slow: test_every_candidate_computes_what_the_default_does covers their kernels)
    table = forced_table(model, act_dtype)
    default = build(model, compile_options(context_len=CONTEXT, act_dtype=act_dtype, tuned=False))
    tuned = build(model, compile_options(context_len=CONTEXT, act_dtype=act_dtype))
    assert default.tuning == "" and "tuned-schedules" not in default.pipeline
    assert tuned.directory != default.directory
    assert tuned.tuning == str(Path(tuned.directory) / "tuning.json")
    assert f'tuned-schedules{{table="{tuned.tuning}" isa="{ISA}"}},choose-schedules' in tuned.pipeline
    memory = (Path(tuned.directory) / "memory.mlir").read_text()
    for entry in table.shapes.values():  # the forced (non-default) schedules are in the tuned build's IR
        s = entry.schedule
        attr = f"#kernel.schedule<rows = {s['rows']}, tokens = {s['tokens']}, streams = {s['streams']}>"
        assert attr in memory
    for threads in (1, 2):
        for want, got in zip(logits(default, threads), logits(tuned, threads), strict=True):
            assert np.array_equal(want, got), f"max difference {np.abs(want - got).max()} with {threads} threads"


@pytest.mark.parametrize("act_dtype", ["q8_0", "f32"])
def test_every_candidate_computes_what_the_default_does(model: Path, act_dtype: str) -> None:
    """All the candidates of a prefill and a decode shape, built alone as the tuner builds
    them, write the same outputs bit for bit on the same buffers."""
    from ck.kernel_timing import kernel_calls

    options = compile_options(context_len=CONTEXT, act_dtype=act_dtype, tuned=False)
    shapes, _ = distinct_shapes(lower(GGUFFile(model), options, until="memory"), ISA)
    picked = [(key, op, c) for key, (op, c) in shapes.items() if len(c) > 1 and "silu_mul" in key]
    assert {key.split()[0] for key, _, _ in picked} == {"gemm"} | ({"gemv"} if act_dtype == "q8_0" else set())
    with tempfile.TemporaryDirectory() as tmp:
        lib = candidate_library(Path(tmp), [(op, c) for _, op, c in picked], ISA)
        for i, (key, op, candidates) in enumerate(picked):
            calls = kernel_calls(op, 13, np.random.default_rng(i), rotate=0)  # 13 tokens: whole tiles and a tail
            outputs = []
            for j in range(len(candidates)):
                for out in calls.outs:
                    out.fill(0)
                fn = getattr(lib, candidate_function(i, j))
                fn.restype = None
                fn(*calls.calls[0])
                outputs.append([out.copy() for out in calls.outs])
            for j, got in enumerate(outputs[1:], start=1):
                for want, out in zip(outputs[0], got, strict=True):
                    assert np.array_equal(want, out), f"{key}: candidate {j} ({candidates[j]}) differs"


def test_a_new_table_rebuilds_and_the_pipeline_reproduces_model_c(model: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ck.build.compile_library", lambda out, isa: (out / "libmodel.so").write_bytes(b"\0"))
    forced_table(model, "q8_0", pick=1)
    options = compile_options(context_len=CONTEXT)
    first_key = build_key(GGUFFile(model), options)
    out = tmp_path / "out"
    info = build(model, options, directory=out)
    c = (out / "model.c").read_text()
    forced_table(model, "q8_0", pick=2)  # a new table: another key; the old build keeps its copy
    assert build_key(GGUFFile(model), compile_options(context_len=CONTEXT)) != first_key
    replayed = replay_pipeline(out / "transformer.mlir", info.pipeline, tmp_path)
    assert replayed.decode() == c
    assert json.loads((out / "build.json").read_text())["tuning"] == str(out / "tuning.json")


def test_bench_tune_writes_the_table_and_benchmarks_with_it(model: Path) -> None:
    proc = subprocess.run(["ck", "bench", str(model), "--tune", "--tune-candidates", "2", "-r", "1", "-t", "1",
                           "-p", "4", "-n", "0", "-c", str(CONTEXT)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    table = TuningTable.load(table_path(ISA))
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| gem")]
    assert len(rows) == len(table.shapes) == 10  # 5 matmul shapes per entry point: q|k|v, o, gate|up, down, output
    for key, entry in table.shapes.items():
        assert entry.default_us > 0 and entry.best_us > 0 and any(row.startswith(f"| {key} ") for row in rows)
    assert "ck: tuning: [10/10]" in proc.stderr and f"table: {table_path(ISA)}" in proc.stdout
    assert "one thread (tid 0 of 1)" in proc.stdout
    assert "| m.gguf | pp4 " in proc.stdout  # then the benchmark, of the tuned build
    assert "ck: matmul schedules tuned on this machine (table " in proc.stdout


def test_bench_says_where_the_schedules_came_from(tmp_path: Path) -> None:
    from argparse import Namespace

    from ck.bench import _schedules_used

    info = BuildInfo(str(tmp_path), "m.gguf", 0, 0, 0, 0, CONTEXT, 64, 320, ISA)
    assert "from the cost model (no tuning table" in _schedules_used(Namespace(untuned=False), info)
    assert "from the cost model (--untuned)" in _schedules_used(Namespace(untuned=True), info)
    tuned = BuildInfo(**{**vars(info), "tuning": str(tmp_path / "tuning.json")})
    assert f"tuned on this machine (table {tmp_path / 'tuning.json'})" in _schedules_used(Namespace(untuned=False), tuned)


def test_help_explains_tune() -> None:
    proc = subprocess.run(["ck", "bench", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for words in ("--tune", "--tune-candidates", "--untuned", "one thread (tid 0 of 1)", "tuning table",
                  "same operations in the same order"):
        assert words in proc.stdout, words
