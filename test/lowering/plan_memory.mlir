// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4}' | filecheck %s
// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4 kv_dtype="f16"}' | filecheck %s --check-prefix=F16
// Activations get arena slots sized for max_tokens (64-byte aligned); a slot is
// reused once its value is dead (%a takes %x's bytes, %h2 takes %h's); the last kernel writes
// straight into the logits argument; weights get offsets in weights.bump (the
// tied table once); attention binds its layer's K/V cache, [kv heads x
// context_len x head_dim] of f32 (f16 with kv_dtype=f16). Every entry function
// takes the thread id and count last. Nothing is replicated, so no thread has a
// private arena (ck.private_bytes = 0).

func.func @prefill(%tok: tensor<?xi32>, %pos: tensor<?xi32>) -> tensor<?x32xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<32x16, f32>
  %n = transformer.weight "output_norm.weight" : !transformer.weight<16, f16>
  %x = kernel.embedding ins(%tok, %e : tensor<?xi32>, !transformer.weight<32x16, f32>) {w_dtype = "f32"} -> tensor<?x16xf32>
  %h = kernel.rmsnorm ins(%x, %n : tensor<?x16xf32>, !transformer.weight<16, f16>) {eps = 1.0e-06 : f32} -> tensor<?x16xf32>
  %a = kernel.attention ins(%h, %h, %h, %pos : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?xi32>) {n_heads = 2 : i64, n_kv_heads = 2 : i64, head_dim = 8 : i64, scale = 0.35 : f32, variant = "prefill", kv_slot = 0 : i64} -> tensor<?x16xf32>
  %h2 = kernel.rmsnorm ins(%a, %n : tensor<?x16xf32>, !transformer.weight<16, f16>) {eps = 1.0e-06 : f32} -> tensor<?x16xf32>
  %l = kernel.gemm ins(%h2 : tensor<?x16xf32>) weights(%e : !transformer.weight<32x16, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x32xf32>
  func.return %l : tensor<?x32xf32>
}

// CHECK:      builtin.module attributes {ck.arena_bytes = 512 : i64, ck.private_bytes = 0 : i64, ck.weights_bytes = 2112 : i64, ck.kv_bytes = 2048 : i64, ck.context_len = 16 : i64, ck.max_tokens = 4 : i64, ck.slots = 1 : i64}
// CHECK:      func.func @prefill(%tokens: memref<?xi32>, %positions: memref<?xi32>, %logits: memref<?x32xf32>, %arena_buf: memref<?xi8>, %weights: memref<?xi8>, %kv: memref<?xi8>, %kv_slot: index, %tid: index, %nth: index) {
// CHECK-NEXT:   %arena = memory.arena %arena_buf {size = 512 : i64} : memref<?xi8>
// CHECK-NEXT:   %{{.*}} = arith.constant 0 : index
// CHECK-NEXT:   %n = memref.dim %tokens, %{{.*}} : memref<?xi32>
// CHECK-NEXT:   %e = memory.weight %weights "token_embd.weight" {offset = 0 : i64, size = 2048 : i64} : !transformer.weight<32x16, f32>
// f16 norm weights are packed as f32:
// CHECK-NEXT:   %n_1 = memory.weight %weights "output_norm.weight" {offset = 2048 : i64, size = 64 : i64} : !transformer.weight<16, f32>
// CHECK-NEXT:   %x = memory.slot %arena[%n] {offset = 0 : i64, size = 256 : i64} : memref<?x16xf32>
// CHECK-NEXT:   kernel.embedding ins(%tokens, %e : {{.*}}) outs(%x : memref<?x16xf32>)
// CHECK-NEXT:   %h = memory.slot %arena[%n] {offset = 256 : i64, size = 256 : i64} : memref<?x16xf32>
// CHECK-NEXT:   kernel.rmsnorm ins(%x, %n_1 : {{.*}}) outs(%h : memref<?x16xf32>)
// CHECK-NEXT:   %a = memory.slot %arena[%n] {offset = 0 : i64, size = 256 : i64} : memref<?x16xf32>
// CHECK-NEXT:   %l0_k_cache = memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x16x8xf32>
// CHECK-NEXT:   %l0_v_cache = memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "v", offset = 1024 : i64} : memref<2x16x8xf32>
// CHECK-NEXT:   kernel.attention ins(%h, %h, %h, %positions : {{.*}}) cache(%l0_k_cache, %l0_v_cache : memref<2x16x8xf32>, memref<2x16x8xf32>) outs(%a : memref<?x16xf32>)
// CHECK-NEXT:   %h2 = memory.slot %arena[%n] {offset = 256 : i64, size = 256 : i64} : memref<?x16xf32>
// CHECK-NEXT:   kernel.rmsnorm ins(%a, %n_1 : {{.*}}) outs(%h2 : memref<?x16xf32>)
// CHECK-NEXT:   kernel.gemm ins(%h2 : memref<?x16xf32>) weights(%e : {{.*}}) outs(%logits : memref<?x32xf32>)
// CHECK-NEXT:   func.return

// An f16 cache takes half the bytes (2 x 16 x 8 x 2 = 512 per region):
// F16:        builtin.module attributes {{{.*}}ck.kv_bytes = 1024 : i64
// F16:        %l0_k_cache = memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x16x8xf16>
// F16-NEXT:   %l0_v_cache = memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "v", offset = 512 : i64} : memref<2x16x8xf16>
// F16-NEXT:   kernel.attention {{.*}} cache(%l0_k_cache, %l0_v_cache : memref<2x16x8xf16>, memref<2x16x8xf16>)
