"""Fuzzing the GGUF reader and importer (ck/testing_fuzz.py): mutated files of every
architecture and dtype end in a model or in one clean error line, never a traceback.

The quick run (default tests): 2,000 cases through import and planning, and `ck run` on a
few cases where only tensor data was mutated. The long run (`-m slow`): 100,000 cases.
Failing inputs are kept under the test's tmp folder (`fuzz-failures/`); rerun one with
`python -m ck.testing_fuzz --check FILE`.
"""

from __future__ import annotations

import itertools
import os
import struct
import subprocess
import time
from pathlib import Path

import pytest

from ck.errors import CkError, GGUFError
from ck.testing_fuzz import (
    KV,
    U32,
    Checker,
    Layout,
    Result,
    make_case,
    parse_layout,
    run_cases,
    write_seeds,
)

QUICK_CASES = 2000
LONG_CASES = 100_000


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-seeds")
    write_seeds(folder)
    return folder


def report(result: Result) -> str:
    lines = [f"{result.cases} cases in {result.seconds:.1f} s: {result.counts}"]
    for f in result.failures[:10]:
        lines.append(f"case {f['i']} ({f['seed_file']}; {'; '.join(f['steps'])}):\n{f['msg']}")
    return "\n".join(lines)


# -- the mutator itself ------------------------------------------------------------------------

def test_layout_round_trips_every_seed(seeds: Path) -> None:
    for path in seeds.glob("*.gguf"):
        data = path.read_bytes()
        assert parse_layout(data).encode() == data, path.name


def test_cases_are_a_function_of_seed_and_index(seeds: Path) -> None:
    files = {p.name: p.read_bytes() for p in seeds.glob("*.gguf")}
    a, b = make_case(7, 123, files), make_case(7, 123, files)
    assert (a.data, a.steps) == (b.data, b.steps)
    assert make_case(7, 124, files).data != a.data or make_case(8, 123, files).data != a.data


def test_every_seed_imports_and_plans(seeds: Path) -> None:
    checker = Checker()
    for path in sorted(seeds.glob("*.gguf")):
        assert checker.run(path) == ("ok", ""), path.name


# -- defects the fuzzer found, each one line now -----------------------------------------------

def edited(seeds: Path, tmp_path: Path, seed: str, edit) -> Path:  # type: ignore[no-untyped-def]
    lay = parse_layout((seeds / seed).read_bytes())
    edit(lay)
    path = tmp_path / "bad.gguf"
    path.write_bytes(lay.encode())
    return path


def one_line_error(path: Path, *fragments: str) -> str:
    status, msg = Checker().run(path)
    assert status == "error", msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def set_u32(lay: Layout, key: str, value: int) -> None:
    lay.kvs = [kv for kv in lay.kvs if kv.key != key] + [KV(key, U32, struct.pack("<I", value))]


def test_alignment_zero(seeds: Path, tmp_path: Path) -> None:
    bad = edited(seeds, tmp_path, "qwen3-f32.gguf", lambda lay: set_u32(lay, "general.alignment", 0))
    one_line_error(bad, "general.alignment = 0", "power of two")


def test_shape_whose_byte_count_overflows_int64(seeds: Path, tmp_path: Path) -> None:
    def edit(lay: Layout) -> None:  # 2**63 rows of 32 f32: 2**70 bytes, 0 in int64 arithmetic
        (t,) = [t for t in lay.tensors if t.name == "token_embd.weight"]
        t.dims = [32, 2**63]

    one_line_error(edited(seeds, tmp_path, "qwen3-f32.gguf", edit), "token_embd.weight", "truncated", "needs bytes up to")


def test_n_head_kv_not_dividing_n_head(seeds: Path, tmp_path: Path) -> None:
    def edit(lay: Layout) -> None:  # 3 kv heads of 16 = 48 rows: consistent tensors, but 2 % 3 != 0
        set_u32(lay, "qwen2.attention.head_count_kv", 3)
        for t in lay.tensors:
            if t.name in ("blk.0.attn_k.weight", "blk.0.attn_v.weight"):
                t.dims = [32, 48]
            if t.name in ("blk.0.attn_k.bias", "blk.0.attn_v.bias"):
                t.dims = [48]

    one_line_error(edited(seeds, tmp_path, "qwen2-f32.gguf", edit),
                   "'qwen2.attention.head_count_kv'", "n_head_kv = 3", "does not divide", "n_head = 2")


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("qwen3.attention.head_count", 0, "n_head = 0"),  # was a ZeroDivisionError in n_embd // n_head
    ("qwen3.rope.dimension_count", 2**32 - 1, "n_rot = 4294967295"),  # was a VerifyException
])
def test_bad_hyperparameter(seeds: Path, tmp_path: Path, key: str, value: int, fragment: str) -> None:
    bad = edited(seeds, tmp_path, "qwen3-f32.gguf", lambda lay: set_u32(lay, key, value))
    one_line_error(bad, fragment, key)


@pytest.mark.parametrize("value", [float("nan"), float("-inf"), -1.0, 0.0, 1e-300])
def test_bad_float_hyperparameter(seeds: Path, tmp_path: Path, value: float) -> None:
    def edit(lay: Layout) -> None:  # as an f64: 1e-300 is positive, but 0 in the IR's f32 attribute
        for kv in lay.kvs:
            if kv.key == "llama.rope.freq_base":
                kv.vtype, kv.payload = 12, struct.pack("<d", value)

    one_line_error(edited(seeds, tmp_path, "llama-f16.gguf", edit), "rope_theta", "llama.rope.freq_base",
                   "positive finite")


