"""Driver for dot_f32_exec.mlir (as Inputs/dot_f32_driver.c of test/emit_c): the JIT-compiled
dot_<isa>(x, x_d0, y) against a numpy sum."""

import ctypes
import sys

import numpy as np
from jit import load

j = load(sys.argv[1])
isas = ("avx512", "avx2", "scalar")
for n in (1024, 4096):
    i = np.arange(n)
    x = ((i % 7) - 3).astype(np.float32)
    y = (((i * 5) % 11) - 5).astype(np.float32)
    ref = float(np.dot(x.astype(np.float64), y.astype(np.float64)))  # exact: small integers
    print(f"n={n} ref={ref:.0f}")
    for isa in isas:
        got = j.call(f"dot_{isa}", ctypes.c_float, x, n, y)
        print(f"{isa} {got:.0f} {'ok' if got == ref else 'MISMATCH'}")
i = np.arange(4096, dtype=np.float32)
x = np.sin(i * np.float32(0.37)).astype(np.float32)
y = np.cos(i * np.float32(0.11)).astype(np.float32)
ref = float(np.dot(x.astype(np.float64), y.astype(np.float64)))
ok = all(abs(j.call(f"dot_{isa}", ctypes.c_float, x, 4096, y) - ref) <= 1e-5 * abs(ref) + 1e-3 for isa in isas)
print(f"fractional: {'avx512 avx2 scalar within 1e-5 of ref' if ok else 'MISMATCH'}")
