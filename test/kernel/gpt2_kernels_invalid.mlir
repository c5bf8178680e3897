// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @layernorm_bias(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>, %b: !transformer.weight<32, f32>) {
  %0 = kernel.layernorm ins(%x, %w, %b : tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<32, f32>) {eps = 1.0e-05 : f32} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.layernorm: b has shape 32, expected 64

// -----

func.func @layernorm_eps(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>, %b: !transformer.weight<64, f32>) {
  %0 = kernel.layernorm ins(%x, %w, %b : tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) {eps = -1.0 : f32} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.layernorm: eps must be positive, got -1{{$}}

// -----

func.func @layernorm_split(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>, %b: !transformer.weight<64, f32>) {
  %0 = kernel.layernorm ins(%x, %w, %b : tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) {eps = 1.0e-05 : f32, split = "replicate"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.layernorm: unknown split for kernel.layernorm 'replicate' (expected one of tokens)

// -----

func.func @layernorm_bwd_db(%dy: tensor<?x64xf32>, %x: tensor<?x64xf32>, %w: tensor<64xf32>) {
  %0, %1, %2 = kernel.layernorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) {eps = 1.0e-05 : f32} -> tensor<?x64xf32>, tensor<64xf32>, tensor<32xf32>
  func.return
}
// CHECK: kernel.layernorm_bwd: db has shape 32, expected 64

// -----

func.func @gelu_shape(%x: tensor<4x64xf32>) {
  %0 = kernel.gelu ins(%x : tensor<4x64xf32>) -> tensor<4x32xf32>
  func.return
}
// CHECK: kernel.gelu: y has shape 4x32, expected 4x64

// -----

func.func @gelu_bwd_dy(%dy: tensor<4x32xf32>, %x: tensor<4x64xf32>) {
  %0 = kernel.gelu_bwd ins(%dy, %x : tensor<4x32xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: kernel.gelu_bwd: dy has shape 4x32, expected 4x64

// -----

func.func @slice_columns(%x: tensor<4x192xf32>) {
  %0 = kernel.slice ins(%x : tensor<4x192xf32>) {offset = 160 : i64} -> tensor<4x64xf32>
  func.return
}
// CHECK: kernel.slice: columns [160, 224) are not within the 192 of the wide operand

// -----

func.func @slice_bwd_columns(%dy: tensor<4x64xf32>) {
  %0 = kernel.slice_bwd ins(%dy : tensor<4x64xf32>) {offset = 64 : i64} -> tensor<4x96xf32>
  func.return
}
// CHECK: kernel.slice_bwd: columns [64, 128) are not within the 96 of the wide operand

// -----

func.func @slice_bwd_tokens(%dy: tensor<4x64xf32>) {
  %0 = kernel.slice_bwd ins(%dy : tensor<4x64xf32>) {offset = 0 : i64} -> tensor<5x192xf32>
  func.return
}
// CHECK: kernel.slice_bwd: dx has shape 5x192, expected 4x192
