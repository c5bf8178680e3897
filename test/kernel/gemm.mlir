// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Prefill projections over a dynamic number of tokens, and a training gemm
// whose weight is a plain f32 tensor (a trainable parameter).

func.func @gemm(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, q8_0>, %b: !transformer.weight<128, f32>, %p: tensor<16x64xf32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<?x128xf32>
  %1 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, q8_0>) bias(%b : !transformer.weight<128, f32>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x128xf32>
  %2 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%p : tensor<16x64xf32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x16xf32>
  func.return
}

// CHECK-LABEL: func.func @gemm
// CHECK-NEXT:    %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<?x128xf32>
// CHECK-NEXT:    %1 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, q8_0>) bias(%b : !transformer.weight<128, f32>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x128xf32>
// CHECK-NEXT:    %2 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%p : tensor<16x64xf32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x16xf32>

// Several weights reading one x (fused q|k|v, one output each, one bias each),
// the silu_mul epilogue (gate, up -> one output), a q8_0 input triple with a
// quantized output, and last_rows (only the last rows of the product: the lm
// head of prefill).

func.func @gemm_forms(%x: tensor<?x64xf32>, %xq: tensor<?x64xi8>, %xs: tensor<?x2xf32>, %xsum: tensor<?x2xi32>, %wq: !transformer.weight<64x64, q8_0>, %wk: !transformer.weight<32x64, q8_0>, %bq: !transformer.weight<64, f32>, %bk: !transformer.weight<32, f32>, %wg: !transformer.weight<96x64, q8_0>, %wu: !transformer.weight<96x64, q8_0>) {
  %q, %k = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, q8_0>, !transformer.weight<32x64, q8_0>) bias(%bq, %bk : !transformer.weight<64, f32>, !transformer.weight<32, f32>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x64xf32>, tensor<?x32xf32>
  %a = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%wg, %wu : !transformer.weight<96x64, q8_0>, !transformer.weight<96x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", epilogue = "silu_mul"} -> tensor<?x96xf32>
  %y, %y_q, %y_s, %y_sum = kernel.gemm ins(%xq, %xs, %xsum : tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", quantize = "q8_0"} -> tensor<?x64xf32>, tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>
  %l = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", last_rows} -> tensor<1x64xf32>
  func.return
}

// CHECK-LABEL: func.func @gemm_forms
// CHECK-NEXT:    %q, %k = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, q8_0>, !transformer.weight<32x64, q8_0>) bias(%bq, %bk : !transformer.weight<64, f32>, !transformer.weight<32, f32>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x64xf32>, tensor<?x32xf32>
// CHECK-NEXT:    %a = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%wg, %wu : !transformer.weight<96x64, q8_0>, !transformer.weight<96x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", epilogue = "silu_mul"} -> tensor<?x96xf32>
// CHECK-NEXT:    %y, %y_q, %y_s, %y_sum = kernel.gemm ins(%xq, %xs, %xsum : tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", quantize = "q8_0"} -> tensor<?x64xf32>, tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>
// CHECK-NEXT:    %l = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", last_rows} -> tensor<1x64xf32>

func.func @gemm_dps(%x: memref<8x64xf32>, %w: memref<16x64xf32>, %b: memref<16xf32>, %y: memref<8x16xf32>) {
  kernel.gemm ins(%x : memref<8x64xf32>) weights(%w : memref<16x64xf32>) bias(%b : memref<16xf32>) outs(%y : memref<8x16xf32>) {w_dtype = "f32", act_dtype = "f32"}
  func.return
}

// CHECK-LABEL: func.func @gemm_dps
// CHECK-NEXT:    kernel.gemm ins(%x : memref<8x64xf32>) weights(%w : memref<16x64xf32>) bias(%b : memref<16xf32>) outs(%y : memref<8x16xf32>) {w_dtype = "f32", act_dtype = "f32"}
