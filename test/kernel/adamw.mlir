// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// AdamW. Every hyperparameter is a run-time operand, so a compiled training step
// can change them per call (a learning-rate schedule) without recompiling: `step`
// (1-based) is i64; lr, beta1, beta2, eps, weight_decay are f32 scalars. The value
// form returns the new param, m, v; the destination-passing form updates them in
// place, so its outs are the param, m, v operands themselves.

func.func @adamw(%p: tensor<128x64xf32>, %g: tensor<128x64xf32>, %m: tensor<128x64xf32>, %v: tensor<128x64xf32>, %step: i64, %lr: f32, %beta1: f32, %beta2: f32, %eps: f32, %wd: f32) {
  %0, %1, %2 = kernel.adamw ins(%p, %g, %m, %v, %step, %lr, %beta1, %beta2, %eps, %wd : tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, i64, f32, f32, f32, f32, f32) -> tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>
  func.return
}

// CHECK-LABEL: func.func @adamw
// CHECK-NEXT:    %0, %1, %2 = kernel.adamw ins(%p, %g, %m, %v, %step, %lr, %beta1, %beta2, %eps, %wd : tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, i64, f32, f32, f32, f32, f32)
// CHECK-SAME:      -> tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>
// CHECK-NEXT:    func.return

// The scalars may come from constants as well as from arguments.
func.func @adamw_in_place(%p: memref<64xf32>, %g: memref<64xf32>, %m: memref<64xf32>, %v: memref<64xf32>, %step: i64, %lr: f32) {
  %beta1 = arith.constant 0.9 : f32
  %beta2 = arith.constant 0.95 : f32
  %eps = arith.constant 1.0e-08 : f32
  %wd = arith.constant 0.0 : f32
  kernel.adamw ins(%p, %g, %m, %v, %step, %lr, %beta1, %beta2, %eps, %wd : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64, f32, f32, f32, f32, f32) outs(%p, %m, %v : memref<64xf32>, memref<64xf32>, memref<64xf32>)
  func.return
}

// CHECK-LABEL: func.func @adamw_in_place
// CHECK:         kernel.adamw ins(%p, %g, %m, %v, %step, %lr, %beta1, %beta2, %eps, %wd : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64, f32, f32, f32, f32, f32) outs(%p, %m, %v : memref<64xf32>, memref<64xf32>, memref<64xf32>){{$}}
// CHECK-NEXT:    func.return
