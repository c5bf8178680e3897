// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4}' | filecheck %s
// Kernels with split = "replicate" (every thread computes all of it) write the
// calling thread's private arena: a memory.thread_arena after the shared arena,
// at the same offset and size in every function (after the largest shared arena,
// sized for the largest private peak: ck.private_bytes). Private slots are reused
// as soon as their value is dead; shared slots only after the next point where
// the threads meet (another thread may still be reading them). The entry functions
// take the thread id and count last. (The splits are what plan-threads gives.)

func.func @decode(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x64xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<64x64, f32>
  %n = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %w1 = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<64x64, q8_0>
  %w2 = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<64x64, q8_0>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<64x64, f32>) {w_dtype = "f32", split = "replicate"} -> tensor<1x64xf32>
  %h, %h_q, %h_s, %h_m = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0", split = "replicate"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %y = kernel.gemv ins(%h_q, %h_s, %h_m : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%w1 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"} -> tensor<1x64xf32>
  %z = kernel.gemv ins(%y : tensor<1x64xf32>) weights(%w2 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows"} -> tensor<1x64xf32>
  func.return %z : tensor<1x64xf32>
}

// CHECK:       builtin.module attributes {ck.arena_bytes = 1152 : i64, ck.private_bytes = 704 : i64, ck.weights_bytes = 74496 : i64, ck.kv_bytes = 4096 : i64, ck.context_len = 16 : i64, ck.max_tokens = 4 : i64, ck.slots = 1 : i64}
// CHECK-LABEL: func.func @decode(%tokens: memref<1xi32>, %positions: memref<1xi32>, %logits: memref<1x64xf32>, %arena_buf: memref<?xi8>, %weights: memref<?xi8>, %kv: memref<?xi8>, %kv_slot: index, %tid: index, %nth: index) {
// CHECK-NEXT:    %arena = memory.arena %arena_buf {size = 256 : i64} : memref<?xi8>
// CHECK-NEXT:    %mine = memory.thread_arena %arena_buf, %tid {offset = 1152 : i64, size = 704 : i64} : memref<?xi8>
// CHECK:         %x = memory.slot %mine {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    kernel.embedding ins(%tokens, %e : {{.*}}) outs(%x : memref<1x64xf32>) {w_dtype = "f32", split = "replicate"}
// CHECK-NEXT:    %h = memory.slot %mine {offset = 256 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    %h_q = memory.slot %mine {offset = 512 : i64, size = 64 : i64} : memref<1x64xi8>
// CHECK-NEXT:    %h_s = memory.slot %mine {offset = 576 : i64, size = 64 : i64} : memref<1x2xf32>
// CHECK-NEXT:    %h_m = memory.slot %mine {offset = 640 : i64, size = 64 : i64} : memref<1x2xi32>
// CHECK-NEXT:    kernel.rmsnorm ins(%x, %n : {{.*}}) outs(%h, %h_q, %h_s, %h_m : memref<1x64xf32>, memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) {eps = 1.000000e-06 : f32, quantize = "q8_0", split = "replicate"}
// CHECK-NEXT:    %y = memory.slot %arena {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    kernel.gemv ins(%h_q, %h_s, %h_m : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%w1 : !transformer.weight<64x64, q8_0>) outs(%y : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
// CHECK-NEXT:    kernel.gemv ins(%y : memref<1x64xf32>) weights(%w2 : !transformer.weight<64x64, q8_0>) outs(%logits : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows"}
// CHECK-NEXT:    func.return

