// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @empty_name() {
  %w = memory.weight "" {offset = 0 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  func.return
}
// CHECK: weight tensor_name must not be empty

// -----

func.func @offset() {
  %w = memory.weight "blk.0.attn_q.weight" {offset = 32 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_q.weight' offset 32 is not a multiple of the alignment 64

// -----

func.func @size_q8() {
  %w = memory.weight "blk.0.attn_q.weight" {offset = 0 : i64, size = 8192 : i64} : !transformer.weight<128x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_q.weight' size 8192 does not match the 8704 bytes of 128x64 q8_0

// -----

func.func @size_f16() {
  %w = memory.weight "blk.0.ffn_up.weight" {offset = 0 : i64, size = 32768 : i64} : !transformer.weight<128x64, f16>
  func.return
}
// CHECK: weight 'blk.0.ffn_up.weight' size 32768 does not match the 16384 bytes of 128x64 f16
