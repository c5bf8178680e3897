"""Driver for control_flow_exec.mlir (as test/emit_c's control_flow_driver.c), with the
functions of test/emit_c/control_flow.mlir JIT-compiled."""

import ctypes
import sys

import numpy as np
from jit import load

j = load(sys.argv[1])
print("fib:" + "".join(f" {j.call('fib', ctypes.c_int64, i)}" for i in range(11)))
print("swap_keep:" + "".join(f" n={n} -> {j.call('swap_keep', ctypes.c_float, n, 1.0, 6.0, 2.0):g}"
                             for n in range(5)))
m = np.array([-5, 0, 2, 3, 5, 6, 20], np.int32)
total = j.call("branches", ctypes.c_int32, m, 7, (ctypes.c_int32, 1), (ctypes.c_int32, 6))
print(f"branches: total={total} m=" + "".join(f" {v}" for v in m))
out = np.zeros(64, np.float32)
j.call("nest", None, (ctypes.c_int32, 10), (ctypes.c_int32, 3), out)
print(f"nest: n=10 step=3 -> {out[0]:.1f} everywhere: {'yes' if np.all(out == 4.0) else 'no'}")
