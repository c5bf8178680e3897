// Each simd op on #simd.isa<scalar> (test/emit_c/simd_scalar.mlir's functions): 1-lane
// vectors (<1 x float>) and the 4 bytes of a dot_i8 step (<4 x i8>), the same generic ops
// as the wider ISAs, exp through the same helper; no target attributes (portable code, as
// the C build's scalar functions get no -m flags) and no fast-math flags.
// RUN: ck-translate %S/../emit_c/simd_scalar.mlir -t llvm | filecheck %s
// RUN: ck-translate %S/../emit_c/simd_scalar.mlir -t llvm | %python %S/Inputs/jit.py -

// CHECK-LABEL: define float @lanes(ptr %p, i64 %p_d0, ptr %ip, i64 %ip_d0, ptr %q, i64 %q_d0, i64 %i, float %s, i32 %k) #{{[0-9]+}} {
// CHECK:        %x = load <1 x float>, ptr %{{.*}}, align 4
// CHECK:        %y = insertelement <1 x float> poison, float %s, i64 0
// CHECK-NOT:    shufflevector <1 x float> %y
// CHECK:        fadd <1 x float>
// CHECK-NOT:    contract
// CHECK:        call <1 x float> @ck.exp.scalar.v1f32(
// CHECK:        zext <4 x i8> %{{.*}} to <4 x i32>
// CHECK-LABEL: define float @converts(
// CHECK:        fpext <1 x half> %h to <1 x float>
// CHECK-LABEL: define internal <1 x float> @ck.exp.scalar.v1f32(<1 x float> %x) #{{[0-9]+}} {
// CHECK-DAG:  attributes #{{[0-9]+}} = { alwaysinline nounwind }
// CHECK-DAG:  attributes #{{[0-9]+}} = { nounwind }
