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
// CHECK: kernel.attention: unknown attention variant 'flash' (expected one of prefill, decode, batch)

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

// -----

func.func @value_form_caches(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>, %kc: memref<2x128x32xf32>, %vc: memref<2x128x32xf32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<2x128x32xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.attention: k_cache and v_cache belong to the destination-passing form: the value form's cache is implicit in kv_slot

// -----

func.func @dps_needs_caches(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: destination-passing attention with kv_slot needs k_cache and v_cache (the KV-cache buffers it reads and appends to)

// -----

// One cache only: the custom syntax cannot say it, the generic form can.
func.func @k_cache_alone(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x32xf32>, %out: memref<1x128xf32>) {
  "kernel.attention"(%q, %k, %v, %pos, %kc, %out) <{n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0, 0, 1>}> : (memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>, memref<2x128x32xf32>, memref<1x128xf32>) -> ()
  func.return
}
// CHECK: kernel.attention: k_cache needs v_cache: give both caches or neither

// -----

func.func @v_cache_alone(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %vc: memref<2x128x32xf32>, %out: memref<1x128xf32>) {
  "kernel.attention"(%q, %k, %v, %pos, %vc, %out) <{n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1, 0, 1>}> : (memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>, memref<2x128x32xf32>, memref<1x128xf32>) -> ()
  func.return
}
// CHECK: kernel.attention: v_cache needs k_cache: give both caches or neither

// -----

func.func @caches_need_kv_slot(%q: memref<4x128xf32>, %k: memref<4x64xf32>, %v: memref<4x64xf32>, %pos: memref<4xi32>, %kc: memref<2x128x32xf32>, %vc: memref<2x128x32xf32>, %out: memref<4x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<4x128xf32>, memref<4x64xf32>, memref<4x64xf32>, memref<4xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<2x128x32xf32>) outs(%out : memref<4x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"}
  func.return
}
// CHECK: kernel.attention: k_cache and v_cache need kv_slot (the cache slot they hold)

// -----

func.func @k_cache_head_dim(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x16xf32>, %vc: memref<2x128x32xf32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x16xf32>, memref<2x128x32xf32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: k_cache must be a memref<2 x C x 32 x f32 or f16> (n_kv_heads x context_len x head_dim), got memref<2x128x16xf32>

// -----

func.func @v_cache_kv_heads(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x32xf32>, %vc: memref<4x128x32xf32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<4x128x32xf32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: v_cache must be a memref<2 x C x 32 x f32 or f16> (n_kv_heads x context_len x head_dim), got memref<4x128x32xf32>

// -----

// The old layout, [context_len, n_kv_heads * head_dim], is no longer accepted.
func.func @cache_old_layout(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<128x64xf32>, %vc: memref<128x64xf32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<128x64xf32>, memref<128x64xf32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: k_cache must be a memref<2 x C x 32 x f32 or f16> (n_kv_heads x context_len x head_dim), got memref<128x64xf32>

// -----

func.func @cache_rank(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<8192xf32>, %vc: memref<2x128x32xf32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<8192xf32>, memref<2x128x32xf32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: k_cache must be a memref<2 x C x 32 x f32 or f16> (n_kv_heads x context_len x head_dim), got memref<8192xf32>

// -----

func.func @cache_element(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x32xf64>, %vc: memref<2x128x32xf64>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x32xf64>, memref<2x128x32xf64>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: k_cache must be a memref<2 x C x 32 x f32 or f16> (n_kv_heads x context_len x head_dim), got memref<2x128x32xf64>

// -----

// f16 caches are fine, but K and V must agree.
func.func @v_cache_element(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x32xf32>, %vc: memref<2x128x32xf16>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<2x128x32xf16>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: v_cache memref<2x128x32xf16> does not match k_cache memref<2x128x32xf32>

// -----

func.func @cache_context(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x32xf32>, %vc: memref<2x64x32xf32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<2x64x32xf32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}
// CHECK: kernel.attention: v_cache memref<2x64x32xf32> does not match k_cache memref<2x128x32xf32>

// -----

func.func @attention_quantize_kind(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, quantize = "q4_0"} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.attention: quantize must be one of q8_0, q8_k, got 'q4_0'

// -----

func.func @attention_quantize_results(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, quantize = "q8_0"} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.attention: expected 4 results (y, y_q, y_scales, y_sums), got 1

// -----

func.func @attention_quantize_sums(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>) {
  %0, %1, %2, %3 = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, quantize = "q8_0"} -> tensor<1x128xf32>, tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x128xi32>
  func.return
}
// CHECK: kernel.attention: y_sums has shape 1x128, expected 1x4

// -----

// Attention splits by kv head only.
func.func @attention_split(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, split = "replicate"} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.attention: unknown split for kernel.attention 'replicate' (expected one of heads)

// -----

// The rotation table: [T, n_rot] of cos then sin.
func.func @rope_table_n_rot(%pos: tensor<?xi32>) {
  %0 = kernel.rope_table ins(%pos : tensor<?xi32>) {n_rot = 31 : i64, theta = 1.0e+06 : f32} -> tensor<?x31xf32>
  func.return
}
// CHECK: kernel.rope_table: n_rot must be even and positive, got 31

// -----

func.func @rope_table_theta(%pos: tensor<?xi32>) {
  %0 = kernel.rope_table ins(%pos : tensor<?xi32>) {n_rot = 32 : i64, theta = 0.0 : f32} -> tensor<?x32xf32>
  func.return
}
// CHECK: kernel.rope_table: theta must be positive, got 0{{$}}

// -----

func.func @rope_table_shape(%pos: tensor<4xi32>) {
  %0 = kernel.rope_table ins(%pos : tensor<4xi32>) {n_rot = 32 : i64, theta = 1.0e+06 : f32} -> tensor<4x16xf32>
  func.return
}
// CHECK: kernel.rope_table: y has shape 4x16, expected 4x32

// -----

func.func @rope_table_positions(%pos: tensor<4xi64>) {
  %0 = kernel.rope_table ins(%pos : tensor<4xi64>) {n_rot = 32 : i64, theta = 1.0e+06 : f32} -> tensor<4x32xf32>
  func.return
}
// CHECK: kernel.rope_table: positions must be a tensor or memref of i32, got tensor<4xi64>

// -----

func.func @rope_apply_table(%x: tensor<4x128xf32>, %t: tensor<4x16xf32>) {
  %0 = kernel.rope_apply ins(%x, %t : tensor<4x128xf32>, tensor<4x16xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: table has shape 4x16, expected 4x32

// -----

func.func @rope_apply_n_rot(%x: tensor<4x128xf32>, %t: tensor<4x64xf32>) {
  %0 = kernel.rope_apply ins(%x, %t : tensor<4x128xf32>, tensor<4x64xf32>) {head_dim = 32 : i64, n_rot = 64 : i64, style = "neox"} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: n_rot must be even and in 1..head_dim (32), got 64

// -----

func.func @rope_apply_style(%x: tensor<4x128xf32>, %t: tensor<4x32xf32>) {
  %0 = kernel.rope_apply ins(%x, %t : tensor<4x128xf32>, tensor<4x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "gptj"} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: unknown rope style 'gptj' (expected one of neox, norm)

// -----

// With a norm weight (QK-norm folded in) eps is required, and only then allowed.
func.func @rope_apply_norm_needs_eps(%x: tensor<4x128xf32>, %t: tensor<4x32xf32>, %n: !transformer.weight<32, f32>) {
  %0 = kernel.rope_apply ins(%x, %t, %n : tensor<4x128xf32>, tensor<4x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: a norm weight needs eps

// -----

// The inverse rotation is rope's gradient: it rotates dy, with no QK-norm in front.
func.func @rope_apply_inverse_with_norm(%x: tensor<4x128xf32>, %t: tensor<4x32xf32>, %n: !transformer.weight<32, f32>) {
  %0 = kernel.rope_apply ins(%x, %t, %n : tensor<4x128xf32>, tensor<4x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.0e-06 : f32, inverse} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: an inverse rotation (a gradient) takes no norm weight

// -----

func.func @rope_apply_eps_without_norm(%x: tensor<4x128xf32>, %t: tensor<4x32xf32>) {
  %0 = kernel.rope_apply ins(%x, %t : tensor<4x128xf32>, tensor<4x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.0e-06 : f32} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: eps is only used with a norm weight

// -----

func.func @rope_apply_norm_shape(%x: tensor<4x128xf32>, %t: tensor<4x32xf32>, %n: !transformer.weight<128, f32>) {
  %0 = kernel.rope_apply ins(%x, %t, %n : tensor<4x128xf32>, tensor<4x32xf32>, !transformer.weight<128, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.0e-06 : f32} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: norm has shape 128, expected 32

// -----

func.func @rope_apply_norm_eps(%x: tensor<4x128xf32>, %t: tensor<4x32xf32>, %n: !transformer.weight<32, f32>) {
  %0 = kernel.rope_apply ins(%x, %t, %n : tensor<4x128xf32>, tensor<4x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = -1.0 : f32} -> tensor<4x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: eps must be positive, got -1{{$}}

// -----

func.func @rope_apply_group(%x: tensor<1x128xf32>, %t: tensor<1x32xf32>) {
  %0 = kernel.rope_apply ins(%x, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", split = "heads", group = 0 : i64} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: group must be positive, got 0

// -----

func.func @rope_apply_split(%x: tensor<1x128xf32>, %t: tensor<1x32xf32>) {
  %0 = kernel.rope_apply ins(%x, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", split = "replicate"} -> tensor<1x128xf32>
  func.return
}
// CHECK: kernel.rope_apply: unknown split for kernel.rope_apply 'replicate' (expected one of tokens, heads)

// -----

func.func @bwd_seq_len(%d: tensor<6x64xf32>, %pos: tensor<6xi32>) {
  %dq, %dk, %dv = kernel.attention_bwd ins(%d, %d, %d, %d, %pos : tensor<6x64xf32>, tensor<6x64xf32>, tensor<6x64xf32>, tensor<6x64xf32>, tensor<6xi32>) {n_heads = 4 : i64, n_kv_heads = 4 : i64, head_dim = 16 : i64, scale = 0.25 : f32, seq_len = 4 : i64} -> tensor<6x64xf32>, tensor<6x64xf32>, tensor<6x64xf32>
  func.return
}
// CHECK: kernel.attention_bwd: 6 rows are not a whole number of sequences of seq_len 4
