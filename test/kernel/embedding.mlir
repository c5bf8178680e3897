// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Token embedding lookup from a Q8_0 table, and Q8_0 quantization of
// activations (one f32 scale and one i32 sum of the quants per block of 32)
// ahead of a Q8 x Q8 gemm.

func.func @embed(%tok: tensor<?xi32>, %table: !transformer.weight<256x64, q8_0>) {
  %0 = kernel.embedding ins(%tok, %table : tensor<?xi32>, !transformer.weight<256x64, q8_0>) {w_dtype = "q8_0"} -> tensor<?x64xf32>
  %1, %2, %3 = kernel.quantize_act ins(%0 : tensor<?x64xf32>) -> tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>
  func.return
}

// CHECK-LABEL: func.func @embed
// CHECK-NEXT:    %0 = kernel.embedding ins(%tok, %table : tensor<?xi32>, !transformer.weight<256x64, q8_0>) {w_dtype = "q8_0"} -> tensor<?x64xf32>
// CHECK-NEXT:    %1, %2, %3 = kernel.quantize_act ins(%0 : tensor<?x64xf32>) -> tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xi32>

func.func @embed_dps(%tok: memref<4xi32>, %table: !transformer.weight<256x64, f16>, %x: memref<4x64xf32>, %q: memref<4x64xi8>, %s: memref<4x2xf32>, %sum: memref<4x2xi32>) {
  kernel.embedding ins(%tok, %table : memref<4xi32>, !transformer.weight<256x64, f16>) outs(%x : memref<4x64xf32>) {w_dtype = "f16"}
  kernel.quantize_act ins(%x : memref<4x64xf32>) outs(%q, %s, %sum : memref<4x64xi8>, memref<4x2xf32>, memref<4x2xi32>)
  func.return
}

// CHECK-LABEL: func.func @embed_dps
// CHECK-NEXT:    kernel.embedding ins(%tok, %table : memref<4xi32>, !transformer.weight<256x64, f16>) outs(%x : memref<4x64xf32>) {w_dtype = "f16"}
// CHECK-NEXT:    kernel.quantize_act ins(%x : memref<4x64xf32>) outs(%q, %s, %sum : memref<4x64xi8>, memref<4x2xf32>, memref<4x2xi32>)
