// A pass that fails under ck-opt prints one line naming the input, the pass and the reason
// (a PassFailedException's message, or where an assertion failed; an output target alike), with no Python
// traceback unless --verbose, and exits with 1; ck-opt --help lists ck's passes and options.
// RUN: not ck-opt %s -p 'choose-schedules{isa="avx2" dot="bf16"}' 2>&1 | filecheck %s --check-prefix=FAILED
// RUN: not ck-opt %s -p 'plan-memory{context_len=8 max_tokens=2}' 2>&1 | filecheck %s --check-prefix=ASSERT
// RUN: not ck-opt %s -p 'choose-schedules{isa="avx2" dot="bf16"}' --verbose 2>&1 | filecheck %s --check-prefix=VERBOSE
// RUN: not ck-opt %s -t c 2>&1 | filecheck %s --check-prefix=TARGET
// RUN: ck-opt --help | filecheck %s --check-prefix=HELP

func.func @gradients(%dy: memref<64x32xf32>, %w: memref<32x128xf32>, %dx: memref<64x128xf32>, %tid: index, %nth: index) {
  kernel.matmul_dx ins(%dy, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%dx : memref<64x128xf32>) {schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1, dot = bf16>}
  func.return
}

// FAILED: ck-opt: {{.*}}pass_failure.mlir: pass 'choose-schedules' failed: choose-schedules: dot=bf16 needs isa avx512 (vdpbf16ps), got 'avx2'
// FAILED-NOT: Traceback
// ASSERT: ck-opt: {{.*}}pass_failure.mlir: pass 'plan-memory' failed: AssertionError at {{.*}}plan_memory.py:{{[0-9]+}}
// ASSERT-NOT: Traceback
// VERBOSE: Traceback (most recent call last):
// VERBOSE: PassFailedException: choose-schedules: dot=bf16 needs isa avx512
// TARGET: ck-opt: {{.*}}pass_failure.mlir: target 'c' failed: C target: no C lowering for 'kernel.matmul_dx'
// TARGET-NOT: Traceback
// HELP: ck passes (-p 'name{option=value ...}', comma-separated):
// HELP: choose-schedules{isa="avx512" dot="f32"}
// HELP-NEXT: give every matmul the loop-nest schedule the kernel registry's cost model picks for it
// HELP: plan-memory{context_len=4096 max_tokens=64 kv_dtype="f32" slots=1}
