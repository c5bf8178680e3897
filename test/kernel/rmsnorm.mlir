// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// RMSNorm over the features, and QK-norm over each head_dim slice.

func.func @norms(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>, %q: tensor<?x128xf32>, %wq: !transformer.weight<32, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>
  %1 = kernel.head_rmsnorm ins(%q, %wq : tensor<?x128xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>
  func.return
}

// CHECK-LABEL: func.func @norms
// CHECK-NEXT:    %0 = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 1.000000e-06 : f32} -> tensor<?x64xf32>
// CHECK-NEXT:    %1 = kernel.head_rmsnorm ins(%q, %wq : tensor<?x128xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.000000e-06 : f32} -> tensor<?x128xf32>

func.func @norms_dps(%x: memref<4x64xf32>, %w: memref<64xf32>, %y: memref<4x64xf32>, %q: memref<4x128xf32>, %wq: !transformer.weight<32, f32>, %qn: memref<4x128xf32>) {
  kernel.rmsnorm ins(%x, %w : memref<4x64xf32>, memref<64xf32>) outs(%y : memref<4x64xf32>) {eps = 1.0e-05 : f32}
  kernel.head_rmsnorm ins(%q, %wq : memref<4x128xf32>, !transformer.weight<32, f32>) outs(%qn : memref<4x128xf32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32}
  func.return
}

// CHECK-LABEL: func.func @norms_dps
// CHECK-NEXT:    kernel.rmsnorm ins(%x, %w : memref<4x64xf32>, memref<64xf32>) outs(%y : memref<4x64xf32>) {eps = 1.000000e-05 : f32}
// CHECK-NEXT:    kernel.head_rmsnorm ins(%q, %wq : memref<4x128xf32>, !transformer.weight<32, f32>) outs(%qn : memref<4x128xf32>) {head_dim = 32 : i64, eps = 1.000000e-06 : f32}
