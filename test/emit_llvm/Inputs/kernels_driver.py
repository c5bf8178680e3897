"""Driver for kernels_exec.mlir (as test/emit_c's kernels_driver.c): the Q8_0 GEMV group
kernels (rp16 on avx512, rp8 on avx2) against a reference with the kernel's float steps,
acc = fma(float(dot), f32(scale_w) * d_x, acc), each step rounded exactly once (Fractions);
the 128-wide softmax against a float64 one."""

import sys
from fractions import Fraction

import numpy as np
from jit import load

ROWS, K = 64, 1024
NB = K // 32


def lcg_bytes(seed: int, n: int) -> tuple[list[int], int]:
    out = []
    for _ in range(n):
        seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append(max((seed >> 24) - 128, -127))
    return out, seed


def f32(x: Fraction) -> np.float32:
    """x rounded once to the nearest f32 (ties to even)."""
    c = np.float32(float(x))
    cands = [c, np.nextafter(c, np.float32(-np.inf)), np.nextafter(c, np.float32(np.inf))]
    return min(cands, key=lambda v: (abs(Fraction(float(v)) - x), int(v.view(np.uint32)) & 1))


seed = 7
wq_rows = np.zeros((ROWS, K), np.int8)
wd = np.zeros((ROWS, NB), np.float16)
for r in range(ROWS):
    vals, seed = lcg_bytes(seed, K)
    wq_rows[r] = vals
    wd[r] = [np.float16(np.float32(0.001) * np.float32(1 + (r * 7 + b * 3) % 17)) for b in range(NB)]
vals, seed = lcg_bytes(seed, K)
xq = np.array(vals, np.int8)
xq[0], xq[1] = 127, -127
xd = (np.float32(0.01) * np.arange(1, NB + 1, dtype=np.float32)).astype(np.float32)
xc = (-128 * xq.astype(np.int32).reshape(NB, 32).sum(axis=1)).astype(np.int32)
dots = (wq_rows.astype(np.int32).reshape(ROWS, NB, 32) * xq.astype(np.int32).reshape(NB, 32)).sum(axis=2)
scale = (wd.astype(np.float32) * xd).astype(np.float32)
ref = np.zeros(ROWS, np.float32)
for r in range(ROWS):
    acc = np.float32(0.0)
    for b in range(NB):
        acc = f32(Fraction(float(np.float32(dots[r, b]))) * Fraction(float(scale[r, b])) + Fraction(float(acc)))
    ref[r] = acc


def pack(R: int) -> tuple[np.ndarray, np.ndarray]:
    """wq[((g * NB + b) * 8 + s)][4R]: byte 4r + kk = q ^ 0x80; scales[(g * NB + b) * R + r]."""
    q = (wq_rows.view(np.uint8) ^ 0x80).reshape(ROWS // R, R, NB, 8, 4)
    packed = np.ascontiguousarray(q.transpose(0, 2, 3, 1, 4)).reshape(-1).view(np.int8)
    scales = np.ascontiguousarray(wd.reshape(ROWS // R, R, NB).transpose(0, 2, 1)).reshape(-1)
    return packed, scales


j = load(sys.argv[1])
for name, R, isa in (("gemv_q8_0_rp16_group", 16, "rp16 avx512"), ("gemv_q8_0_rp8_group", 8, "rp8 avx2")):
    packed, scales = pack(R)
    y = np.zeros(ROWS, np.float32)
    for g in range(ROWS // R):
        j.call(name, None, packed, ROWS // R * NB * 8, scales, ROWS // R * NB, xq, xd, xc, y, ROWS, g)
    exact = int(np.sum(y.view(np.uint32) == ref.view(np.uint32)))
    print(f"gemv {isa}: {ROWS} rows, bit-exact: {exact}, y[0]={y[0]:.6g} y[63]={y[63]:.6g}")
i = np.arange(128, dtype=np.float32)
s0 = (np.float32(8.0) * np.sin(np.float32(0.3) * i) - np.float32(0.01) * i).astype(np.float32)
sref = np.exp(s0.astype(np.float64) - s0.max())
sref /= sref.sum()
for name, isa in (("softmax_128", "avx2"), ("softmax_128_avx512", "avx512")):
    s = s0.copy()
    j.call(name, None, s)
    worst = float(np.max(np.abs(s - sref) / sref))
    print(f"softmax {isa}: sum={float(np.sum(s.astype(np.float64))):.6f} max rel err vs expf reference < 1e-6: "
          f"{'yes' if worst < 1e-6 else 'NO'}")
