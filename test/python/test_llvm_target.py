"""The `llvm` target on real models: every op a lowered model uses translates, the IR parses and
verifies with llvmlite on each ISA (inference of every weight dtype, slots, a training step),
and a JIT-compiled ck_decode / ck_prefill computes what the C target's model.c, compiled by
$CC with the build's flags, computes from the same buffers (the C backend is the oracle): bit for
bit when $CC does not contract a*b+c into FMAs (-ffp-contract=off), within 1e-5 with its default."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path
from typing import Any

import llvmlite.binding as llvm
import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerAttr, ModuleOp

import ck
from ck.compiler import compile_options, emit_c, lower
from ck.gguf_file import GGUFFile
from ck.lowering.targets.llvm import ISA_FEATURES, emit_llvm
from ck.testing import ModelSpec, write_gguf
from ck.train import authored_module, run_stages, train_stages
from ck.weights_blob import write_weights

sys.path.insert(0, str(Path(__file__).parents[1] / "emit_llvm" / "Inputs"))
from jit import host_has

ENTRIES = {"ck_decode", "ck_prefill"}
# What a model's IR may call outside itself: the runtime's barrier and libm (as model.c does).
EXTERNALS = {"ck_barrier", "ck_prof_begin", "ck_prof_end"} | {
    f + s for f in ("exp", "log", "tanh", "cos", "sin", "pow") for s in ("", "f")}


def _parse(ir: str) -> Any:
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    mod = llvm.parse_assembly(ir)
    mod.verify()
    return mod


def _check_module(ir: str, entries: set[str]) -> None:
    mod = _parse(ir)
    defined = {f.name for f in mod.functions if not f.is_declaration}
    declared = {f.name for f in mod.functions if f.is_declaration and not f.name.startswith("llvm.")}
    assert entries <= defined, f"missing entry points {entries - defined}"
    assert declared <= EXTERNALS, f"unexpected external calls {declared - EXTERNALS}"
    for f in mod.functions:
        if f.name in entries:
            assert f.linkage == llvm.Linkage.external


@pytest.fixture(scope="module")
def ggufs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("llvm_models")
    out = {}
    for dtype in ("f32", "f16", "bf16", "q8_0"):
        out[dtype] = root / f"{dtype}.gguf"
        write_gguf(out[dtype], ModelSpec(dtype=dtype, layers=1, vocab=300), tokenizer=False, seed=3)
    return out


def _lower(path: Path, isa: str, slots: int = 1, kv_dtype: str = "f32") -> ModuleOp:
    return lower(GGUFFile(str(path)), compile_options(context_len=64, isa=isa, max_tokens=8, tuned=False,
                                                      slots=slots, kv_dtype=kv_dtype))


@pytest.mark.parametrize("isa", ["avx512", "avx2", "scalar"])
@pytest.mark.parametrize("dtype", ["f32", "f16", "bf16", "q8_0"])
def test_inference_module_translates_and_verifies(ggufs: dict[str, Path], isa: str, dtype: str) -> None:
    slots = 2 if dtype == "q8_0" else 1  # the batched decode entry too
    kv = "f16" if dtype == "f16" else "f32"
    ir = emit_llvm(_lower(ggufs[dtype], isa, slots, kv))
    _check_module(ir, ENTRIES | ({"ck_decode_batch"} if slots > 1 else set()))
    if isa != "scalar":
        assert f'"target-features"="{ISA_FEATURES[isa]}"' in ir


@pytest.mark.parametrize(("isa", "dtype"), [("avx512", "bf16"), ("avx512", "f32"), ("avx2", "f32"), ("scalar", "f32")])
def test_training_module_translates_and_verifies(isa: str, dtype: str) -> None:
    model = ck.models.qwen3_tiny(vocab=300, dim=32, layers=1, hidden=64, heads=4, kv_heads=2, context_len=16, seed=1)
    module = run_stages(authored_module(model, 8, 1), train_stages(8, 1, isa, dtype=dtype))
    ir = emit_llvm(module, avx512bf16=True)
    _check_module(ir, {"ck_train_step", "ck_adamw_step"})
    if dtype == "bf16":
        assert "@llvm.x86.avx512bf16.dpbf16ps.512" in ir


# ------------------------------------------------------------ the same numbers as model.c


def _barrier() -> Any:
    """A no-op ck_barrier for one thread, resolvable from JIT-compiled code."""
    fn = ctypes.CFUNCTYPE(None)(lambda: None)
    llvm.add_symbol("ck_barrier", ctypes.cast(fn, ctypes.c_void_p).value)
    return fn


def _c_library(module: ModuleOp, isa: str, tmp: Path, extra: list[str]) -> ctypes.CDLL:
    from ck.build import CFLAGS, compiler, isa_flags

    runtime = Path(ck.__file__).parents[1] / "runtime_c"
    (tmp / "model.c").write_text(emit_c(module))
    (tmp / "stub.c").write_text("void ck_barrier(void) {}\n")
    so = tmp / f"libmodel{len(extra)}.so"
    subprocess.run([*compiler(), *CFLAGS, *isa_flags(isa), *extra, f"-I{runtime}", str(tmp / "model.c"),
                    str(tmp / "stub.c"), "-o", str(so), "-lm"], check=True)
    return ctypes.CDLL(str(so))


def _jit(module: ModuleOp, isa: str) -> Any:
    from jit import Jit  # test/emit_llvm/Inputs: the exec tests' llvmlite JIT, host CPU, -O3

    from ck.build import avx512bf16

    return Jit(emit_llvm(module, isa=isa, avx512bf16=avx512bf16(isa)))


def _int(module: ModuleOp, name: str) -> int:
    attr = module.attributes[name]
    assert isinstance(attr, IntegerAttr)
    return attr.value.data


class _Buffers:
    """One model instance's memory: arena (one thread), weights, KV cache."""

    def __init__(self, module: ModuleOp, weights: np.ndarray) -> None:
        self.arena = np.zeros(_int(module, "ck.arena_bytes") + _int(module, "ck.private_bytes"), np.int8)
        self.weights = weights
        self.kv = np.zeros(_int(module, "ck.kv_bytes"), np.int8)

    def tail(self) -> list[Any]:
        return [self.arena.ctypes.data, len(self.arena), self.weights.ctypes.data, len(self.weights),
                self.kv.ctypes.data, len(self.kv), 0, 0, 1]  # kv_slot, tid, nth


