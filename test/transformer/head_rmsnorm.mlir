// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.head_rmsnorm (QK-norm): RMSNorm per head_dim slice, weight [head_dim].

// Qwen3-0.6B: q is 16 heads x 128, k is 8 heads x 128.
func.func @qk_norm(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>) -> (tensor<?x2048xf32>, tensor<?x1024xf32>) {
  %qn = transformer.weight "blk.0.attn_q_norm.weight" : !transformer.weight<128, f32>
  %kn = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<128, bf16>
  %q2 = transformer.head_rmsnorm %q, %qn {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x2048xf32>
  %k2 = transformer.head_rmsnorm %k, %kn {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<128, bf16>) -> tensor<?x1024xf32>
  func.return %q2, %k2 : tensor<?x2048xf32>, tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @qk_norm
// CHECK-SAME:    (%[[Q:[a-z0-9_]+]]: tensor<?x2048xf32>, %[[K:[a-z0-9_]+]]: tensor<?x1024xf32>)
// CHECK-NEXT:    %[[QN:[a-z0-9_]+]] = transformer.weight "blk.0.attn_q_norm.weight" : !transformer.weight<128, f32>
// CHECK-NEXT:    %[[KN:[a-z0-9_]+]] = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<128, bf16>
// CHECK-NEXT:    %[[Q2:[a-z0-9_]+]] = transformer.head_rmsnorm %[[Q]], %[[QN]] {head_dim = 128 : i64, eps = 1.000000e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x2048xf32>
// CHECK-NEXT:    %[[K2:[a-z0-9_]+]] = transformer.head_rmsnorm %[[K]], %[[KN]] {head_dim = 128 : i64, eps = 1.000000e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<128, bf16>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[Q2]], %[[K2]] : tensor<?x2048xf32>, tensor<?x1024xf32>
// CHECK-NEXT:  }

// Static token count, a single head (width == head_dim), f16 weight argument.
func.func @qk_norm_static(%k: tensor<3x64xf32>, %w: !transformer.weight<64, f16>) -> tensor<3x64xf32> {
  %k2 = transformer.head_rmsnorm %k, %w {head_dim = 64 : i64, eps = 1.0e-05 : f32} : (tensor<3x64xf32>, !transformer.weight<64, f16>) -> tensor<3x64xf32>
  func.return %k2 : tensor<3x64xf32>
}

// CHECK-LABEL: func.func @qk_norm_static
// CHECK-SAME:    (%[[K:[a-z0-9_]+]]: tensor<3x64xf32>, %[[W:[a-z0-9_]+]]: !transformer.weight<64, f16>) -> tensor<3x64xf32> {
// CHECK-NEXT:    %[[K2:[a-z0-9_]+]] = transformer.head_rmsnorm %[[K]], %[[W]] {head_dim = 64 : i64, eps = 1.000000e-05 : f32} : (tensor<3x64xf32>, !transformer.weight<64, f16>) -> tensor<3x64xf32>
// CHECK-NEXT:    func.return %[[K2]] : tensor<3x64xf32>
// CHECK-NEXT:  }
