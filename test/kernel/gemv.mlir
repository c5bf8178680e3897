// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Decode projections: one token, Q8_0 weights with Q8 activations, f16 weights
// with f32 activations, and a bias.

func.func @gemv(%x: tensor<1x64xf32>, %wq: !transformer.weight<128x64, q8_0>, %wh: !transformer.weight<32x64, f16>, %b: !transformer.weight<32, f32>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq : !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x128xf32>
  %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wh : !transformer.weight<32x64, f16>) bias(%b : !transformer.weight<32, f32>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<1x32xf32>
  func.return
}

// CHECK-LABEL: func.func @gemv
// CHECK-NEXT:    %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq : !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x128xf32>
// CHECK-NEXT:    %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wh : !transformer.weight<32x64, f16>) bias(%b : !transformer.weight<32, f32>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<1x32xf32>

func.func @gemv_dps(%x: memref<1x64xf32>, %w: !transformer.weight<128x64, bf16>, %y: memref<1x128xf32>) {
  kernel.gemv ins(%x : memref<1x64xf32>) weights(%w : !transformer.weight<128x64, bf16>) outs(%y : memref<1x128xf32>) {w_dtype = "bf16", act_dtype = "f32"}
  func.return
}

// CHECK-LABEL: func.func @gemv_dps
// CHECK-NEXT:    kernel.gemv ins(%x : memref<1x64xf32>) weights(%w : !transformer.weight<128x64, bf16>) outs(%y : memref<1x128xf32>) {w_dtype = "bf16", act_dtype = "f32"}
// CHECK-NEXT:    func.return
