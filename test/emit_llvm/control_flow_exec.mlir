// Runs test/emit_c/control_flow.mlir's functions through the llvm target (loop-carried values
// as phis, swaps, nested ifs with results, i32 loops with a runtime step), JIT-compiled and
// called from Python; the lines test/emit_c/control_flow_exec.mlir checks.
// RUN: ck-translate %S/../emit_c/control_flow.mlir -t llvm -o %t.ll
// RUN: %python %S/Inputs/control_flow_driver.py %t.ll | filecheck %S/../emit_c/control_flow_exec.mlir
