// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Backward of rmsnorm (dx and the weight gradient dw), QK-norm and rope.

func.func @norm_bwd(%dy: tensor<?x64xf32>, %x: tensor<?x64xf32>, %w: tensor<64xf32>, %dq: tensor<?x128xf32>, %q: tensor<?x128xf32>, %wq: !transformer.weight<32, f32>, %pos: tensor<?xi32>) {
  %0, %1 = kernel.rmsnorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>, tensor<64xf32>
  %2, %3 = kernel.head_rmsnorm_bwd ins(%dq, %q, %wq : tensor<?x128xf32>, tensor<?x128xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>, tensor<32xf32>
  %4 = kernel.rope_bwd ins(%dq, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<?x128xf32>
  func.return
}

// CHECK-LABEL: func.func @norm_bwd
// CHECK-NEXT:    %0, %1 = kernel.rmsnorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) {eps = 1.000000e-06 : f32} -> tensor<?x64xf32>, tensor<64xf32>
// CHECK-NEXT:    %2, %3 = kernel.head_rmsnorm_bwd ins(%dq, %q, %wq : {{.*}}) {head_dim = 32 : i64, eps = 1.000000e-06 : f32} -> tensor<?x128xf32>, tensor<32xf32>
// CHECK-NEXT:    %4 = kernel.rope_bwd ins(%dq, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.000000e+06 : f32, style = "neox"} -> tensor<?x128xf32>

func.func @norm_bwd_dps(%dy: memref<4x64xf32>, %x: memref<4x64xf32>, %w: memref<64xf32>, %dx: memref<4x64xf32>, %dw: memref<64xf32>, %wq: memref<32xf32>, %dwq: memref<32xf32>, %pos: memref<4xi32>) {
  kernel.rmsnorm_bwd ins(%dy, %x, %w : memref<4x64xf32>, memref<4x64xf32>, memref<64xf32>) outs(%dx, %dw : memref<4x64xf32>, memref<64xf32>) {eps = 1.0e-06 : f32}
  kernel.head_rmsnorm_bwd ins(%dy, %x, %wq : memref<4x64xf32>, memref<4x64xf32>, memref<32xf32>) outs(%dx, %dwq : memref<4x64xf32>, memref<32xf32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32}
  kernel.rope_bwd ins(%dy, %pos : memref<4x64xf32>, memref<4xi32>) outs(%dx : memref<4x64xf32>) {head_dim = 32 : i64, n_rot = 16 : i64, theta = 1.0e+04 : f32, style = "norm"}
  func.return
}

// CHECK-LABEL: func.func @norm_bwd_dps
// CHECK-NEXT:    kernel.rmsnorm_bwd ins(%dy, %x, %w : memref<4x64xf32>, memref<4x64xf32>, memref<64xf32>) outs(%dx, %dw : memref<4x64xf32>, memref<64xf32>) {eps = 1.000000e-06 : f32}
// CHECK-NEXT:    kernel.head_rmsnorm_bwd ins(%dy, %x, %wq : memref<4x64xf32>, memref<4x64xf32>, memref<32xf32>) outs(%dx, %dwq : memref<4x64xf32>, memref<32xf32>) {head_dim = 32 : i64, eps = 1.000000e-06 : f32}
// CHECK-NEXT:    kernel.rope_bwd ins(%dy, %pos : memref<4x64xf32>, memref<4xi32>) outs(%dx : memref<4x64xf32>) {head_dim = 32 : i64, n_rot = 16 : i64, theta = 1.000000e+04 : f32, style = "norm"}
