// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every verifier error of transformer.attention (Qwen3-0.6B shapes: 16 q heads,
// 8 kv heads, head_dim 128, so q is [T, 2048] and k, v are [T, 1024]).

func.func @attn_n_heads_zero(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 0 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_heads must be positive, got 0

// -----

func.func @attn_n_kv_heads_zero(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 0 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_kv_heads must be positive, got 0

// -----

func.func @attn_head_dim_negative(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = -128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: head_dim must be positive, got -128

// -----

func.func @attn_gqa_ratio(%q: tensor<?x2048xf32>, %k: tensor<?x768xf32>, %v: tensor<?x768xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 6 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: n_heads (16) must be a multiple of n_kv_heads (6)

// -----

func.func @attn_q_f16(%q: tensor<?x2048xf16>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf16>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: q must be an f32 tensor, got tensor<?x2048xf16>

// -----

func.func @attn_k_bf16(%q: tensor<?x2048xf32>, %k: tensor<?x1024xbf16>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xbf16>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: k must be an f32 tensor, got tensor<?x1024xbf16>

// -----

func.func @attn_v_i32(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xi32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xi32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: v must be an f32 tensor, got tensor<?x1024xi32>

// -----

func.func @attn_q_rank3(%q: tensor<?x16x128xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x16x128xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: q must have rank 2, got shape ?x16x128

// -----

func.func @attn_k_rank3(%q: tensor<?x2048xf32>, %k: tensor<?x8x128xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x8x128xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: k must have rank 2, got shape ?x8x128

// -----

func.func @attn_v_rank1(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: v must have rank 2, got shape 1024

// -----

func.func @attn_q_dynamic_features(%q: tensor<?x?xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x?xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: q must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @attn_k_dynamic_features(%q: tensor<?x2048xf32>, %k: tensor<?x?xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x?xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: k must have a static feature dimension, got tensor<?x?xf32>

// -----

func.func @attn_v_dynamic_features(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<3x?xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<3x?xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: v must have a static feature dimension, got tensor<3x?xf32>

// -----

func.func @attn_positions_i64(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi64>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi64>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: positions must be a tensor of i32, got tensor<?xi64>

// -----

func.func @attn_positions_rank2(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<1x?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<1x?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: positions must have rank 1, got shape 1x?

// -----

func.func @attn_k_tokens(%q: tensor<4x2048xf32>, %k: tensor<5x1024xf32>, %v: tensor<4x1024xf32>, %pos: tensor<4xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<4x2048xf32>, tensor<5x1024xf32>, tensor<4x1024xf32>, tensor<4xi32>) -> tensor<4x2048xf32>
  func.return
}
// CHECK: Operation does not verify: k has 5 tokens but q has 4

// -----

// q has a dynamic token count: k is the first operand with a known one.
func.func @attn_v_tokens(%q: tensor<?x2048xf32>, %k: tensor<5x1024xf32>, %v: tensor<6x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<5x1024xf32>, tensor<6x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: v has 6 tokens but k has 5

// -----

func.func @attn_positions_tokens(%q: tensor<4x2048xf32>, %k: tensor<4x1024xf32>, %v: tensor<4x1024xf32>, %pos: tensor<3xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<4x2048xf32>, tensor<4x1024xf32>, tensor<4x1024xf32>, tensor<3xi32>) -> tensor<4x2048xf32>
  func.return
}
// CHECK: Operation does not verify: positions has 3 tokens but q has 4

// -----

func.func @attn_q_width(%q: tensor<?x1024xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: q has width 1024, expected n_heads * head_dim = 2048

// -----

func.func @attn_k_width(%q: tensor<?x2048xf32>, %k: tensor<?x2048xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: k has width 2048, expected n_kv_heads * head_dim = 1024

// -----

func.func @attn_v_width(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x512xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x512xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: v has width 512, expected n_kv_heads * head_dim = 1024

// -----

func.func @attn_scale_zero(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: scale must be positive, got 0.0

// -----

func.func @attn_scale_negative(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = -0.125 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: scale must be positive, got -0.125

// -----

func.func @attn_kv_slot_negative(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32, kv_slot = -1 : i64} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return
}
// CHECK: Operation does not verify: kv_slot must be non-negative, got -1

// -----

func.func @attn_result_width(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x1024xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape ?x1024, expected ?x2048

// -----

func.func @attn_result_tokens(%q: tensor<4x2048xf32>, %k: tensor<4x1024xf32>, %v: tensor<4x1024xf32>, %pos: tensor<4xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<4x2048xf32>, tensor<4x1024xf32>, tensor<4x1024xf32>, tensor<4xi32>) -> tensor<1x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 1x2048, expected 4x2048

// -----

func.func @attn_result_f16(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf16>
  func.return
}
// CHECK: Operation does not verify: result must be an f32 tensor, got tensor<?x2048xf16>

// -----

func.func @attn_result_rank3(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x16x128xf32>
  func.return
}
// CHECK: Operation does not verify: result must have rank 2, got shape ?x16x128

// -----

func.func @attn_result_dynamic_features(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x?xf32>
  func.return
}
// CHECK: Operation does not verify: result must have a static feature dimension, got tensor<?x?xf32>

// -----

// q has a dynamic token count: the result must agree with k's 4.
func.func @attn_result_tokens_from_k(%q: tensor<?x2048xf32>, %k: tensor<4x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<4x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<5x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 5x2048, expected 4x2048

// -----

// Only the positions know the token count (3).
func.func @attn_result_tokens_from_positions(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<3xi32>) {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<3xi32>) -> tensor<4x2048xf32>
  func.return
}
// CHECK: Operation does not verify: result has shape 4x2048, expected 3x2048

// -----

func.func @seq_len_zero(%q: tensor<8x64xf32>, %pos: tensor<8xi32>) -> tensor<8x64xf32> {
  %a = transformer.attention %q, %q, %q, %pos {n_heads = 4 : i64, n_kv_heads = 4 : i64, head_dim = 16 : i64, scale = 0.25 : f32, seq_len = 0 : i64} : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8xi32>) -> tensor<8x64xf32>
  func.return %a : tensor<8x64xf32>
}
// CHECK: seq_len must be positive, got 0

// -----

func.func @seq_len_with_cache(%q: tensor<8x64xf32>, %pos: tensor<8xi32>) -> tensor<8x64xf32> {
  %a = transformer.attention %q, %q, %q, %pos {n_heads = 4 : i64, n_kv_heads = 4 : i64, head_dim = 16 : i64, scale = 0.25 : f32, kv_slot = 0 : i64, seq_len = 4 : i64} : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8xi32>) -> tensor<8x64xf32>
  func.return %a : tensor<8x64xf32>
}
// CHECK: seq_len (a batch of sequences) cannot be used with a kv_slot

// -----

func.func @seq_len_not_dividing(%q: tensor<8x64xf32>, %pos: tensor<8xi32>) -> tensor<8x64xf32> {
  %a = transformer.attention %q, %q, %q, %pos {n_heads = 4 : i64, n_kv_heads = 4 : i64, head_dim = 16 : i64, scale = 0.25 : f32, seq_len = 3 : i64} : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8xi32>) -> tensor<8x64xf32>
  func.return %a : tensor<8x64xf32>
}
// CHECK: 8 rows are not a whole number of sequences of seq_len 3
