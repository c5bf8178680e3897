// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @rmsnorm_weight(%x: tensor<?x64xf32>, %w: !transformer.weight<32, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<32, f32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: w has shape 32, expected 64

// -----

func.func @rmsnorm_eps(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 0.0 : f32} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: eps must be positive, got 0{{$}}

// -----

func.func @head_width(%x: tensor<?x100xf32>, %w: !transformer.weight<32, f32>) {
  %0 = kernel.head_rmsnorm ins(%x, %w : tensor<?x100xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x100xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm: x width 100 is not a multiple of head_dim 32

// -----

func.func @head_dim_positive(%x: tensor<?x128xf32>, %w: !transformer.weight<32, f32>) {
  %0 = kernel.head_rmsnorm ins(%x, %w : tensor<?x128xf32>, !transformer.weight<32, f32>) {head_dim = 0 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm: head_dim must be positive, got 0

// -----

func.func @head_weight(%x: tensor<?x128xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.head_rmsnorm ins(%x, %w : tensor<?x128xf32>, !transformer.weight<64, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm: w has shape 64, expected 32

// -----

// The residual add folded in: outputs sum (x + residual) and y.
func.func @residual_shape(%x: tensor<4x64xf32>, %w: !transformer.weight<64, f32>, %r: tensor<4x32xf32>) {
  %0, %1 = kernel.rmsnorm ins(%x, %w, %r : tensor<4x64xf32>, !transformer.weight<64, f32>, tensor<4x32xf32>) {eps = 1.0e-06 : f32} -> tensor<4x64xf32>, tensor<4x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: residual has shape 4x32, expected 4x64

// -----

func.func @residual_results(%x: tensor<4x64xf32>, %w: !transformer.weight<64, f32>, %r: tensor<4x64xf32>) {
  %0 = kernel.rmsnorm ins(%x, %w, %r : tensor<4x64xf32>, !transformer.weight<64, f32>, tensor<4x64xf32>) {eps = 1.0e-06 : f32} -> tensor<4x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: expected 2 results (sum, y), got 1

// -----

func.func @residual_sum_shape(%x: memref<4x64xf32>, %w: memref<64xf32>, %r: memref<4x64xf32>, %s: memref<4x32xf32>, %y: memref<4x64xf32>) {
  kernel.rmsnorm ins(%x, %w, %r : memref<4x64xf32>, memref<64xf32>, memref<4x64xf32>) outs(%s, %y : memref<4x32xf32>, memref<4x64xf32>) {eps = 1.0e-06 : f32}
  func.return
}
// CHECK: kernel.rmsnorm: sum has shape 4x32, expected 4x64

// -----

// quantize = "q8_0" adds y_q, y_scales, y_sums after the outputs.
func.func @quantize_results(%x: tensor<1x64xf32>, %w: !transformer.weight<64, f32>, %r: tensor<1x64xf32>) {
  %0, %1 = kernel.rmsnorm ins(%x, %w, %r : tensor<1x64xf32>, !transformer.weight<64, f32>, tensor<1x64xf32>) {eps = 1.0e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: expected 5 results (sum, y, y_q, y_scales, y_sums), got 2

// -----

func.func @quantize_kind(%x: tensor<1x64xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "f16"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: quantize must be one of q8_0, q8_k, got 'f16'

// -----

func.func @quantize_block(%x: tensor<1x48xf32>, %w: !transformer.weight<48, f32>) {
  %0, %1, %2, %3 = kernel.rmsnorm ins(%x, %w : tensor<1x48xf32>, !transformer.weight<48, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0"} -> tensor<1x48xf32>, tensor<1x48xi8>, tensor<1x1xf32>, tensor<1x1xi32>
  func.return
}
// CHECK: kernel.rmsnorm: y has 48 features, not a multiple of the q8_0 block 32

// -----

func.func @quantize_q_dtype(%x: tensor<1x64xf32>, %w: !transformer.weight<64, f32>) {
  %0, %1, %2, %3 = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xf32>, tensor<1x2xf32>, tensor<1x2xi32>
  func.return
}
// CHECK: kernel.rmsnorm: y_q must be a tensor or memref of i8, got tensor<1x64xf32>

// -----

func.func @split(%x: tensor<1x64xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, split = "rows"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: unknown split for kernel.rmsnorm 'rows' (expected one of tokens, replicate)
