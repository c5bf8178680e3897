// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Backward of y = x @ w^T (+ b): input gradient through a Q8_0 or f32 weight, the
// weight gradient, and the bias gradient
// (dy summed over the tokens).

func.func @matmul_bwd(%dy: tensor<?x128xf32>, %x: tensor<?x64xf32>, %w: !transformer.weight<128x64, q8_0>, %p: tensor<128x64xf32>) {
  %0 = kernel.matmul_dx ins(%dy, %w : tensor<?x128xf32>, !transformer.weight<128x64, q8_0>) -> tensor<?x64xf32>
  %1 = kernel.matmul_dx ins(%dy, %p : tensor<?x128xf32>, tensor<128x64xf32>) -> tensor<?x64xf32>
  %2 = kernel.matmul_dw ins(%dy, %x : tensor<?x128xf32>, tensor<?x64xf32>) -> tensor<128x64xf32>
  %3 = kernel.matmul_db ins(%dy : tensor<?x128xf32>) -> tensor<128xf32>
  func.return
}

// CHECK-LABEL: func.func @matmul_bwd
// CHECK-NEXT:    %0 = kernel.matmul_dx ins(%dy, %w : tensor<?x128xf32>, !transformer.weight<128x64, q8_0>) -> tensor<?x64xf32>
// CHECK-NEXT:    %1 = kernel.matmul_dx ins(%dy, %p : tensor<?x128xf32>, tensor<128x64xf32>) -> tensor<?x64xf32>
// CHECK-NEXT:    %2 = kernel.matmul_dw ins(%dy, %x : tensor<?x128xf32>, tensor<?x64xf32>) -> tensor<128x64xf32>
// CHECK-NEXT:    %3 = kernel.matmul_db ins(%dy : tensor<?x128xf32>) -> tensor<128xf32>

func.func @matmul_bwd_dps(%dy: memref<8x128xf32>, %x: memref<8x64xf32>, %p: memref<128x64xf32>, %dx: memref<8x64xf32>, %dw: memref<128x64xf32>, %db: memref<128xf32>) {
  kernel.matmul_dx ins(%dy, %p : memref<8x128xf32>, memref<128x64xf32>) outs(%dx : memref<8x64xf32>)
  kernel.matmul_dw ins(%dy, %x : memref<8x128xf32>, memref<8x64xf32>) outs(%dw : memref<128x64xf32>)
  kernel.matmul_db ins(%dy : memref<8x128xf32>) outs(%db : memref<128xf32>) {split = "rows"}
  func.return
}

// CHECK-LABEL: func.func @matmul_bwd_dps
// CHECK-NEXT:    kernel.matmul_dx ins(%dy, %p : memref<8x128xf32>, memref<128x64xf32>) outs(%dx : memref<8x64xf32>)
// CHECK-NEXT:    kernel.matmul_dw ins(%dy, %x : memref<8x128xf32>, memref<8x64xf32>) outs(%dw : memref<128x64xf32>)
// CHECK-NEXT:    kernel.matmul_db ins(%dy : memref<8x128xf32>) outs(%db : memref<128xf32>) {split = "rows"}
