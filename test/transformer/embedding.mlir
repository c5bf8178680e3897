// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.embedding: token ids [T] x table [vocab, dim] -> [T, dim].

// Qwen3-0.6B prompt: dynamic number of tokens, q8_0 table.
func.func @embed_dynamic(%tokens: tensor<?xi32>) -> tensor<?x1024xf32> {
  %table = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
  %x = transformer.embedding %tokens, %table : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
  func.return %x : tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @embed_dynamic
// CHECK-SAME:    (%[[TOK:[a-z0-9_]+]]: tensor<?xi32>) -> tensor<?x1024xf32> {
// CHECK-NEXT:    %[[TABLE:[a-z0-9_]+]] = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
// CHECK-NEXT:    %[[X:[a-z0-9_]+]] = transformer.embedding %[[TOK]], %[[TABLE]] : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[X]] : tensor<?x1024xf32>
// CHECK-NEXT:  }

// One decode step (a single token), bf16 table passed in as an argument.
func.func @embed_static(%tokens: tensor<1xi32>, %table: !transformer.weight<151936x1024, bf16>) -> tensor<1x1024xf32> {
  %x = transformer.embedding %tokens, %table : (tensor<1xi32>, !transformer.weight<151936x1024, bf16>) -> tensor<1x1024xf32>
  func.return %x : tensor<1x1024xf32>
}

// CHECK-LABEL: func.func @embed_static
// CHECK-SAME:    (%[[TOK:[a-z0-9_]+]]: tensor<1xi32>, %[[TABLE:[a-z0-9_]+]]: !transformer.weight<151936x1024, bf16>) -> tensor<1x1024xf32> {
// CHECK-NEXT:    %[[X:[a-z0-9_]+]] = transformer.embedding %[[TOK]], %[[TABLE]] : (tensor<1xi32>, !transformer.weight<151936x1024, bf16>) -> tensor<1x1024xf32>
// CHECK-NEXT:    func.return %[[X]] : tensor<1x1024xf32>
// CHECK-NEXT:  }

// Static token ids with a dynamic result token dimension also verify
// (dimensions agree when either side is `?`).
func.func @embed_static_ids_dynamic_result(%tokens: tensor<7xi32>) -> tensor<?x896xf32> {
  %table = transformer.weight "token_embd.weight" : !transformer.weight<151936x896, f16>
  %x = transformer.embedding %tokens, %table : (tensor<7xi32>, !transformer.weight<151936x896, f16>) -> tensor<?x896xf32>
  func.return %x : tensor<?x896xf32>
}

// CHECK-LABEL: func.func @embed_static_ids_dynamic_result
// CHECK:         %[[X:[a-z0-9_]+]] = transformer.embedding %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}} : (tensor<7xi32>, !transformer.weight<151936x896, f16>) -> tensor<?x896xf32>
// CHECK-NEXT:    func.return %[[X]] : tensor<?x896xf32>
