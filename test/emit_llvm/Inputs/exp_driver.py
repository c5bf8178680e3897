"""Driver for exp_exec.mlir (as test/emit_c's exp_driver.c): each JIT-compiled
exp_<isa>(x, x_d0, y, y_d0) against e^x correctly rounded to f32 (libm's expf is within
an ulp of it)."""

import sys

import numpy as np
from jit import cfmt, load

N, NS = 1 << 21, 16
x = np.empty(N, np.float32)
x[: N // 2] = np.float32(-87.0) + np.float32(175.0) * (np.arange(N // 2, dtype=np.float32) / np.float32(N // 2 - 1))
x[N // 2 : 3 * N // 4] = (np.uint32(0x3F317000) + np.arange(N // 4, dtype=np.uint32)).view(np.float32)
tiny = (np.uint32(0x33000000) + 7 * np.arange(N - NS - 3 * N // 4, dtype=np.uint32)).view(np.float32).copy()
tiny[(np.arange(3 * N // 4, N - NS) & 1) == 1] *= -1
x[3 * N // 4 : N - NS] = tiny
special = [-np.inf, np.inf, np.nan, 0.0, -0.0, 89.0, 88.7, -100.0, -104.0, -87.0, 88.0, 1.0, -1.0, 0.5, 10.0, -10.0]
x[N - NS :] = np.array(special, np.float32)
j = load(sys.argv[1])
ref = np.exp(x[: N - NS].astype(np.float64)).astype(np.float32).astype(np.float64)
outs = []
labels = ["-inf", "inf", "nan", "0", "-0", "89", "88.7", "-100", "-104"]
for name in ("avx512", "avx512x4", "avx2", "scalar"):
    y = np.zeros(N, np.float32)
    j.call(f"exp_{name}", None, x, N, y, N)
    outs.append(y)
    worst = float(np.max(np.abs(y[: N - NS] - ref) / ref))
    print(f"{name}: max rel err vs expf over [-87, 88] below 2e-7: {'yes' if worst < 2e-7 else f'NO ({worst:.3g})'}")
    print(f"{name}:" + "".join(f" exp({lab})={cfmt('%.9g', y[N - NS + s])}" for s, lab in enumerate(labels)))
same = all(np.array_equal(outs[0].view(np.uint32), o.view(np.uint32)) for o in outs[1:])
print(f"bit-identical across ISAs: {'yes' if same else 'NO'}")
