"""Sanitizer builds: `CK_SANITIZE=address,undefined` compiles model.c and runtime_c with
AddressSanitizer and UndefinedBehaviorSanitizer, every runtime buffer at its exact size.

The builds are made here (with CK_SANITIZE set; nothing instrumented is loaded into pytest);
the runs happen in a child process (this file run as a script) with the ASan runtime
preloaded (`ck.sanitize.environment()`): inference models of each architecture and weight
dtype, prefill (in chunks) then decode to the end of the context on 1 and 2 threads, and a
few training steps. A clean run has no sanitizer report; a deliberately shrunk buffer (KV
cache, weights, arena) must give one (the harness works). The default run is a representative subset; the full matrix
(qwen3/qwen2/llama/gpt2 x f32/f16/bf16/q8_0 x avx512/avx2/scalar x 1/2 threads, training on every
ISA) is `-m slow`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ck.testing_fuzz import LOW_BIT_DTYPES  # the 4- to 6-bit types: nibble-packed rp16, q8_k activations

CONTEXT = 20  # positions; prefill 11 tokens in chunks of MAX_TOKENS, then decode 9 steps
MAX_TOKENS = 8
PREFILL = 11
ISAS = ("avx512", "avx2", "scalar")
ARCHS = ("qwen3", "qwen2", "llama", "gpt2")
DTYPES = ("f32", "f16", "bf16", "q8_0")


def supported_isas() -> list[str]:
    from ck.compiler import detect_isa

    return list(ISAS[ISAS.index(detect_isa()):])


def spec(arch: str, dtype: str) -> Any:
    from ck.testing import ModelSpec

    if arch == "llama":
        return ModelSpec(arch=arch, dtype=dtype, tied=False, rope_theta=1e4, heads=8, kv_heads=2, context_len=64)
    if dtype in LOW_BIT_DTYPES:  # 256 wide: the k-quants' blocks of 256 fit every row
        return ModelSpec(arch=arch, dtype=dtype, dim=256, ffn=512, heads=2, kv_heads=1, tied=arch == "qwen3",
                         context_len=64)
    if arch == "gpt2":  # dim 48: no ISA's vectors divide it (one-lane layernorms, tails)
        return ModelSpec(arch=arch, dtype=dtype, dim=48, ffn=192, heads=4, kv_heads=4, context_len=64)
    return ModelSpec(arch=arch, dtype=dtype, tied=arch == "qwen3", context_len=64)


def options(isa: str) -> Any:
    from ck.compiler import compile_options

    return compile_options(context_len=CONTEXT, isa=isa, max_tokens=MAX_TOKENS, tuned=False)


@pytest.fixture(scope="module")
def sanitize(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """CK_SANITIZE and a cache of this module's own set here (for the builds), and the child's
    environment: the same, with the ASan runtime preloaded."""
    from ck.build import compiler
    from ck.errors import CkError
    from ck.sanitize import environment

    try:
        environment()
    except CkError:
        pytest.skip(f"{' '.join(compiler())} has no AddressSanitizer runtime")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CK_CACHE_DIR", str(tmp_path_factory.mktemp("sanitize") / "cache"))
        mp.setenv("CK_SANITIZE", "address,undefined")
        yield environment()


def build_models(tmp_path: Path, cases: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Write and build (instrumented, not loaded) each (arch, dtype, isa): the child's cases."""
    from ck.build import build
    from ck.testing import write_gguf

    out = []
    for arch, dtype, isa in cases:
        path = tmp_path / f"{arch}-{dtype}.gguf"
        if not path.exists():
            write_gguf(path, spec(arch, dtype), seed=3)
        info = build(path, options(isa), progress=False)
        out.append({"kind": "infer", "build": info.directory, "isa": isa, "name": f"{arch}-{dtype}-{isa}"})
    return out


