// simd.nibbles through the llvm target: `and` with 15 for the low half, a logical shift by 4
// (per byte: nothing leaks between bytes) for the high half.
// RUN: ck-translate %S/../emit_c/nibbles_exec.mlir -t llvm | filecheck %s

// CHECK-LABEL: define void @split_avx512(
// CHECK:         %l = and <64 x i8> %v, splat (i8 15)
// CHECK-NEXT:    %h = lshr <64 x i8> %v, splat (i8 4)
// CHECK-LABEL: define void @split_avx2(
// CHECK:         %l = and <32 x i8> %v, splat (i8 15)
// CHECK-NEXT:    %h = lshr <32 x i8> %v, splat (i8 4)
// CHECK-LABEL: define void @split_scalar(
// CHECK:         %l = and <4 x i8> %v, splat (i8 15)
// CHECK-NEXT:    %h = lshr <4 x i8> %v, splat (i8 4)
