"""Driver for convert_exec.mlir (as test/emit_c's convert_driver.c): each JIT-compiled
cvt_<isa>(h, hf, hh, b, bf, bb, f, fh, fb, fq, fi, fif, q, qf) lane by lane against numpy
references: every f16 / bf16 bit pattern widened and round-tripped, 65536 f32 inputs narrowed
(f16: numpy's nearest-even rounding; bf16, i8, i32 as the C driver's ref_* functions)."""

import sys

import numpy as np
from jit import load

N = 65536
u16 = np.arange(N, dtype=np.uint32).astype(np.uint16)
h = u16.view(np.float16)
b = u16.copy()
q = (np.arange(N) & 255).astype(np.uint8).view(np.int8)
f = np.zeros(N, np.float32)
seed = 2024
rs = np.zeros(N, np.uint32)
for i in range(N):
    seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
    rs[i] = seed
kind = np.arange(N) & 3
f[kind == 0] = rs[kind == 0].view(np.float32)
f[kind == 1] = ((rs[kind == 1] & 0xFFFF0000) | 0x8000).view(np.float32)
r2 = rs[kind == 2]
f[kind == 2] = ((r2 & 0x807FE000) | ((((r2 >> 8) % 40) + 100) << 23) | 0x1000).astype(np.uint32).view(np.float32)
f[kind == 3] = rs[kind == 3].view(np.int32).astype(np.float32) / np.float32(16777216.0) * np.float32(300.0)
special = [2.5, -2.5, 3.5, 127.5, -128.5, 1e10, np.nan, -3.5, 3e9, 1.00390625, 1.01171875, -0.0, np.inf, -np.inf,
           65520.0, 65519.0, 5.96e-8, 2.98e-8, 1e-40, -1e-45, 2147483520.0, -2147483648.0, 2147483648.0,
           -2147483904.0]
f[: len(special)] = np.array(special, np.float32)


def hnan(u: np.ndarray) -> np.ndarray:
    return ((u & 0x7C00) == 0x7C00) & ((u & 0x3FF) != 0)


def bnan(u: np.ndarray) -> np.ndarray:
    return ((u & 0x7F80) == 0x7F80) & ((u & 0x7F) != 0)


fu = f.view(np.uint32).astype(np.uint64)
ref_bf16 = ((fu + 0x7FFF + ((fu >> 16) & 1)) >> 16).astype(np.uint16)
with np.errstate(invalid="ignore", over="ignore"):
    ref_i8 = np.where(np.isnan(f), -128, np.clip(np.rint(np.nan_to_num(f)), -128, 127)).astype(np.int8)
    inrange = (f >= np.float32(-2147483648.0)) & (f < np.float32(2147483648.0))
    ref_i32 = np.where(inrange, np.rint(np.where(inrange, f, 0)).astype(np.int64), -(2**31)).astype(np.int32)
    ref_fh = f.astype(np.float16).view(np.uint16)
hf_ref = h.astype(np.float32)
j = load(sys.argv[1])
for name in ("avx512", "avx512x4", "avx2", "scalar"):
    hf = np.full(N, np.nan, np.float32)
    bf = np.full(N, np.nan, np.float32)
    hh, fh = np.zeros(N, np.float16), np.zeros(N, np.float16)
    bb, fb = np.zeros(N, np.uint16), np.zeros(N, np.uint16)
    fq, qf = np.zeros(N, np.int8), np.zeros(N, np.float32)
    fi, fif = np.zeros(N, np.int32), np.zeros(N, np.float32)
    j.call(f"cvt_{name}", None, h, hf, hh, b, bf, bb, f, fh, fb, fq, fi, fif, q, qf)
    hu = u16
    bad = [
        np.where(hnan(hu), ~np.isnan(hf), hf.view(np.uint32) != hf_ref.view(np.uint32)),
        np.where(hnan(hu), ~hnan(hh.view(np.uint16)), hh.view(np.uint16) != hu),
        bf.view(np.uint32) != (hu.astype(np.uint32) << 16),
        np.where(bnan(hu), ~bnan(bb), bb != hu),
        np.where(np.isnan(f), ~hnan(fh.view(np.uint16)), fh.view(np.uint16) != ref_fh),
        np.where(np.isnan(f), ~bnan(fb), fb != ref_bf16),
        fq != ref_i8,
        fi != ref_i32,
        fif.view(np.uint32) != fi.astype(np.float32).view(np.uint32),
        qf.view(np.uint32) != q.astype(np.float32).view(np.uint32),
    ]
    n = [int(np.sum(x)) for x in bad]
    print(f"{name}: f16->f32 {n[0]} f16 round trip {n[1]} bf16->f32 {n[2]} bf16 round trip {n[3]} f32->f16 {n[4]} "
          f"f32->bf16 {n[5]} f32->i8 {n[6]} f32->i32 {n[7]} i32->f32 {n[8]} i8->f32 {n[9]} bad lanes")
    print(f"{name}: 2.5->{fq[0]} -2.5->{fq[1]} 3.5->{fq[2]} 127.5->{fq[3]} -128.5->{fq[4]} 1e10->{fq[5]} "
          f"nan->{fq[6]} | i32: 2.5->{fi[0]} -3.5->{fi[7]} nan->{fi[6]} 3e9->{fi[8]} | "
          f"bf16(1+2^-8)=0x{fb[9]:04X} bf16(1+3*2^-8)=0x{fb[10]:04X}")
