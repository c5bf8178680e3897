// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every verifier error of transformer.linear and transformer.lm_head.

// ---- transformer.linear

func.func @linear_input_i32(%x: tensor<?x1024xi32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<?x1024xi32>, !transformer.weight<2048x1024, f32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: input must be an f32 tensor, got tensor<?x1024xi32>

// -----

func.func @linear_input_rank1(%x: tensor<1024xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<1024xf32>, !transformer.weight<2048x1024, f32>) -> tensor<2048xf32>
  func.return
}
// CHECK: Operation does not verify: input must have rank 2, got shape 1024

// -----

func.func @linear_input_dynamic_features(%x: tensor<?x?xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<?x?xf32>, !transformer.weight<2048x1024, f32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: input must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @linear_weight_rank1(%x: tensor<?x1024xf32>) {
  %w = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<1024, f32>
  %y = transformer.linear %x, %w : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: linear weight must have rank 2, got shape 1024

// -----

// Weight stored the wrong way round ([in, out] instead of [out, in]).
func.func @linear_weight_transposed(%x: tensor<?x1024xf32>) {
  %w = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<1024x2048, q8_0>
  %y = transformer.linear %x, %w : (tensor<?x1024xf32>, !transformer.weight<1024x2048, q8_0>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: linear weight 'blk.0.attn_q.weight' has shape 1024x2048 ([out, in]) but the input has 1024 features

// -----

// Same error when the weight is a block argument (no GGUF name).
func.func @linear_weight_arg(%x: tensor<4x3072xf32>, %w: !transformer.weight<3072x1024, bf16>) {
  %y = transformer.linear %x, %w : (tensor<4x3072xf32>, !transformer.weight<3072x1024, bf16>) -> tensor<4x3072xf32>
  func.return
}
// CHECK: Operation does not verify: linear weight has shape 3072x1024 ([out, in]) but the input has 3072 features

// -----

func.func @linear_bias_width(%x: tensor<?x896xf32>) {
  %w = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<896x896, f16>
  %b = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<128, f32>
  %y = transformer.linear %x, %w bias %b : (tensor<?x896xf32>, !transformer.weight<896x896, f16>, !transformer.weight<128, f32>) -> tensor<?x896xf32>
  func.return
}
// CHECK: Operation does not verify: linear bias 'blk.0.attn_q.bias' has shape 128, expected 896

// -----

func.func @linear_bias_2d(%x: tensor<?x896xf32>, %w: !transformer.weight<128x896, f16>, %b: !transformer.weight<1x128, f32>) {
  %y = transformer.linear %x, %w bias %b : (tensor<?x896xf32>, !transformer.weight<128x896, f16>, !transformer.weight<1x128, f32>) -> tensor<?x128xf32>
  func.return
}
// CHECK: Operation does not verify: linear bias has shape 1x128, expected 128

// -----

func.func @linear_result_width(%x: tensor<?x1024xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<?x1024xf32>, !transformer.weight<2048x1024, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x1024, expected ?x2048

// -----

func.func @linear_result_tokens(%x: tensor<4x1024xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<4x1024xf32>, !transformer.weight<2048x1024, f32>) -> tensor<8x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 8x2048, expected 4x2048

// -----

func.func @linear_result_rank(%x: tensor<4x1024xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<4x1024xf32>, !transformer.weight<2048x1024, f32>) -> tensor<4x16x128xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape 4x16x128

// -----

func.func @linear_result_f16(%x: tensor<?x1024xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<?x1024xf32>, !transformer.weight<2048x1024, f32>) -> tensor<?x2048xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x2048xf16>

// -----

func.func @linear_result_dynamic_features(%x: tensor<4x1024xf32>, %w: !transformer.weight<2048x1024, f32>) {
  %y = transformer.linear %x, %w : (tensor<4x1024xf32>, !transformer.weight<2048x1024, f32>) -> tensor<4x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<4x?xf32>

// -----

// ---- transformer.lm_head

func.func @lm_head_input_f64(%x: tensor<?x1024xf64>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<?x1024xf64>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf32>
  func.return
}
// CHECK: Operation does not verify: input must be an f32 tensor, got tensor<?x1024xf64>

// -----

func.func @lm_head_input_rank3(%x: tensor<1x?x1024xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<1x?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf32>
  func.return
}
// CHECK: Operation does not verify: input must have rank 2, got shape 1x?x1024

// -----

func.func @lm_head_input_dynamic_features(%x: tensor<1x?xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<1x?xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<1x151936xf32>
  func.return
}
// CHECK: Operation does not verify: input must have a static feature dimension, got tensor<1x?xf32>

// -----

func.func @lm_head_weight_rank1(%x: tensor<?x1024xf32>, %w: !transformer.weight<1024, f32>) {
  %y = transformer.lm_head %x, %w : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: lm_head weight must have rank 2, got shape 1024

// -----

func.func @lm_head_weight_width(%x: tensor<?x1024xf32>) {
  %w = transformer.weight "output.weight" : !transformer.weight<151936x2048, bf16>
  %y = transformer.lm_head %x, %w : (tensor<?x1024xf32>, !transformer.weight<151936x2048, bf16>) -> tensor<?x151936xf32>
  func.return
}
// CHECK: Operation does not verify: lm_head weight 'output.weight' has shape 151936x2048 ([vocab, dim]) but the input has 1024 features

// -----

func.func @lm_head_weight_arg(%x: tensor<1x2048xf32>, %w: !transformer.weight<32000x4096, f16>) {
  %y = transformer.lm_head %x, %w : (tensor<1x2048xf32>, !transformer.weight<32000x4096, f16>) -> tensor<1x32000xf32>
  func.return
}
// CHECK: Operation does not verify: lm_head weight has shape 32000x4096 ([vocab, dim]) but the input has 2048 features

// -----

func.func @lm_head_result_vocab(%x: tensor<?x1024xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151935xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x151935, expected ?x151936

// -----

func.func @lm_head_result_tokens(%x: tensor<1x1024xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<1x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<2x151936xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 2x151936, expected 1x151936

// -----

func.func @lm_head_result_f16(%x: tensor<?x1024xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x151936xf16>

// -----

func.func @lm_head_result_rank1(%x: tensor<1x1024xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<1x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<151936xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape 151936

// -----

func.func @lm_head_result_dynamic_vocab(%x: tensor<?x1024xf32>, %w: !transformer.weight<151936x1024, q8_0>) {
  %y = transformer.lm_head %x, %w : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>
