"""Driver for shapes_exec.mlir (as test/emit_c's shapes_driver.c): simd.reduce in the pairwise
tree order (checked bit for bit against a numpy tree), group broadcasts, sub-register vectors
and dense vector constants, JIT-compiled on avx512, avx2 and scalar."""

import sys

import numpy as np
from jit import cfmt, load


def tree(x: np.ndarray, n: int) -> np.float32:
    """The order simd.reduce documents: lane i += lane i + n/2 while n halves."""
    t = x[:n].astype(np.float32).copy()
    w = n // 2
    while w >= 1:
        t[:w] = t[:w] + t[w : 2 * w]
        w //= 2
    return t[0]


def same(a: np.float32, b: np.float32) -> str:
    return "tree" if np.float32(a).view(np.uint32) == np.float32(b).view(np.uint32) else "WRONG"


def ok(c: bool) -> str:
    return "ok" if c else "WRONG"


def iadd(x: np.ndarray, n: int) -> int:
    return int(((int(np.sum(x[:n].astype(np.int64))) + 2**31) % 2**32) - 2**31)


x = np.array([1e8, 3.0, -1e8, 0.3, 7.5, -2.25, 1e-3, 4e7, -4e7, 1.7, 0.1, 9.0, 5e6, -3.0, 11.0, -5e6], np.float32)
xi = np.array([2**31 - 1, 1, 2, 3, -7, 100, -(2**31), 5, 6, -6, 9, 10, 11, -12, 13, -14], np.int32)
j = load(sys.argv[1])
out, outi = np.zeros(8, np.float32), np.zeros(8, np.int32)
j.call("red_avx512", None, x, xi, out, outi)
print(f"reduce avx512: add16 {same(out[0], tree(x, 16))} add8 {same(out[2], tree(x, 8))} add4 {same(out[3], tree(x, 4))} "
      f"add2 {same(out[4], tree(x, 2))} add1 {same(out[5], x[0])} max16 {ok(out[1] == np.float32(1e8))} | "
      f"i32 add16 {outi[0]} max16 {outi[1]} add8 {ok(outi[2] == iadd(xi, 8))} add4 {ok(outi[3] == iadd(xi, 4))} "
      f"max2 {ok(outi[4] == xi[:2].max())}")
j.call("red_avx2", None, x, xi, out, outi)
print(f"reduce avx2: add8 {same(out[0], tree(x, 8))} add4 {same(out[2], tree(x, 4))} add2 {same(out[3], tree(x, 2))} "
      f"max8 {ok(out[1] == np.float32(1e8))} | i32 add8 {ok(outi[0] == iadd(xi, 8))} max8 {ok(outi[1] == xi[:8].max())} "
      f"add4 {ok(outi[2] == iadd(xi, 4))}")
j.call("red_scalar", None, x, xi, out, outi)
print(f"reduce scalar: add1 {same(out[0], x[0])} max1 {ok(out[1] == x[0])} | i32 add1 {ok(outi[0] == xi[0])}")
seq = np.float32(0.0)
for v in x:
    seq = np.float32(seq + v)
print(f"tree order differs from a left-to-right sum: {'yes' if seq != tree(x, 16) else 'no'}")

q = ((np.arange(64) * 37 - 100) & 0xFF).astype(np.uint8).view(np.int8)
f = (np.arange(16, dtype=np.float32) + np.float32(0.5)).astype(np.float32)
ig, fg = (4, 8, 2, 16), (2, 4, 8, 1)
for isa in ("avx512", "avx2"):
    nb, nf = (32, 8) if isa == "avx2" else (64, 16)
    oq, of = np.zeros((4, 64), np.int8), np.zeros((4, 16), np.float32)
    j.call(f"bcast_{isa}", None, q, f, oq, of)
    good_i = good_f = True
    for r in range(4):
        good_i &= all(oq[r][i] == (q[i % ig[r]] if i < nb else 0) for i in range(64))
        if isa == "avx2" and r == 2:
            continue  # avx2 has no 8-float group into 8 lanes
        good_f &= all(of[r][i] == (f[i % fg[r]] if i < nf else 0.0) for i in range(16))
    print(f"broadcast {isa}: i8 groups 4 8 2 16 {ok(good_i)}, f32 groups {'2 4 1' if isa == 'avx2' else '2 4 8 1'} "
          f"{ok(good_f)}")
oq = np.zeros((4, 64), np.int8)
j.call("bcast_scalar", None, q, oq, (__import__("ctypes").c_int8, -7))
good = all(oq[0][i] == q[i % 2] and oq[1][i] == q[0] for i in range(4))
print(f"broadcast scalar: i8 groups 2 1 {ok(good)}, scalar i8 {ok(oq[2][0] == -7 and oq[2][3] == -7 and oq[0][4] == 0)}")

o, oi, oh = np.zeros(16, np.float32), np.zeros(16, np.int32), np.zeros(16, np.float16)
j.call("const_avx512", None, o, oi, oh)
hb = oh.view(np.uint16)
print(f"constants avx512: {cfmt('%g', o[0])} {cfmt('%g', o[1])} {cfmt('%g', o[2])} {cfmt('%g', o[15])} | "
      f"i32 {oi[0]} {oi[1]} {oi[15]} | f16 0x{hb[0]:04X} 0x{hb[15]:04X}")
j.call("const_avx2", None, o, oi)
print(f"constants avx2: {cfmt('%g', o[0])} {cfmt('%g', o[1])} {cfmt('%g', o[2])} {cfmt('%g', o[7])} | "
      f"i32 {oi[0]} {oi[1]} {oi[7]}")
c4 = np.zeros(4, np.int8)
j.call("const_scalar", None, o, c4)
print(f"constants scalar: {cfmt('%g', o[0])} | i8 {c4[0]} {c4[1]} {c4[2]} {c4[3]}")
