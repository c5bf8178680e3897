// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// The two forms: value (tensors -> results) or destination-passing (memrefs -> outs).

func.func @both(%x: tensor<4x64xf32>, %y: memref<4x64xf32>) {
  %0 = kernel.add ins(%x, %x : tensor<4x64xf32>, tensor<4x64xf32>) outs(%y : memref<4x64xf32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: kernel.add: has both results and outs(...): use the value form (tensors, results) or the destination-passing form (memrefs, outs)

// -----

func.func @neither(%x: memref<4x64xf32>) {
  kernel.add ins(%x, %x : memref<4x64xf32>, memref<4x64xf32>)
  func.return
}
// CHECK: kernel.add: needs results (value form) or outs(...) (destination-passing form) for y

// -----

func.func @memref_in_value_form(%x: tensor<4x64xf32>, %r: memref<4x64xf32>) {
  %0 = kernel.add ins(%x, %r : tensor<4x64xf32>, memref<4x64xf32>) -> tensor<4x64xf32>
  func.return
}
// CHECK: kernel.add: operand 'rhs' is a memref but the op returns results: the value form takes tensors

// -----

func.func @tensor_in_dps_form(%x: tensor<4x64xf32>, %w: !transformer.weight<64, f32>, %y: memref<4x64xf32>) {
  kernel.rmsnorm ins(%x, %w : tensor<4x64xf32>, !transformer.weight<64, f32>) outs(%y : memref<4x64xf32>) {eps = 1.0e-06 : f32}
  func.return
}
// CHECK: kernel.rmsnorm: operand 'x' is a tensor but the op writes outs(...): the destination-passing form takes memrefs

// -----

func.func @result_count(%x: tensor<4x64xf32>) {
  %0 = kernel.quantize_act ins(%x : tensor<4x64xf32>) -> tensor<4x64xi8>
  func.return
}
// CHECK: kernel.quantize_act: expected 3 results (q, scales, sums), got 1

// -----

func.func @outs_count(%dy: memref<4x64xf32>, %x: memref<4x64xf32>, %w: memref<64xf32>, %dx: memref<4x64xf32>) {
  kernel.rmsnorm_bwd ins(%dy, %x, %w : memref<4x64xf32>, memref<4x64xf32>, memref<64xf32>) outs(%dx : memref<4x64xf32>) {eps = 1.0e-06 : f32}
  func.return
}
// CHECK: kernel.rmsnorm_bwd: expected 2 outs (dx, dw), got 1

// -----

func.func @element_type(%x: tensor<4x64xf16>) {
  %0 = kernel.gelu ins(%x : tensor<4x64xf16>) -> tensor<4x64xf16>
  func.return
}
// CHECK: kernel.gelu: x must be a tensor or memref of f32, got tensor<4x64xf16>

// -----

func.func @rank(%x: tensor<64xf32>) {
  %0 = kernel.gelu ins(%x : tensor<64xf32>) -> tensor<64xf32>
  func.return
}
// CHECK: kernel.gelu: x must have rank 2, got shape 64

// -----

func.func @result_shape(%x: memref<4x64xf32>, %y: memref<4x32xf32>) {
  kernel.gelu ins(%x : memref<4x64xf32>) outs(%y : memref<4x32xf32>)
  func.return
}
// CHECK: kernel.gelu: y has shape 4x32, expected 4x64
