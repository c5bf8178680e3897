"""`ck profile`: profile.json's sites against the IR, the registry's cost and model.c; the
profiled build computes exactly what the plain one does."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ck.build import BuildInfo, build
from ck.compiler import compile_options
from ck.profiler import profile_build
from ck.runtime import Model
from ck.testing import ModelSpec, write_gguf

PROMPT, DECODE, ROUNDS, CHUNK, THREADS = 20, 5, 2, 8, 2
PREFILL_CHUNKS = [8, 8, 4]  # 20 tokens in calls of at most CHUNK
ENTRIES = {"decode": "ck_decode", "prefill": "ck_prefill"}


@pytest.fixture(scope="module")
def profiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("profile")
    gguf = root / "tiny.gguf"
    write_gguf(gguf, ModelSpec(dtype="q8_0"))
    plain = build(gguf, compile_options(context_len=64, max_tokens=CHUNK), directory=root / "plain")
    info = build(gguf, compile_options(context_len=64, max_tokens=CHUNK, profile=True), directory=root / "prof")
    table = io.StringIO()
    profile = profile_build(info, THREADS, PROMPT, DECODE, ROUNDS, root / "out", str(gguf), table=table)
    return {"gguf": gguf, "plain": plain, "info": info, "profile": profile, "table": table.getvalue(),
            "out": root / "out", "dir": Path(info.directory)}


def _function_bodies(text: str) -> dict[str, list[str]]:
    """The lines of each func.func of an MLIR file, by name."""
    bodies: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if m := re.match(r"\s*func\.func (?:private )?@\"?([\w+.-]+)\"?\(", line):
            current = bodies.setdefault(m.group(1), [])
        elif current is not None:
            current.append(line)
    return bodies


def _kernel_ops(memory_mlir: str, entry: str) -> list[str]:
    """The kernel ops of an entry function of memory.mlir, in order (read from the text)."""
    ops = []
    for line in _function_bodies(memory_mlir)[entry]:
        if m := re.match(r"\s*(?:%[\w#, %]+ = )?(kernel\.\w+)\b", line):
            ops.append(m.group(1))
    return ops


def _parse(path: Path) -> Any:
    from xdsl.context import Context
    from xdsl.dialects import get_all_dialects
    from xdsl.parser import Parser

    from ck.dialects import DIALECTS

    ctx = Context()
    for name, factory in {**get_all_dialects(), **DIALECTS}.items():
        ctx.register_dialect(name, factory)
    return Parser(ctx, path.read_text(), str(path)).parse_module()


def _kernels(profile: dict[str, Any], phase: str) -> list[dict[str, Any]]:
    return sorted((k for k in profile["kernels"] if k["phase"] == phase), key=lambda k: k["site"])


@pytest.mark.parametrize("phase", ["decode", "prefill"])
def test_every_kernel_call_site_is_present_once(profiled: dict[str, Any], phase: str) -> None:
    profile = profiled["profile"]
    memory_mlir = (profiled["dir"] / "memory.mlir").read_text()
    kernels = _kernels(profile, phase)
    assert [k["kernel"] for k in kernels] == _kernel_ops(memory_mlir, ENTRIES[phase])
    # the barriers the plain build keeps (remove-barriers records how many), each timed apart
    simd = (Path(profiled["plain"].directory) / "simd.mlir").read_text()
    kept = re.search(rf"func\.func @{ENTRIES[phase]}\(.*ck\.barriers = (\d+)", simd)
    assert kept is not None
    assert len([b for b in profile["barriers"] if b["phase"] == phase]) == int(kept.group(1))
    sites = [k["site"] for k in profile["kernels"]] + [b["site"] for b in profile["barriers"]]
    assert sorted(sites) == list(range(len(sites)))
    calls = ROUNDS * (DECODE if phase == "decode" else len(PREFILL_CHUNKS))
    assert all(k["calls"] == calls for k in kernels)


def test_origin_and_layer_name_the_transformer_ops(profiled: dict[str, Any]) -> None:
    """Each site's `op` is the transformer op at the index its origin names in @forward."""
    transformer = _function_bodies((profiled["dir"] / "transformer.mlir").read_text())["forward"]
    ops = [m.group(1) for line in transformer if (m := re.match(r"\s*(?:%[\w]+ = )?([a-z_]+\.[a-z_]+)\b", line))]
    for k in profiled["profile"]["kernels"]:
        refs = k["origin"].split()
        assert refs, k
        for ref in refs:
            name, index = ref.split("#")
            assert ops[int(index)] == name
        assert k["op"] == "+".join(dict.fromkeys(r.split("#")[0] for r in refs))
    layers = {k["layer"] for k in profiled["profile"]["kernels"] if k["kernel"] == "kernel.attention"}
    assert layers == {0, 1}


