// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @kind(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "q", offset = 0 : i64} : memref<2x128x32xf32>
  func.return
}
// CHECK: kv_cache kind must be k or v, got 'q'

// -----

func.func @layer(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = -1 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf32>
  func.return
}
// CHECK: kv_cache layer must be non-negative, got -1

// -----

// The shape is the result type's: every dimension (heads, context_len, head_dim)
// must be positive and static.
func.func @context_len(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x0x32xf32>
  func.return
}
// CHECK: kv_cache result must be a static memref<[sequences x] heads x context_len x head_dim x f32 or f16>, got memref<2x0x32xf32>

// -----

func.func @dynamic(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 0 : i64} : memref<2x?x32xf32>
  func.return
}
// CHECK: kv_cache result must be a static memref<[sequences x] heads x context_len x head_dim x f32 or f16>, got memref<2x?x32xf32>

// -----

func.func @offset(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 96 : i64} : memref<2x128x32xf32>
  func.return
}
// CHECK: kv_cache offset 96 is not a multiple of the alignment 64

// -----

// The old layout, [context_len, kv heads * head_dim], is not 3-D.
func.func @result_rank(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache result must be a static memref<[sequences x] heads x context_len x head_dim x f32 or f16>, got memref<128x64xf32>

// -----

func.func @result_element(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf64>
  func.return
}
// CHECK: kv_cache result must be a static memref<[sequences x] heads x context_len x head_dim x f32 or f16>, got memref<2x128x32xf64>

// -----

func.func @base_element(%kv: memref<?xf32>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf32>
  func.return
}
// CHECK: kv_cache base must be a 1-D memref of i8, got memref<?xf32>

// -----

func.func @base_size(%kv: memref<32768xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 64 : i64} : memref<2x128x32xf32>
  func.return
}
// CHECK: kv_cache v of layer 0 [offset 64, size 32768] ends at byte 32832, past the 32768 bytes of the kv_cache base memref<32768xi8>

// -----

func.func @base_size_f16(%kv: memref<16384xi8>) {
  %c = memory.kv_cache %kv {layer = 1 : i64, kind = "k", offset = 64 : i64} : memref<2x128x32xf16>
  func.return
}
// CHECK: kv_cache k of layer 1 [offset 64, size 16384] ends at byte 16448, past the 16384 bytes of the kv_cache base memref<16384xi8>

// -----

// A view of every sequence is the whole region: no slot picks one of them.
func.func @all_sequences_with_slot(%kv: memref<?xi8>, %s: index) {
  %c = memory.kv_cache %kv[%s] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<3x2x128x32xf32>
  func.return
}
// CHECK: kv_cache k of layer 0: a view of every sequence (4-D) takes no slot

// -----

// Sequences sit one aligned stride apart; a 4-D view needs that stride to be the cache itself.
func.func @sequences_not_back_to_back(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 0 : i64} : memref<3x1x3x1xf32>
  func.return
}
// CHECK: kv_cache v of layer 0: one sequence's cache is 12 bytes, not a multiple of 64: the sequences would not sit back to back
