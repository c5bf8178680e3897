// RUN: ck-opt %s -p plan-threads | filecheck %s
// Each kernel gets a `split`: how the threads of the pool share its work.
// Decode (one token): matmuls split their rows; attention, and the ropes feeding
// its q and k, split by kv head (the ropes in groups of the query heads per kv
// head: 2 for q, 1 for k); the small per-token kernels (embedding, rmsnorm,
// quantize_act, rope_table) are replicated, unless their result is returned
// (then they split by tokens: a thread-private copy cannot be the output).

func.func @decode(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x256xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<256x64, q8_0>
  %n = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<128x64, q8_0>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<64x64, q8_0>
  %wv = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<64x64, q8_0>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<256x64, q8_0>) {w_dtype = "q8_0"} -> tensor<1x64xf32>
  %h, %h_q, %h_s, %h_m = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %q, %k, %v = kernel.gemv ins(%h_q, %h_s, %h_m : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wq, %wk, %wv : !transformer.weight<128x64, q8_0>, !transformer.weight<64x64, q8_0>, !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>
  %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.0e+06 : f32} -> tensor<1x32xf32>
  %qr = kernel.rope_apply ins(%q, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
  %kr = kernel.rope_apply ins(%k, %t : tensor<1x64xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x64xf32>
  %o = kernel.attention ins(%qr, %kr, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64} -> tensor<1x128xf32>
  %o_q, %o_s, %o_m = kernel.quantize_act ins(%o : tensor<1x128xf32>) -> tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x4xi32>
  %l = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%e : !transformer.weight<256x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x256xf32>
  func.return %l : tensor<1x256xf32>
}

// CHECK-LABEL: func.func @decode
// CHECK:         %x = kernel.embedding {{.*}} {w_dtype = "q8_0", split = "replicate"} -> tensor<1x64xf32>
// CHECK-NEXT:    %h, %h_q, %h_s, %h_m = kernel.rmsnorm {{.*}} {eps = 1.000000e-06 : f32, quantize = "q8_0", split = "replicate"}
// CHECK-NEXT:    %q, %k, %v = kernel.gemv {{.*}} {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
// CHECK-NEXT:    %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.000000e+06 : f32, split = "replicate"}
// CHECK-NEXT:    %qr = kernel.rope_apply ins(%q, %t : {{.*}}) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", group = 2 : i64, split = "heads"}
// CHECK-NEXT:    %kr = kernel.rope_apply ins(%k, %t : {{.*}}) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", group = 1 : i64, split = "heads"}
// CHECK-NEXT:    %o = kernel.attention {{.*}} {{{.*}}kv_slot = 0 : i64, split = "heads"}
// CHECK-NEXT:    %o_q, %o_s, %o_m = kernel.quantize_act ins(%o : tensor<1x128xf32>) {split = "replicate"}
// CHECK-NEXT:    %l = kernel.gemv {{.*}} {w_dtype = "q8_0", act_dtype = "f32", split = "rows"}

// A per-token kernel whose result is returned splits by tokens; a rope that feeds
// no attention too.
func.func @decode_returned(%tok: tensor<1xi32>, %pos: tensor<1xi32>, %e: !transformer.weight<256x64, f32>, %n: !transformer.weight<64, f32>) -> tensor<1x64xf32> {
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<256x64, f32>) {w_dtype = "f32"} -> tensor<1x64xf32>
  %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.0e+06 : f32} -> tensor<1x32xf32>
  %xr = kernel.rope_apply ins(%x, %t : tensor<1x64xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x64xf32>
  %h = kernel.rmsnorm ins(%xr, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  func.return %h : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @decode_returned
// CHECK-NEXT:    %x = kernel.embedding {{.*}} {w_dtype = "f32", split = "replicate"}
// CHECK-NEXT:    %t = kernel.rope_table {{.*}} {n_rot = 32 : i64, theta = 1.000000e+06 : f32, split = "replicate"}
// CHECK-NEXT:    %xr = kernel.rope_apply {{.*}} {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", split = "tokens"}
// CHECK-NEXT:    %h = kernel.rmsnorm {{.*}} {eps = 1.000000e-06 : f32, split = "tokens"}

// Prefill (a chunk of tokens): the per-token kernels split by tokens.
func.func @prefill(%tok: tensor<?xi32>, %pos: tensor<?xi32>, %e: !transformer.weight<256x64, f32>, %n: !transformer.weight<64, f32>, %w: !transformer.weight<64x64, f32>) -> tensor<?x64xf32> {
  %x = kernel.embedding ins(%tok, %e : tensor<?xi32>, !transformer.weight<256x64, f32>) {w_dtype = "f32"} -> tensor<?x64xf32>
  %h = kernel.rmsnorm ins(%x, %n : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>
  %y = kernel.gemm ins(%h : tensor<?x64xf32>) weights(%w : !transformer.weight<64x64, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x64xf32>
  func.return %y : tensor<?x64xf32>
}

// CHECK-LABEL: func.func @prefill
// CHECK-NEXT:    %x = kernel.embedding {{.*}} {w_dtype = "f32", split = "tokens"}
// CHECK-NEXT:    %h = kernel.rmsnorm {{.*}} {eps = 1.000000e-06 : f32, split = "tokens"}
// CHECK-NEXT:    %y = kernel.gemm {{.*}} {w_dtype = "f32", act_dtype = "f32", split = "rows"}

// Training functions (ck.grads) keep every kernel's default.
func.func @train(%tok: tensor<1xi32>, %e: !transformer.weight<256x64, f32>, %n: !transformer.weight<64, f32>) -> tensor<1x64xf32> attributes {ck.grads = []} {
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<256x64, f32>) {w_dtype = "f32"} -> tensor<1x64xf32>
  %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  func.return %h : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @train
// CHECK-NEXT:    %x = kernel.embedding {{.*}} {w_dtype = "f32"} -> tensor<1x64xf32>
// CHECK-NEXT:    %h = kernel.rmsnorm {{.*}} {eps = 1.000000e-06 : f32} -> tensor<1x64xf32>
