"""Driver for select_exec.mlir (as test/emit_c's select_driver.c): each JIT-compiled
select_<isa>(l, r, a, b, le, lt) against numpy's where, bit for bit (-inf and NaN pass through)."""

import sys

import numpy as np
from jit import load

N = 4096
l = np.zeros(N, np.int32)
r = np.zeros(N, np.int32)
state = 12345
for i in range(N):
    state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
    x = (state >> 8) % 7 - 3
    state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
    y = (state >> 8) % 7 - 3
    x = {5: -(2**31), 17: 2**31 - 1}.get(i % 64, x)
    y = {9: -(2**31), 33: 2**31 - 1}.get(i % 64, y)
    l[i], r[i] = x, y
a = (np.arange(N, dtype=np.float32) + np.float32(0.5)).astype(np.float32)
b = np.where(np.arange(N) % 3 != 0, np.float32(-np.inf), np.float32(np.nan)).astype(np.float32)
j = load(sys.argv[1])
for name in ("avx512", "avx512x8", "avx2", "avx2x4", "scalar"):
    le = np.zeros(N, np.float32)
    lt = np.zeros(N, np.float32)
    j.call(f"select_{name}", None, l, N, r, N, a, N, b, N, le, N, lt, N)
    bad_le = int(np.sum(le.view(np.uint32) != np.where(l <= r, a, b).view(np.uint32)))
    bad_lt = int(np.sum(lt.view(np.uint32) != np.where(l < r, a, b).view(np.uint32)))
    print(f"{name}: sle {bad_le} slt {bad_lt} wrong lanes of {N}")
