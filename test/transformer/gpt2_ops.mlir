// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// GPT-2's ops: LayerNorm with a bias, the fused q|k|v projection sliced into q, k and v,
// GELU (tanh form), and the learned position embedding (an embedding of the positions,
// added to the token embedding).

func.func @gpt2_block(%tok: tensor<?xi32>, %pos: tensor<?xi32>) -> tensor<?x256xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<320x64, f32>
  %p = transformer.weight "position_embd.weight" : !transformer.weight<128x64, f32>
  %x0 = transformer.embedding %tok, %e : (tensor<?xi32>, !transformer.weight<320x64, f32>) -> tensor<?x64xf32>
  %px = transformer.embedding %pos, %p : (tensor<?xi32>, !transformer.weight<128x64, f32>) -> tensor<?x64xf32>
  %x = transformer.add %x0, %px : (tensor<?x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  %nw = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %nb = transformer.weight "blk.0.attn_norm.bias" : !transformer.weight<64, f32>
  %h = transformer.layernorm %x, %nw, %nb {eps = 1.0e-05 : f32} : (tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) -> tensor<?x64xf32>
  %wqkv = transformer.weight "blk.0.attn_qkv.weight" : !transformer.weight<192x64, q8_0>
  %bqkv = transformer.weight "blk.0.attn_qkv.bias" : !transformer.weight<192, f32>
  %qkv = transformer.linear %h, %wqkv bias %bqkv : (tensor<?x64xf32>, !transformer.weight<192x64, q8_0>, !transformer.weight<192, f32>) -> tensor<?x192xf32>
  %q = transformer.slice %qkv {offset = 0 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
  %k = transformer.slice %qkv {offset = 64 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
  %v = transformer.slice %qkv {offset = 128 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
  %wup = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<256x64, f16>
  %up = transformer.linear %v, %wup : (tensor<?x64xf32>, !transformer.weight<256x64, f16>) -> tensor<?x256xf32>
  %act = transformer.gelu %up : (tensor<?x256xf32>) -> tensor<?x256xf32>
  func.return %act : tensor<?x256xf32>
}

// CHECK-LABEL: func.func @gpt2_block
// CHECK:         %px = transformer.embedding %pos, %p : (tensor<?xi32>, !transformer.weight<128x64, f32>) -> tensor<?x64xf32>
// CHECK-NEXT:    %x = transformer.add %x0, %px
// CHECK:         %h = transformer.layernorm %x, %nw, %nb {eps = 1.000000e-05 : f32} : (tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) -> tensor<?x64xf32>
// CHECK:         %q = transformer.slice %qkv {offset = 0 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
// CHECK-NEXT:    %k = transformer.slice %qkv {offset = 64 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
// CHECK-NEXT:    %v = transformer.slice %qkv {offset = 128 : i64} : (tensor<?x192xf32>) -> tensor<?x64xf32>
// CHECK:         %act = transformer.gelu %up : (tensor<?x256xf32>) -> tensor<?x256xf32>
// CHECK-NEXT:    func.return %act : tensor<?x256xf32>
