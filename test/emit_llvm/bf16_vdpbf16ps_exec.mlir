// simd.dot_bf16 with `avx512bf16=true` (ck/build.py's -mavx512bf16 on CPUs that have it):
// vdpbf16ps and the +avx512bf16 feature, with the same results as the FMA form
// (bf16_exec.mlir) on test/emit_c/bf16_exec.mlir's lanes.
// REQUIRES: host-avx512bf16
// RUN: ck-translate %S/../emit_c/bf16_exec.mlir -t 'llvm{avx512bf16=true}' -o %t.ll
// RUN: filecheck %s < %t.ll
// RUN: %python %S/Inputs/bf16_driver.py %t.ll | filecheck %S/../emit_c/bf16_exec.mlir

// CHECK:      bitcast <32 x i16> %{{.*}} to <32 x bfloat>
// CHECK:      call <16 x float> @llvm.x86.avx512bf16.dpbf16ps.512(<16 x float>
// CHECK:      "target-features"="+avx512f,+avx512bw,+avx512vl,+avx512vnni,+fma,+f16c,+avx512bf16"
