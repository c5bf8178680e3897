// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @unknown_w_dtype(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "q4_k", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: unknown w_dtype 'q4_k' (expected one of f32, f16, bf16, q8_0)

// -----

func.func @unknown_act_dtype(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f16"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: unknown act_dtype 'f16' (expected one of f32, q8_0)

// -----

func.func @gemv_rows(%x: tensor<4x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemv ins(%x : tensor<4x64xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.gemv: x must have one row, got shape 4x64 (kernel.gemm takes several)

// -----

func.func @storage_mismatch(%x: tensor<?x64xf32>) {
  %w = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<128x64, f16>
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f16>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: w_dtype q8_0 does not match the storage dtype f16 of w 'blk.0.attn_q.weight'

// -----

func.func @k_mismatch(%x: tensor<?x32xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x32xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: w has shape 128x64 ([N, K]) but x has 32 features

// -----

func.func @q8_act_needs_q8_weight(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f16>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f16>) {w_dtype = "f16", act_dtype = "q8_0"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: act_dtype q8_0 needs w_dtype q8_0, got f16

// -----

func.func @bias_dtype(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>, %b: !transformer.weight<128, f16>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) bias(%b : !transformer.weight<128, f16>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: bias must be stored as f32, got !transformer.weight<128, f16>

// -----

func.func @bias_shape(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>, %b: !transformer.weight<64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) bias(%b : !transformer.weight<64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: bias has shape 64, expected 128

// -----

func.func @weight_kind(%x: tensor<?x64xf32>, %w: tensor<128x64xf16>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : tensor<128x64xf16>) {w_dtype = "f16", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: w must be a !transformer.weight or an f32 tensor/memref, got tensor<128x64xf16>

// -----

func.func @weight_rank(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.gemm: w must have rank 2, got shape 64

// -----

func.func @y_shape(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.gemm: y has shape ?x64, expected ?x128
