// RUN: ck-opt %s -p specialize-seq-len | filecheck %s
// One entry point with a dynamic token dimension becomes a one-token @decode
// (every `?` token dimension fixed to 1) and the original, renamed @prefill.

func.func @forward(%tokens: tensor<?xi32>, %positions: tensor<?xi32>) -> tensor<?x8xf32> {
  %w = transformer.weight "token_embd.weight" : !transformer.weight<8x4, f32>
  %x = transformer.embedding %tokens, %w : (tensor<?xi32>, !transformer.weight<8x4, f32>) -> tensor<?x4xf32>
  %l = transformer.lm_head %x, %w : (tensor<?x4xf32>, !transformer.weight<8x4, f32>) -> tensor<?x8xf32>
  func.return %l : tensor<?x8xf32>
}

// CHECK:      func.func @decode(%tokens: tensor<1xi32>, %positions: tensor<1xi32>) -> tensor<1x8xf32> {
// CHECK-NEXT:   %w = transformer.weight "token_embd.weight" : !transformer.weight<8x4, f32>
// CHECK-NEXT:   %x = transformer.embedding %tokens, %w : (tensor<1xi32>, !transformer.weight<8x4, f32>) -> tensor<1x4xf32>
// CHECK-NEXT:   %l = transformer.lm_head %x, %w : (tensor<1x4xf32>, !transformer.weight<8x4, f32>) -> tensor<1x8xf32>
// CHECK-NEXT:   func.return %l : tensor<1x8xf32>
// CHECK:      func.func @prefill(%tokens: tensor<?xi32>, %positions: tensor<?xi32>) -> tensor<?x8xf32> {
// CHECK-NEXT:   %w = transformer.weight
// CHECK-NEXT:   %x = transformer.embedding %tokens, %w : (tensor<?xi32>, !transformer.weight<8x4, f32>) -> tensor<?x4xf32>
// CHECK-NOT:  func.func @forward
