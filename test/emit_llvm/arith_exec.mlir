// Runs test/emit_c/arith_exec.mlir through the llvm target: JIT-compiled with llvmlite (host
// CPU, -O3) and called from a Python driver, which prints the lines the C exec test checks.
// (scalar functions only: runs on any host)
// RUN: ck-translate %S/../emit_c/arith_exec.mlir -t llvm -o %t.ll
// RUN: %python %S/Inputs/arith_driver.py %t.ll | filecheck %S/../emit_c/arith_exec.mlir
