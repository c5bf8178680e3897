// Runs test/emit_c/bf16_exec.mlir through the llvm target: simd.pack_bf16 and simd.dot_bf16
// lane by lane, as the C build without AVX512-BF16 compiles them (the FMA sequence);
// bf16_vdpbf16ps_exec.mlir runs the vdpbf16ps form.
// REQUIRES: host-avx512
// RUN: ck-translate %S/../emit_c/bf16_exec.mlir -t llvm -o %t.ll
// RUN: filecheck %s < %t.ll
// RUN: %python %S/Inputs/bf16_driver.py %t.ll | filecheck %S/../emit_c/bf16_exec.mlir

// CHECK-NOT:  dpbf16ps
// CHECK:      call <16 x float> @llvm.fma.v16f32
// CHECK:      "target-features"="+avx512f,+avx512bw,+avx512vl,+avx512vnni,+fma,+f16c"