// q and k die at their ropes, but attention (split by the same heads as the ropes)
// is no meeting point, so %a does not take q's bytes: %o, after the threads meet
// before the output projection, does. The rope table takes %h's private bytes as
// soon as the gemv has read %h.
func.func @attn(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x64xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<64x64, f32>
  %n = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<64x64, f32>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<32x64, f32>
  %wv = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<32x64, f32>
  %wo = transformer.weight "blk.0.attn_output.weight" : !transformer.weight<64x64, f32>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<64x64, f32>) {w_dtype = "f32", split = "replicate"} -> tensor<1x64xf32>
  %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.000000e-06 : f32, split = "replicate"} -> tensor<1x64xf32>
  %q, %k, %v = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq, %wk, %wv : !transformer.weight<64x64, f32>, !transformer.weight<32x64, f32>, !transformer.weight<32x64, f32>) {w_dtype = "f32", act_dtype = "f32", split = "rows"} -> tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>
  %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 16 : i64, theta = 1.000000e+06 : f32, split = "replicate"} -> tensor<1x16xf32>
  %qr = kernel.rope_apply ins(%q, %t : tensor<1x64xf32>, tensor<1x16xf32>) {head_dim = 16 : i64, n_rot = 16 : i64, style = "neox", group = 2 : i64, split = "heads"} -> tensor<1x64xf32>
  %kr = kernel.rope_apply ins(%k, %t : tensor<1x32xf32>, tensor<1x16xf32>) {head_dim = 16 : i64, n_rot = 16 : i64, style = "neox", group = 1 : i64, split = "heads"} -> tensor<1x32xf32>
  %a = kernel.attention ins(%qr, %kr, %v, %pos : tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 16 : i64, scale = 2.500000e-01 : f32, variant = "decode", kv_slot = 0 : i64, split = "heads"} -> tensor<1x64xf32>
  %o = kernel.gemv ins(%a : tensor<1x64xf32>) weights(%wo : !transformer.weight<64x64, f32>) {w_dtype = "f32", act_dtype = "f32", split = "rows"} -> tensor<1x64xf32>
  %r = kernel.add ins(%x, %o : tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  func.return %r : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @attn(
// CHECK-NEXT:    %arena = memory.arena %arena_buf {size = 1152 : i64} : memref<?xi8>
// CHECK-NEXT:    %mine = memory.thread_arena %arena_buf, %tid {offset = 1152 : i64, size = 704 : i64} : memref<?xi8>
// CHECK:         %h = memory.slot %mine {offset = 256 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK:         %q = memory.slot %arena {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    %k = memory.slot %arena {offset = 256 : i64, size = 128 : i64} : memref<1x32xf32>
// CHECK-NEXT:    %v = memory.slot %arena {offset = 384 : i64, size = 128 : i64} : memref<1x32xf32>
// CHECK-NEXT:    kernel.gemv ins(%h : memref<1x64xf32>) {{.*}} outs(%q, %k, %v : {{.*}}) {{{.*}}split = "rows"}
// CHECK-NEXT:    %t = memory.slot %mine {offset = 256 : i64, size = 64 : i64} : memref<1x16xf32>
// CHECK-NEXT:    kernel.rope_table ins(%positions : memref<1xi32>) outs(%t : memref<1x16xf32>)
// CHECK-NEXT:    %qr = memory.slot %arena {offset = 512 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    kernel.rope_apply ins(%q, %t : {{.*}}) outs(%qr : memref<1x64xf32>)
// CHECK-NEXT:    %kr = memory.slot %arena {offset = 768 : i64, size = 128 : i64} : memref<1x32xf32>
// CHECK-NEXT:    kernel.rope_apply ins(%k, %t : {{.*}}) outs(%kr : memref<1x32xf32>)
// CHECK-NEXT:    %a = memory.slot %arena {offset = 896 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK:         kernel.attention ins(%qr, %kr, %v, %positions : {{.*}}) cache(%l0_k_cache, %l0_v_cache : memref<2x16x16xf32>, memref<2x16x16xf32>) outs(%a : memref<1x64xf32>)
// CHECK-NEXT:    %o = memory.slot %arena {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    kernel.gemv ins(%a : memref<1x64xf32>) {{.*}} outs(%o : memref<1x64xf32>)
// CHECK-NEXT:    kernel.add ins(%x, %o : memref<1x64xf32>, memref<1x64xf32>) outs(%logits : memref<1x64xf32>)
