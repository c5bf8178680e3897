"""Driver for memref_exec.mlir (as test/emit_c's memref_driver.c): memref_abi.mlir's
functions, JIT-compiled, called with pointer + dynamic sizes as the ABI says."""

import ctypes
import sys

import numpy as np
from jit import load

j = load(sys.argv[1])
w = np.arange(15, dtype=np.float32).reshape(3, 5)
x = np.arange(5, dtype=np.float32)
y = np.full(3, -1, np.float32)
j.call("matvec", None, w, 3, 5, x, 5, y, 3)
print("matvec 3x5: " + " ".join(f"{v:g}" for v in y))
D1 = 3
a = np.array([[[p * 100 + q * 10 + t for t in range(4)] for q in range(D1)] for p in range(2)], np.float16)
s = np.array([1.0], np.float32)
flags = np.array([0, 1, 0, 0, 0, 0, 0, 0], np.bool_)
ix = np.array([0, 0, 1, 0], np.int64)
d = np.array([0, 0, 2.5], np.float64)
g = np.array([0, 0x4000, 0, 0], np.uint16)  # bf16 bits: 2.0
h = np.zeros((5, 2), np.int16)
h[3][1] = -7
lv = np.array([0, 100], np.int64)
r = j.call("layouts", ctypes.c_float, a, D1, s, flags, ix, 4, d, g, 4, h, 2, lv, 1, 2)
print(f"layouts: r={r:g} a[1][0][0]={float(a[1][0][0]):g} s={s[0]:g} flags[0]={int(flags[0])} ix[0]={ix[0]}")
