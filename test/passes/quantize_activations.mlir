// RUN: ck-opt %s -p quantize-activations | filecheck %s
// Every f32 input of a q8_0-activation matmul gets one kernel.quantize_act, right
// after the input is produced (at the start of the function for an argument),
// and the matmuls that read it take the (x_q, x_scales, x_sums) triple instead:
// q and k share one quantization. f32-activation matmuls keep reading f32.

func.func @decode(%x: tensor<1x64xf32>, %n: !transformer.weight<64, f32>, %wq: !transformer.weight<64x64, q8_0>, %wk: !transformer.weight<32x64, q8_0>, %wf: !transformer.weight<32x64, f16>, %wd: !transformer.weight<64x64, q8_0>) -> (tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>, tensor<1x64xf32>) {
  %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  %q = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  %k = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wk : !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x32xf32>
  %f = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wf : !transformer.weight<32x64, f16>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<1x32xf32>
  %d = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wd : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return %q, %k, %f, %d : tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>, tensor<1x64xf32>
}

// CHECK-LABEL: func.func @decode
// CHECK-NEXT:    %x_q, %x_scales, %x_sums = kernel.quantize_act ins(%x : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
// CHECK-NEXT:    %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.000000e-06 : f32} -> tensor<1x64xf32>
// CHECK-NEXT:    %h_q, %h_scales, %h_sums = kernel.quantize_act ins(%h : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
// CHECK-NEXT:    %q = kernel.gemv ins(%h_q, %h_scales, %h_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
// CHECK-NEXT:    %k = kernel.gemv ins(%h_q, %h_scales, %h_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wk : !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x32xf32>
// CHECK-NEXT:    %f = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wf : !transformer.weight<32x64, f16>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<1x32xf32>
// CHECK-NEXT:    %d = kernel.gemv ins(%x_q, %x_scales, %x_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wd : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
// CHECK-NEXT:    func.return %q, %k, %f, %d

// A prefill gemm keeps its bias; q8_0 weights with f32 activations are left alone.
func.func @prefill(%h: tensor<?x64xf32>, %wq: !transformer.weight<64x64, q8_0>, %bq: !transformer.weight<64, f32>, %wo: !transformer.weight<64x64, q8_0>, %y: tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %q = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) bias(%bq : !transformer.weight<64, f32>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<?x64xf32>
  %o = kernel.gemm ins(%y : tensor<?x64xf32>) weights(%wo : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x64xf32>
  func.return %q, %o : tensor<?x64xf32>, tensor<?x64xf32>
}

// CHECK-LABEL: func.func @prefill
// CHECK-NEXT:    %h_q, %h_scales, %h_sums = kernel.quantize_act ins(%h : tensor<?x64xf32>) -> tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>
// CHECK-NEXT:    %q = kernel.gemm ins(%h_q, %h_scales, %h_sums : tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) bias(%bq : !transformer.weight<64, f32>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<?x64xf32>
// CHECK-NEXT:    %o = kernel.gemm ins(%y : tensor<?x64xf32>) weights(%wo : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x64xf32>
// CHECK-NEXT:    func.return %q, %o
// CHECK-NOT:     kernel.quantize_act
