// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// The K and V caches of two layers (context 128, 2 KV heads x head_dim 32),
// laid out one after another in the runtime's KV buffer %kv.

func.func @kv(%kv: memref<?xi8>) {
  %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 32768 : i64} : memref<128x64xf32>
  %k1 = memory.kv_cache %kv {layer = 1 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 65536 : i64} : memref<128x64xf32>
  %v1 = memory.kv_cache %kv {layer = 1 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 98304 : i64} : memref<128x64xf32>
  func.return
}

// CHECK-LABEL: func.func @kv(%kv: memref<?xi8>)
// CHECK-NEXT:    %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
// CHECK-NEXT:    %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 32768 : i64} : memref<128x64xf32>
// CHECK-NEXT:    %k1 = memory.kv_cache %kv {layer = 1 : i64, kind = "k", {{.*}}offset = 65536 : i64} : memref<128x64xf32>
// CHECK-NEXT:    %v1 = memory.kv_cache %kv {layer = 1 : i64, kind = "v", {{.*}}offset = 98304 : i64} : memref<128x64xf32>

// A KV buffer of static size: every region must end inside it.
func.func @static_kv(%kv: memref<65536xi8>) {
  %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
  %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 32768 : i64} : memref<128x64xf32>
  func.return
}

// CHECK-LABEL: func.func @static_kv(%kv: memref<65536xi8>)
// CHECK-NEXT:    %k0 = memory.kv_cache %kv {layer = 0 : i64, kind = "k", context_len = 128 : i64, width = 64 : i64, offset = 0 : i64} : memref<128x64xf32>
// CHECK-NEXT:    %v0 = memory.kv_cache %kv {layer = 0 : i64, kind = "v", context_len = 128 : i64, width = 64 : i64, offset = 32768 : i64} : memref<128x64xf32>
