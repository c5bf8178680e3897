// RUN: ck-opt %s -p fuse-swiglu | filecheck %s
// The gate and up matmuls of a SwiGLU FFN and their silu * mul become one matmul
// over both weights (gate, then up) with the silu_mul epilogue: the gate and up
// activations are never written. Biases come along, one per weight.

func.func @decode(%h: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %wg = transformer.weight "blk.0.ffn_gate.weight" : !transformer.weight<128x64, q8_0>
  %wu = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<128x64, q8_0>
  %wd = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<64x128, q8_0>
  %g = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wg : !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x128xf32>
  %u = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wu : !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x128xf32>
  %a = kernel.silu_mul ins(%g, %u : tensor<1x128xf32>, tensor<1x128xf32>) -> tensor<1x128xf32>
  %y = kernel.gemv ins(%a : tensor<1x128xf32>) weights(%wd : !transformer.weight<64x128, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return %y : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @decode
// CHECK:         %wd = transformer.weight "blk.0.ffn_down.weight"
// CHECK-NEXT:    %a = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wg, %wu : !transformer.weight<128x64, q8_0>, !transformer.weight<128x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", epilogue = "silu_mul"} -> tensor<1x128xf32>
// CHECK-NEXT:    %y = kernel.gemv ins(%a : tensor<1x128xf32>) weights(%wd : !transformer.weight<64x128, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
// CHECK-NEXT:    func.return %y : tensor<1x64xf32>
// CHECK-NOT:     kernel.silu_mul

func.func @prefill_bias(%h: tensor<?x64xf32>, %wg: !transformer.weight<128x64, f32>, %wu: !transformer.weight<128x64, f32>, %bg: !transformer.weight<128, f32>, %bu: !transformer.weight<128, f32>) -> tensor<?x128xf32> {
  %g = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wg : !transformer.weight<128x64, f32>) bias(%bg : !transformer.weight<128, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  %u = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wu : !transformer.weight<128x64, f32>) bias(%bu : !transformer.weight<128, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  %a = kernel.silu_mul ins(%g, %u : tensor<?x128xf32>, tensor<?x128xf32>) -> tensor<?x128xf32>
  func.return %a : tensor<?x128xf32>
}

// CHECK-LABEL: func.func @prefill_bias
// CHECK-NEXT:    %a = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wg, %wu : !transformer.weight<128x64, f32>, !transformer.weight<128x64, f32>) bias(%bg, %bu : !transformer.weight<128, f32>, !transformer.weight<128, f32>) {w_dtype = "f32", act_dtype = "f32", epilogue = "silu_mul"} -> tensor<?x128xf32>
// CHECK-NEXT:    func.return %a : tensor<?x128xf32>

// Not fused: the gate activation is read elsewhere too (it must still be
// written), or gate and up read different inputs.

func.func @gate_used_twice(%h: tensor<1x64xf32>, %wg: !transformer.weight<128x64, f32>, %wu: !transformer.weight<128x64, f32>) -> (tensor<1x128xf32>, tensor<1x128xf32>) {
  %g = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wg : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x128xf32>
  %u = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wu : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x128xf32>
  %a = kernel.silu_mul ins(%g, %u : tensor<1x128xf32>, tensor<1x128xf32>) -> tensor<1x128xf32>
  func.return %a, %g : tensor<1x128xf32>, tensor<1x128xf32>
}

// CHECK-LABEL: func.func @gate_used_twice
// CHECK-NEXT:    %g = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wg : !transformer.weight<128x64, f32>)
// CHECK-NEXT:    %u = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wu : !transformer.weight<128x64, f32>)
// CHECK-NEXT:    %a = kernel.silu_mul ins(%g, %u : tensor<1x128xf32>, tensor<1x128xf32>) -> tensor<1x128xf32>

func.func @different_inputs(%h: tensor<?x64xf32>, %h2: tensor<?x64xf32>, %wg: !transformer.weight<128x64, f32>, %wu: !transformer.weight<128x64, f32>) -> tensor<?x128xf32> {
  %g = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wg : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  %u = kernel.gemm ins(%h2 : tensor<?x64xf32>) weights(%wu : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  %a = kernel.silu_mul ins(%g, %u : tensor<?x128xf32>, tensor<?x128xf32>) -> tensor<?x128xf32>
  func.return %a : tensor<?x128xf32>
}

// CHECK-LABEL: func.func @different_inputs
// CHECK-NEXT:    %g = kernel.gemm ins(%h : tensor<?x64xf32>)
// CHECK-NEXT:    %u = kernel.gemm ins(%h2 : tensor<?x64xf32>)
// CHECK-NEXT:    %a = kernel.silu_mul ins(%g, %u : tensor<?x128xf32>, tensor<?x128xf32>) -> tensor<?x128xf32>
