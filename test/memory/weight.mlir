// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Weights in the packed blob weights.bump (the %blob operand), each at a 64-aligned
// offset, with the packed size of its dtype: f32 4 bytes per weight, f16/bf16 2;
// Q8_0 stores the fp16 scales of all rows (one per block of 32), then all int8
// quants, each part 64-byte aligned: 128x64 is 512 + 8192 bytes, 3x64 is
// align64(12) + 192 = 256.

func.func @weights(%blob: memref<?xi8>) {
  %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  %h = memory.weight %blob "blk.0.ffn_up.weight" {offset = 8960 : i64, size = 16384 : i64} : !transformer.weight<128x64, f16>
  %e = memory.weight %blob "token_embd.weight" {offset = 25344 : i64, size = 32768 : i64} : !transformer.weight<256x64, bf16>
  %s = memory.weight %blob "blk.0.attn_k.weight" {offset = 58112 : i64, size = 256 : i64} : !transformer.weight<3x64, q8_0>
  func.return
}

// CHECK-LABEL: func.func @weights(%blob: memref<?xi8>)
// CHECK-NEXT:    %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
// CHECK-NEXT:    %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
// CHECK-NEXT:    %h = memory.weight %blob "blk.0.ffn_up.weight" {offset = 8960 : i64, size = 16384 : i64} : !transformer.weight<128x64, f16>
// CHECK-NEXT:    %e = memory.weight %blob "token_embd.weight" {offset = 25344 : i64, size = 32768 : i64} : !transformer.weight<256x64, bf16>
// CHECK-NEXT:    %s = memory.weight %blob "blk.0.attn_k.weight" {offset = 58112 : i64, size = 256 : i64} : !transformer.weight<3x64, q8_0>

// A blob of static size: every weight must end inside it.
func.func @static_blob(%blob: memref<8960xi8>) {
  %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  func.return
}

// CHECK-LABEL: func.func @static_blob(%blob: memref<8960xi8>)
// CHECK-NEXT:    %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>

// Typed views of the parts of packed weights (weight_parts): what kernels index.
func.func @views(%blob: memref<?xi8>) {
  %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
  %qs = memory.weight_view %q {part = "scales"} : !transformer.weight<128x64, q8_0> -> memref<128x2xf16>
  %qq = memory.weight_view %q {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
  %n = memory.weight %blob "blk.0.attn_norm.weight" {offset = 8704 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  %nd = memory.weight_view %n {part = "data"} : !transformer.weight<64, f32> -> memref<64xf32>
  %h = memory.weight %blob "blk.0.ffn_up.weight" {offset = 8960 : i64, size = 16384 : i64} : !transformer.weight<128x64, f16>
  %hd = memory.weight_view %h {part = "data"} : !transformer.weight<128x64, f16> -> memref<128x64xf16>
  %e = memory.weight %blob "token_embd.weight" {offset = 25344 : i64, size = 32768 : i64} : !transformer.weight<256x64, bf16>
  %ed = memory.weight_view %e {part = "data"} : !transformer.weight<256x64, bf16> -> memref<256x64xbf16>
  func.return
}

// CHECK-LABEL: func.func @views
// CHECK:         %qs = memory.weight_view %q {part = "scales"} : !transformer.weight<128x64, q8_0> -> memref<128x2xf16>
// CHECK-NEXT:    %qq = memory.weight_view %q {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
// CHECK:         %nd = memory.weight_view %n {part = "data"} : !transformer.weight<64, f32> -> memref<64xf32>
// CHECK:         %hd = memory.weight_view %h {part = "data"} : !transformer.weight<128x64, f16> -> memref<128x64xf16>
// CHECK:         %ed = memory.weight_view %e {part = "data"} : !transformer.weight<256x64, bf16> -> memref<256x64xbf16>

// A weight passed in as a value: views need no memory.weight.
func.func @view_of_argument(%w: !transformer.weight<32x64, q8_0>) -> memref<32x2xf16> {
  %s = memory.weight_view %w {part = "scales"} : !transformer.weight<32x64, q8_0> -> memref<32x2xf16>
  func.return %s : memref<32x2xf16>
}

// CHECK-LABEL: func.func @view_of_argument
// CHECK-NEXT:    %s = memory.weight_view %w {part = "scales"} : !transformer.weight<32x64, q8_0> -> memref<32x2xf16>

// The rp16 layout (q8_0 repacked for int8 dot products over 16 rows at once):
// per group of 16 rows and block of 32 k-values, 16 fp16 scales and 512 quant
// bytes. Same bytes as rows here (512 + 8192); the views are grouped. layout =
// "rows" is the default, written or not.
func.func @rp16(%blob: memref<?xi8>) {
  %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64, layout = "rp16"} : !transformer.weight<128x64, q8_0>
  %qs = memory.weight_view %q {part = "scales"} : !transformer.weight<128x64, q8_0> -> memref<8x2x16xf16>
  %qq = memory.weight_view %q {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<8x2x512xi8>
  %k = memory.weight %blob "blk.0.attn_k.weight" {offset = 8704 : i64, size = 8704 : i64, layout = "rows"} : !transformer.weight<128x64, q8_0>
  %kq = memory.weight_view %k {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
  func.return
}

// CHECK-LABEL: func.func @rp16
// CHECK-NEXT:    %q = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64, layout = "rp16"} : !transformer.weight<128x64, q8_0>
// CHECK-NEXT:    %qs = memory.weight_view %q {part = "scales"} : !transformer.weight<128x64, q8_0> -> memref<8x2x16xf16>
// CHECK-NEXT:    %qq = memory.weight_view %q {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<8x2x512xi8>
// CHECK-NEXT:    %k = memory.weight %blob "blk.0.attn_k.weight" {offset = 8704 : i64, size = 8704 : i64, layout = "rows"} : !transformer.weight<128x64, q8_0>
// CHECK-NEXT:    %kq = memory.weight_view %k {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