def test_bytes_and_flops_are_the_registrys_cost(profiled: dict[str, Any]) -> None:
    from xdsl.dialects import func

    from ck.dialects import kernel as kn
    from ck.lowering.kernel_registry import KERNELS

    module = _parse(profiled["dir"] / "memory.mlir")
    for phase, entry in ENTRIES.items():
        fn = next(f for f in module.ops if isinstance(f, func.FuncOp) and f.sym_name.data == entry)
        ops = [o for o in fn.body.block.ops if isinstance(o, kn.KernelOp)]
        jobs = [1] * DECODE if phase == "decode" else PREFILL_CHUNKS
        for op, k in zip(ops, _kernels(profiled["profile"], phase), strict=True):
            costs = [KERNELS[type(op)].cost(op, t) for t in jobs]
            assert k["bytes"] == ROUNDS * sum(c.bytes for c in costs), (phase, k["site"], op.name)
            assert k["flops"] == ROUNDS * sum(c.flops for c in costs), (phase, k["site"], op.name)


def test_c_line_points_at_the_call(profiled: dict[str, Any]) -> None:
    lines = (profiled["dir"] / "model.c").read_text().splitlines()
    for k in profiled["profile"]["kernels"]:
        call = lines[k["c_line"] - 1]
        assert call.lstrip().startswith(f"{k['c_function']}("), (k["site"], call)
        assert f"ck_prof_begin({k['site']}, tid);" in "\n".join(lines[k["c_line"] - 3 : k["c_line"] - 1])
        assert any(re.match(rf"static .*\b{k['c_function']}\(", line) for line in lines)
    for b in profiled["profile"]["barriers"]:
        assert lines[b["c_line"] - 1].strip() == "ck_barrier();"


def test_times_speeds_and_roofline_are_consistent(profiled: dict[str, Any]) -> None:
    profile = profiled["profile"]
    machine = profile["machine"]
    assert machine["read_gbps"] > 0 and machine["peak_gflops"] > 0
    steps = profile["steps"]
    assert steps["decode_us"] > 0 and steps["prefill_us"] > 0
    for phase, n in (("decode", ROUNDS * DECODE), ("prefill", ROUNDS)):  # per step: the steps' kernel sums
        times = [k["time_us"] for k in profile["kernels"] if k["phase"] == phase]
        # both sides are written rounded to 0.001 us: the mean once, each kernel's sum once
        rounding = 0.0005 + 0.0005 * len(times) / n
        assert steps[f"{phase}_kernel_us_mean"] == pytest.approx(sum(times) / n, rel=1e-6, abs=rounding)
        assert steps[f"{phase}_kernel_us"] > 0
    for k in profile["kernels"]:
        assert len(k["time_us_per_thread"]) == THREADS
        assert k["time_us"] > 0
        # every thread's busy time lies inside the calls' first-start-to-last-end
        assert all(0 < t <= k["time_us"] + 1e-3 for t in k["time_us_per_thread"]), k
        seconds = k["time_us"] * 1e-6
        rel = 1e-3 + 0.0005 / k["time_us"]  # time_us is written rounded to 0.001 us, the speeds from the exact time
        assert k["gbps"] == pytest.approx(k["bytes"] / seconds / 1e9, rel=rel, abs=1e-3)
        assert k["gflops"] == pytest.approx(k["flops"] / seconds / 1e9, rel=rel, abs=1e-3)
        peak = {"int8": machine["peak_int8_gops"], "bf16": machine["peak_bf16_gflops"]}.get(k["peak"]) or machine["peak_gflops"]
        limit = max(k["bytes"] / (machine["read_gbps"] * 1e9), k["flops"] / (peak * 1e9))
        assert k["roofline"] == pytest.approx(limit / seconds, rel=1e-2 + rel, abs=1e-4)
    assert {k["peak"] for k in profile["kernels"] if k["kernel"] == "kernel.gemv"} == {"int8"}  # q8_0 x q8_0
    for b in profile["barriers"]:
        assert len(b["wait_us_per_thread"]) == THREADS
    for phase in ("prefill", "decode"):
        assert f"{phase}:" in profiled["table"]


