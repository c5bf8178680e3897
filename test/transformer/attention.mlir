// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.attention: causal GQA, optionally bound to a KV-cache slot.

// Qwen3-0.6B prefill: 16 q heads, 8 kv heads, head_dim 128, scale 1/sqrt(128).
func.func @attention_prefill(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<?xi32>) -> tensor<?x2048xf32> {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  func.return %o : tensor<?x2048xf32>
}

// CHECK-LABEL: func.func @attention_prefill
// CHECK-SAME:    (%[[Q:[a-z0-9_]+]]: tensor<?x2048xf32>, %[[K:[a-z0-9_]+]]: tensor<?x1024xf32>, %[[V:[a-z0-9_]+]]: tensor<?x1024xf32>, %[[POS:[a-z0-9_]+]]: tensor<?xi32>)
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = transformer.attention %[[Q]], %[[K]], %[[V]], %[[POS]] {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
// CHECK-NEXT:    func.return %[[O]] : tensor<?x2048xf32>
// CHECK-NEXT:  }

// Decode step bound to KV-cache slot 27 (the last layer of Qwen3-0.6B), one token.
func.func @attention_kv_slot(%q: tensor<1x2048xf32>, %k: tensor<1x1024xf32>, %v: tensor<1x1024xf32>, %pos: tensor<1xi32>) -> tensor<1x2048xf32> {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32, kv_slot = 27 : i64} : (tensor<1x2048xf32>, tensor<1x1024xf32>, tensor<1x1024xf32>, tensor<1xi32>) -> tensor<1x2048xf32>
  func.return %o : tensor<1x2048xf32>
}

// CHECK-LABEL: func.func @attention_kv_slot
// CHECK-SAME:    (%[[Q:[a-z0-9_]+]]: tensor<1x2048xf32>, %[[K:[a-z0-9_]+]]: tensor<1x1024xf32>, %[[V:[a-z0-9_]+]]: tensor<1x1024xf32>, %[[POS:[a-z0-9_]+]]: tensor<1xi32>)
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = transformer.attention %[[Q]], %[[K]], %[[V]], %[[POS]] {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32, kv_slot = 27 : i64} : (tensor<1x2048xf32>, tensor<1x1024xf32>, tensor<1x1024xf32>, tensor<1xi32>) -> tensor<1x2048xf32>
// CHECK-NEXT:    func.return %[[O]] : tensor<1x2048xf32>
// CHECK-NEXT:  }

// Plain multi-head attention (n_kv_heads == n_heads), slot 0, static prefill of
// 12 tokens with scale 1/8 (head_dim 64).
func.func @attention_mha_slot0(%q: tensor<12x768xf32>, %pos: tensor<12xi32>) -> tensor<12x768xf32> {
  %o = transformer.attention %q, %q, %q, %pos {n_heads = 12 : i64, n_kv_heads = 12 : i64, head_dim = 64 : i64, scale = 1.250000e-01 : f32, kv_slot = 0 : i64} : (tensor<12x768xf32>, tensor<12x768xf32>, tensor<12x768xf32>, tensor<12xi32>) -> tensor<12x768xf32>
  func.return %o : tensor<12x768xf32>
}

// CHECK-LABEL: func.func @attention_mha_slot0
// CHECK-SAME:    (%[[Q:[a-z0-9_]+]]: tensor<12x768xf32>, %[[POS:[a-z0-9_]+]]: tensor<12xi32>)
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = transformer.attention %[[Q]], %[[Q]], %[[Q]], %[[POS]] {n_heads = 12 : i64, n_kv_heads = 12 : i64, head_dim = 64 : i64, scale = 1.250000e-01 : f32, kv_slot = 0 : i64}
// CHECK-NEXT:    func.return %[[O]] : tensor<12x768xf32>

// Dynamic q, k, v with static positions: the result takes the positions' token count.
func.func @attention_tokens_from_positions(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %v: tensor<?x1024xf32>, %pos: tensor<5xi32>) -> tensor<5x2048xf32> {
  %o = transformer.attention %q, %k, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<5xi32>) -> tensor<5x2048xf32>
  func.return %o : tensor<5x2048xf32>
}

// CHECK-LABEL: func.func @attention_tokens_from_positions
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = transformer.attention %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}} {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<5xi32>) -> tensor<5x2048xf32>
// CHECK-NEXT:    func.return %[[O]] : tensor<5x2048xf32>

// A training batch: rows hold 2 sequences of 4 tokens; attention stays within each.
func.func @batched(%q: tensor<8x64xf32>, %pos: tensor<8xi32>) -> tensor<8x64xf32> {
  %a = transformer.attention %q, %q, %q, %pos {n_heads = 4 : i64, n_kv_heads = 4 : i64, head_dim = 16 : i64, scale = 0.25 : f32, seq_len = 4 : i64} : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8xi32>) -> tensor<8x64xf32>
  func.return %a : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @batched
// CHECK-NEXT:    %a = transformer.attention %q, %q, %q, %pos {{{.*}}seq_len = 4 : i64} : (tensor<8x64xf32>
