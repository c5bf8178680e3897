// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every verifier error of transformer.layernorm, transformer.slice and transformer.gelu.

func.func @layernorm_bias_shape(%x: tensor<4x64xf32>, %w: !transformer.weight<64, f32>, %b: !transformer.weight<32, f32>) {
  %y = transformer.layernorm %x, %w, %b {eps = 1.0e-05 : f32} : (tensor<4x64xf32>, !transformer.weight<64, f32>, !transformer.weight<32, f32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: Operation does not verify: layernorm bias has shape 32, expected 64

// -----

func.func @layernorm_weight_shape(%x: tensor<4x64xf32>, %w: !transformer.weight<48, f32>, %b: !transformer.weight<64, f32>) {
  %y = transformer.layernorm %x, %w, %b {eps = 1.0e-05 : f32} : (tensor<4x64xf32>, !transformer.weight<48, f32>, !transformer.weight<64, f32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: Operation does not verify: layernorm weight has shape 48, expected 64

// -----

func.func @layernorm_eps(%x: tensor<4x64xf32>, %w: !transformer.weight<64, f32>, %b: !transformer.weight<64, f32>) {
  %y = transformer.layernorm %x, %w, %b {eps = 0.0 : f32} : (tensor<4x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: Operation does not verify: eps must be positive, got 0.0

// -----

func.func @slice_past_the_end(%x: tensor<4x192xf32>) {
  %y = transformer.slice %x {offset = 160 : i64} : (tensor<4x192xf32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: Operation does not verify: columns [160, 224) are not within the input's 192

// -----

func.func @slice_negative_offset(%x: tensor<4x192xf32>) {
  %y = transformer.slice %x {offset = -1 : i64} : (tensor<4x192xf32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: Operation does not verify: columns [-1, 63) are not within the input's 192

// -----

func.func @slice_tokens(%x: tensor<4x192xf32>) {
  %y = transformer.slice %x {offset = 0 : i64} : (tensor<4x192xf32>) -> tensor<5x64xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x64, expected 4x64

// -----

func.func @gelu_shape(%x: tensor<4x256xf32>) {
  %y = transformer.gelu %x : (tensor<4x256xf32>) -> tensor<4x128xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 4x128, expected 4x256
