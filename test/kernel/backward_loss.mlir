// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// The loss and the two ends of the backward pass: fused softmax + cross-entropy
// (scalar loss and dlogits), and the scatter-add into the embedding gradient.

func.func @loss(%logits: tensor<?x256xf32>, %targets: tensor<?xi32>, %dy: tensor<?x64xf32>, %tok: tensor<?xi32>) {
  %0, %1 = kernel.softmax_xent ins(%logits, %targets : tensor<?x256xf32>, tensor<?xi32>) -> tensor<f32>, tensor<?x256xf32>
  %2 = kernel.embedding_bwd ins(%dy, %tok : tensor<?x64xf32>, tensor<?xi32>) -> tensor<256x64xf32>
  func.return
}

// CHECK-LABEL: func.func @loss
// CHECK-NEXT:    %0, %1 = kernel.softmax_xent ins(%logits, %targets : tensor<?x256xf32>, tensor<?xi32>) -> tensor<f32>, tensor<?x256xf32>
// CHECK-NEXT:    %2 = kernel.embedding_bwd ins(%dy, %tok : tensor<?x64xf32>, tensor<?xi32>) -> tensor<256x64xf32>

func.func @loss_dps(%logits: memref<8x256xf32>, %targets: memref<8xi32>, %loss: memref<f32>, %dlogits: memref<8x256xf32>, %dy: memref<8x64xf32>, %tok: memref<8xi32>, %dtable: memref<256x64xf32>) {
  kernel.softmax_xent ins(%logits, %targets : memref<8x256xf32>, memref<8xi32>) outs(%loss, %dlogits : memref<f32>, memref<8x256xf32>)
  kernel.embedding_bwd ins(%dy, %tok : memref<8x64xf32>, memref<8xi32>) outs(%dtable : memref<256x64xf32>)
  func.return
}

// CHECK-LABEL: func.func @loss_dps
// CHECK-NEXT:    kernel.softmax_xent ins(%logits, %targets : memref<8x256xf32>, memref<8xi32>) outs(%loss, %dlogits : memref<f32>, memref<8x256xf32>)
// CHECK-NEXT:    kernel.embedding_bwd ins(%dy, %tok : memref<8x64xf32>, memref<8xi32>) outs(%dtable : memref<256x64xf32>)
