// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @empty_name(%blob: memref<?xi8>) {
  %w = memory.weight %blob "" {offset = 0 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  func.return
}
// CHECK: weight tensor_name must not be empty

// -----

func.func @offset(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.attn_q.weight" {offset = 32 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_q.weight' offset 32 is not a multiple of the alignment 64

// -----

func.func @size_q8(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8192 : i64} : !transformer.weight<128x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_q.weight' size 8192 does not match the 8704 bytes of 128x64 q8_0 in the rows layout

// -----

// Interleaved Q8_0 blocks would take 3 * 2 * 34 = 204 bytes; the packed layout
// aligns the 12 bytes of scales to 64.
func.func @size_q8_packed(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.attn_k.weight" {offset = 0 : i64, size = 204 : i64} : !transformer.weight<3x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_k.weight' size 204 does not match the 256 bytes of 3x64 q8_0 in the rows layout

// -----

func.func @size_f16(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.ffn_up.weight" {offset = 0 : i64, size = 32768 : i64} : !transformer.weight<128x64, f16>
  func.return
}
// CHECK: weight 'blk.0.ffn_up.weight' size 32768 does not match the 16384 bytes of 128x64 f16 in the rows layout

// -----

func.func @q8_1d(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.attn_norm.weight" {offset = 0 : i64, size = 68 : i64} : !transformer.weight<64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_norm.weight' is q8_0, which is packed as 2-D rows of blocks, but has shape 64

// -----

func.func @blob_element(%blob: memref<?xf32>) {
  %w = memory.weight %blob "blk.0.attn_norm.weight" {offset = 0 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  func.return
}
// CHECK: weight blob must be a 1-D memref of i8, got memref<?xf32>

// -----

func.func @blob_size(%blob: memref<8704xi8>) {
  %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  func.return
}
// CHECK: weight 'blk.0.attn_norm.weight' [offset 8704, size 256] ends at byte 8960, past the 8704 bytes of the weight blob memref<8704xi8>

// -----

func.func @view_part(%w: !transformer.weight<128x64, q8_0>) {
  %d = memory.weight_view %w {part = "data"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
  func.return
}
// CHECK: weight_view part 'data' does not exist for q8_0 weights (parts: scales, quants)

// -----

func.func @view_part_dense(%w: !transformer.weight<64, f32>) {
  %d = memory.weight_view %w {part = "quants"} : !transformer.weight<64, f32> -> memref<64xf32>
  func.return
}
// CHECK: weight_view part 'quants' does not exist for f32 weights (parts: data)

// -----

func.func @view_type(%w: !transformer.weight<128x64, q8_0>) {
  %s = memory.weight_view %w {part = "scales"} : !transformer.weight<128x64, q8_0> -> memref<128x2xf32>
  func.return
}
// CHECK: weight_view result must be memref<128x2xf16> (part 'scales' of !transformer.weight<128x64, q8_0>), got memref<128x2xf32>

// -----

func.func @view_type_dense(%w: !transformer.weight<128x64, bf16>) {
  %d = memory.weight_view %w {part = "data"} : !transformer.weight<128x64, bf16> -> memref<128x64xf16>
  func.return
}
// CHECK: weight_view result must be memref<128x64xbf16> (part 'data' of !transformer.weight<128x64, bf16>), got memref<128x64xf16>

// -----

func.func @view_q8_1d(%w: !transformer.weight<64, q8_0>) {
  %q = memory.weight_view %w {part = "quants"} : !transformer.weight<64, q8_0> -> memref<64xi8>
  func.return
}
// CHECK: q8_0 weights are packed as 2-D rows of blocks, got shape 64

// -----

// rp16 groups rows by 16.
func.func @rp16_rows(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.attn_k.weight" {offset = 0 : i64, size = 256 : i64, layout = "rp16"} : !transformer.weight<3x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_k.weight': rp16 needs rows in groups of 16, and 3 rows are not

// -----

func.func @rp16_dense(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.ffn_up.weight" {offset = 0 : i64, size = 16384 : i64, layout = "rp16"} : !transformer.weight<128x64, f16>
  func.return
}
// CHECK: weight 'blk.0.ffn_up.weight': rp16 packs 2-D block-quantized weights, not 128x64 f16

// -----

func.func @layout(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.ffn_up.weight" {offset = 0 : i64, size = 8704 : i64, layout = "cols"} : !transformer.weight<128x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.ffn_up.weight': unknown weight layout 'cols' (expected one of rows, rp16)

// -----

func.func @size_rp16(%blob: memref<?xi8>) {
  %w = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8192 : i64, layout = "rp16"} : !transformer.weight<128x64, q8_0>
  func.return
}
// CHECK: weight 'blk.0.attn_q.weight' size 8192 does not match the 8704 bytes of 128x64 q8_0 in the rp16 layout

// -----

// The views follow the weight's layout.
func.func @view_type_rp16(%blob: memref<?xi8>) {
  %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64, layout = "rp16"} : !transformer.weight<128x64, q8_0>
  %qq = memory.weight_view %q {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
  func.return
}
// CHECK: weight_view result must be memref<8x2x512xi8> (part 'quants' of !transformer.weight<128x64, q8_0>), got memref<128x64xi8>
