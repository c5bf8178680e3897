// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Weights in the packed blob weights.bump, each at a 64-aligned offset, with the
// storage size of its dtype: f32 4 bytes per weight, f16/bf16 2, Q8_0 34 bytes
// per block of 32 (fp16 scale + 32 int8).

func.func @weights() {
  %q = memory.weight "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  %n = memory.weight "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  %h = memory.weight "blk.0.ffn_up.weight" {offset = 8960 : i64, size = 16384 : i64} : !transformer.weight<128x64, f16>
  %e = memory.weight "token_embd.weight" {offset = 25344 : i64, size = 32768 : i64} : !transformer.weight<256x64, bf16>
  func.return
}

// CHECK-LABEL: func.func @weights
// CHECK-NEXT:    %q = memory.weight "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
// CHECK-NEXT:    %n = memory.weight "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
// CHECK-NEXT:    %h = memory.weight "blk.0.ffn_up.weight" {offset = 8960 : i64, size = 16384 : i64} : !transformer.weight<128x64, f16>
// CHECK-NEXT:    %e = memory.weight "token_embd.weight" {offset = 25344 : i64, size = 32768 : i64} : !transformer.weight<256x64, bf16>