def training_cases(isas: list[str], threads: tuple[int, ...], dtype: str = "f32", arch: str = "qwen3") -> list[dict[str, Any]]:
    """Build (instrumented, not loaded) the training runtime of each ISA: the child's cases."""
    import ck
    from ck.train import TrainRun

    out = []
    for isa in isas:
        run = TrainRun.__new__(TrainRun)  # only its build: loading it here would need the ASan runtime
        run.model, run.batch, run.seq = train_model(arch), 2, 16
        run.config = ck.CompileConfig(isa=isa, dtype=dtype)  # the pool size is not part of the build
        run._build()
        out += [{"kind": "train", "isa": isa, "threads": t, "dtype": dtype, "arch": arch,
                 "name": f"train-{arch}-{isa}-{dtype}-{t}"} for t in threads]
    return out


def train_model(arch: str = "qwen3") -> Any:
    import ck

    if arch == "gpt2":
        return ck.models.gpt2_tiny(vocab=64, dim=40, layers=2, heads=4, context_len=16, seed=2)
    return ck.models.qwen3_tiny(vocab=64, dim=32, layers=2, hidden=64, heads=4, kv_heads=2, context_len=16, seed=2)


def run_child(cases: list[dict[str, Any]], env: dict[str, str], timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, __file__, json.dumps(cases)], check=False, env=env, capture_output=True, text=True,
                          timeout=timeout)


def assert_clean(proc: subprocess.CompletedProcess, cases: list[dict[str, Any]]) -> None:
    report = proc.stderr[-6000:]
    assert "AddressSanitizer" not in proc.stderr and "runtime error" not in proc.stderr, report
    assert proc.returncode == 0, report
    done = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("ok ")]
    assert done == [c["name"] for c in cases], proc.stdout


def test_sanitized_runs_are_clean(sanitize: dict[str, str], tmp_path: Path) -> None:
    """One model per architecture and per weight dtype, on this CPU's ISAs in turn, 2 threads
    (1 for one of them); training on 2 threads."""
    isas = supported_isas()
    picks = [("qwen3", "q8_0"), ("qwen2", "f16"), ("llama", "bf16"), ("gpt2", "q8_0"), ("qwen3", "q4_k_m"),
             ("qwen3", "f32")]
    cases = build_models(tmp_path, [(a, d, isas[i % len(isas)]) for i, (a, d) in enumerate(picks)])
    for i, case in enumerate(cases):
        case["threads"] = [1] if i == len(cases) - 1 else [2]
    cases += training_cases(isas[:1], (2,)) + training_cases(isas[-1:], (2,), arch="gpt2")
    assert_clean(run_child(cases, sanitize), cases)


@pytest.mark.parametrize("buffer", ["kv_bytes", "weights_bytes", "arena_bytes"])
def test_a_shrunk_buffer_is_caught(buffer: str, sanitize: dict[str, str], tmp_path: Path) -> None:
    """The harness works: the same run with the KV cache (written at the last position), the
    weights (the last one read) or the arena (the last thread's private part) 4 bytes short is
    an AddressSanitizer report naming the kernel in model.c, not a silent overrun."""
    (case,) = build_models(tmp_path, [("qwen3", "f32", supported_isas()[0])])
    case.update(threads=[2], shrink=[buffer, 4])
    proc = run_child([case], sanitize)
    assert proc.returncode != 0
    assert "ERROR: AddressSanitizer" in proc.stderr and "model.c" in proc.stderr, proc.stderr[-4000:]
    assert "ok " not in proc.stdout


