// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @grad_shape(%p: tensor<64xf32>, %g: tensor<32xf32>, %m: tensor<64xf32>, %v: tensor<64xf32>, %s: i64) {
  %0, %1, %2 = kernel.adamw ins(%p, %g, %m, %v, %s : tensor<64xf32>, tensor<32xf32>, tensor<64xf32>, tensor<64xf32>, i64) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-08 : f32, weight_decay = 0.0 : f32} -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: grad has shape 32, expected 64

// -----

func.func @lr(%p: tensor<64xf32>, %s: i64) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64) {lr = 0.0 : f32, beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-08 : f32, weight_decay = 0.0 : f32} -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: lr must be positive, got 0{{$}}

// -----

func.func @beta(%p: tensor<64xf32>, %s: i64) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 1.0 : f32, eps = 1.0e-08 : f32, weight_decay = 0.0 : f32} -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: beta2 must be in [0, 1), got 1{{$}}

// -----

func.func @weight_decay(%p: tensor<64xf32>, %s: i64) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-08 : f32, weight_decay = -0.1 : f32} -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: weight_decay must be non-negative, got -0.1{{$}}

// -----

func.func @result_shape(%p: tensor<64xf32>, %s: i64) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-08 : f32, weight_decay = 0.0 : f32} -> tensor<64xf32>, tensor<32xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: result m has shape 32, expected 64

// -----

func.func @not_in_place(%p: memref<64xf32>, %g: memref<64xf32>, %m: memref<64xf32>, %v: memref<64xf32>, %other: memref<64xf32>, %s: i64) {
  kernel.adamw ins(%p, %g, %m, %v, %s : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64) outs(%p, %other, %v : memref<64xf32>, memref<64xf32>, memref<64xf32>) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-08 : f32, weight_decay = 0.0 : f32}
  func.return
}
// CHECK: kernel.adamw: outs[1] must be the m operand: adamw updates param, m, v in place
