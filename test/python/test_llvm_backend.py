"""The llvm backend (no C compiler): runtime_c/ck_runtime.ll against ck_runtime.h and against
clang-22, and models JIT-compiled from model.ll (ck/llvm_jit.py) against the C backend's
libmodel.so (whose logits other tests check against transformers)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ck
from ck.errors import CkError
from ck.runtime_ll import CLANG, generate, runtime_ll_path
from ck.testing import ModelSpec, write_gguf

HEADER = runtime_ll_path().with_name("ck_runtime.h")
ENTRY_POINTS = {"ck_decode", "ck_prefill", "ck_decode_batch", "ck_train_step", "ck_adamw_step"}
"""Generated into model.c / model.ll: the runtime only refers to them, weakly (#pragma weak)."""
C_TO_LLVM = {"void": "void", "int": "i32", "int32_t": "i32", "int64_t": "i64", "size_t": "i64", "float": "float",
             "double": "double"}
IDS = [int(i) for i in np.random.default_rng(7).integers(0, 320, 13)]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def llvm_type(c_type: str) -> str:
    """The LLVM type clang gives a C parameter or return type of the header."""
    c_type = c_type.replace("const ", "").strip()
    if c_type.endswith("*"):
        return "ptr"
    return C_TO_LLVM[c_type]


def header_prototypes() -> dict[str, tuple[str, list[str]]]:
    """name -> (return type, parameter types) of every function ck_runtime.h declares."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.DOTALL)
    text = re.sub(r"typedef struct \w+ \{.*?\} \w+;", "", text, flags=re.DOTALL)
    protos = {}
    for ret, name, params in re.findall(r"([A-Za-z_][\w ]*?\**)\s*\b(ck_\w+)\s*\(([^;{]*?)\)\s*;", text):
        args = [] if params.strip() == "void" else [re.sub(r"\s*\b\w+$", "", p.strip()) for p in params.split(",")]
        protos[name] = (llvm_type(ret), [llvm_type(a) for a in args])
    return protos


def test_header_parser_sees_the_whole_abi() -> None:
    protos = header_prototypes()
    assert len(protos) >= 28 and ENTRY_POINTS <= set(protos)
    assert protos["ck_open"] == ("ptr", ["ptr", "ptr", "i64"])
    assert protos["ck_adamw"] == ("i32", ["ptr", "i64", *["float"] * 5])
    assert protos["ck_barrier"] == ("void", [])


def test_runtime_ll_has_exactly_the_header_functions() -> None:
    """Every function of ck_runtime.h is defined by ck_runtime.ll with the same types, the model's
    entry points are declared extern_weak (so a model module links in), and nothing else is exported."""
    import llvmlite.binding as llvm

    module = llvm.parse_assembly(runtime_ll_path().read_text())
    module.verify()
    exported = {}
    for f in module.functions:
        if f.name.startswith("llvm.") or f.linkage.name == "internal":
            continue
        if f.is_declaration and f.linkage.name == "external":
            continue  # the C library's functions
        t = f.global_value_type
        ret, *params = [str(e) for e in t.elements]
        exported[f.name] = (ret, params, f.is_declaration, f.linkage.name)
    protos = header_prototypes()
    assert set(exported) == set(protos)
    for name, (ret, params) in protos.items():
        got_ret, got_params, declared, linkage = exported[name]
        assert (got_ret, got_params) == (ret, params), name
        if name in ENTRY_POINTS:
            assert declared and linkage == "external_weak", name
        else:
            assert not declared and linkage == "external", name
    text = runtime_ll_path().read_text()
    assert "thread_local" not in text  # MCJIT cannot allocate TLS (ck_runtime.c uses a pthread key)
    assert '"target-cpu"' not in text and '"target-features"' not in text and "!dbg" not in text


@pytest.mark.skipif(shutil.which(CLANG) is None, reason=f"{CLANG} is not installed (apt-get install {CLANG})")
def test_runtime_ll_is_what_clang_generates() -> None:
    assert generate() == runtime_ll_path().read_text(), "stale runtime_c/ck_runtime.ll: run python -m ck.runtime_ll"


# ---------------------------------------------------------------- models JIT-compiled from model.ll

def _has_emitter() -> bool:
    import importlib.util

    return importlib.util.find_spec("ck.lowering.targets.llvm") is not None


needs_emitter = pytest.mark.skipif(not _has_emitter(), reason="the LLVM IR emitter (ck-translate -t llvm) is missing")
ISAS = ("avx512", "avx2", "scalar")
SPECS = {
    "qwen3": ModelSpec(arch="qwen3"),
    "qwen2": ModelSpec(arch="qwen2", tied=False, heads=4, kv_heads=2),
    "llama": ModelSpec(arch="llama", tied=False, rope_theta=1e4, heads=8, kv_heads=2),
}


def runs_here(isa: str) -> bool:
    from ck.compiler import detect_isa

    return ISAS.index(isa) >= ISAS.index(detect_isa())


def _compare_with_c(arch: str, dtype: str, isa: str, tmp_path: Path) -> None:
    """The llvm build's logits (prefill, then decode steps) and greedy tokens against the C build's."""
    if not runs_here(isa):
        pytest.skip(f"this CPU does not run {isa}")
    from dataclasses import replace

    path = tmp_path / f"{arch}-{dtype}.gguf"
    write_gguf(path, replace(SPECS[arch], dtype=dtype), seed=3)
    got = {}
    for backend in ("c", "llvm"):
        with ck.load(path, context_len=64, threads=2, isa=isa, backend=backend) as m:
            assert m.info.backend == backend
            prefill = m.logits(IDS)
            steps = np.concatenate([m.forward([i]) for i in IDS[:4]])
            tokens = [int(t) for t in _greedy(m, IDS[:5], 8)]
        got[backend] = (prefill, steps, tokens)
    (c_prefill, c_steps, c_tokens), (l_prefill, l_steps, l_tokens) = got["c"], got["llvm"]
    # two lowerings of one IR, both rounding every operation as it says (model.c is compiled with
    # -ffp-contract=off): within 1e-5, and in practice bit for bit
    assert np.abs(l_prefill - c_prefill).max() <= 1e-5
    assert np.abs(l_steps - c_steps).max() <= 1e-5
    assert l_tokens == c_tokens


def _greedy(m: ck.Model, prompt: list[int], n: int) -> list[int]:
    m.reset()
    out, logits = [], m.forward(prompt, logits="last")
    for _ in range(n):
        out.append(int(np.argmax(logits[-1])))
        logits = m.forward([out[-1]], logits="last")
    return out


@needs_emitter
@pytest.mark.parametrize("arch,dtype,isa", [("qwen3", "f32", "avx512"), ("qwen2", "q8_0", "avx2"),
                                            ("llama", "bf16", "scalar")])
def test_llvm_logits_match_c(arch: str, dtype: str, isa: str, tmp_path: Path) -> None:
    _compare_with_c(arch, dtype, isa, tmp_path)


@needs_emitter
@pytest.mark.slow
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("dtype", ["f32", "f16", "bf16", "q8_0"])
@pytest.mark.parametrize("arch", ["qwen3", "qwen2", "llama"])
def test_llvm_logits_match_c_matrix(arch: str, dtype: str, isa: str, tmp_path: Path) -> None:
    _compare_with_c(arch, dtype, isa, tmp_path)


@needs_emitter
def test_llvm_batch_decode_matches_c(tmp_path: Path) -> None:
    """Two slots: ck_decode_batch is defined in model.o, so the runtime's weak reference is kept."""
    path = tmp_path / "m.gguf"
    write_gguf(path, SPECS["qwen3"], seed=4)
    got = {}
    for backend in ("c", "llvm"):
        with ck.load(path, context_len=32, threads=2, slots=2, backend=backend) as m:
            m.forward(IDS[:3], slot=0)
            m.forward(IDS[3:8], slot=1)
            got[backend] = m.decode_batch([1, 0], [5, 6])
    assert np.abs(got["llvm"] - got["c"]).max() <= 1e-5


@needs_emitter
def test_llvm_training_step_matches_c() -> None:
    model = ck.models.qwen3_tiny(vocab=64, dim=32, layers=2, hidden=64, heads=2, kv_heads=1, context_len=16)
    rng = np.random.default_rng(1)
    tokens, targets = rng.integers(0, 64, (2, 16)), rng.integers(0, 64, (2, 16))
    got = {}
    for backend in ("c", "llvm"):
        run = ck.compile(model, mode="train", batch=2, seq=16,
                         config=ck.CompileConfig(threads=2, backend=backend))
        with run:
            loss = run.forward_backward(tokens, targets)
            grads = run.grads()
            run.step(tokens, targets, lr=1e-2)
            after = run.forward_backward(tokens, targets)
        got[backend] = (loss, grads, after)
    (c_loss, c_grads, c_after), (l_loss, l_grads, l_after) = got["c"], got["llvm"]
    assert abs(l_loss - c_loss) <= 1e-5 and abs(l_after - c_after) <= 1e-5
    assert set(l_grads) == set(c_grads)
    for name, g in c_grads.items():
        assert np.abs(l_grads[name] - g).max() <= 1e-5, name


@needs_emitter
def test_model_o_is_cached_and_checked(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """model.o is compiled once, reused by the next load, and sealed: a flipped byte rebuilds it."""
    path = tmp_path / "m.gguf"
    write_gguf(path, SPECS["qwen3"], seed=6)
    with ck.load(path, context_len=32, threads=1, backend="llvm") as m:
        first = m.logits(IDS)
        obj = Path(m.info.directory) / "model.o"
        assert m.info.library == obj and (Path(m.info.directory) / "model.ll").is_file()
    built = obj.stat().st_mtime_ns
    with ck.load(path, context_len=32, threads=1, backend="llvm") as m:
        assert obj.stat().st_mtime_ns == built
        assert np.array_equal(m.logits(IDS), first)
    data = bytearray(obj.read_bytes())
    data[len(data) // 2] ^= 0xFF
    obj.write_bytes(bytes(data))
    capfd.readouterr()
    with ck.load(path, context_len=32, threads=1, backend="llvm") as m:
        assert np.array_equal(m.logits(IDS), first)
    assert "model.o: sha256 differs" in capfd.readouterr().err


def test_a_cpu_without_the_isa_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from ck import llvm_jit

    monkeypatch.setattr(llvm_jit, "host_features", lambda: frozenset({"avx2", "fma"}))
    with pytest.raises(CkError, match=r"lacks avx512f, avx512bw, avx512vl, avx512vnni, f16c, which the avx512"):
        llvm_jit.check_host_isa("avx512")
    with pytest.raises(CkError, match="unknown backend 'gcc'"):
        ck.load(Path(__file__), backend="gcc")  # refused before the file is read as GGUF


@needs_emitter
def test_ck_run_without_a_c_compiler(tmp_path: Path) -> None:
    """`ck run` with CC=false and a PATH holding only python and ck: the llvm backend, said once."""
    model = tmp_path / "m.gguf"
    write_gguf(model, SPECS["qwen3"], seed=2)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ck_script = shutil.which("ck")
    assert ck_script is not None
    (bin_dir / "ck").symlink_to(ck_script)
    (bin_dir / "python").symlink_to(sys.executable)
    assert shutil.which("cc", path=str(bin_dir)) is None and shutil.which("gcc", path=str(bin_dir)) is None
    env = {**os.environ, "PATH": str(bin_dir), "CC": "false", "CK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([str(bin_dir / "ck"), "run", str(model), "-p", "Hello", "-n", "6", "--temp", "0",
                           "-c", "64", "-t", "1"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Hello") and len(proc.stdout.strip()) > len("Hello")
    notice = "ck: no C compiler found (CC=false): using the llvm backend"
    assert proc.stderr.splitlines().count(notice) == 1
    builds = [p for p in (tmp_path / "cache").iterdir() if (p / "build.json").is_file()]
    assert len(builds) == 1 and (builds[0] / "model.o").is_file() and not (builds[0] / "libmodel.so").exists()
