"""Driver for bf16_exec.mlir (as test/emit_c's bf16_driver.c): pack(even, odd, out) against
numpy's nearest-even bf16 rounding (NaN quieted), dot(acc, a, b, out) against
(acc + a1 b1) + a0 b0 in f32 (each bf16 product exact)."""

import sys

import numpy as np
from jit import load

N, M = 65536, 4096
state = 7


def nxt() -> int:
    global state
    state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
    return state


def to_bf16(f: np.ndarray) -> np.ndarray:
    u = f.view(np.uint32).astype(np.uint64)
    r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    return np.where(np.isnan(f), ((u >> 16) | 0x40).astype(np.uint16), r)


def widen(h: np.ndarray) -> np.ndarray:
    return (h.astype(np.uint32) << 16).view(np.float32)


bits = np.array([nxt() for _ in range(2 * N)], np.uint32)
even, odd = bits[0::2].view(np.float32).copy(), bits[1::2].view(np.float32).copy()
even[0], odd[0] = np.uint32(0x3F808000).view(np.float32), np.uint32(0x3F818000).view(np.float32)
even[1], odd[1], even[2] = np.nan, -np.inf, np.inf
odd[2] = np.uint32(0x7F800001).view(np.float32)  # a signalling NaN
j = load(sys.argv[1])
out = np.zeros(2 * N, np.uint16)
j.call("pack", None, even, N, odd, N, out, 2 * N)
wrong = int(np.sum((out[0::2] != to_bf16(even)) | (out[1::2] != to_bf16(odd))))
quiet = bool(out[2] & 0x40) and bool(out[5] & 0x40)
print(f"pack: {wrong} wrong of {N} (ties 0x3F808000->0x{out[0]:04X} 0x3F818000->0x{out[1]:04X}, "
      f"nan quiet {'yes' if quiet else 'no'})")
acc = np.zeros(M, np.float32)
a, b = np.zeros(2 * M, np.uint16), np.zeros(2 * M, np.uint16)
for i in range(M):
    acc[i] = (np.float32(nxt() >> 8) / np.float32(16777216.0) - np.float32(0.5)) * np.float32(8.0)
    for k in range(2):
        s = nxt()
        a[2 * i + k] = to_bf16(np.array([np.ldexp(np.float32(s >> 8) / np.float32(16777216.0) - np.float32(0.5),
                                                  s % 9 - 4)], np.float32))[0]
        s = nxt()
        b[2 * i + k] = to_bf16(np.array([np.ldexp(np.float32(s >> 8) / np.float32(16777216.0) - np.float32(0.5),
                                                  s % 9 - 4)], np.float32))[0]
got = np.zeros(M, np.float32)
j.call("dot", None, acc, M, a, 2 * M, b, 2 * M, got, M)
want = ((acc + widen(a[1::2]) * widen(b[1::2])) + widen(a[0::2]) * widen(b[0::2])).astype(np.float32)
print(f"dot: {int(np.sum(got.view(np.uint32) != want.view(np.uint32)))} wrong of {M}")