def test_ck_run_starts_again_with_the_asan_runtime(sanitize: dict[str, str], tmp_path: Path) -> None:
    """`ck run` from a plain environment: CK_SANITIZE=address alone is enough, the command
    re-executes itself with libasan preloaded (and leak detection off) and runs clean."""
    from ck.testing import ModelSpec, write_gguf

    write_gguf(tmp_path / "m.gguf", ModelSpec(context_len=64), seed=3)
    env = {k: v for k, v in sanitize.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}
    proc = subprocess.run([sys.executable, "-m", "ck.cli", "run", str(tmp_path / "m.gguf"), "-p", "Hello", "-n", "4",
                           "-c", "32", "--seed", "1"], check=False, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0 and "AddressSanitizer" not in proc.stderr, proc.stderr[-4000:]
    assert "generated" in proc.stderr, proc.stderr[-2000:]


def test_sanitizer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from ck.errors import CkError
    from ck.sanitize import asan_library, ensure_runtime, environment

    monkeypatch.setenv("CK_SANITIZE", "address,memory")
    with pytest.raises(CkError, match="unknown sanitizer memory"):
        ensure_runtime()
    monkeypatch.setenv("CK_SANITIZE", "")
    ensure_runtime()  # nothing to do without a sanitizer
    try:
        lib = asan_library()
    except CkError:
        pytest.skip("no AddressSanitizer runtime")
    env = environment({"LD_PRELOAD": "libfoo.so", "ASAN_OPTIONS": "abort_on_error=1"})
    assert env["LD_PRELOAD"] == f"{lib} libfoo.so"  # the ASan runtime first
    assert env["ASAN_OPTIONS"] == "abort_on_error=1:detect_leaks=0"
    assert environment({"ASAN_OPTIONS": "detect_leaks=1"})["ASAN_OPTIONS"] == "detect_leaks=1"  # the user's choice


@pytest.mark.slow
def test_full_sanitizer_matrix(sanitize: dict[str, str], tmp_path: Path) -> None:
    """Every architecture x weight dtype x ISA this CPU runs x 1 and 2 threads (the 4- to 6-bit
    types on qwen3), and training on every ISA (bf16 dot products on avx512 too) x 1 and 2 threads."""
    isas = supported_isas()
    models = [(a, d) for a in ARCHS for d in DTYPES] + [("qwen3", d) for d in LOW_BIT_DTYPES]
    cases = build_models(tmp_path, [(a, d, isa) for a, d in models for isa in isas])
    for case in cases:
        case["threads"] = [1, 2]
    cases += training_cases(isas, (1, 2))
    if "avx512" in isas:
        cases += training_cases(["avx512"], (2,), dtype="bf16")
    assert_clean(run_child(cases, sanitize, timeout=3600), cases)


# ---------------------------------------------------------------------- the child process


def run_inference(case: dict[str, Any]) -> None:
    from ck.build import BuildInfo
    from ck.runtime import Model

    info = BuildInfo(**json.loads((Path(case["build"]) / "build.json").read_text()))  # the parent's build
    if case.get("shrink"):  # the harness's own check: one buffer a few bytes short
        what, by = case["shrink"]
        info = replace(info, **{what: getattr(info, what) - by})
    ids = [int(i) for i in np.random.default_rng(1).integers(0, info.vocab, CONTEXT)]
    for threads in case["threads"]:
        with Model(info, threads) as m:
            logits = [m.forward(ids[:PREFILL])]  # chunks of MAX_TOKENS
            while m.position < m.context_len:  # decode to the end of the context
                logits.append(m.forward([ids[m.position]], logits="last"))
            assert np.isfinite(np.concatenate(logits)).all(), case


def run_training(case: dict[str, Any]) -> None:
    import ck

    config = ck.CompileConfig(isa=case["isa"], threads=case["threads"], dtype=case["dtype"])
    tokens = np.random.default_rng(2).integers(0, 64, (2, 16))
    with ck.compile(train_model(case.get("arch", "qwen3")), mode="train", batch=2, config=config) as run:  # the parent's build
        losses = [run.step(tokens, np.roll(tokens, -1, axis=1), lr=1e-2) for _ in range(3)]
    assert np.isfinite(losses).all() and losses[-1] < losses[0], losses


def child(cases: list[dict[str, Any]]) -> None:
    from ck.sanitize import runtime_loaded

    assert runtime_loaded(), "the child runs with the ASan runtime preloaded"
    for case in cases:
        (run_training if case["kind"] == "train" else run_inference)(case)
        print("ok", case["name"], flush=True)


if __name__ == "__main__":
    child(json.loads(sys.argv[1]))