def test_trace_and_folded_stacks(profiled: dict[str, Any]) -> None:
    profile = profiled["profile"]
    trace = json.loads((profiled["out"] / "trace.json").read_text())
    spans = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    sites = len(profile["kernels"]) + len(profile["barriers"])
    per_phase = {p: sum(1 for x in profile["kernels"] + profile["barriers"] if x["phase"] == p) for p in ENTRIES}
    last_round = per_phase["prefill"] * len(PREFILL_CHUNKS) + per_phase["decode"] * DECODE
    for t in range(THREADS):
        assert sum(1 for e in spans if e["tid"] == t) == last_round
    assert all(e["dur"] >= 0 and 0 <= e["args"]["site"] < sites for e in spans)
    names = [e for e in trace["traceEvents"] if e["ph"] == "M"]
    assert len(names) == THREADS
    folded = (profiled["out"] / "profile.folded").read_text().splitlines()
    total = 0
    for line in folded:
        stack, count = line.rsplit(" ", 1)
        assert len(stack.split(";")) == 3, line
        total += int(count)
    assert total == pytest.approx(sum(k["time_us"] for k in profile["kernels"]), abs=len(folded))


def test_the_profiled_build_computes_the_same_logits(profiled: dict[str, Any]) -> None:
    ids = [5, 17, 3, 250, 99, 1, 42, 8, 7, 300, 12]
    with Model(profiled["plain"], THREADS) as plain, Model(profiled["info"], THREADS) as timed:
        assert np.array_equal(plain.logits(ids), timed.logits(ids))
        assert np.array_equal(plain.forward([77]), timed.forward([77]))


def test_a_plain_build_is_not_a_profile(profiled: dict[str, Any], tmp_path: Path) -> None:
    from ck.errors import CkError

    with pytest.raises(CkError, match="not a profiling build"):
        profile_build(profiled["plain"], 1, 4, 1, 1, tmp_path)
    with pytest.raises(CkError, match="do not fit the context"):
        profile_build(profiled["info"], 1, 60, 10, 1, tmp_path)


def _ck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ck.cli", *args], capture_output=True, text=True, timeout=600)


def test_cli(profiled: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "p"
    done = _ck("profile", str(profiled["gguf"]), "-p", "9", "-n", "2", "-r", "1", "-t", "1", "-c", "64",
               "-ub", str(CHUNK), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "decode:" in done.stdout and "roofline" in done.stdout
    assert {"profile.json", "trace.json", "profile.folded"} <= {p.name for p in out.iterdir()}
    written = json.loads((out / "profile.json").read_text())
    assert written["steps"]["prompt_tokens"] == 9 and written["steps"]["threads"] == 1
    bad = _ck("profile", str(profiled["gguf"]), "-r", "0")
    assert bad.returncode == 1 and "-r/--rounds must be at least 1" in bad.stderr
    chat = _ck("run", str(profiled["gguf"]), "--chat", "--profile")
    assert chat.returncode == 1 and "--profile" in chat.stderr


def test_run_profile(profiled: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = _ck("run", str(profiled["gguf"]), "-p", "ab", "-n", "3", "--temp", "0", "-c", "64", "-t", "2",
               "--profile", str(out))
    assert done.returncode == 0, done.stderr
    profile = json.loads((out / "profile.json").read_text())
    decode = [k for k in profile["kernels"] if k["phase"] == "decode"]
    assert decode and all(k["calls"] == profile["steps"]["decode_steps"] for k in decode)
    assert profile["steps"]["decode_steps"] >= 1


def test_an_embedding_costs_one_row_per_token() -> None:
    """The registry counts the rows a lookup reads, not the whole table (a q8_0 row of 64 is
    2 blocks of 34 bytes)."""
    from xdsl.dialects.builtin import DYNAMIC_INDEX, TensorType, i32
    from xdsl.ir import Block

    from ck.dialects import kernel as kn
    from ck.dialects import transformer as tf
    from ck.dialects.types import WeightType
    from ck.lowering.kernel_registry import KERNELS

    table = tf.WeightOp("token_embd.weight", WeightType([320, 64], "q8_0"))
    block = Block(arg_types=[TensorType(i32, [DYNAMIC_INDEX])])
    op = kn.EmbeddingOp(block.args[0], table.results[0], "q8_0")
    cost = KERNELS[kn.EmbeddingOp].cost(op, 5)
    assert cost.bytes == 5 * 68 + 5 * 4 + 5 * 64 * 4 and cost.flops == 0
