// Each simd op on #simd.isa<avx2> (test/emit_c/simd_avx2.mlir's functions): ymm-wide generic
// vector ops, dot_i8 as its exact widening sum (no VNNI in the C build's avx2 flags, and
// never vpmaddubsw, which saturates), the C build's -mavx2 -mfma -mf16c as target features.
// RUN: ck-translate %S/../emit_c/simd_avx2.mlir -t llvm | filecheck %s
// RUN: ck-translate %S/../emit_c/simd_avx2.mlir -t llvm | %python %S/Inputs/jit.py -

// CHECK-LABEL: define i32 @kernel(ptr %p, i64 %p_d0, ptr %ip, i64 %ip_d0, ptr %w, i64 %w_d0, ptr %xq, i64 %xq_d0, i64 %i, float %s) #{{[0-9]+}} {
// CHECK:        %f = call <8 x float> @ck.exp.avx2.v8f32(<8 x float> %e)
// CHECK-NOT:    vpdpbusd
// CHECK:        %au = zext <32 x i8> %wv to <32 x i32>
// CHECK-NEXT:   %bs = sext <32 x i8> %xb to <32 x i32>
// CHECK-NEXT:   %prod = mul <32 x i32> %au, %bs
// CHECK-NEXT:   %pk = shufflevector <32 x i32> %prod, <32 x i32> poison, <8 x i32> <i32 0, i32 4, i32 8,
// CHECK-LABEL: define void @converts(<8 x half> %h, <8 x i16> %b, <8 x i8> %q, <8 x float> %v, ptr %out)
// CHECK:        %hf = fpext <8 x half> %h to <8 x float>
// CHECK:        %vh = fptrunc <8 x float> %v to <8 x half>
// CHECK:      attributes #{{[0-9]+}} = { nounwind "target-cpu"="x86-64" "tune-cpu"="generic" "target-features"="+avx2,+fma,+f16c" }
