// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every verifier error of transformer.embedding, transformer.add,
// transformer.silu_mul and transformer.cross_entropy.

func.func @embedding_tokens_i64(%tokens: tensor<?xi64>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xi64>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: tokens must be a tensor of i32, got tensor<?xi64>

// -----

func.func @embedding_tokens_f32(%tokens: tensor<?xf32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: tokens must be a tensor of i32, got tensor<?xf32>

// -----

func.func @embedding_tokens_rank2(%tokens: tensor<1x?xi32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<1x?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: tokens must have rank 1, got shape 1x?

// -----

func.func @embedding_table_rank1(%tokens: tensor<?xi32>, %table: !transformer.weight<1024, f32>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: embedding table must have rank 2, got shape 1024

// -----

func.func @embedding_result_f16(%tokens: tensor<?xi32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x1024xf16>

// -----

func.func @embedding_result_rank1(%tokens: tensor<?xi32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape ?

// -----

func.func @embedding_result_dynamic_features(%tokens: tensor<?xi32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @embedding_result_width(%tokens: tensor<?xi32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x2048, expected ?x1024

// -----

func.func @embedding_result_tokens(%tokens: tensor<4xi32>, %table: !transformer.weight<151936x1024, q8_0>) {
  %r = transformer.embedding %tokens, %table : (tensor<4xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<5x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x1024, expected 4x1024

// -----

func.func @add_lhs_f16(%lhs: tensor<?x1024xf16>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf16>, tensor<?x1024xf32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: lhs must be an f32 tensor, got tensor<?x1024xf16>

// -----

func.func @add_lhs_rank1(%lhs: tensor<1024xf32>, %rhs: tensor<1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<1024xf32>, tensor<1024xf32>) -> tensor<1024xf32>
  func.return
}
// CHECK: Operation does not verify: lhs must have rank 2, got shape 1024

// -----

func.func @add_lhs_dynamic_features(%lhs: tensor<?x?xf32>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x?xf32>, tensor<?x1024xf32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: lhs must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @add_rhs_width(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x2048xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x2048xf32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rhs has 2048 features but lhs has 1024

// -----

func.func @add_rhs_tokens(%lhs: tensor<4x1024xf32>, %rhs: tensor<5x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<4x1024xf32>, tensor<5x1024xf32>) -> tensor<4x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rhs has 5 tokens but lhs has 4

// -----

func.func @add_rhs_rank3(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x1x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x1x1024xf32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rhs must have rank 2, got shape ?x1x1024

// -----

// rhs has the right shape but the wrong element type.
func.func @add_rhs_bf16(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x1024xbf16>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x1024xbf16>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rhs must be an f32 tensor, got tensor<?x1024xbf16>

// -----

func.func @add_rhs_dynamic_features(%lhs: tensor<4x1024xf32>, %rhs: tensor<4x?xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<4x1024xf32>, tensor<4x?xf32>) -> tensor<4x1024xf32>
  func.return
}
// CHECK: Operation does not verify: rhs must have a static feature dimension, got tensor<4x?xf32>

// -----

func.func @add_result(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x896xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x896, expected ?x1024

// -----

func.func @add_result_f16(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x1024xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x1024xf16>

// -----

func.func @add_result_rank3(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<1x?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape 1x?x1024

// -----

func.func @add_result_dynamic_features(%lhs: tensor<?x1024xf32>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @add_result_tokens(%lhs: tensor<4x1024xf32>, %rhs: tensor<4x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<4x1024xf32>, tensor<4x1024xf32>) -> tensor<5x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x1024, expected 4x1024

// -----

// lhs has a dynamic token count: the result must agree with rhs's 4.
func.func @add_result_tokens_from_rhs(%lhs: tensor<?x1024xf32>, %rhs: tensor<4x1024xf32>) {
  %r = transformer.add %lhs, %rhs : (tensor<?x1024xf32>, tensor<4x1024xf32>) -> tensor<5x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x1024, expected 4x1024

// -----

func.func @silu_mul_lhs_i32(%lhs: tensor<?x3072xi32>, %rhs: tensor<?x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xi32>, tensor<?x3072xf32>) -> tensor<?x3072xf32>
  func.return
}
// CHECK: Operation does not verify: lhs must be an f32 tensor, got tensor<?x3072xi32>

// -----

func.func @silu_mul_lhs_rank3(%lhs: tensor<2x?x3072xf32>, %rhs: tensor<?x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<2x?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x3072xf32>
  func.return
}
// CHECK: Operation does not verify: lhs must have rank 2, got shape 2x?x3072

// -----

func.func @silu_mul_lhs_dynamic_features(%lhs: tensor<7x?xf32>, %rhs: tensor<7x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<7x?xf32>, tensor<7x3072xf32>) -> tensor<7x3072xf32>
  func.return
}
// CHECK: Operation does not verify: lhs must have a static feature dimension, got tensor<7x?xf32>

// -----

// gate and up projections of different widths.
func.func @silu_mul_rhs_width(%lhs: tensor<?x3072xf32>, %rhs: tensor<?x1024xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<?x1024xf32>) -> tensor<?x3072xf32>
  func.return
}
// CHECK: Operation does not verify: rhs has 1024 features but lhs has 3072

// -----

func.func @silu_mul_rhs_f16(%lhs: tensor<7x3072xf32>, %rhs: tensor<7x3072xf16>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<7x3072xf32>, tensor<7x3072xf16>) -> tensor<7x3072xf32>
  func.return
}
// CHECK: Operation does not verify: rhs must be an f32 tensor, got tensor<7x3072xf16>

// -----

func.func @silu_mul_rhs_rank1(%lhs: tensor<?x3072xf32>, %rhs: tensor<3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<3072xf32>) -> tensor<?x3072xf32>
  func.return
}
// CHECK: Operation does not verify: rhs must have rank 2, got shape 3072

// -----

func.func @silu_mul_rhs_dynamic_features(%lhs: tensor<?x3072xf32>, %rhs: tensor<?x?xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<?x?xf32>) -> tensor<?x3072xf32>
  func.return
}
// CHECK: Operation does not verify: rhs must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @silu_mul_rhs_tokens(%lhs: tensor<4x3072xf32>, %rhs: tensor<5x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<4x3072xf32>, tensor<5x3072xf32>) -> tensor<4x3072xf32>
  func.return
}
// CHECK: Operation does not verify: rhs has 5 tokens but lhs has 4

// -----

func.func @silu_mul_result(%lhs: tensor<7x3072xf32>, %rhs: tensor<7x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<7x3072xf32>, tensor<7x3072xf32>) -> tensor<8x3072xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 8x3072, expected 7x3072

// -----

func.func @silu_mul_result_width(%lhs: tensor<?x3072xf32>, %rhs: tensor<?x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x1024, expected ?x3072

// -----

// lhs has a dynamic token count: the result must agree with rhs's 4.
func.func @silu_mul_result_tokens_from_rhs(%lhs: tensor<?x3072xf32>, %rhs: tensor<4x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<4x3072xf32>) -> tensor<5x3072xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x3072, expected 4x3072

// -----

func.func @silu_mul_result_bf16(%lhs: tensor<?x3072xf32>, %rhs: tensor<?x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x3072xbf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x3072xbf16>

// -----

func.func @silu_mul_result_rank1(%lhs: tensor<1x3072xf32>, %rhs: tensor<1x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<1x3072xf32>, tensor<1x3072xf32>) -> tensor<3072xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape 3072

// -----

func.func @silu_mul_result_dynamic_features(%lhs: tensor<?x3072xf32>, %rhs: tensor<?x3072xf32>) {
  %r = transformer.silu_mul %lhs, %rhs : (tensor<?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @ce_logits_f16(%logits: tensor<?x151936xf16>, %targets: tensor<?xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf16>, tensor<?xi32>) -> tensor<f32>
  func.return
}
// CHECK: Operation does not verify: logits must be an f32 tensor, got tensor<?x151936xf16>

// -----

func.func @ce_logits_rank1(%logits: tensor<151936xf32>, %targets: tensor<?xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<151936xf32>, tensor<?xi32>) -> tensor<f32>
  func.return
}
// CHECK: Operation does not verify: logits must have rank 2, got shape 151936

// -----

func.func @ce_logits_dynamic_vocab(%logits: tensor<?x?xf32>, %targets: tensor<?xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x?xf32>, tensor<?xi32>) -> tensor<f32>
  func.return
}
// CHECK: Operation does not verify: logits must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @ce_targets_i64(%logits: tensor<?x151936xf32>, %targets: tensor<?xi64>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?xi64>) -> tensor<f32>
  func.return
}
// CHECK: Operation does not verify: targets must be a tensor of i32, got tensor<?xi64>

// -----

func.func @ce_targets_rank2(%logits: tensor<?x151936xf32>, %targets: tensor<?x1xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?x1xi32>) -> tensor<f32>
  func.return
}
// CHECK: Operation does not verify: targets must have rank 1, got shape ?x1

// -----

func.func @ce_targets_tokens(%logits: tensor<4x151936xf32>, %targets: tensor<3xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<4x151936xf32>, tensor<3xi32>) -> tensor<f32>
  func.return
}
// CHECK: Operation does not verify: targets has 3 tokens but logits has 4

// -----

// The loss must be a scalar tensor<f32>.
func.func @ce_loss_rank1(%logits: tensor<?x151936xf32>, %targets: tensor<?xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<1xf32>
  func.return
}
// CHECK: Operation does not verify: loss must be a scalar tensor<f32>, got tensor<1xf32>

// -----

func.func @ce_loss_per_token(%logits: tensor<4x151936xf32>, %targets: tensor<4xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<4x151936xf32>, tensor<4xi32>) -> tensor<4xf32>
  func.return
}
// CHECK: Operation does not verify: loss must be a scalar tensor<f32>, got tensor<4xf32>

// -----

func.func @ce_loss_f16(%logits: tensor<?x151936xf32>, %targets: tensor<?xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<f16>
  func.return
}
// CHECK: Operation does not verify: loss must be a scalar tensor<f32>, got tensor<f16>

// -----

func.func @ce_loss_dynamic(%logits: tensor<?x151936xf32>, %targets: tensor<?xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<?xf32>
  func.return
}
// CHECK: Operation does not verify: loss must be a scalar tensor<f32>, got tensor<?xf32>

// -----

func.func @ce_loss_2d(%logits: tensor<1x151936xf32>, %targets: tensor<1xi32>) {
  %r = transformer.cross_entropy %logits, %targets : (tensor<1x151936xf32>, tensor<1xi32>) -> tensor<1x1xf32>
  func.return
}
// CHECK: Operation does not verify: loss must be a scalar tensor<f32>, got tensor<1x1xf32>
