// Names and ISAs as the C target has them: exported and runtime functions keep their symbols
// (the runtime calls ck_decode & co.; ck_barrier & co. are declarations resolved from
// runtime_c), private functions are `internal` with C's sanitized names; a function's ISA is
// its own simd.isa, else the enclosing op's, else the `isa` option, and sets its target attributes.
// RUN: ck-translate %S/../emit_c/calls_names.mlir -t llvm | filecheck %s
// RUN: ck-translate %S/../emit_c/calls_names.mlir -t llvm | %python %S/Inputs/jit.py - | filecheck %s --check-prefix=JIT
// RUN: ck-translate %S/../emit_c/isa_selection.mlir -t llvm | filecheck %s --check-prefix=ISA
// RUN: ck-translate %S/../emit_c/Inputs/no_isa.mlir -t 'llvm{isa=avx2}' | filecheck %s --check-prefix=OPT

// CHECK:      ; Functions: step [scalar], helper, unused_helper, f_inner.
// CHECK:      define float @step(ptr %x, i64 %x_d0, i32 %int, float %ck_tmp)
// CHECK:        call void @ck_barrier(i64
// CHECK:      define internal float @helper(float %a, float %b)
// CHECK:      define internal void @f_inner(i32 %u)
// CHECK-DAG:  declare i32 @ck_thread_id()
// CHECK-DAG:  declare void @ck_barrier(i64)
// CHECK-DAG:  declare void @ck_trace(ptr, i64, i32)
// JIT:        step

// ISA:        ; Functions: from_module [avx2], own_attr [avx512].
// ISA:        define float @from_module(ptr %p) #[[AVX2:[0-9]+]] {
// ISA:        define float @own_attr(ptr %p) #[[AVX512:[0-9]+]] {
// ISA:        attributes #[[AVX2]] = { nounwind "target-cpu"="x86-64" "tune-cpu"="generic" "target-features"="+avx2,+fma,+f16c" }
// ISA:        attributes #[[AVX512]] = { nounwind "target-cpu"="x86-64" "tune-cpu"="generic" "target-features"="+avx512f,+avx512bw,+avx512vl,+avx512vnni,+fma,+f16c" }

// OPT:        "target-features"="+avx2,+fma,+f16c"
