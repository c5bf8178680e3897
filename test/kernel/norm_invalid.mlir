// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @rmsnorm_weight(%x: tensor<?x64xf32>, %w: !transformer.weight<32, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<32, f32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: w has shape 32, expected 64

// -----

func.func @rmsnorm_eps(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 0.0 : f32} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.rmsnorm: eps must be positive, got 0{{$}}

// -----

func.func @head_width(%x: tensor<?x100xf32>, %w: !transformer.weight<32, f32>) {
  %0 = kernel.head_rmsnorm ins(%x, %w : tensor<?x100xf32>, !transformer.weight<32, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x100xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm: x width 100 is not a multiple of head_dim 32

// -----

func.func @head_dim_positive(%x: tensor<?x128xf32>, %w: !transformer.weight<32, f32>) {
  %0 = kernel.head_rmsnorm ins(%x, %w : tensor<?x128xf32>, !transformer.weight<32, f32>) {head_dim = 0 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm: head_dim must be positive, got 0

// -----

func.func @head_weight(%x: tensor<?x128xf32>, %w: !transformer.weight<64, f32>) {
  %0 = kernel.head_rmsnorm ins(%x, %w : tensor<?x128xf32>, !transformer.weight<64, f32>) {head_dim = 32 : i64, eps = 1.0e-06 : f32} -> tensor<?x128xf32>
  func.return
}
// CHECK: kernel.head_rmsnorm: w has shape 64, expected 32
