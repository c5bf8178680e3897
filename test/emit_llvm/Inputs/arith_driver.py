"""Driver for arith_exec.mlir (as test/emit_c's arith_driver.c): scalar arith semantics of the
JIT-compiled functions, printed as the C driver prints them (the expected values are the
C exec test's CHECK lines)."""

import ctypes as C
import sys

import numpy as np
from jit import cfmt, load

j = load(sys.argv[1])
i32, i64 = C.c_int32, C.c_int64


def I32(v: int) -> tuple[object, int]:
    return (i32, v)


print(f"add_wrap(2147483647, 1) = {j.call('add_wrap', i32, I32(2**31 - 1), I32(1))}")
print(f"mul_wrap64(4611686018427387904, 4) = {j.call('mul_wrap64', i64, 4611686018427387904, 4)}")
fd = [j.call("floordiv", i32, I32(a), I32(b)) for a, b in ((-7, 2), (7, -2), (7, 2), (-8, 2))]
print(f"floordiv: -7/2={fd[0]} 7/-2={fd[1]} 7/2={fd[2]} -8/2={fd[3]}")
cd = [j.call("ceildiv", i64, a, b) for a, b in ((-7, 2), (7, 2), (7, -2), (8, 2))]
print(f"ceildiv: -7/2={cd[0]} 7/2={cd[1]} 7/-2={cd[2]} 8/2={cd[3]}")
u = np.zeros(6, np.int32)
j.call("unsigned_ops", None, I32(-1), u)
print(f"divui(-1, 2) = {u[0]} remui(-1, 10) = {u[1]} shrui(-1, 28) = {u[2]} shrsi(-16, 2) = {u[3]} "
      f"minui(-1, 1) = {u[4]} maxui(-1, 1) = {u[5]}")
s = np.zeros(4, np.int32)
j.call("small_ints", None, (C.c_int8, -127), 0x1234567890, s)
print(f"shli(i8 -127 << 1) = {s[0]} extsi(i8 -1) = {s[1]} extui(i8 -1) = {s[2]} "
      f"trunci(0x1234567890) = 0x{int(s[3]) & 0xFFFFFFFF:X}")
bo = np.zeros(4, np.int32)
j.call("bools", None, bo)
print(f"i1: extui(true) = {bo[0]} extsi(true) = {bo[1]} cmpi slt(true, false) = {bo[2]} cmpi ult(true, false) = {bo[3]}")
for a, b in ((np.nan, 1.0), (2.0, 1.0), (1.0, 1.0), (-np.inf, np.inf)):
    c = np.zeros(16, np.int8)
    j.call("cmpf_all", None, a, b, c)
    print(f"cmpf({cfmt('%g', a)}, {cfmt('%g', b)}) = " + "".join(str(int(x)) for x in c))


def mm(a: float, b: float, which: bool) -> float:
    return j.call("maxmin", C.c_float, a, b, which)


print(f"maximumf(nan, 1) = {cfmt('%g', abs(mm(np.nan, 1.0, True)))} minimumf(1, nan) = "
      f"{cfmt('%g', abs(mm(1.0, np.nan, False)))} maximumf(-0, 0) = {cfmt('%g', mm(-0.0, 0.0, True))} "
      f"minimumf(0, -0) = {cfmt('%g', mm(0.0, -0.0, False))} maximumf(-3, 2) = {cfmt('%g', mm(-3.0, 2.0, True))}")
u16 = C.c_uint16


def rnd(x: float) -> int:
    return j.call("bf16_round", u16, x)


one = rnd(1.0)
mul_ok = j.call("bf16_mul", u16, (u16, one), (u16, one)) == 0x3F80
print(f"bf16: 1.00390625 * 1 -> 0x{rnd(1.00390625) if mul_ok else 0xDEAD:04X}, 1.01171875 -> 0x{rnd(1.01171875):04X}, "
      f"-x -> 0x{j.call('bf16_neg', u16, (u16, rnd(1.01171875))):04X}")
o = np.zeros(5, np.float32)
bits = np.zeros(1, np.int32)
j.call("casts", None, I32(-1), -2.75, o, bits)
print(f"casts: sitofp(-1) = {cfmt('%g', o[0])} uitofp(-1) = {cfmt('%.0f', o[1])} fptosi(-2.75) = {cfmt('%g', o[2])} "
      f"bitcast(1.0) = 0x{int(bits[0]) & 0xFFFFFFFF:08X} f16(0.1) = {cfmt('%.9g', o[3])}")
sel = [j.call("select_index", i64, p, x) for p, x in ((True, 0), (False, 0), (True, 35))]
print(f"select/index: {sel[0]} {sel[1]} {sel[2]}")
