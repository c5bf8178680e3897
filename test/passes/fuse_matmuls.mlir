// RUN: ck-opt %s -p fuse-matmuls | filecheck %s
// Matmuls that read the same input with the same dtypes (and all or none with a
// bias) become one matmul over their weights, one output each, in order. The fused
// op goes where the first one was; the later weights' transformer.weight ops move
// up to it.

func.func @qkv(%x: tensor<1x64xf32>, %n: !transformer.weight<64, f32>) -> (tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>) {
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<64x64, q8_0>
  %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  %q = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<32x64, q8_0>
  %k = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wk : !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x32xf32>
  %wv = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<32x64, q8_0>
  %v = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wv : !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x32xf32>
  func.return %q, %k, %v : tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>
}

// CHECK-LABEL: func.func @qkv
// CHECK-NEXT:    %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<64x64, q8_0>
// CHECK-NEXT:    %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>)
// CHECK-NEXT:    %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<32x64, q8_0>
// CHECK-NEXT:    %wv = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<32x64, q8_0>
// CHECK-NEXT:    %q, %k, %v = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq, %wk, %wv : !transformer.weight<64x64, q8_0>, !transformer.weight<32x64, q8_0>, !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>
// CHECK-NEXT:    func.return %q, %k, %v : tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>

// q and k (both with a bias) fuse, biases in the same order; o (no bias) and v
// (f16 weights) stay apart.
func.func @bias_and_dtypes(%h: tensor<?x64xf32>, %wq: !transformer.weight<64x64, f32>, %wk: !transformer.weight<32x64, f32>, %wv: !transformer.weight<32x64, f16>, %wo: !transformer.weight<32x64, f32>, %bq: !transformer.weight<64, f32>, %bk: !transformer.weight<32, f32>) -> (tensor<?x64xf32>, tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x32xf32>) {
  %q = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wq : !transformer.weight<64x64, f32>) bias(%bq : !transformer.weight<64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x64xf32>
  %o = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wo : !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x32xf32>
  %k = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wk : !transformer.weight<32x64, f32>) bias(%bk : !transformer.weight<32, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x32xf32>
  %v = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wv : !transformer.weight<32x64, f16>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<?x32xf32>
  func.return %q, %k, %v, %o : tensor<?x64xf32>, tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x32xf32>
}

// CHECK-LABEL: func.func @bias_and_dtypes
// CHECK-NEXT:    %q, %k = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>) bias(%bq, %bk : !transformer.weight<64, f32>, !transformer.weight<32, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x64xf32>, tensor<?x32xf32>
// CHECK-NEXT:    %o = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wo : !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x32xf32>
// CHECK-NEXT:    %v = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%wv : !transformer.weight<32x64, f16>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<?x32xf32>
// CHECK-NEXT:    func.return %q, %k, %v, %o

// Matmuls that already have an epilogue are left alone.
func.func @epilogue(%h: tensor<1x64xf32>, %wg: !transformer.weight<64x64, f32>, %wu: !transformer.weight<64x64, f32>, %wo: !transformer.weight<32x64, f32>) -> (tensor<1x64xf32>, tensor<1x32xf32>) {
  %a = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wg, %wu : !transformer.weight<64x64, f32>, !transformer.weight<64x64, f32>) {w_dtype = "f32", act_dtype = "f32", epilogue = "silu_mul"} -> tensor<1x64xf32>
  %o = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wo : !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x32xf32>
  func.return %a, %o : tensor<1x64xf32>, tensor<1x32xf32>
}

// CHECK-LABEL: func.func @epilogue
// CHECK-NEXT:    %a = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wg, %wu : {{.*}}) {{{.*}}epilogue = "silu_mul"} -> tensor<1x64xf32>
// CHECK-NEXT:    %o = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wo : !transformer.weight<32x64, f32>) {{.*}} -> tensor<1x32xf32>
