// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.cross_entropy: mean over tokens of -log softmax(logits)[target] -> tensor<f32>.

func.func @loss_dynamic(%logits: tensor<?x151936xf32>, %targets: tensor<?xi32>) -> tensor<f32> {
  %loss = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<f32>
  func.return %loss : tensor<f32>
}

// CHECK-LABEL: func.func @loss_dynamic
// CHECK-SAME:    (%[[L:[a-z0-9_]+]]: tensor<?x151936xf32>, %[[T:[a-z0-9_]+]]: tensor<?xi32>) -> tensor<f32> {
// CHECK-NEXT:    %[[LOSS:[a-z0-9_]+]] = transformer.cross_entropy %[[L]], %[[T]] : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<f32>
// CHECK-NEXT:    func.return %[[LOSS]] : tensor<f32>
// CHECK-NEXT:  }

// Static token count, and static logits with dynamic targets.
func.func @loss_static(%logits: tensor<16x32000xf32>, %targets: tensor<16xi32>, %t2: tensor<?xi32>) -> (tensor<f32>, tensor<f32>) {
  %a = transformer.cross_entropy %logits, %targets : (tensor<16x32000xf32>, tensor<16xi32>) -> tensor<f32>
  %b = transformer.cross_entropy %logits, %t2 : (tensor<16x32000xf32>, tensor<?xi32>) -> tensor<f32>
  func.return %a, %b : tensor<f32>, tensor<f32>
}

// CHECK-LABEL: func.func @loss_static
// CHECK-SAME:    (%[[L:[a-z0-9_]+]]: tensor<16x32000xf32>, %[[T:[a-z0-9_]+]]: tensor<16xi32>, %[[T2:[a-z0-9_]+]]: tensor<?xi32>)
// CHECK-NEXT:    %[[A:[a-z0-9_]+]] = transformer.cross_entropy %[[L]], %[[T]] : (tensor<16x32000xf32>, tensor<16xi32>) -> tensor<f32>
// CHECK-NEXT:    %[[B:[a-z0-9_]+]] = transformer.cross_entropy %[[L]], %[[T2]] : (tensor<16x32000xf32>, tensor<?xi32>) -> tensor<f32>
// CHECK-NEXT:    func.return %[[A]], %[[B]] : tensor<f32>, tensor<f32>
// CHECK-NEXT:  }
