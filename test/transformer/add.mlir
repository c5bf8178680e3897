// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.add: residual add of two [T, D] activations.

func.func @residual_dynamic(%x: tensor<?x1024xf32>, %attn: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %h = transformer.add %x, %attn : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x1024xf32>
  func.return %h : tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @residual_dynamic
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<?x1024xf32>, %[[A:[a-z0-9_]+]]: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.add %[[X]], %[[A]] : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[H]] : tensor<?x1024xf32>
// CHECK-NEXT:  }

// Static token count, the result feeding a second add.
func.func @residual_static(%x: tensor<9x1024xf32>, %attn: tensor<9x1024xf32>, %ffn: tensor<9x1024xf32>) -> tensor<9x1024xf32> {
  %h = transformer.add %x, %attn : (tensor<9x1024xf32>, tensor<9x1024xf32>) -> tensor<9x1024xf32>
  %o = transformer.add %h, %ffn : (tensor<9x1024xf32>, tensor<9x1024xf32>) -> tensor<9x1024xf32>
  func.return %o : tensor<9x1024xf32>
}

// CHECK-LABEL: func.func @residual_static
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<9x1024xf32>, %[[A:[a-z0-9_]+]]: tensor<9x1024xf32>, %[[F:[a-z0-9_]+]]: tensor<9x1024xf32>)
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.add %[[X]], %[[A]] : (tensor<9x1024xf32>, tensor<9x1024xf32>) -> tensor<9x1024xf32>
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = transformer.add %[[H]], %[[F]] : (tensor<9x1024xf32>, tensor<9x1024xf32>) -> tensor<9x1024xf32>
// CHECK-NEXT:    func.return %[[O]] : tensor<9x1024xf32>
// CHECK-NEXT:  }

// Mixed static/dynamic token dims agree.
func.func @residual_mixed(%x: tensor<?x896xf32>, %y: tensor<4x896xf32>) -> tensor<4x896xf32> {
  %h = transformer.add %x, %y : (tensor<?x896xf32>, tensor<4x896xf32>) -> tensor<4x896xf32>
  func.return %h : tensor<4x896xf32>
}

// CHECK-LABEL: func.func @residual_mixed
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.add %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}} : (tensor<?x896xf32>, tensor<4x896xf32>) -> tensor<4x896xf32>
// CHECK-NEXT:    func.return %[[H]] : tensor<4x896xf32>