def test_float_for_an_integer_hyperparameter(seeds: Path, tmp_path: Path) -> None:
    def edit(lay: Layout) -> None:  # was an OverflowError converting inf to int
        for kv in lay.kvs:
            if kv.key == "qwen3.attention.head_count":
                kv.vtype, kv.payload = 6, struct.pack("<f", float("inf"))

    one_line_error(edited(seeds, tmp_path, "qwen3-f32.gguf", edit), "n_head = inf", "must be an integer")


def test_bias_not_in_f32(seeds: Path, tmp_path: Path) -> None:
    def edit(lay: Layout) -> None:  # 32 values of q8_0 take 34 bytes, less than the 128 of f32
        (t,) = [t for t in lay.tensors if t.name == "blk.0.attn_q.bias"]
        t.ttype = 8

    one_line_error(edited(seeds, tmp_path, "qwen2-f32.gguf", edit), "bias 'blk.0.attn_q.bias'", "q8_0")


def test_duplicate_tensor(seeds: Path, tmp_path: Path) -> None:
    bad = edited(seeds, tmp_path, "llama-f32.gguf", lambda lay: lay.tensors.append(lay.tensors[0]))
    one_line_error(bad, "appears twice")


def test_names_from_the_file_are_escaped_onto_one_line(seeds: Path, tmp_path: Path) -> None:
    def edit(lay: Layout) -> None:
        for kv in lay.kvs:
            if kv.key == "general.architecture":
                kv.payload = struct.pack("<Q", 6) + b"qwen3\n"

    msg = one_line_error(edited(seeds, tmp_path, "qwen3-f32.gguf", edit), "unsupported architecture 'qwen3\\n'")
    assert str(GGUFError("a\nb\x00")) == "a\\nb\\x00"
    assert isinstance(GGUFError("x"), CkError) and "\n" not in msg


# -- the quick run -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quick_run(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Result:
    return run_cases(seed=0, cases=QUICK_CASES, seed_dir=seeds,
                     failures_dir=tmp_path_factory.mktemp("fuzz-failures"))


def test_quick_fuzz_import_and_planning(quick_run: Result) -> None:
    assert quick_run.cases == QUICK_CASES, report(quick_run)
    assert not quick_run.failures, report(quick_run)
    assert quick_run.seconds < 60, report(quick_run)
    assert quick_run.counts.get("ok", 0) > 100 and quick_run.counts.get("error", 0) > 1000, report(quick_run)


RUN_CASES = 3  # every case compiles its own library (the build key has the file's digest): ~5-10 s each


def ck_run_cases(quick_run: Result, seeds: Path, tmp_path: Path, n: int) -> None:
    """`ck run` on cases where only tensor data changed (NaN, Inf, flipped bits in the weights):
    it ends with output or one clean error line, no traceback, no signal, no hang."""
    files = {p.name: p.read_bytes() for p in sorted(seeds.glob("*.gguf"))}
    picked = [c for c in (make_case(quick_run.seed, i, files) for i in quick_run.clean_data_only)
              if c.seed_file.endswith("-tok.gguf")]
    by_seed: dict[str, list] = {}  # one case per seed file first: every architecture runs
    for c in picked:
        by_seed.setdefault(c.seed_file, []).append(c)
    order = [c for group in itertools.zip_longest(*by_seed.values()) for c in group if c is not None]
    assert len(order) >= n, f"only {len(order)} data-only cases of a seed with a vocabulary"
    env = {**os.environ, "CK_CACHE_DIR": str(tmp_path / "cache")}
    for case in order[:n]:
        path = tmp_path / f"case{case.index}.gguf"
        path.write_bytes(case.data)
        proc = subprocess.run(["ck", "run", str(path), "-p", "Hi", "-n", "4", "--temp", "0", "-c", "64", "-t", "1"],
                              check=False, capture_output=True, encoding="utf-8", errors="replace", timeout=300, env=env)
        what = f"case {case.index} ({case.seed_file}; {'; '.join(case.steps)}): rc {proc.returncode}\n{proc.stderr}"
        assert proc.returncode >= 0, what  # not killed by a signal
        assert "Traceback" not in proc.stderr, what
        if proc.returncode:  # the compile's progress lines, then one error line
            lines = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("ck: compiling")]
            assert len(lines) == 1 and lines[0].startswith("ck: error: "), what
        else:
            assert proc.stdout.startswith("Hi"), what


def test_quick_fuzz_ck_run_on_mutated_weights(quick_run: Result, seeds: Path, tmp_path: Path) -> None:
    ck_run_cases(quick_run, seeds, tmp_path, RUN_CASES)


# -- the long run ------------------------------------------------------------------------------

@pytest.mark.slow
def test_long_fuzz_import_and_planning(seeds: Path, tmp_path: Path) -> None:
    t0 = time.monotonic()
    result = run_cases(seed=1, cases=LONG_CASES, seed_dir=seeds, failures_dir=tmp_path / "fuzz-failures")
    assert result.cases == LONG_CASES, report(result)
    assert not result.failures, report(result)
    assert time.monotonic() - t0 < 3600, report(result)


@pytest.mark.slow
def test_long_fuzz_ck_run_on_mutated_weights(seeds: Path, tmp_path: Path) -> None:
    # the quick run's 2,000 cases hold too few data-only cases of the seeds with a vocabulary
    pool = run_cases(seed=2, cases=8 * QUICK_CASES, seed_dir=seeds, failures_dir=tmp_path / "fuzz-failures")
    assert not pool.failures, report(pool)
    ck_run_cases(pool, seeds, tmp_path, 20)
