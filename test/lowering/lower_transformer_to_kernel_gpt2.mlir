// RUN: ck-opt %s -p lower-transformer-to-kernel | filecheck %s
// GPT-2's ops each become their kernel: layernorm, slice (q, k, v of the fused projection), gelu;
// the position embedding is an embedding kernel over the positions.

func.func @prefill(%tok: tensor<?xi32>, %pos: tensor<?xi32>) -> tensor<?x256xf32> {
  %p = transformer.weight "position_embd.weight" : !transformer.weight<128x64, f32>
  %x = transformer.embedding %pos, %p : (tensor<?xi32>, !transformer.weight<128x64, f32>) -> tensor<?x64xf32>
  %nw = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %nb = transformer.weight "blk.0.attn_norm.bias" : !transformer.weight<64, f32>
  %h = transformer.layernorm %x, %nw, %nb {eps = 1.0e-05 : f32} : (tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) -> tensor<?x64xf32>
  %wqkv = transformer.weight "blk.0.attn_qkv.weight" : !transformer.weight<192x64, f32>
  %qkv = transformer.linear %h, %wqkv : (tensor<?x64xf32>, !transformer.weight<192x64, f32>) -> tensor<?x192xf32>
  %k = transformer.slice %qkv {offset = 64 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
  %wup = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<256x64, f32>
  %up = transformer.linear %k, %wup : (tensor<?x64xf32>, !transformer.weight<256x64, f32>) -> tensor<?x256xf32>
  %act = transformer.gelu %up : (tensor<?x256xf32>) -> tensor<?x256xf32>
  func.return %act : tensor<?x256xf32>
}

// CHECK-LABEL: func.func @prefill
// CHECK:       %x = kernel.embedding ins(%pos, %p : tensor<?xi32>, !transformer.weight<128x64, f32>) {ck.origin = "transformer.embedding#1", w_dtype = "f32"} -> tensor<?x64xf32>
// CHECK:       %h = kernel.layernorm ins(%x, %nw, %nb : tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) {ck.origin = "transformer.layernorm#4", ck.layer = 0 : i64, eps = 1.000000e-05 : f32} -> tensor<?x64xf32>
// CHECK:       %qkv = kernel.gemm
// CHECK-NEXT:  %k = kernel.slice ins(%qkv : tensor<?x192xf32>) {ck.origin = "transformer.slice#7", offset = 64 : i64} -> tensor<?x64xf32>
// CHECK:       %act = kernel.gelu ins(%up : tensor<?x256xf32>) {ck.origin = "transformer.gelu#10"} -> tensor<?x256xf32>
// CHECK-NOT:   transformer.{{(layernorm|slice|gelu)}}
