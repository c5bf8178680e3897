// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @kind() {
  %c = memory.kv_cache {layer = 0 : i64, kind = "q", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache kind must be k or v, got 'q'

// -----

func.func @layer() {
  %c = memory.kv_cache {layer = -1 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache layer must be non-negative, got -1

// -----

func.func @context_len() {
  %c = memory.kv_cache {layer = 0 : i64, kind = "k", context_len = 0 : i64, width = 64 : i64, offset = 0 : i64} : memref<0x64xf32>
  func.return
}
// CHECK: kv_cache context_len must be positive, got 0

// -----

func.func @width() {
  %c = memory.kv_cache {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 0 : i64, offset = 0 : i64} : memref<128x0xf32>
  func.return
}
// CHECK: kv_cache width must be positive, got 0

// -----

func.func @offset() {
  %c = memory.kv_cache {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 96 : i64} : memref<128x64xf32>
  func.return
}
// CHECK: kv_cache offset 96 is not a multiple of the alignment 64

// -----

func.func @result_type() {
  %c = memory.kv_cache {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<64x128xf32>
  func.return
}
// CHECK: kv_cache result must be memref<128x64xf32> (context_len x width x f32), got memref<64x128xf32>
