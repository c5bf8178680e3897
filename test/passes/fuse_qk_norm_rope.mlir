// RUN: ck-opt %s -p fuse-qk-norm-rope | filecheck %s
// Qwen3's per-head QK-norm folds into the rope_apply that follows it: the rope
// reads the un-normalized q (or k) and takes the norm weight and eps, so the
// normalized copy is never written.

func.func @decode(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %pos: tensor<1xi32>, %wqn: !transformer.weight<32, f32>, %wkn: !transformer.weight<32, f32>) -> (tensor<1x128xf32>, tensor<1x64xf32>) {
  %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.0e+06 : f32} -> tensor<1x32xf32>
  %qn = kernel.head_rmsnorm ins(%q, %wqn : tensor<1x128xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<1x128xf32>
  %kn = kernel.head_rmsnorm ins(%k, %wkn : tensor<1x64xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-05 : f32} -> tensor<1x64xf32>
  %qr = kernel.rope_apply ins(%qn, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
  %kr = kernel.rope_apply ins(%kn, %t : tensor<1x64xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x64xf32>
  func.return %qr, %kr : tensor<1x128xf32>, tensor<1x64xf32>
}

// CHECK-LABEL: func.func @decode
// CHECK-NEXT:    %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.000000e+06 : f32} -> tensor<1x32xf32>
// CHECK-NEXT:    %qr = kernel.rope_apply ins(%q, %t, %wqn : tensor<1x128xf32>, tensor<1x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.000000e-06 : f32} -> tensor<1x128xf32>
// CHECK-NEXT:    %kr = kernel.rope_apply ins(%k, %t, %wkn : tensor<1x64xf32>, tensor<1x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.000000e-05 : f32} -> tensor<1x64xf32>
// CHECK-NEXT:    func.return %qr, %kr
// CHECK-NOT:     kernel.head_rmsnorm

// Left alone: the normalized q is read elsewhere too (it must still be written),
// or the norm's heads are not the rope's.

func.func @norm_read_twice(%q: tensor<1x128xf32>, %w: !transformer.weight<32, f32>, %t: tensor<1x32xf32>) -> (tensor<1x128xf32>, tensor<1x128xf32>) {
  %qn = kernel.head_rmsnorm ins(%q, %w : tensor<1x128xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<1x128xf32>
  %qr = kernel.rope_apply ins(%qn, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
  func.return %qr, %qn : tensor<1x128xf32>, tensor<1x128xf32>
}

// CHECK-LABEL: func.func @norm_read_twice
// CHECK-NEXT:    %qn = kernel.head_rmsnorm ins(%q, %w : tensor<1x128xf32>, !transformer.weight<32, f32>)
// CHECK-NEXT:    %qr = kernel.rope_apply ins(%qn, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>

func.func @other_head_dim(%q: tensor<1x128xf32>, %w: !transformer.weight<64, f32>, %t: tensor<1x32xf32>) -> tensor<1x128xf32> {
  %qn = kernel.head_rmsnorm ins(%q, %w : tensor<1x128xf32>, !transformer.weight<64, f32>) {head_dim = 64 : i64, eps = 1.0e-06 : f32} -> tensor<1x128xf32>
  %qr = kernel.rope_apply ins(%qn, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
  func.return %qr : tensor<1x128xf32>
}

// CHECK-LABEL: func.func @other_head_dim
// CHECK-NEXT:    %qn = kernel.head_rmsnorm ins(%q, %w : tensor<1x128xf32>, !transformer.weight<64, f32>) {head_dim = 64 : i64, eps = 1.000000e-06 : f32}
// CHECK-NEXT:    %qr = kernel.rope_apply ins(%qn, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"}
