// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.lm_head: logits = x @ W^T, W [vocab, dim].

// Qwen3-0.6B ties the output matrix to the token embedding table.
func.func @lm_head_tied(%tokens: tensor<?xi32>) -> tensor<?x151936xf32> {
  %table = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
  %x = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
  %logits = transformer.lm_head %x, %table : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf32>
  func.return %logits : tensor<?x151936xf32>
}

// CHECK-LABEL: func.func @lm_head_tied
// CHECK-NEXT:    %[[T:[a-z0-9_]+]] = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
// CHECK-NEXT:    %[[X:[a-z0-9_]+]] = transformer.embedding %{{[a-z0-9_]+}}, %[[T]]
// CHECK-NEXT:    %[[L:[a-z0-9_]+]] = transformer.lm_head %[[X]], %[[T]] : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf32>
// CHECK-NEXT:    func.return %[[L]] : tensor<?x151936xf32>
// CHECK-NEXT:  }

// Separate output matrix (bf16), last token only.
func.func @lm_head_static(%x: tensor<1x1024xf32>) -> tensor<1x151936xf32> {
  %w = transformer.weight "output.weight" : !transformer.weight<151936x1024, bf16>
  %logits = transformer.lm_head %x, %w : (tensor<1x1024xf32>, !transformer.weight<151936x1024, bf16>) -> tensor<1x151936xf32>
  func.return %logits : tensor<1x151936xf32>
}

// CHECK-LABEL: func.func @lm_head_static
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<1x1024xf32>) -> tensor<1x151936xf32> {
// CHECK-NEXT:    %[[W:[a-z0-9_]+]] = transformer.weight "output.weight" : !transformer.weight<151936x1024, bf16>
// CHECK-NEXT:    %[[L:[a-z0-9_]+]] = transformer.lm_head %[[X]], %[[W]] : (tensor<1x1024xf32>, !transformer.weight<151936x1024, bf16>) -> tensor<1x151936xf32>
// CHECK-NEXT:    func.return %[[L]] : tensor<1x151936xf32>
// CHECK-NEXT:  }

// f16 output matrix passed as an argument, TinyLlama shapes (vocab 32000, dim 2048).
func.func @lm_head_arg(%x: tensor<?x2048xf32>, %w: !transformer.weight<32000x2048, f16>) -> tensor<?x32000xf32> {
  %logits = transformer.lm_head %x, %w : (tensor<?x2048xf32>, !transformer.weight<32000x2048, f16>) -> tensor<?x32000xf32>
  func.return %logits : tensor<?x32000xf32>
}

// CHECK-LABEL: func.func @lm_head_arg
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<?x2048xf32>, %[[W:[a-z0-9_]+]]: !transformer.weight<32000x2048, f16>)
// CHECK-NEXT:    %[[L:[a-z0-9_]+]] = transformer.lm_head %[[X]], %[[W]] : (tensor<?x2048xf32>, !transformer.weight<32000x2048, f16>) -> tensor<?x32000xf32>
// CHECK-NEXT:    func.return %[[L]] : tensor<?x32000xf32>
