// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// The attention half of a decode step at the memory level: the three storage
// areas are function arguments (%arena_buf, %blob, %kv_buf); weights come from the
// blob, activations live in arena slots (%att reuses %h's bytes, %o reuses %q's),
// the attention reads and appends to the layer's KV cache (one KV head: [1 x
// context 128 x head_dim 32]), and kernels are in
// destination-passing form. %wqq/%wqs are the typed parts the C code of the
// first gemv indexes.

func.func @attn_decode(%x: memref<1x64xf32>, %pos: memref<1xi32>, %arena_buf: memref<?xi8>, %blob: memref<?xi8>, %kv_buf: memref<?xi8>) {
  %wn = memory.weight %blob "blk.0.attn_norm.weight" {offset = 0 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  %wq = memory.weight %blob "blk.0.attn_q.weight" {offset = 256 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %wk = memory.weight %blob "blk.0.attn_k.weight" {offset = 4608 : i64, size = 2176 : i64} : !transformer.weight<32x64, q8_0>
  %wv = memory.weight %blob "blk.0.attn_v.weight" {offset = 6784 : i64, size = 2176 : i64} : !transformer.weight<32x64, q8_0>
  %wo = memory.weight %blob "blk.0.attn_output.weight" {offset = 8960 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %wqs = memory.weight_view %wq {part = "scales"} : !transformer.weight<64x64, q8_0> -> memref<64x2xf16>
  %wqq = memory.weight_view %wq {part = "quants"} : !transformer.weight<64x64, q8_0> -> memref<64x64xi8>
  %kc = memory.kv_cache %kv_buf {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<1x128x32xf32>
  %vc = memory.kv_cache %kv_buf {layer = 0 : i64, kind = "v", offset = 16384 : i64} : memref<1x128x32xf32>
  %a = memory.arena %arena_buf {size = 1024 : i64} : memref<?xi8>
  %h = memory.slot %a {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
  %q = memory.slot %a {offset = 256 : i64, size = 256 : i64} : memref<1x64xf32>
  %k = memory.slot %a {offset = 512 : i64, size = 128 : i64} : memref<1x32xf32>
  %v = memory.slot %a {offset = 640 : i64, size = 128 : i64} : memref<1x32xf32>
  %qr = memory.slot %a {offset = 768 : i64, size = 256 : i64} : memref<1x64xf32>
  %att = memory.slot %a {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
  %o = memory.slot %a {offset = 256 : i64, size = 256 : i64} : memref<1x64xf32>
  kernel.rmsnorm ins(%x, %wn : memref<1x64xf32>, !transformer.weight<64, f32>) outs(%h : memref<1x64xf32>) {eps = 1.0e-06 : f32}
  kernel.gemv ins(%h : memref<1x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) outs(%q : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.gemv ins(%h : memref<1x64xf32>) weights(%wk : !transformer.weight<32x64, q8_0>) outs(%k : memref<1x32xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.gemv ins(%h : memref<1x64xf32>) weights(%wv : !transformer.weight<32x64, q8_0>) outs(%v : memref<1x32xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.rope ins(%q, %pos : memref<1x64xf32>, memref<1xi32>) outs(%qr : memref<1x64xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"}
  kernel.rope ins(%k, %pos : memref<1x32xf32>, memref<1xi32>) outs(%k : memref<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"}
  kernel.attention ins(%qr, %k, %v, %pos : memref<1x64xf32>, memref<1x32xf32>, memref<1x32xf32>, memref<1xi32>) cache(%kc, %vc : memref<1x128x32xf32>, memref<1x128x32xf32>) outs(%att : memref<1x64xf32>) {n_heads = 2 : i64, n_kv_heads = 1 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  kernel.gemv ins(%att : memref<1x64xf32>) weights(%wo : !transformer.weight<64x64, q8_0>) outs(%o : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
  kernel.add ins(%x, %o : memref<1x64xf32>, memref<1x64xf32>) outs(%x : memref<1x64xf32>)
  func.return
}

// CHECK-LABEL: func.func @attn_decode
// CHECK:         %wq = memory.weight %blob "blk.0.attn_q.weight" {offset = 256 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
// CHECK:         %wqq = memory.weight_view %wq {part = "quants"} : !transformer.weight<64x64, q8_0> -> memref<64x64xi8>
// CHECK:         %kc = memory.kv_cache %kv_buf {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<1x128x32xf32>
// CHECK:         %a = memory.arena %arena_buf {size = 1024 : i64} : memref<?xi8>
// CHECK:         %att = memory.slot %a {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK:         kernel.rmsnorm ins(%x, %wn : memref<1x64xf32>, !transformer.weight<64, f32>) outs(%h : memref<1x64xf32>)
// CHECK-NEXT:    kernel.gemv ins(%h : memref<1x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) outs(%q : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0"}
// CHECK:         kernel.attention ins(%qr, %k, %v, %pos : {{.*}}) cache(%kc, %vc : memref<1x128x32xf32>, memref<1x128x32xf32>) outs(%att : memref<1x64xf32>) {{{.*}}variant = "decode", kv_slot = 0 : i64}
// CHECK-NEXT:    kernel.gemv ins(%att : memref<1x64xf32>) weights(%wo
// CHECK-NEXT:    kernel.add ins(%x, %o : memref<1x64xf32>, memref<1x64xf32>) outs(%x : memref<1x64xf32>)
// CHECK-NEXT:    func.return
