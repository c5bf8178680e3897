"""Driver for dot_i8_exec.mlir (as test/emit_c's dot_i8_driver.c): each JIT-compiled
dot_i8_<isa>(acc, acc_d0, a, a_d0, b, b_d0, out, out_d0) against a numpy reference
(acc + sum of zext(a) * sext(b) over each lane's 4 bytes, wrapping)."""

import sys

import numpy as np
from jit import load

N = 1024
ua = [0, 1, 2, 127, 128, 129, 200, 254, 255]
sb = [-128, -127, -1, 0, 1, 2, 100, 126, 127]
sacc = [0, 1, -1, 123456, 2**31 - 1, -(2**31), 2**31 - 1 - 1000, -(2**31) + 1000]
acc = np.array([sacc[j % 8] for j in range(N)], np.int32)
a = np.zeros(4 * N, np.uint8)
b = np.zeros(4 * N, np.int8)
seed = 12345
for i in range(4 * N):
    seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
    a[i] = ua[(seed >> 8) % 9]
    b[i] = sb[(seed >> 16) % 9]
for lane, (c, av, bv) in enumerate([(0, 255, -128), (0, 255, 127), (2**31 - 1, 255, 127), (-(2**31), 255, -128)]):
    acc[lane], a[4 * lane : 4 * lane + 4], b[4 * lane : 4 * lane + 4] = c, av, bv
prods = (a.astype(np.int64) * b.astype(np.int64)).reshape(N, 4).sum(axis=1)
ref = ((acc.astype(np.int64) + prods + 2**31) % 2**32 - 2**31).astype(np.int32)
j = load(sys.argv[1])
for isa in sys.argv[2:] or ["avx512", "avx2", "scalar"]:
    out = np.full(N, 0x5A5A5A5A, np.int32)
    j.call(f"dot_i8_{isa}", None, acc, N, a.view(np.int8), 4 * N, b, 4 * N, out, N)
    print(f"{isa}: lane0={out[0]} lane1={out[1]} lane2={out[2]} lane3={out[3]} "
          f"mismatches={int(np.sum(out != ref))} of {N}")
