// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// The K and V caches of two layers (2 KV heads x context 128 x head_dim 32,
// laid out per head: one head's keys are contiguous), one after another in the
// runtime's KV buffer %kv. The result type gives the shape and element type.

func.func @kv(%kv: memref<?xi8>) {
  %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf32>
  %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 32768 : i64} : memref<2x128x32xf32>
  %k1 = memory.kv_cache %kv {layer = 1 : i64, kind = "k", offset = 65536 : i64} : memref<2x128x32xf32>
  %v1 = memory.kv_cache %kv {layer = 1 : i64, kind = "v", offset = 98304 : i64} : memref<2x128x32xf32>
  func.return
}

// CHECK-LABEL: func.func @kv(%kv: memref<?xi8>)
// CHECK-NEXT:    %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf32>
// CHECK-NEXT:    %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 32768 : i64} : memref<2x128x32xf32>
// CHECK-NEXT:    %k1 = memory.kv_cache %kv {layer = 1 : i64, kind = "k", offset = 65536 : i64} : memref<2x128x32xf32>
// CHECK-NEXT:    %v1 = memory.kv_cache %kv {layer = 1 : i64, kind = "v", offset = 98304 : i64} : memref<2x128x32xf32>

// A KV buffer of static size: every region must end inside it. f16 caches take
// half the bytes (2 x 128 x 32 x 2 = 16384).
func.func @static_kv(%kv: memref<32768xi8>) {
  %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf16>
  %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 16384 : i64} : memref<2x128x32xf16>
  func.return
}

// CHECK-LABEL: func.func @static_kv(%kv: memref<32768xi8>)
// CHECK-NEXT:    %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf16>
// CHECK-NEXT:    %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", offset = 16384 : i64} : memref<2x128x32xf16>

// A KV buffer holding three sequences (`ck serve -np 3`): each region keeps one cache per
// sequence, back to back. A one-sequence entry point views the cache of sequence %s
// (8192 bytes after the one before); the batched decode step views all three at once.
func.func @sequences(%kv: memref<?xi8>, %s: index) {
  %k = memory.kv_cache %kv[%s] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x64x16xf32>
  %all = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<3x2x64x16xf32>
  func.return
}

// CHECK-LABEL: func.func @sequences(%kv: memref<?xi8>, %s: index)
// CHECK-NEXT:    %k = memory.kv_cache %kv[%s] {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x64x16xf32>
// CHECK-NEXT:    %all = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<3x2x64x16xf32>
