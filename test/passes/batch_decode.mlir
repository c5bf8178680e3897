// RUN: ck-opt %s -p batch-decode | filecheck %s
// RUN: ck-opt %s -p 'batch-decode,plan-memory{context_len=16 max_tokens=4 slots=3}' | filecheck %s --check-prefix=MEM
// batch-decode clones the prefill entry into @ck_decode_batch, one decode step of several
// sequences: a third input names each row's sequence; the attention over the KV cache reads
// and appends to that sequence's cache (variant "batch"); the lm head computes every row;
// the matmul over f32 activations takes the decode step's one-row schedule, so every row is
// summed as a one-token step sums it. The q8_0-activation matmul keeps whatever schedule it
// gets later: its int8 kernel sums each row in one order for any register tile.

func.func @ck_prefill(%tokens: tensor<?xi32>, %positions: tensor<?xi32>) -> tensor<?x64xf32> {
  %emb = transformer.weight "token_embd.weight" : !transformer.weight<64x32, f32>
  %wo = transformer.weight "blk.0.attn_output.weight" : !transformer.weight<32x32, f32>
  %x = kernel.embedding ins(%tokens, %emb : tensor<?xi32>, !transformer.weight<64x32, f32>) {w_dtype = "f32"} -> tensor<?x32xf32>
  %k = kernel.embedding ins(%tokens, %emb : tensor<?xi32>, !transformer.weight<64x32, f32>) {w_dtype = "f32"} -> tensor<?x32xf32>
  %attn = kernel.attention ins(%x, %k, %k, %positions : tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x32xf32>, tensor<?xi32>) {n_heads = 2 : i64, n_kv_heads = 2 : i64, head_dim = 16 : i64, scale = 2.500000e-01 : f32, variant = "prefill", kv_slot = 0 : i64} -> tensor<?x32xf32>
  %o = kernel.gemm ins(%attn : tensor<?x32xf32>) weights(%wo : !transformer.weight<32x32, f32>) {w_dtype = "f32", act_dtype = "f32"} -> tensor<?x32xf32>
  %logits = kernel.gemm ins(%o : tensor<?x32xf32>) weights(%emb : !transformer.weight<64x32, f32>) {w_dtype = "f32", act_dtype = "f32", last_rows} -> tensor<?x64xf32>
  func.return %logits : tensor<?x64xf32>
}

// The prefill entry is left as it was.
// CHECK-LABEL: func.func @ck_prefill(
// CHECK:         variant = "prefill", kv_slot = 0 : i64}
// CHECK:         kernel.gemm {{.*}} {w_dtype = "f32", act_dtype = "f32", last_rows}

// CHECK-LABEL: func.func @ck_decode_batch(%tokens: tensor<?xi32>, %positions: tensor<?xi32>, %slots: tensor<?xi32>) -> tensor<?x64xf32> attributes {ck.batch} {
// CHECK:         %attn = kernel.attention ins(%x, %k, %k, %positions : {{.*}}) slots(%slots : tensor<?xi32>) {n_heads = 2 : i64, n_kv_heads = 2 : i64, head_dim = 16 : i64, scale = 2.500000e-01 : f32, variant = "batch", kv_slot = 0 : i64} -> tensor<?x32xf32>
// CHECK-NEXT:    %o = kernel.gemm {{.*}} {w_dtype = "f32", act_dtype = "f32", schedule = #kernel.schedule<rows = 1, tokens = 1, streams = 1>}
// CHECK-NEXT:    %logits = kernel.gemm {{.*}} {w_dtype = "f32", act_dtype = "f32", schedule = #kernel.schedule<rows = 1, tokens = 1, streams = 1>}
// CHECK-NEXT:    func.return %logits

// At the memory level each KV region holds three sequences' caches (2 heads x 16 positions x
// 16 x 4 bytes = 2048 each): a one-sequence entry takes the sequence as %kv_slot, the batched
// step views them all and takes each row's sequence from %slots.
// MEM:         builtin.module attributes {{{.*}}ck.kv_bytes = 12288 : i64{{.*}}ck.slots = 3 : i64}
// MEM-LABEL:   func.func @ck_prefill(
// MEM-SAME:      %kv: memref<?xi8>, %kv_slot: index, %tid: index, %nth: index)
// MEM:           memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x16x16xf32>
// MEM:           memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "v", offset = 6144 : i64} : memref<2x16x16xf32>
// MEM-LABEL:   func.func @ck_decode_batch(%tokens: memref<?xi32>, %positions: memref<?xi32>, %slots: memref<?xi32>, %logits: memref<?x64xf32>, %arena_buf: memref<?xi8>, %weights: memref<?xi8>, %kv: memref<?xi8>, %tid: index, %nth: index)
// MEM:           %[[K:.*]] = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<3x2x16x16xf32>
// MEM:           %[[V:.*]] = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 6144 : i64} : memref<3x2x16x16xf32>
// MEM:           kernel.attention ins({{.*}}) cache(%[[K]], %[[V]] : memref<3x2x16x16xf32>, memref<3x2x16x16xf32>) slots(%slots : memref<?xi32>) outs(
