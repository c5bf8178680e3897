// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// AdamW. `step` is an i64 operand (it changes every training step). The value
// form returns the new param, m, v; the destination-passing form updates them
// in place, so its outs are the param, m, v operands themselves.

func.func @adamw(%p: tensor<128x64xf32>, %g: tensor<128x64xf32>, %m: tensor<128x64xf32>, %v: tensor<128x64xf32>, %step: i64) {
  %0, %1, %2 = kernel.adamw ins(%p, %g, %m, %v, %step : tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, i64) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-08 : f32, weight_decay = 0.01 : f32} -> tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>
  func.return
}

// CHECK-LABEL: func.func @adamw
// CHECK-NEXT:    %0, %1, %2 = kernel.adamw ins(%p, %g, %m, %v, %step : tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, i64)
// CHECK-SAME:      {lr = 1.000000e-03 : f32, beta1 = 9.000000e-01 : f32, beta2 = 9.990000e-01 : f32, eps = 1.000000e-08 : f32, weight_decay = 1.000000e-02 : f32}
// CHECK-SAME:      -> tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>

func.func @adamw_in_place(%p: memref<64xf32>, %g: memref<64xf32>, %m: memref<64xf32>, %v: memref<64xf32>, %step: i64) {
  kernel.adamw ins(%p, %g, %m, %v, %step : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64) outs(%p, %m, %v : memref<64xf32>, memref<64xf32>, memref<64xf32>) {lr = 1.0e-03 : f32, beta1 = 0.9 : f32, beta2 = 0.95 : f32, eps = 1.0e-08 : f32, weight_decay = 0.0 : f32}
  func.return
}

// CHECK-LABEL: func.func @adamw_in_place
// CHECK-NEXT:    kernel.adamw ins(%p, %g, %m, %v, %step : memref<64xf32>, memref<64xf32>, memref<64xf32>, memref<64xf32>, i64) outs(%p, %m, %v : memref<64xf32>, memref<64xf32>, memref<64xf32>)
// CHECK-SAME:      beta2 = 9.500000e-01 : f32
