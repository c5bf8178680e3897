"""runtime_c/ck_runtime.ll: the hand-written runtime as LLVM IR, for the llvm backend.

The llvm backend (`CompileOptions(backend="llvm")`, ck/llvm_jit.py) runs without a C compiler,
so the runtime (thread pool, barrier, weight loading, timers, probes, profiling hooks) ships
as LLVM IR next to ck_runtime.c, generated from it by clang-22 (LLVM 22, the LLVM llvmlite
0.50 embeds). `python -m ck.runtime_ll` regenerates it; `--check` says whether the committed
file is what this clang prints (test/python/test_llvm_backend.py runs both checks).

It is target-independent enough to JIT on any x86-64: no -march, and the per-function
"target-cpu"/"target-features"/"tune-cpu" attributes clang writes (x86-64 baseline) are
removed, so the JIT's host target machine decides, as it does for model.ll. No debug info, no
`llvm.ident` (the file does not change with the distribution's clang build), and
`CK_SANITIZE` off (sanitizer builds need the C backend). The peak-arithmetic probe's AVX-512
paths are chosen by the preprocessor (`__AVX512F__`), so in this file only its f32 kind exists
(on vectors of 8): `ck_probe_peak_gflops` returns < 0 for the int8 and bf16 kinds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ck.errors import CkError

CLANG = "clang-22"
TRIPLE = "x86_64-unknown-linux-gnu"
CLANG_FLAGS = ["-O2", "-S", "-emit-llvm", f"--target={TRIPLE}", "-std=gnu11", "-pthread", "-fno-ident",
               "-g0", "-UCK_SANITIZE"]
TARGET_ATTRIBUTES = re.compile(r' "(?:target-cpu|target-features|tune-cpu)"="[^"]*"')


def runtime_dir() -> Path:
    """runtime_c/, where ck_runtime.c, .h and .ll live."""
    return Path(__file__).resolve().parent.parent / "runtime_c"


def runtime_ll_path() -> Path:
    return runtime_dir() / "ck_runtime.ll"


def clang() -> str | None:
    """The clang-22 on PATH, or None."""
    return shutil.which(CLANG)


def generate(clang_path: str | None = None) -> str:
    """ck_runtime.ll's text, as clang-22 prints it from ck_runtime.c (run in runtime_c/ with the
    file's relative name, so no absolute path gets into the module) minus the target attributes."""
    exe = clang_path or clang()
    if exe is None:
        raise CkError(f"{CLANG} not found on PATH (apt-get install {CLANG}): it generates runtime_c/ck_runtime.ll")
    proc = subprocess.run([exe, *CLANG_FLAGS, "ck_runtime.c", "-o", "-"], cwd=runtime_dir(), capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise CkError(f"{CLANG} failed on runtime_c/ck_runtime.c:\n{proc.stderr.strip()}")
    return TARGET_ATTRIBUTES.sub("", proc.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ck.runtime_ll", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write: exit 1 when the committed ck_runtime.ll differs from a fresh one")
    args = parser.parse_args(argv)
    try:
        text = generate()
    except CkError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    path = runtime_ll_path()
    if args.check:
        same = path.is_file() and path.read_text() == text
        print(f"{path}: {'up to date' if same else 'differs from what ' + CLANG + ' generates'}", file=sys.stderr)
        return 0 if same else 1
    path.write_text(text)
    print(f"wrote {path} ({len(text.splitlines())} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
