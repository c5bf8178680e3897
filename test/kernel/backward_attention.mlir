// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Backward of grouped-query attention (dq, dk, dv) and of the SwiGLU gate.

func.func @attn_bwd(%dout: tensor<8x128xf32>, %q: tensor<8x128xf32>, %k: tensor<8x64xf32>, %v: tensor<8x64xf32>, %pos: tensor<8xi32>) {
  %0, %1, %2 = kernel.attention_bwd ins(%dout, %q, %k, %v, %pos : tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32} -> tensor<8x128xf32>, tensor<8x64xf32>, tensor<8x64xf32>
  func.return
}

// CHECK-LABEL: func.func @attn_bwd
// CHECK-NEXT:    %0, %1, %2 = kernel.attention_bwd ins(%dout, %q, %k, %v, %pos : {{.*}}) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32} -> tensor<8x128xf32>, tensor<8x64xf32>, tensor<8x64xf32>

func.func @bwd_dps(%dout: memref<8x128xf32>, %q: memref<8x128xf32>, %k: memref<8x64xf32>, %v: memref<8x64xf32>, %pos: memref<8xi32>, %dq: memref<8x128xf32>, %dk: memref<8x64xf32>, %dv: memref<8x64xf32>, %dy: memref<8x256xf32>, %g: memref<8x256xf32>, %u: memref<8x256xf32>, %dg: memref<8x256xf32>, %du: memref<8x256xf32>) {
  kernel.attention_bwd ins(%dout, %q, %k, %v, %pos : memref<8x128xf32>, memref<8x128xf32>, memref<8x64xf32>, memref<8x64xf32>, memref<8xi32>) outs(%dq, %dk, %dv : memref<8x128xf32>, memref<8x64xf32>, memref<8x64xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32}
  kernel.silu_mul_bwd ins(%dy, %g, %u : memref<8x256xf32>, memref<8x256xf32>, memref<8x256xf32>) outs(%dg, %du : memref<8x256xf32>, memref<8x256xf32>)
  func.return
}

// CHECK-LABEL: func.func @bwd_dps
// CHECK-NEXT:    kernel.attention_bwd ins(%dout, %q, %k, %v, %pos : {{.*}}) outs(%dq, %dk, %dv : memref<8x128xf32>, memref<8x64xf32>, memref<8x64xf32>) {n_heads = 4 : i64
// CHECK-NEXT:    kernel.silu_mul_bwd ins(%dy, %g, %u : memref<8x256xf32>, memref<8x256xf32>, memref<8x256xf32>) outs(%dg, %du : memref<8x256xf32>, memref<8x256xf32>)

func.func @silu_bwd(%dy: tensor<?x256xf32>, %g: tensor<?x256xf32>, %u: tensor<?x256xf32>) {
  %0, %1 = kernel.silu_mul_bwd ins(%dy, %g, %u : tensor<?x256xf32>, tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>, tensor<?x256xf32>
  func.return
}

// CHECK-LABEL: func.func @silu_bwd
// CHECK-NEXT:    %0, %1 = kernel.silu_mul_bwd ins(%dy, %g, %u : tensor<?x256xf32>, tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>, tensor<?x256xf32>
