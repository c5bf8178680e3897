// Runs test/emit_c/convert_exec.mlir through the llvm target: JIT-compiled with llvmlite (host
// CPU, -O3) and called from a Python driver, which prints the lines the C exec test checks.
// REQUIRES: host-avx512
// RUN: ck-translate %S/../emit_c/convert_exec.mlir -t llvm -o %t.ll
// RUN: %python %S/Inputs/convert_driver.py %t.ll | filecheck %S/../emit_c/convert_exec.mlir
