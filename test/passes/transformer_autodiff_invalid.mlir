// RUN: not ck-opt %s -p transformer-autodiff 2>&1 | filecheck %s
// The training function must end in a cross-entropy loss.

func.func @train_step(%tokens: tensor<4xi32>) -> tensor<4xi32> {
  func.return %tokens : tensor<4xi32>
}

// CHECK: transformer-autodiff: @train_step must return a transformer.cross_entropy loss
