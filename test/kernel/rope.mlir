// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Rotary embeddings: NEOX style (rotate half, Qwen) on all of head_dim, and
// Llama's interleaved style on part of it, in destination-passing form.

func.func @rope(%q: tensor<?x128xf32>, %pos: tensor<?xi32>) -> tensor<?x128xf32> {
  %0 = kernel.rope ins(%q, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<?x128xf32>
  func.return %0 : tensor<?x128xf32>
}

// CHECK-LABEL: func.func @rope
// CHECK-NEXT:    %0 = kernel.rope ins(%q, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.000000e+06 : f32, style = "neox"} -> tensor<?x128xf32>

func.func @rope_dps(%k: memref<1x64xf32>, %pos: memref<1xi32>, %out: memref<1x64xf32>) {
  kernel.rope ins(%k, %pos : memref<1x64xf32>, memref<1xi32>) outs(%out : memref<1x64xf32>) {head_dim = 32 : i64, n_rot = 16 : i64, theta = 1.0e+04 : f32, style = "norm"}
  func.return
}

// CHECK-LABEL: func.func @rope_dps
// CHECK-NEXT:    kernel.rope ins(%k, %pos : memref<1x64xf32>, memref<1xi32>) outs(%out : memref<1x64xf32>) {head_dim = 32 : i64, n_rot = 16 : i64, theta = 1.000000e+04 : f32, style = "norm"}
