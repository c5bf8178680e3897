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
