// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4},lower-kernel-to-simd,remove-barriers' | filecheck %s
// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4},lower-kernel-to-simd' | filecheck %s --check-prefix=BEFORE
// lower-kernel-to-simd puts a ck_barrier after every kernel call (BEFORE);
// remove-barriers keeps one only right before a call whose bytes another thread
// may have touched since the last kept barrier, one of the two writing (from the
// kernels' ck.access argument attributes and the slots the calls pass), and drops
// the last one (the runtime's end-of-job rendezvous follows). Each entry function
// records how many it keeps in ck.barriers. The splits are what plan-threads gives
// a decode step.

// A replicated embedding and rmsnorm write the thread's private arena, which the
// rows-split gemv reads: no barrier. The second gemv reads all of the first one's
// output, of which each thread wrote only its rows: a barrier.
func.func @ffn(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x64xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<64x64, f32>
  %n = transformer.weight "blk.0.ffn_norm.weight" : !transformer.weight<64, f32>
  %w1 = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<64x64, q8_0>
  %w2 = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<64x64, q8_0>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<64x64, f32>) {w_dtype = "f32", split = "replicate"} -> tensor<1x64xf32>
  %h, %h_q, %h_s, %h_m = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0", split = "replicate"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %y = kernel.gemv ins(%h_q, %h_s, %h_m : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%w1 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"} -> tensor<1x64xf32>
  %z = kernel.gemv ins(%y : tensor<1x64xf32>) weights(%w2 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows"} -> tensor<1x64xf32>
  func.return %z : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @ffn(
// CHECK-SAME:      attributes {ck.barriers = 1 : i64}
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @embedding_f32_64x64_t1_all_avx512(%tokens, %{{.*}}, %x, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @rmsnorm_64_t1_all_avx512(%x, %{{.*}}, %h, %h_q, %h_s, %h_m, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @gemv_q8_0_64x64_q8in_avx512(%h_q, %h_s, %h_m, %{{.*}}, %{{.*}}, %y, %tid, %nth)
// CHECK-NEXT:    func.call @ck_barrier() {ck.comment = "wait: blk.0 ffn_down reads or writes what other threads touched"}
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @gemv_q8_0_64x64_avx512(%y, %{{.*}}, %{{.*}}, %logits, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.return

// BEFORE-LABEL: func.func @ffn(
// BEFORE:         func.call @embedding_f32_64x64_t1_all_avx512
// BEFORE-NEXT:    func.call @ck_barrier() : () -> ()
// BEFORE:         func.call @rmsnorm_64_t1_all_avx512
// BEFORE-NEXT:    func.call @ck_barrier() : () -> ()
// BEFORE:         func.call @gemv_q8_0_64x64_q8in_avx512
// BEFORE-NEXT:    func.call @ck_barrier() : () -> ()
// BEFORE:         func.call @gemv_q8_0_64x64_avx512
// BEFORE-NEXT:    func.call @ck_barrier() : () -> ()
// BEFORE-NEXT:    func.return

// Attention: the ropes read q and k by kv head, which the fused q|k|v gemv wrote by
// rows: a barrier. Attention reads the same heads of qr and kr that the same thread
// roped: no barrier. The output projection reads every head: a barrier. The add
// (not split) reads all of o: a barrier.
func.func @attn(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x64xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<64x64, f32>
  %n = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<64x64, f32>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<32x64, f32>
  %wv = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<32x64, f32>
  %wo = transformer.weight "blk.0.attn_output.weight" : !transformer.weight<64x64, f32>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<64x64, f32>) {w_dtype = "f32", split = "replicate"} -> tensor<1x64xf32>
  %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, split = "replicate"} -> tensor<1x64xf32>
  %q, %k, %v = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq, %wk, %wv : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>, !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32", split = "rows"} -> tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>
  %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 16 : i64, theta = 1.0e+06 : f32, split = "replicate"} -> tensor<1x16xf32>
  %qr = kernel.rope_apply ins(%q, %t : tensor<1x64xf32>, tensor<1x16xf32>) {head_dim = 16 : i64, n_rot = 16 : i64, style = "neox", group = 2 : i64, split = "heads"} -> tensor<1x64xf32>
  %kr = kernel.rope_apply ins(%k, %t : tensor<1x32xf32>, tensor<1x16xf32>) {head_dim = 16 : i64, n_rot = 16 : i64, style = "neox", group = 1 : i64, split = "heads"} -> tensor<1x32xf32>
  %a = kernel.attention ins(%qr, %kr, %v, %pos : tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 16 : i64, scale = 0.25 : f32, variant = "decode", kv_slot = 0 : i64, split = "heads"} -> tensor<1x64xf32>
  %o = kernel.gemv ins(%a : tensor<1x64xf32>) weights(%wo : !transformer.weight<64x64, f32>) {w_dtype = "f32", act_dtype = "f32", split = "rows"} -> tensor<1x64xf32>
  %r = kernel.add ins(%x, %o : tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  func.return %r : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @attn(
// CHECK-SAME:      attributes {ck.barriers = 3 : i64}
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @embedding_f32_64x64_t1_all_avx512
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @rmsnorm_64_t1_all_avx512
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @"gemv_f32_64+32+32x64_avx512"(%h, %{{.*}}, %{{.*}}, %{{.*}}, %q, %k, %v, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @rope_table_16_t1_all_avx512(%positions, %t, %tid, %nth)
// CHECK-NEXT:    func.call @ck_barrier() {ck.comment = "wait: qr reads or writes what other threads touched"}
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @rope_apply_neox_64_hd16_t1_avx512(%q, %t, %qr, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @rope_apply_neox_32_hd16_t1_avx512(%k, %t, %kr, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @attention_decode_h4_kv2_hd16_avx512(%qr, %kr, %v, %positions, %l0_k_cache, %l0_v_cache, %a, %tid, %nth)
// CHECK-NEXT:    func.call @ck_barrier() {ck.comment = "wait: blk.0 attn_output reads or writes what other threads touched"}
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @gemv_f32_64x64_avx512(%a, %{{.*}}, %o, %tid, %nth)
// CHECK-NEXT:    func.call @ck_barrier() {ck.comment = "wait: logits reads or writes what other threads touched"}
// CHECK-NOT:     @ck_barrier
// CHECK:         func.call @add_64_t1_avx512(%x, %o, %logits, %tid, %nth)
// CHECK-NOT:     @ck_barrier
// CHECK:         func.return

// BEFORE-LABEL: func.func @attn(
// BEFORE-NOT:     ck.barriers
// BEFORE:         func.call @rope_apply_neox_64_hd16_t1_avx512
// BEFORE-NEXT:    func.call @ck_barrier() : () -> ()
// BEFORE:         func.call @rope_apply_neox_32_hd16_t1_avx512
// BEFORE-NEXT:    func.call @ck_barrier() : () -> ()
