// Runs test/emit_c/memref_abi.mlir's functions through the llvm target, called through the
// memref ABI (pointer, then one i64 per dynamic size); the lines test/emit_c/memref_exec.mlir checks.
// RUN: ck-translate %S/../emit_c/memref_abi.mlir -t llvm -o %t.ll
// RUN: %python %S/Inputs/memref_driver.py %t.ll | filecheck %S/../emit_c/memref_exec.mlir
