// Each simd op on #simd.isa<avx512> (test/emit_c/simd_avx512.mlir's functions) as LLVM IR:
// generic vector ops where they are the C intrinsic's instruction (fadd, @llvm.fma, @llvm.smax,
// maxps as `ogt` + select, fpext for vcvtph2ps), vpdpbusd as the target intrinsic on every
// width, the reduction as the C prelude's pairwise tree of shufflevectors, exp as the ported
// helper, and the C build's -m flags as the functions' target features. It compiles at -O3.
// RUN: ck-translate %S/../emit_c/simd_avx512.mlir -t llvm | filecheck %s
// RUN: ck-translate %S/../emit_c/simd_avx512.mlir -t llvm | %python %S/Inputs/jit.py -
// RUN: ck-translate %S/../emit_c/simd_avx512.mlir -t 'llvm{fp_contract=true}' | filecheck %s --check-prefix=CONTRACT

// With fp_contract, f32 add/sub/mul of x86 functions may fuse (the exp helper's never do):
// CONTRACT:      %a = fadd contract <16 x float> %x, %y.1
// CONTRACT-NEXT: %b = fsub contract <16 x float> %a, %y.1
// CONTRACT-NEXT: %c = fmul contract <16 x float> %b, %x
// CONTRACT:      %rr = fmul <16 x float> %r, %r

// CHECK:      ; Functions: elementwise [avx512], reductions [avx512], dot_step [avx512], converts [avx512], narrow [avx512].
// CHECK-LABEL: define void @elementwise(ptr %p, i64 %p_d0, ptr %ip, i64 %ip_d0, i64 %i, float %s, i32 %k) #{{[0-9]+}} {
// CHECK:        %x = load <16 x float>, ptr %{{.*}}, align 4
// CHECK-NEXT:   %y = insertelement <16 x float> poison, float %s, i64 0
// CHECK-NEXT:   %y.1 = shufflevector <16 x float> %y, <16 x float> poison, <16 x i32> zeroinitializer
// CHECK-NEXT:   %a = fadd <16 x float> %x, %y.1
// CHECK-NEXT:   %b = fsub <16 x float> %a, %y.1
// CHECK-NEXT:   %c = fmul <16 x float> %b, %x
// CHECK-NEXT:   %gt = fcmp ogt <16 x float> %c, %x
// CHECK-NEXT:   %d = select <16 x i1> %gt, <16 x float> %c, <16 x float> %x
// CHECK-NEXT:   %e = call <16 x float> @llvm.fma.v16f32(<16 x float> %d, <16 x float> %x, <16 x float> %y.1)
// CHECK-NEXT:   %f = call <16 x float> @ck.exp.avx512.v16f32(<16 x float> %e)
// CHECK-NEXT:   %g = fdiv <16 x float> %f, %y.1
// CHECK:        store <16 x float> %g, ptr %{{.*}}, align 4
// CHECK:        %im = mul <16 x i32> %is, %iv
// CHECK-NEXT:   %ix = call <16 x i32> @llvm.smax.v16i32(<16 x i32> %im, <16 x i32> %iv)

// The f32 sum of 16 lanes: 8 + 8, 4 + 4, 2 + 2, 1 + 1 (lane i with lane i + n/2).
// CHECK-LABEL: define float @reductions(
// CHECK-NEXT:  entry:
// CHECK-NEXT:   %lo = shufflevector <16 x float> %v, <16 x float> poison, <8 x i32> <i32 0, i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 7>
// CHECK-NEXT:   %hi = shufflevector <16 x float> %v, <16 x float> poison, <8 x i32> <i32 8, i32 9, i32 10, i32 11, i32 12, i32 13, i32 14, i32 15>
// CHECK-NEXT:   %sum = fadd <8 x float> %lo, %hi
// CHECK:        %sum.1 = fadd <4 x float> %lo.1, %hi.1
// CHECK:        %sum.2 = fadd <2 x float> %lo.2, %hi.2
// CHECK:        %sum.3 = fadd <1 x float> %lo.3, %hi.3
// CHECK-NEXT:   %a = extractelement <1 x float> %sum.3, i64 0
// CHECK-NOT:    llvm.vector.reduce
// CHECK:        %max = select <8 x i1> %gt, <8 x float> %lo.4, <8 x float> %hi.4

// CHECK-LABEL: define <16 x i32> @dot_step(<16 x i32> %acc, <64 x i8> %w, ptr %xq, i64 %k)
// CHECK:        %x4 = load <4 x i8>, ptr %p, align 1
// CHECK-NEXT:   %x = shufflevector <4 x i8> %x4, <4 x i8> poison, <64 x i32> <i32 0, i32 1, i32 2, i32 3, i32 0,
// CHECK-NEXT:   %n = call <16 x i32> @llvm.x86.avx512.vpdpbusd.512(<16 x i32> %acc, <64 x i8> %w, <64 x i8> %x)

// CHECK-LABEL: define <16 x float> @converts(
// CHECK:        %hf = fpext <16 x half> %h to <16 x float>
// CHECK:        %bf.1 = shl <16 x i32> %bf, splat (i32 16)
// CHECK:        %qf = sitofp <16 x i32> %w to <16 x float>
// CHECK:        %to_h = fptrunc <16 x float> %v to <16 x half>
// CHECK:        %r.3 = select <16 x i1> %nan, <16 x i32> %qnan, <16 x i32> %r.2
// CHECK:        %rnd = call <16 x float> @llvm.rint.v16f32(<16 x float> %clamp.1)
// CHECK:        %to_i = select <16 x i1> %inrange, <16 x i32> %i.1, <16 x i32> splat (i32 -2147483648)

// CHECK-LABEL: define <4 x i32> @narrow(
// CHECK:        call <8 x float> @ck.exp.avx512.v8f32(
// CHECK:        call <2 x float> @llvm.fma.v2f32(
// CHECK:        call <4 x i32> @llvm.x86.avx512.vpdpbusd.128(<4 x i32> %acc, <16 x i8> %a, <16 x i8> %b)

// CHECK-LABEL: define internal <16 x float> @ck.exp.avx512.v16f32(<16 x float> %x) #{{[0-9]+}} {
// CHECK:        %n = call <16 x float> @llvm.rint.v16f32(<16 x float> %m)
// CHECK:        %y = fmul <16 x float> %y1, %s2
// CHECK:      declare <16 x i32> @llvm.x86.avx512.vpdpbusd.512(<16 x i32>, <64 x i8>, <64 x i8>)
// CHECK-DAG:  attributes #{{[0-9]+}} = { alwaysinline nounwind "target-cpu"="x86-64" "tune-cpu"="generic" "target-features"="+avx512f,+avx512bw,+avx512vl,+avx512vnni,+fma,+f16c" }
// CHECK-DAG:  attributes #{{[0-9]+}} = { nounwind "target-cpu"="x86-64" "tune-cpu"="generic" "target-features"="+avx512f,+avx512bw,+avx512vl,+avx512vnni,+fma,+f16c" }
