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

// With the residual add folded in (outputs: sum, y) and the output also
// quantized for the q8_0 matmuls that read it (y_q, y_scales, y_sums).

func.func @norm_residual(%x: tensor<1x64xf32>, %w: !transformer.weight<64, f32>, %r: tensor<1x64xf32>) {
  %s, %h = kernel.rmsnorm ins(%x, %w, %r : tensor<1x64xf32>, !transformer.weight<64, f32>, tensor<1x64xf32>) {eps = 1.0e-06 : f32, split = "replicate"} -> tensor<1x64xf32>, tensor<1x64xf32>
  %h2, %hq, %hs, %hsum = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  func.return
}

// CHECK-LABEL: func.func @norm_residual
// CHECK-NEXT:    %s, %h = kernel.rmsnorm ins(%x, %w, %r : tensor<1x64xf32>, !transformer.weight<64, f32>, tensor<1x64xf32>) {eps = 1.000000e-06 : f32, split = "replicate"} -> tensor<1x64xf32>, tensor<1x64xf32>
// CHECK-NEXT:    %h2, %hq, %hs, %hsum = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.000000e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>

func.func @norm_residual_dps(%x: memref<1x64xf32>, %w: memref<64xf32>, %r: memref<1x64xf32>, %s: memref<1x64xf32>, %y: memref<1x64xf32>, %q: memref<1x64xi8>, %sc: memref<1x2xf32>, %sm: memref<1x2xi32>) {
  kernel.rmsnorm ins(%x, %w, %r : memref<1x64xf32>, memref<64xf32>, memref<1x64xf32>) outs(%s, %y, %q, %sc, %sm : memref<1x64xf32>, memref<1x64xf32>, memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) {eps = 1.0e-06 : f32, quantize = "q8_0"}
  func.return
}

// CHECK-LABEL: func.func @norm_residual_dps
// CHECK-NEXT:    kernel.rmsnorm ins(%x, %w, %r : memref<1x64xf32>, memref<64xf32>, memref<1x64xf32>) outs(%s, %y, %q, %sc, %sm : memref<1x64xf32>, memref<1x64xf32>, memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) {eps = 1.000000e-06 : f32, quantize = "q8_0"}
