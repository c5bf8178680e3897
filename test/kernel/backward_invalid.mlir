// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @matmul_dx_shape(%dy: tensor<?x64xf32>, %w: !transformer.weight<128x64, f32>) {
  %0 = kernel.matmul_dx ins(%dy, %w : tensor<?x64xf32>, !transformer.weight<128x64, f32>) -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.matmul_dx: w has shape 128x64 ([N, K]) but dy has 64 features

// -----

func.func @matmul_dw_tokens(%dy: tensor<4x128xf32>, %x: tensor<8x64xf32>) {
  %0 = kernel.matmul_dw ins(%dy, %x : tensor<4x128xf32>, tensor<8x64xf32>) -> tensor<128x64xf32>
  func.return
}
// CHECK: kernel.matmul_dw: x has 8 tokens but dy has 4

// -----

func.func @matmul_db_shape(%dy: tensor<?x128xf32>) {
  %0 = kernel.matmul_db ins(%dy : tensor<?x128xf32>) -> tensor<64xf32>
  func.return
}
// CHECK: kernel.matmul_db: db has shape 64, expected 128

// -----

func.func @matmul_db_rank(%dy: tensor<128xf32>) {
  %0 = kernel.matmul_db ins(%dy : tensor<128xf32>) -> tensor<128xf32>
  func.return
}
// CHECK: kernel.matmul_db: dy must have rank 2

// -----

func.func @matmul_db_split(%dy: memref<8x128xf32>, %db: memref<128xf32>) {
  kernel.matmul_db ins(%dy : memref<8x128xf32>) outs(%db : memref<128xf32>) {split = "tokens"}
  func.return
}
// CHECK: kernel.matmul_db: unknown split for kernel.matmul_db 'tokens' (expected one of rows)

// -----

func.func @rmsnorm_bwd_dw(%dy: tensor<?x64xf32>, %x: tensor<?x64xf32>, %w: tensor<64xf32>) {
  %0, %1 = kernel.rmsnorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>, tensor<32xf32>
  func.return
}
// CHECK: kernel.rmsnorm_bwd: dw has shape 32, expected 64

// -----

func.func @head_rmsnorm_bwd_dy(%dy: tensor<?x64xf32>, %x: tensor<?x128xf32>, %w: tensor<32xf32>) {
  %0, %1 = kernel.head_rmsnorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x128xf32>, tensor<32xf32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>, tensor<32xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm_bwd: dy has shape ?x64, expected ?x128

// -----

func.func @rope_bwd_dx(%dy: tensor<?x128xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.rope_bwd ins(%dy, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.rope_bwd: dx has shape ?x64, expected ?x128

// -----

func.func @attention_bwd_dk(%dout: tensor<8x128xf32>, %q: tensor<8x128xf32>, %k: tensor<8x64xf32>, %v: tensor<8x64xf32>, %pos: tensor<8xi32>) {
  %0, %1, %2 = kernel.attention_bwd ins(%dout, %q, %k, %v, %pos : tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32} -> tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x64xf32>
  func.return
}
// CHECK: kernel.attention_bwd: dk has shape 8x128, expected 8x64

// -----

func.func @silu_mul_bwd_gate(%dy: tensor<?x256xf32>, %g: tensor<?x128xf32>, %u: tensor<?x256xf32>) {
  %0, %1 = kernel.silu_mul_bwd ins(%dy, %g, %u : tensor<?x256xf32>, tensor<?x128xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>, tensor<?x256xf32>
  func.return
}
// CHECK: kernel.silu_mul_bwd: gate has shape ?x128, expected ?x256

// -----

func.func @embedding_bwd_width(%dy: tensor<?x64xf32>, %tok: tensor<?xi32>) {
  %0 = kernel.embedding_bwd ins(%dy, %tok : tensor<?x64xf32>, tensor<?xi32>) -> tensor<256x32xf32>
  func.return
}
// CHECK: kernel.embedding_bwd: dtable has shape 256x32, expected 256x64

// -----

func.func @xent_loss_rank(%logits: tensor<?x256xf32>, %t: tensor<?xi32>) {
  %0, %1 = kernel.softmax_xent ins(%logits, %t : tensor<?x256xf32>, tensor<?xi32>) -> tensor<1xf32>, tensor<?x256xf32>
  func.return
}
// CHECK: kernel.softmax_xent: loss must be a scalar (rank 0), got tensor<1xf32>
