// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @kind(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "q", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache kind must be k or v, got 'q'

// -----

func.func @layer(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = -1 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache layer must be non-negative, got -1

// -----

func.func @context_len(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 0 : i64, width = 64 : i64, offset = 0 : i64} : memref<0x64xf32>
  func.return
}
// CHECK: kv_cache context_len must be positive, got 0

// -----

func.func @width(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 0 : i64, offset = 0 : i64} : memref<128x0xf32>
  func.return
}
// CHECK: kv_cache width must be positive, got 0

// -----

func.func @offset(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 96 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache offset 96 is not a multiple of the alignment 64

// -----

func.func @result_type(%kv: memref<?xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<64x128xf32>
  func.return
}
// CHECK: kv_cache result must be memref<128x64xf32> (context_len x width x f32), got memref<64x128xf32>

// -----

func.func @base_element(%kv: memref<?xf32>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache base must be a 1-D memref of i8, got memref<?xf32>

// -----

func.func @base_size(%kv: memref<32768xi8>) {
  %c = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 64 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache v of layer 0 [offset 64, size 32768] ends at byte 32832, past the 32768 bytes of the kv_cache base memref<32768xi8>
