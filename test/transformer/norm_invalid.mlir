// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every verifier error of transformer.rmsnorm and transformer.head_rmsnorm.

// ---- transformer.rmsnorm

func.func @rmsnorm_input_f16(%x: tensor<4x1024xf16>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<4x1024xf16>, !transformer.weight<1024, f32>) -> tensor<4x1024xf16>
  func.return
}
// CHECK: Operation does not verify: input must be an f32 tensor, got tensor<4x1024xf16>

// -----

func.func @rmsnorm_input_rank3(%x: tensor<1x4x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<1x4x1024xf32>, !transformer.weight<1024, f32>) -> tensor<1x4x1024xf32>
  func.return
}
// CHECK: Operation does not verify: input must have rank 2, got shape 1x4x1024

// -----

func.func @rmsnorm_input_dynamic_features(%x: tensor<4x?xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<4x?xf32>, !transformer.weight<1024, f32>) -> tensor<4x?xf32>
  func.return
}
// CHECK: Operation does not verify: input must have a static feature dimension, got tensor<4x?xf32>

// -----

func.func @rmsnorm_weight_width(%x: tensor<?x1024xf32>) {
  %w = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<2048, f32>
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<2048, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rmsnorm weight 'blk.0.attn_norm.weight' has shape 2048, expected 1024

// -----

// A weight that is a block argument has no GGUF name to report.
func.func @rmsnorm_weight_2d(%x: tensor<?x1024xf32>, %w: !transformer.weight<1x1024, bf16>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1x1024, bf16>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rmsnorm weight has shape 1x1024, expected 1024

// -----

func.func @rmsnorm_eps_zero(%x: tensor<?x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 0.0 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: eps must be positive, got 0.0

// -----

func.func @rmsnorm_eps_negative(%x: tensor<?x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = -1.0 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: eps must be positive, got -1.0

// -----

func.func @rmsnorm_result_width(%x: tensor<4x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<4x1024xf32>, !transformer.weight<1024, f32>) -> tensor<4x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 4x2048, expected 4x1024

// -----

func.func @rmsnorm_result_tokens(%x: tensor<4x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<4x1024xf32>, !transformer.weight<1024, f32>) -> tensor<5x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x1024, expected 4x1024

// -----

func.func @rmsnorm_result_f16(%x: tensor<?x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x1024xf16>

// -----

func.func @rmsnorm_result_rank1(%x: tensor<?x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<1024xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape 1024

// -----

func.func @rmsnorm_result_dynamic_features(%x: tensor<4x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<4x1024xf32>, !transformer.weight<1024, f32>) -> tensor<4x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<4x?xf32>

// -----

// ---- transformer.head_rmsnorm

func.func @head_rmsnorm_input_bf16(%q: tensor<?x2048xbf16>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xbf16>, !transformer.weight<128, f32>) -> tensor<?x2048xbf16>
  func.return
}
// CHECK: Operation does not verify: input must be an f32 tensor, got tensor<?x2048xbf16>

// -----

func.func @head_rmsnorm_input_rank1(%q: tensor<2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<2048xf32>, !transformer.weight<128, f32>) -> tensor<2048xf32>
  func.return
}
// CHECK: Operation does not verify: input must have rank 2, got shape 2048

// -----

// The width must be static: head_dim has to divide it.
func.func @head_rmsnorm_input_dynamic_features(%q: tensor<?x?xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x?xf32>, !transformer.weight<128, f32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: input must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @head_rmsnorm_head_dim_zero(%q: tensor<?x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 0 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: head_dim must be positive, got 0

// -----

func.func @head_rmsnorm_head_dim_negative(%q: tensor<?x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = -128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: head_dim must be positive, got -128

// -----

func.func @head_rmsnorm_width(%q: tensor<?x2048xf32>, %w: !transformer.weight<96, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 96 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<96, f32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: input width 2048 is not a multiple of head_dim 96

// -----

func.func @head_rmsnorm_weight(%k: tensor<?x1024xf32>) {
  %w = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<64, f32>
  %y = transformer.head_rmsnorm %k, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<64, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: head_rmsnorm weight 'blk.0.attn_k_norm.weight' has shape 64, expected 128

// -----

// One weight per head_dim slice, not per feature; a block argument has no GGUF name.
func.func @head_rmsnorm_weight_arg(%q: tensor<?x2048xf32>, %w: !transformer.weight<2048, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<2048, f32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: head_rmsnorm weight has shape 2048, expected 128

// -----

func.func @head_rmsnorm_eps(%k: tensor<?x1024xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %k, %w {head_dim = 128 : i64, eps = -2.0 : f32} : (tensor<?x1024xf32>, !transformer.weight<128, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: eps must be positive, got -2.0

// -----

func.func @head_rmsnorm_result(%q: tensor<?x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x1024, expected ?x2048

// -----

func.func @head_rmsnorm_result_bf16(%q: tensor<?x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x2048xbf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x2048xbf16>

// -----

func.func @head_rmsnorm_result_rank3(%q: tensor<?x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x16x128xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape ?x16x128

// -----

func.func @head_rmsnorm_result_dynamic_features(%q: tensor<?x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @head_rmsnorm_result_tokens(%q: tensor<3x2048xf32>, %w: !transformer.weight<128, f32>) {
  %y = transformer.head_rmsnorm %q, %w {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<3x2048xf32>, !transformer.weight<128, f32>) -> tensor<2x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 2x2048, expected 3x2048
