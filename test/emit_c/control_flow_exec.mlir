// Runs control_flow.mlir's functions: loop-carried values with swaps, nested
// ifs with results, i32 loops with a runtime step, stores in nested loops.
// RUN: ck-translate %S/control_flow.mlir -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/control_flow_driver.c -o %t.exe
// RUN: %t.exe | filecheck %s

// CHECK:      fib: 0 1 1 2 3 5 8 13 21 34 55
// CHECK-NEXT: swap_keep: n=0 -> -3 n=1 -> 7 n=2 -> 7 n=3 -> -3 n=4 -> -3
// CHECK-NEXT: branches: total=24 m= 0 0 4 6 10 12 40
// CHECK-NEXT: nest: n=10 step=3 -> 4.0 everywhere: yes
