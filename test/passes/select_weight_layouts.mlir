// RUN: ck-opt %s -p select-weight-layouts | filecheck %s
// RUN: ck-opt %s -p 'select-weight-layouts{rp16=false}' | filecheck %s --check-prefix=OFF
// A q8_0 weight read only by int8 dot-product matmuls (a q8_0 input triple) and
// embedding lookups is packed as rp16; any other keeps the rows layout, with the
// reason in ck.layout_reason: a matmul with f32 activations (in any function: the
// blob is shared), or rows not a multiple of 16. Then the blob is laid out again in
// first-seen order (the input offsets here are stale), and ck.weights_bytes set.

func.func @decode(%blob: memref<?xi8>, %xq: memref<1x64xi8>, %xs: memref<1x2xf32>, %xm: memref<1x2xi32>, %x: memref<1x64xf32>, %tok: memref<1xi32>, %y1: memref<1x64xf32>, %y2: memref<1x64xf32>, %y3: memref<1x40xf32>, %y4: memref<1x64xf32>, %e_out: memref<1x64xf32>) {
  %wq = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %wo = memory.weight %blob "blk.0.attn_output.weight" {offset = 8192 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %wk = memory.weight %blob "blk.0.attn_k.weight" {offset = 16384 : i64, size = 2752 : i64} : !transformer.weight<40x64, q8_0>
  %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 24576 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  %wu = memory.weight %blob "blk.0.ffn_up.weight" {offset = 32768 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %e = memory.weight %blob "token_embd.weight" {offset = 40960 : i64, size = 17408 : i64} : !transformer.weight<256x64, q8_0>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) outs(%y1 : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.gemv ins(%x : memref<1x64xf32>) weights(%wo : !transformer.weight<64x64, q8_0>) outs(%y2 : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%wk : !transformer.weight<40x64, q8_0>) outs(%y3 : memref<1x40xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%wu : !transformer.weight<64x64, q8_0>) outs(%y4 : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.embedding ins(%tok, %e : memref<1xi32>, !transformer.weight<256x64, q8_0>) outs(%e_out : memref<1x64xf32>) {w_dtype = "q8_0"}
  func.return
}
func.func @prefill(%blob: memref<?xi8>, %x: memref<4x64xf32>, %y: memref<4x64xf32>) {
  %wu = memory.weight %blob "blk.0.ffn_up.weight" {offset = 32768 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  kernel.gemm ins(%x : memref<4x64xf32>) weights(%wu : !transformer.weight<64x64, q8_0>) outs(%y : memref<4x64xf32>) {w_dtype = "q8_0", act_dtype = "f32"}
  func.return
}

// CHECK:       builtin.module attributes {ck.weights_bytes = 33472 : i64}
// CHECK-LABEL: func.func @decode
// CHECK-NEXT:    %wq = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
// CHECK-NEXT:    %wo = memory.weight %blob "blk.0.attn_output.weight" {ck.layout_reason = "kernel.gemv with f32 activations reads rows", offset = 4352 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
// CHECK-NEXT:    %wk = memory.weight %blob "blk.0.attn_k.weight" {ck.layout_reason = "rp16 needs rows in groups of 16, and 40 rows are not", offset = 8704 : i64, size = 2752 : i64} : !transformer.weight<40x64, q8_0>
// CHECK-NEXT:    %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 11456 : i64, size = 256 : i64} : !transformer.weight<64, f32>
// CHECK-NEXT:    %wu = memory.weight %blob "blk.0.ffn_up.weight" {ck.layout_reason = "kernel.gemm with f32 activations reads rows", offset = 11712 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
// CHECK-NEXT:    %e = memory.weight %blob "token_embd.weight" {offset = 16064 : i64, size = 17408 : i64, layout = "rp16"} : !transformer.weight<256x64, q8_0>
// CHECK-LABEL: func.func @prefill
// CHECK-NEXT:    %wu = memory.weight %blob "blk.0.ffn_up.weight" {ck.layout_reason = "kernel.gemm with f32 activations reads rows", offset = 11712 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>

// With rp16 turned off every q8_0 weight keeps rows, and says why.
// OFF:         %wq = memory.weight %blob "blk.0.attn_q.weight" {ck.layout_reason = "rp16 turned off (select-weight-layouts{rp16=false})", offset = 0 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
// OFF-NOT:     layout = "rp16"
// OFF:         %e = memory.weight %blob "token_embd.weight" {ck.layout_reason = "rp16 turned off (select-weight-layouts{rp16=false})", offset = 16064 : i64, size = 17408 : i64} : !transformer.weight<256x64, q8_0>
// OFF-NOT:     layout = "rp16"
