"""JIT-compile the `llvm` target's IR with llvmlite for the exec tests: host CPU, -O3.

`load(path)` parses and verifies the .ll, sets the host triple and data layout, runs LLVM's
-O3 pipeline and returns an engine whose `address(name)` gives a function's address for
ctypes. libm and the C runtime resolve from this process (Python links both).
"""

from __future__ import annotations

import ctypes
import math
import sys

import llvmlite.binding as llvm
import numpy as np


class Jit:
    """One compiled module; keeps the engine (and so the code) alive."""

    def __init__(self, ir: str, opt: int = 3) -> None:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        target = llvm.Target.from_default_triple()
        self.tm = target.create_target_machine(
            cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(), opt=opt,
            codemodel="jitdefault")
        mod = llvm.parse_assembly(ir)
        mod.verify()
        mod.triple = self.tm.triple
        mod.data_layout = str(self.tm.target_data)
        pto = llvm.create_pipeline_tuning_options(speed_level=opt)
        pb = llvm.create_pass_builder(self.tm, pto)
        pb.getModulePassManager().run(mod, pb)
        self.module = mod
        self.engine = llvm.create_mcjit_compiler(mod, self.tm)
        self.engine.finalize_object()

    def address(self, name: str) -> int:
        addr = self.engine.get_function_address(name)
        if not addr:
            raise KeyError(f"no function @{name} in the JIT-compiled module")
        return addr

    def func(self, name: str, restype: object, *argtypes: object) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
        return ctypes.CFUNCTYPE(restype, *argtypes)(self.address(name))

    def call(self, name: str, restype: object, *args: object) -> object:
        """Call @name through the C ABI: numpy arrays as pointers, ints as int64, floats as
        float (f32); the caller passes each memref's dynamic sizes after it, as C does."""
        types, values = [], []
        for a in args:
            if isinstance(a, np.ndarray):
                assert a.flags.c_contiguous
                types.append(ctypes.c_void_p)
                values.append(a.ctypes.data)
            elif isinstance(a, (bool, np.bool_)):
                types.append(ctypes.c_bool)
                values.append(bool(a))
            elif isinstance(a, (int, np.integer)):
                types.append(ctypes.c_int64)
                values.append(int(a))
            elif isinstance(a, tuple):  # (ctypes type, value), e.g. (ctypes.c_int32, 7)
                types.append(a[0])
                values.append(a[1])
            else:
                types.append(ctypes.c_float)
                values.append(float(a))
        return self.func(name, restype, *types)(*values)


def load(path: str, opt: int = 3) -> Jit:
    """Compile the .ll at `path` ("-": standard input)."""
    if path == "-":
        return Jit(sys.stdin.read(), opt)
    with open(path) as f:
        return Jit(f.read(), opt)


def host_has(*features: str) -> bool:
    """Whether the host CPU has every LLVM feature named (e.g. 'avx512vnni')."""
    llvm.initialize_native_target()
    have = llvm.get_host_cpu_features()
    return all(have.get(f, False) for f in features)


if __name__ == "__main__":  # jit.py FILE.ll (or -): verify, compile at -O3, print the defined functions
    j = load(sys.argv[1])
    print(" ".join(f.name for f in j.module.functions if not f.is_declaration))


def cfmt(spec: str, x: float | np.floating) -> str:
    """printf's rendering of a float: like Python's `spec % x`, but a NaN with its sign bit
    set prints as `-nan`, as glibc prints it."""
    v = float(x)
    if math.isnan(v):
        return "-nan" if np.signbit(x) else "nan"
    return spec % v