_PTR, _I64 = ctypes.c_void_p, ctypes.c_int64
_TAIL = [_PTR, _I64, _PTR, _I64, _PTR, _I64, _I64, _I64, _I64]


def _prefill(fn: Any, b: _Buffers, tokens: np.ndarray, vocab: int) -> np.ndarray:
    n = len(tokens)
    pos = np.arange(n, dtype=np.int32)
    logits = np.zeros((n, vocab), np.float32)
    fn.argtypes = [_PTR, _I64, _PTR, _I64, _PTR, _I64, *_TAIL]
    fn(tokens.ctypes.data, n, pos.ctypes.data, n, logits.ctypes.data, n, *b.tail())
    return logits


def _decode(fn: Any, b: _Buffers, token: int, position: int, vocab: int) -> np.ndarray:
    tok, pos = np.array([token], np.int32), np.array([position], np.int32)
    logits = np.zeros((1, vocab), np.float32)
    fn.argtypes = [_PTR, _PTR, _PTR, *_TAIL]
    fn(tok.ctypes.data, pos.ctypes.data, logits.ctypes.data, *b.tail())
    return logits


def _run(decode: Any, prefill: Any, mem: _Buffers, tokens: list[int]) -> np.ndarray:
    """Prefill a prompt, then decode `tokens` one by one: the logits of every step."""
    prompt = np.array([5, 17, 42, 7, 99], np.int32)
    out = [_prefill(prefill, mem, prompt, VOCAB)[-1]]
    for step, token in enumerate(tokens):
        out.append(_decode(decode, mem, token, len(prompt) + step, VOCAB)[0])
    return np.array(out)


VOCAB = 300


@pytest.mark.parametrize("dtype", ["q8_0", "f32", "f16"])
def test_jit_matches_c_backend(ggufs: dict[str, Path], dtype: str, tmp_path: Path) -> None:
    if not host_has("avx2", "fma", "f16c"):
        pytest.skip("needs an avx2 host")
    isa = "avx512" if host_has("avx512f", "avx512bw", "avx512vl", "avx512vnni") else "avx2"
    module = _lower(ggufs[dtype], isa, kv_dtype="f16" if dtype == "f16" else "f32")
    write_weights(module, GGUFFile(str(ggufs[dtype])), tmp_path / "weights.bump")
    weights = np.fromfile(tmp_path / "weights.bump", np.int8)
    keep = _barrier()
    jit = _jit(module, isa)
    prefill = ctypes.CFUNCTYPE(None, _PTR, _I64, _PTR, _I64, _PTR, _I64, *_TAIL)(jit.address("ck_prefill"))
    decode = ctypes.CFUNCTYPE(None, _PTR, _PTR, _PTR, *_TAIL)(jit.address("ck_decode"))
    tokens = [11, 250, 3]
    ll_mem = _Buffers(module, weights)
    got = _run(decode, prefill, ll_mem, tokens)
    assert np.all(np.isfinite(got)) and np.abs(got).max() > 0.1
    exact = _c_library(module, isa, tmp_path, ["-ffp-contract=off"])
    c_mem = _Buffers(module, weights)
    want = _run(exact.ck_decode, exact.ck_prefill, c_mem, tokens)
    assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), "logits differ from model.c's"
    assert np.array_equal(ll_mem.kv, c_mem.kv), "KV cache differs from model.c's"
    default = _c_library(module, isa, tmp_path, [])  # gcc fuses a*b+c where it sees fit
    want = _run(default.ck_decode, default.ck_prefill, _Buffers(module, weights), tokens)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())
    del keep
