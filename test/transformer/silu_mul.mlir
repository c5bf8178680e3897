// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.silu_mul: SwiGLU gate, silu(gate) * up, both [T, ffn].

// Qwen3-0.6B FFN: gate/up 1024 -> 3072, silu_mul, down 3072 -> 1024.
func.func @swiglu(%x: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %wg = transformer.weight "blk.0.ffn_gate.weight" : !transformer.weight<3072x1024, q8_0>
  %wu = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<3072x1024, q8_0>
  %wd = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<1024x3072, q8_0>
  %g = transformer.linear %x, %wg : (tensor<?x1024xf32>, !transformer.weight<3072x1024, q8_0>) -> tensor<?x3072xf32>
  %u = transformer.linear %x, %wu : (tensor<?x1024xf32>, !transformer.weight<3072x1024, q8_0>) -> tensor<?x3072xf32>
  %h = transformer.silu_mul %g, %u : (tensor<?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x3072xf32>
  %d = transformer.linear %h, %wd : (tensor<?x3072xf32>, !transformer.weight<1024x3072, q8_0>) -> tensor<?x1024xf32>
  func.return %d : tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @swiglu
// CHECK:         %[[G:[a-z0-9_]+]] = transformer.linear
// CHECK-NEXT:    %[[U:[a-z0-9_]+]] = transformer.linear
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.silu_mul %[[G]], %[[U]] : (tensor<?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x3072xf32>
// CHECK-NEXT:    %[[D:[a-z0-9_]+]] = transformer.linear %[[H]], %{{[a-z0-9_]+}} : (tensor<?x3072xf32>, !transformer.weight<1024x3072, q8_0>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[D]] : tensor<?x1024xf32>
// CHECK-NEXT:  }

// Static token count (Qwen2.5-0.5B ffn width 4864).
func.func @silu_mul_static(%g: tensor<2x4864xf32>, %u: tensor<2x4864xf32>) -> tensor<2x4864xf32> {
  %h = transformer.silu_mul %g, %u : (tensor<2x4864xf32>, tensor<2x4864xf32>) -> tensor<2x4864xf32>
  func.return %h : tensor<2x4864xf32>
}

// CHECK-LABEL: func.func @silu_mul_static
// CHECK-SAME:    (%[[G:[a-z0-9_]+]]: tensor<2x4864xf32>, %[[U:[a-z0-9_]+]]: tensor<2x4864xf32>) -> tensor<2x4864xf32> {
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.silu_mul %[[G]], %[[U]] : (tensor<2x4864xf32>, tensor<2x4864xf32>) -> tensor<2x4864xf32>
// CHECK-NEXT:    func.return %[[H]] : tensor<2x4864xf32>
// CHECK-NEXT:  }

// Dynamic gate, static up: the result may take the up projection's token count.
func.func @silu_mul_mixed(%g: tensor<?x3072xf32>, %u: tensor<4x3072xf32>) -> tensor<4x3072xf32> {
  %h = transformer.silu_mul %g, %u : (tensor<?x3072xf32>, tensor<4x3072xf32>) -> tensor<4x3072xf32>
  func.return %h : tensor<4x3072xf32>
}

// CHECK-LABEL: func.func @silu_mul_mixed
// CHECK-SAME:    (%[[G:[a-z0-9_]+]]: tensor<?x3072xf32>, %[[U:[a-z0-9_]+]]: tensor<4x3072xf32>) -> tensor<4x3072xf32> {
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.silu_mul %[[G]], %[[U]] : (tensor<?x3072xf32>, tensor<4x3072xf32>) -> tensor<4x3072xf32>
// CHECK-NEXT:    func.return %[[H]] : tensor<4x3072xf32>
// CHECK-NEXT:  }
