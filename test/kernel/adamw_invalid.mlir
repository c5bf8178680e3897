// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// The hyperparameters are run-time operands: their values cannot be checked
// statically, their types are (step i64, lr .. weight_decay f32 scalars).

func.func @grad_shape(%p: tensor<64xf32>, %g: tensor<32xf32>, %m: tensor<64xf32>, %v: tensor<64xf32>, %s: i64, %f: f32) {
  %0, %1, %2 = kernel.adamw ins(%p, %g, %m, %v, %s, %f, %f, %f, %f, %f : tensor<64xf32>, tensor<32xf32>, tensor<64xf32>, tensor<64xf32>, i64, f32, f32, f32, f32, f32) -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: grad has shape 32, expected 64

// -----

func.func @step_type(%p: tensor<64xf32>, %s: i32, %f: f32) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %f, %f, %f, %f, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i32, f32, f32, f32, f32, f32) -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: step must be an i64 scalar, got i32{{$}}

// -----

func.func @lr_type(%p: tensor<64xf32>, %s: i64, %f: f32, %d: f64) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %d, %f, %f, %f, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64, f64, f32, f32, f32, f32) -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: lr must be an f32 scalar, got f64{{$}}

// -----

func.func @beta1_type(%p: tensor<64xf32>, %s: i64, %f: f32, %h: f16) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %f, %h, %f, %f, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64, f32, f16, f32, f32, f32) -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: beta1 must be an f32 scalar, got f16{{$}}

// -----

func.func @beta2_type(%p: tensor<64xf32>, %s: i64, %f: f32, %t: tensor<f32>) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %f, %f, %t, %f, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64, f32, f32, tensor<f32>, f32, f32) -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: beta2 must be an f32 scalar, got tensor<f32>{{$}}

// -----

func.func @eps_type(%p: tensor<64xf32>, %s: i64, %f: f32, %i: i32) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %f, %f, %f, %i, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64, f32, f32, f32, i32, f32) -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: eps must be an f32 scalar, got i32{{$}}

// -----

func.func @weight_decay_type(%p: memref<64xf32>, %s: i64, %f: f32, %i: index) {
  kernel.adamw ins(%p, %p, %p, %p, %s, %f, %f, %f, %f, %i : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64, f32, f32, f32, f32, index) outs(%p, %p, %p : memref<64xf32>, memref<64xf32>, memref<64xf32>)
  func.return
}
// CHECK: kernel.adamw: weight_decay must be an f32 scalar, got index{{$}}

// -----

// The properties of before: hyperparameters given as attributes would be ignored.
func.func @stale_property(%p: tensor<64xf32>, %s: i64, %f: f32) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %f, %f, %f, %f, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64, f32, f32, f32, f32, f32) {lr = 1.0e-03 : f32} -> tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: lr is an operand (its value comes at run time), not an attribute

// -----

func.func @result_shape(%p: tensor<64xf32>, %s: i64, %f: f32) {
  %0, %1, %2 = kernel.adamw ins(%p, %p, %p, %p, %s, %f, %f, %f, %f, %f : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, i64, f32, f32, f32, f32, f32) -> tensor<64xf32>, tensor<32xf32>, tensor<64xf32>
  func.return
}
// CHECK: kernel.adamw: result m has shape 32, expected 64

// -----

func.func @not_in_place(%p: memref<64xf32>, %g: memref<64xf32>, %m: memref<64xf32>, %v: memref<64xf32>, %other: memref<64xf32>, %s: i64, %f: f32) {
  kernel.adamw ins(%p, %g, %m, %v, %s, %f, %f, %f, %f, %f : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64, f32, f32, f32, f32, f32) outs(%p, %other, %v : memref<64xf32>, memref<64xf32>, memref<64xf32>)
  func.return
}
// CHECK: kernel.adamw: outs[1] must be the m operand: adamw updates param, m, v in place
