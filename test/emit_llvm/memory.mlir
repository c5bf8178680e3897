// The memory dialect as LLVM IR: every buffer is its base pointer plus a byte offset
// (getelementptr inbounds i8), as the C target's `(float *)(arena_buf + 4096)`; a thread's
// private arena is offset + tid * size, a sequence's KV cache offset + kv_slot * stride.
// Runtime functions are declarations, called with the IR's signature.
// RUN: ck-translate %s -t llvm | filecheck %s
// RUN: ck-translate %s -t llvm | %python %S/Inputs/jit.py -

func.func private @ck_barrier() -> () attributes {ck.runtime_abi}
func.func private @scale(%x: memref<1x64xf32>, %w: memref<64xf32>, %c: memref<2x64x16xf32>) {
  func.return
}
func.func @ck_decode(%tokens: memref<1xi32>, %positions: memref<1xi32>, %logits: memref<1x300xf32>, %arena_buf: memref<?xi8>, %weights: memref<?xi8>, %kv: memref<?xi8>, %kv_slot: index, %tid: index, %nth: index) {
  %arena = memory.arena %arena_buf {size = 1344 : i64} : memref<?xi8>
  %mine = memory.thread_arena %arena_buf, %tid {offset = 12416 : i64, size = 960 : i64} : memref<?xi8>
  %x = memory.slot %mine {offset = 64 : i64, size = 256 : i64} : memref<1x64xf32>
  %y = memory.slot %arena {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
  %norm = memory.weight %weights "blk.0.attn_norm.weight" {offset = 20416 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  %norm_data = memory.weight_view %norm {part = "data"} : !transformer.weight<64, f32> -> memref<64xf32>
  %k_cache = memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x64x16xf32>
  %v_cache = memory.kv_cache %kv[%kv_slot] {layer = 0 : i64, kind = "v", offset = 16384 : i64} : memref<2x64x16xf32>
  func.call @scale(%x, %norm_data, %k_cache) : (memref<1x64xf32>, memref<64xf32>, memref<2x64x16xf32>) -> ()
  func.call @ck_barrier() : () -> ()
  func.call @scale(%y, %norm_data, %v_cache) : (memref<1x64xf32>, memref<64xf32>, memref<2x64x16xf32>) -> ()
  func.return
}

// CHECK-LABEL: define internal void @scale(ptr %x, ptr %w, ptr %c)
// CHECK-LABEL: define void @ck_decode(ptr %tokens, ptr %positions, ptr %logits, ptr %arena_buf, i64 %arena_buf_d0, ptr %weights, i64 %weights_d0, ptr %kv, i64 %kv_d0, i64 %kv_slot, i64 %tid, i64 %nth)
// CHECK-NEXT:  entry:
// CHECK-NEXT:    %[[T:.*]] = mul nsw i64 %tid, 960
// CHECK-NEXT:    %[[O:.*]] = add nsw i64 12416, %[[T]]
// CHECK-NEXT:    %mine = getelementptr inbounds i8, ptr %arena_buf, i64 %[[O]]
// CHECK-NEXT:    %x = getelementptr inbounds i8, ptr %mine, i64 64
// CHECK-NEXT:    %norm = getelementptr inbounds i8, ptr %weights, i64 20416
// CHECK-NEXT:    %norm_data = getelementptr inbounds i8, ptr %weights, i64 20416
// CHECK-NEXT:    %[[S:.*]] = mul nsw i64 %kv_slot, 8192
// CHECK-NEXT:    %k_cache = getelementptr inbounds i8, ptr %kv, i64 %[[S]]
// CHECK-NEXT:    %[[S2:.*]] = mul nsw i64 %kv_slot, 8192
// CHECK-NEXT:    %[[O2:.*]] = add nsw i64 16384, %[[S2]]
// CHECK-NEXT:    %v_cache = getelementptr inbounds i8, ptr %kv, i64 %[[O2]]
// CHECK-NEXT:    call void @scale(ptr %x, ptr %norm_data, ptr %k_cache)
// CHECK-NEXT:    call void @ck_barrier()
// CHECK-NEXT:    call void @scale(ptr %arena_buf, ptr %norm_data, ptr %v_cache)
// CHECK-NEXT:    ret void
// CHECK:       declare void @ck_barrier()
// CHECK:       attributes #0 = { nounwind }
