"""Driver for sqrt_exec.mlir (as test/emit_c's sqrt_driver.c): each JIT-compiled
sqrt_<isa>(x, x_d0, y, y_d0) against numpy's correctly rounded f32 sqrt, bit for bit."""

import sys

import numpy as np
from jit import cfmt, load

N, NS = 1 << 20, 16
i = np.arange(N - NS, dtype=np.uint64)
bits = (((i // 2) * 0x80000000) // ((N - NS) // 2)) | np.where(i & 1, 0x80000000, 0).astype(np.uint64)
x = np.zeros(N, np.float32)
x[: N - NS] = bits.astype(np.uint32).view(np.float32)
x[N - NS :] = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1.0, 2.0, 4.0, 0.25, 1e-45, 1.17549435e-38,
                        3.40282347e38, 1e-8, 0.999, 1e8], np.float32)
with np.errstate(invalid="ignore"):
    want = np.sqrt(x)
labels = ["0", "-0", "inf", "-inf", "nan", "-1", "1", "2", "4", "0.25"]
j = load(sys.argv[1])
for name in ("avx512", "avx512x4", "avx2", "scalar"):
    y = np.zeros(N, np.float32)
    j.call(f"sqrt_{name}", None, x, N, y, N)
    wrong = int(np.sum(np.where(np.isnan(want), ~np.isnan(y), want.view(np.uint32) != y.view(np.uint32))))
    print(f"{name}: {wrong} of {N} differ from sqrtf;" + "".join(f" sqrt({lab})={cfmt('%g', y[N - NS + s])}"
                                                                 for s, lab in enumerate(labels)))
