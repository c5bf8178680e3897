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

// The rotation table computed once (cos then sin of the n_rot/2 angles per
// token), and ropes reading it: one plain, one with Qwen3's QK-norm folded in
// (a norm weight [head_dim] and its eps), split by kv-head groups.

func.func @rope_table(%q: tensor<1x128xf32>, %pos: tensor<1xi32>, %wn: !transformer.weight<32, f32>) {
  %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.0e+06 : f32, split = "replicate"} -> tensor<1x32xf32>
  %0 = kernel.rope_apply ins(%q, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
  %1 = kernel.rope_apply ins(%q, %t, %wn : tensor<1x128xf32>, tensor<1x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.0e-06 : f32, split = "heads", group = 2 : i64} -> tensor<1x128xf32>
  func.return
}

// CHECK-LABEL: func.func @rope_table
// CHECK-NEXT:    %t = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.000000e+06 : f32, split = "replicate"} -> tensor<1x32xf32>
// CHECK-NEXT:    %0 = kernel.rope_apply ins(%q, %t : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
// CHECK-NEXT:    %1 = kernel.rope_apply ins(%q, %t, %wn : tensor<1x128xf32>, tensor<1x32xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", eps = 1.000000e-06 : f32, split = "heads", group = 2 : i64} -> tensor<1x128xf32>
