// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Prefill projections over a dynamic number of tokens, and a training gemm
// whose weight is a plain f32 tensor (a trainable parameter).

func.func @gemm(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, q8_0>, %b: !transformer.weight<128, f32>, %p: tensor<16x64xf32>) {
  %0 = kernel.gemm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<?x128xf32>
  %1 = kernel.gemm ins(%x, %w, %b : tensor<?x64xf32>, !transformer.weight<128x64, q8_0>, !transformer.weight<128, f32>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x128xf32>
  %2 = kernel.gemm ins(%x, %p : tensor<?x64xf32>, tensor<16x64xf32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x16xf32>
  func.return
}

// CHECK-LABEL: func.func @gemm
// CHECK-NEXT:    %0 = kernel.gemm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<?x128xf32>
// CHECK-NEXT:    %1 = kernel.gemm ins(%x, %w, %b : {{.*}}, !transformer.weight<128, f32>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x128xf32>
// CHECK-NEXT:    %2 = kernel.gemm ins(%x, %p : tensor<?x64xf32>, tensor<16x64xf32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x16xf32>

func.func @gemm_dps(%x: memref<8x64xf32>, %w: memref<16x64xf32>, %b: memref<16xf32>, %y: memref<8x16xf32>) {
  kernel.gemm ins(%x, %w, %b : memref<8x64xf32>, memref<16x64xf32>, memref<16xf32>) outs(%y : memref<8x16xf32>) {w_dtype = "f32", act_dtype = "f32"}
  func.return
}

// CHECK-LABEL: func.func @gemm_dps
// CHECK-NEXT:    kernel.gemm ins(%x, %w, %b : memref<8x64xf32>, memref<16x64xf32>, memref<16xf32>) outs(%y : memref<8x16xf32>) {w_dtype = "f32", act_dtype = "f32"}
