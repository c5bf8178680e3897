// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @unknown_w_dtype(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "iq2_xs", act_dtype = "f32"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: unknown w_dtype 'iq2_xs' (expected one of f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k)

// -----

func.func @unknown_act_dtype(%x: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<128x64, f32>) {w_dtype = "f32", act_dtype = "f16"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.gemm: unknown act_dtype 'f16' (expected one of f32, q8_0, q8_k)

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
// CHECK: kernel.gemm: act_dtype q8_0 needs block-quantized weights, got w_dtype f16

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

// -----

// Several weights (fused projections), the silu_mul epilogue, q8_0 inputs and
// quantized outputs.

func.func @x_operands(%xq: tensor<1x64xi8>, %xs: tensor<1x2xf32>, %w: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%xq, %xs : tensor<1x64xi8>, tensor<1x2xf32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: x must be one f32 activation or a q8_0 triple (q, scales, sums), got 2 operands

// -----

func.func @q8_input_needs_q8_act(%xq: tensor<1x64xi8>, %xs: tensor<1x2xf32>, %xsum: tensor<1x2xi32>, %w: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%xq, %xs, %xsum : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: an 8-bit input (x_q, x_scales, x_sums) needs act_dtype q8_0 or q8_k, got f32

// -----

func.func @q8_input_scales(%xq: tensor<1x64xi8>, %xs: tensor<1x64xf32>, %xsum: tensor<1x2xi32>, %w: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%xq, %xs, %xsum : tensor<1x64xi8>, tensor<1x64xf32>, tensor<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: x_scales has shape 1x64, expected 1x2

// -----

func.func @q8_input_sums_dtype(%xq: tensor<1x64xi8>, %xs: tensor<1x2xf32>, %xsum: tensor<1x2xf32>, %w: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%xq, %xs, %xsum : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xf32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: x_sums must be a tensor or memref of i32, got tensor<1x2xf32>

// -----

func.func @second_weight_k(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, f32>, %wk: !transformer.weight<32x32, f32>) {
  %0, %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, f32>, !transformer.weight<32x32, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x32xf32>
  func.return
}
// CHECK: kernel.gemv: w_1 has shape 32x32 ([N, K]) but x has 64 features

// -----

func.func @second_weight_dtype(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, q8_0>, %wk: !transformer.weight<32x64, f16>) {
  %0, %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, q8_0>, !transformer.weight<32x64, f16>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x32xf32>
  func.return
}
// CHECK: kernel.gemv: w_dtype q8_0 does not match the storage dtype f16 of w_1

// -----

func.func @one_result_per_weight(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, f32>, %wk: !transformer.weight<32x64, f32>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: expected 2 results (y_0, y_1), got 1

// -----

func.func @second_output_shape(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, f32>, %wk: !transformer.weight<32x64, f32>) {
  %0, %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: y_1 has shape 1x64, expected 1x32

// -----

func.func @bias_count(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, f32>, %wk: !transformer.weight<32x64, f32>, %bq: !transformer.weight<64, f32>) {
  %0, %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>) bias(%bq : !transformer.weight<64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x32xf32>
  func.return
}
// CHECK: kernel.gemv: 1 biases for 2 weights (give one per weight or none)

// -----

func.func @second_bias_shape(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, f32>, %wk: !transformer.weight<32x64, f32>, %bq: !transformer.weight<64, f32>) {
  %0, %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>) bias(%bq, %bq : !transformer.weight<64, f32>, !transformer.weight<64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x32xf32>
  func.return
}
// CHECK: kernel.gemv: bias_1 has shape 64, expected 32

// -----

func.func @silu_mul_one_weight(%x: tensor<1x64xf32>, %wg: !transformer.weight<96x64, q8_0>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wg : !transformer.weight<96x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", epilogue = "silu_mul"} -> tensor<1x96xf32>
  func.return
}
// CHECK: kernel.gemv: epilogue silu_mul takes two weights of the same shape (gate, up), got rows [96]

// -----

func.func @silu_mul_shapes(%x: tensor<1x64xf32>, %wg: !transformer.weight<96x64, q8_0>, %wu: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wg, %wu : !transformer.weight<96x64, q8_0>, !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", epilogue = "silu_mul"} -> tensor<1x96xf32>
  func.return
}
// CHECK: kernel.gemv: epilogue silu_mul takes two weights of the same shape (gate, up), got rows [96, 64]

// -----

// The epilogue's single output is silu(x gate^T) * (x up^T).
func.func @silu_mul_one_output(%x: tensor<1x64xf32>, %wg: !transformer.weight<96x64, q8_0>, %wu: !transformer.weight<96x64, q8_0>) {
  %0, %1 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wg, %wu : !transformer.weight<96x64, q8_0>, !transformer.weight<96x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", epilogue = "silu_mul"} -> tensor<1x96xf32>, tensor<1x96xf32>
  func.return
}
// CHECK: kernel.gemv: expected 1 results (y), got 2

// -----

func.func @unknown_epilogue(%x: tensor<1x64xf32>, %wg: !transformer.weight<96x64, q8_0>, %wu: !transformer.weight<96x64, q8_0>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wg, %wu : !transformer.weight<96x64, q8_0>, !transformer.weight<96x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", epilogue = "gelu_mul"} -> tensor<1x96xf32>
  func.return
}
// CHECK: kernel.gemv: unknown epilogue 'gelu_mul' (expected one of silu_mul)

// -----

// quantize adds y_q, y_scales, y_sums after a single y.
func.func @quantize_two_outputs(%x: tensor<1x64xf32>, %wq: !transformer.weight<64x64, q8_0>, %wk: !transformer.weight<32x64, q8_0>) {
  %0, %1, %2, %3, %4 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%wq, %wk : !transformer.weight<64x64, q8_0>, !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  func.return
}
// CHECK: kernel.gemv: quantize needs a single output (one weight, or the silu_mul epilogue)

// -----

func.func @quantize_kind(%x: tensor<1x64xf32>, %w: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", quantize = "q4_0"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: quantize must be one of q8_0, q8_k, got 'q4_0'

// -----

func.func @quantize_results(%x: tensor<1x64xf32>, %w: !transformer.weight<64x64, q8_0>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", quantize = "q8_0"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: expected 4 results (y, y_q, y_scales, y_sums), got 1

// -----

func.func @quantize_block(%x: tensor<1x64xf32>, %w: !transformer.weight<48x64, q8_0>) {
  %0, %1, %2, %3 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<48x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", quantize = "q8_0"} -> tensor<1x48xf32>, tensor<1x48xi8>, tensor<1x1xf32>, tensor<1x1xi32>
  func.return
}
// CHECK: kernel.gemv: y has 48 features, not a multiple of the q8_0 block 32

// -----

func.func @quantize_scales_shape(%x: tensor<1x64xf32>, %w: !transformer.weight<64x64, q8_0>) {
  %0, %1, %2, %3 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x4xf32>, tensor<1x2xi32>
  func.return
}
// CHECK: kernel.gemv: y_scales has shape 1x4, expected 1x2

// -----

// Matmuls split their rows among the threads, never their tokens.
func.func @split(%x: tensor<1x64xf32>, %w: !transformer.weight<64x64, f32>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<64x64, f32>) {w_dtype = "f32", act_dtype = "f32", split = "tokens"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: unknown split for kernel.gemv 'tokens' (expected one of rows)

// -----

func.func @no_weights(%x: tensor<1x64xf32>) {
  %0 = "kernel.gemv"(%x) <{w_dtype = "f32", act_dtype = "f32", operandSegmentSizes = array<i32: 1, 0, 0, 0>}> : (tensor<1x64xf32>) -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.gemv: needs at least one weight

// -----

func.func @schedule_rows(%x: tensor<?x64xf32>, %w: !transformer.weight<48x64, f32>) {
  %0 = kernel.gemm ins(%x : tensor<?x64xf32>) weights(%w : !transformer.weight<48x64, f32>) {w_dtype = "f32", act_dtype = "f32", schedule = #kernel.schedule<rows = 32, tokens = 4, streams = 1>} -> tensor<?x48xf32>
  func.return
}
// CHECK: kernel.gemm: schedule rows 32 do not divide the 48 rows of an output

// -----

func.func @schedule_gemv_tokens(%x: tensor<1x64xf32>, %w: !transformer.weight<32x64, f32>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32", schedule = #kernel.schedule<rows = 16, tokens = 2, streams = 1>} -> tensor<1x32xf32>
  func.return
}
// CHECK: kernel.gemv: a gemv schedule has one token per tile, got 2

// -----

func.func @schedule_zero(%x: tensor<1x64xf32>, %w: !transformer.weight<32x64, f32>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32", schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 0>} -> tensor<1x32xf32>
  func.return
}
// CHECK: #kernel.schedule streams must be at least 1, got 0

// -----

func.func @schedule_dot(%x: tensor<1x64xf32>, %w: !transformer.weight<32x64, f32>) {
  %0 = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w : !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32", schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 1, dot = f16>} -> tensor<1x32xf32>
  func.return
}
// CHECK: #kernel.schedule dot must be one of f32, bf16, got 'f16'
