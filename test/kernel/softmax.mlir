// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Row softmax, plain and with a scale applied to the logits first.

func.func @softmax(%x: tensor<?x256xf32>, %xm: memref<2x256xf32>, %ym: memref<2x256xf32>) {
  %0 = kernel.softmax ins(%x : tensor<?x256xf32>) -> tensor<?x256xf32>
  %1 = kernel.softmax ins(%x : tensor<?x256xf32>) {scale = 0.5 : f32} -> tensor<?x256xf32>
  kernel.softmax ins(%xm : memref<2x256xf32>) outs(%ym : memref<2x256xf32>) {scale = 2.0 : f32}
  func.return
}

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT:    %0 = kernel.softmax ins(%x : tensor<?x256xf32>) -> tensor<?x256xf32>
// CHECK-NEXT:    %1 = kernel.softmax ins(%x : tensor<?x256xf32>) {scale = 5.000000e-01 : f32} -> tensor<?x256xf32>
// CHECK-NEXT:    kernel.softmax ins(%xm : memref<2x256xf32>) outs(%ym : memref<2x256xf32>) {scale = 2.000000e+00 : f32}
