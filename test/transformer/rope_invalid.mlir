// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every verifier error of transformer.rope (Qwen3-0.6B q: 16 heads x 128, theta 1e6).

func.func @rope_input_f16(%x: tensor<?x2048xf16>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf16>, tensor<?xi32>) -> tensor<?x2048xf16>
  func.return
}
// CHECK: Operation does not verify: input must be an f32 tensor, got tensor<?x2048xf16>

// -----

func.func @rope_input_rank3(%x: tensor<?x16x128xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x16x128xf32>, tensor<?xi32>) -> tensor<?x16x128xf32>
  func.return
}
// CHECK: Operation does not verify: input must have rank 2, got shape ?x16x128

// -----

// The width must be static: head_dim has to divide it.
func.func @rope_input_dynamic_features(%x: tensor<?x?xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x?xf32>, tensor<?xi32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: input must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @rope_positions_f32(%x: tensor<?x2048xf32>, %pos: tensor<?xf32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xf32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: positions must be a tensor of i32, got tensor<?xf32>

// -----

func.func @rope_positions_rank2(%x: tensor<?x2048xf32>, %pos: tensor<?x1xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?x1xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: positions must have rank 1, got shape ?x1

// -----

func.func @rope_positions_tokens(%x: tensor<4x2048xf32>, %pos: tensor<5xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<4x2048xf32>, tensor<5xi32>) -> tensor<4x2048xf32>
  func.return
}
// CHECK: Operation does not verify: positions has 5 tokens but input has 4

// -----

func.func @rope_head_dim_zero(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 0 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: head_dim must be positive, got 0

// -----

func.func @rope_width(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 96 : i64, n_rot = 96 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: input width 2048 is not a multiple of head_dim 96

// -----

func.func @rope_n_rot_odd(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 63 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_rot must be even and between 2 and head_dim (128), got 63

// -----

func.func @rope_n_rot_one(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 1 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_rot must be even and between 2 and head_dim (128), got 1

// -----

func.func @rope_n_rot_zero(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 0 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_rot must be even and between 2 and head_dim (128), got 0

// -----

func.func @rope_n_rot_negative(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = -2 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_rot must be even and between 2 and head_dim (128), got -2

// -----

func.func @rope_n_rot_too_big(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 256 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_rot must be even and between 2 and head_dim (128), got 256

// -----

func.func @rope_style(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "gptj"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: unknown rope style 'gptj' (expected one of neox, norm)

// -----

// Style names are case-sensitive.
func.func @rope_style_case(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "NeoX"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: unknown rope style 'NeoX' (expected one of neox, norm)

// -----

func.func @rope_theta_zero(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 0.0 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: theta must be positive, got 0.0

// -----

func.func @rope_theta_negative(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = -1.0e+04 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: theta must be positive, got -10000.0

// -----

func.func @rope_result_width(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x1024, expected ?x2048

// -----

func.func @rope_result_tokens(%x: tensor<6x2048xf32>, %pos: tensor<6xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<6x2048xf32>, tensor<6xi32>) -> tensor<7x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 7x2048, expected 6x2048

// -----

func.func @rope_result_f16(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x2048xf16>

// -----

func.func @rope_result_rank3(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x16x128xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape ?x16x128

// -----

func.func @rope_result_dynamic_features(%x: tensor<?x2048xf32>, %pos: tensor<?xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>

// -----

// The input's token count is dynamic: the result must agree with the positions' 4.
func.func @rope_result_tokens_from_positions(%x: tensor<?x2048xf32>, %pos: tensor<4xi32>) {
  %y = transformer.rope %x, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<4xi32>) -> tensor<5x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x2048, expected 4x2048
