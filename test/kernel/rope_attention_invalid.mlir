// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @n_rot(%x: tensor<?x128xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.rope ins(%x, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 33 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.rope: n_rot must be even and in 1..head_dim (32), got 33

// -----

func.func @style(%x: tensor<?x128xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.rope ins(%x, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "gptj"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.rope: unknown rope style 'gptj' (expected one of neox, norm)

// -----

func.func @theta(%x: tensor<?x128xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.rope ins(%x, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = -1.0 : f32, style = "neox"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.rope: theta must be positive, got -1{{$}}

// -----

func.func @positions_dtype(%x: tensor<?x128xf32>, %pos: tensor<?xi64>) {
  %0 = kernel.rope ins(%x, %pos : tensor<?x128xf32>, tensor<?xi64>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.rope: positions must be a tensor or memref of i32, got tensor<?xi64>

// -----

func.func @positions_tokens(%x: tensor<4x128xf32>, %pos: tensor<5xi32>) {
  %0 = kernel.rope ins(%x, %pos : tensor<4x128xf32>, tensor<5xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope: positions has 5 tokens but x has 4

// -----

func.func @gqa_groups(%q: tensor<?x96xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x96xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 3 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"} -> tensor<?x96xf32>
  func.return
}
// CHECK: kernel.attention: n_heads (3) must be a multiple of n_kv_heads (2)

// -----

func.func @kv_heads_positive(%q: tensor<?x128xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 0 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.attention: n_kv_heads must be positive, got 0

// -----

func.func @scale(%q: tensor<?x128xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.0 : f32, variant = "prefill"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.attention: scale must be positive, got 0{{$}}

// -----

func.func @kv_width(%q: tensor<?x128xf32>, %k: tensor<?x128xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.attention: k has width 128, expected n_kv_heads * head_dim = 64

// -----

func.func @q_width(%q: tensor<?x64xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.attention: q has width 64, expected n_heads * head_dim = 128

// -----

func.func @variant(%q: tensor<?x128xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "flash"} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.attention: unknown attention variant 'flash' (expected one of prefill, decode)

// -----

func.func @kv_slot(%q: tensor<?x128xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill", kv_slot = -1 : i64} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.attention: kv_slot must be non-negative, got -1

// -----

func.func @decode_one_token(%q: tensor<2x128xf32>, %k: tensor<2x64xf32>, %v: tensor<2x64xf32>, %pos: tensor<2xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<2x128xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64} -> tensor<2x128xf32>
  func.return
}
// CHECK: kernel.attention: decode attention takes one query token, got 2

// -----

func.func @decode_needs_cache(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode"} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.attention: decode attention needs kv_slot (the KV cache it reads)
