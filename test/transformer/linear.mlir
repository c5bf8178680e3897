// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.linear: y = x @ W^T (+ b), W [out, in], optional bias [out].

// Qwen3-0.6B attention projections (no bias): q 1024 -> 2048, k 1024 -> 1024.
func.func @linear_no_bias(%x: tensor<?x1024xf32>) -> (tensor<?x2048xf32>, tensor<?x1024xf32>) {
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<2048x1024, q8_0>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<1024x1024, bf16>
  %q = transformer.linear %x, %wq : (tensor<?x1024xf32>, !transformer.weight<2048x1024, q8_0>) -> tensor<?x2048xf32>
  %k = transformer.linear %x, %wk : (tensor<?x1024xf32>, !transformer.weight<1024x1024, bf16>) -> tensor<?x1024xf32>
  func.return %q, %k : tensor<?x2048xf32>, tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @linear_no_bias
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<?x1024xf32>) -> (tensor<?x2048xf32>, tensor<?x1024xf32>) {
// CHECK-NEXT:    %[[WQ:[a-z0-9_]+]] = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<2048x1024, q8_0>
// CHECK-NEXT:    %[[WK:[a-z0-9_]+]] = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<1024x1024, bf16>
// CHECK-NEXT:    %[[Q:[a-z0-9_]+]] = transformer.linear %[[X]], %[[WQ]] : (tensor<?x1024xf32>, !transformer.weight<2048x1024, q8_0>) -> tensor<?x2048xf32>
// CHECK-NEXT:    %[[K:[a-z0-9_]+]] = transformer.linear %[[X]], %[[WK]] : (tensor<?x1024xf32>, !transformer.weight<1024x1024, bf16>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[Q]], %[[K]] : tensor<?x2048xf32>, tensor<?x1024xf32>
// CHECK-NEXT:  }

// Qwen2.5-0.5B q projection with bias: 896 -> 896, bias [896].
func.func @linear_bias(%x: tensor<?x896xf32>) -> tensor<?x896xf32> {
  %w = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<896x896, f16>
  %b = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<896, f32>
  %q = transformer.linear %x, %w bias %b : (tensor<?x896xf32>, !transformer.weight<896x896, f16>, !transformer.weight<896, f32>) -> tensor<?x896xf32>
  func.return %q : tensor<?x896xf32>
}

// CHECK-LABEL: func.func @linear_bias
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<?x896xf32>) -> tensor<?x896xf32> {
// CHECK-NEXT:    %[[W:[a-z0-9_]+]] = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<896x896, f16>
// CHECK-NEXT:    %[[B:[a-z0-9_]+]] = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<896, f32>
// CHECK-NEXT:    %[[Q:[a-z0-9_]+]] = transformer.linear %[[X]], %[[W]] bias %[[B]] : (tensor<?x896xf32>, !transformer.weight<896x896, f16>, !transformer.weight<896, f32>) -> tensor<?x896xf32>
// CHECK-NEXT:    func.return %[[Q]] : tensor<?x896xf32>
// CHECK-NEXT:  }

// Static token count; k projection of Qwen2.5-0.5B (896 -> 128) with a bias,
// and the ffn down projection (3072 -> 1024, q8_0) without one.
func.func @linear_static(%x: tensor<5x896xf32>, %w: !transformer.weight<128x896, bf16>, %b: !transformer.weight<128, bf16>, %h: tensor<5x3072xf32>, %wd: !transformer.weight<1024x3072, q8_0>) -> (tensor<5x128xf32>, tensor<5x1024xf32>) {
  %k = transformer.linear %x, %w bias %b : (tensor<5x896xf32>, !transformer.weight<128x896, bf16>, !transformer.weight<128, bf16>) -> tensor<5x128xf32>
  %d = transformer.linear %h, %wd : (tensor<5x3072xf32>, !transformer.weight<1024x3072, q8_0>) -> tensor<5x1024xf32>
  func.return %k, %d : tensor<5x128xf32>, tensor<5x1024xf32>
}

// CHECK-LABEL: func.func @linear_static
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<5x896xf32>, %[[W:[a-z0-9_]+]]: !transformer.weight<128x896, bf16>, %[[B:[a-z0-9_]+]]: !transformer.weight<128, bf16>,
// CHECK-SAME:     %[[H:[a-z0-9_]+]]: tensor<5x3072xf32>, %[[WD:[a-z0-9_]+]]: !transformer.weight<1024x3072, q8_0>)
// CHECK-NEXT:    %[[K:[a-z0-9_]+]] = transformer.linear %[[X]], %[[W]] bias %[[B]] : (tensor<5x896xf32>, !transformer.weight<128x896, bf16>, !transformer.weight<128, bf16>) -> tensor<5x128xf32>
// CHECK-NEXT:    %[[D:[a-z0-9_]+]] = transformer.linear %[[H]], %[[WD]] : (tensor<5x3072xf32>, !transformer.weight<1024x3072, q8_0>) -> tensor<5x1024xf32>
// CHECK-NEXT:    func.return %[[K]], %[[D]] : tensor<5x128xf32>, tensor<5x1024xf32>
// CHECK-NEXT:  }
