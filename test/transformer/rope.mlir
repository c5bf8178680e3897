// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.rope: rotary embedding of each head's first n_rot dims.

// Qwen3-0.6B: neox style, full rotation (n_rot = head_dim = 128), theta 1e6.
func.func @rope_neox(%q: tensor<?x2048xf32>, %k: tensor<?x1024xf32>, %pos: tensor<?xi32>) -> (tensor<?x2048xf32>, tensor<?x1024xf32>) {
  %q2 = transformer.rope %q, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  %k2 = transformer.rope %k, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x1024xf32>
  func.return %q2, %k2 : tensor<?x2048xf32>, tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @rope_neox
// CHECK-SAME:    (%[[Q:[a-z0-9_]+]]: tensor<?x2048xf32>, %[[K:[a-z0-9_]+]]: tensor<?x1024xf32>, %[[POS:[a-z0-9_]+]]: tensor<?xi32>)
// CHECK-NEXT:    %[[Q2:[a-z0-9_]+]] = transformer.rope %[[Q]], %[[POS]] {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.000000e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
// CHECK-NEXT:    %[[K2:[a-z0-9_]+]] = transformer.rope %[[K]], %[[POS]] {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.000000e+06 : f32, style = "neox"} : (tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[Q2]], %[[K2]] : tensor<?x2048xf32>, tensor<?x1024xf32>
// CHECK-NEXT:  }

// Llama style ("norm": adjacent pairs), TinyLlama shapes (32 x 64), theta 1e4,
// static token count.
func.func @rope_norm(%q: tensor<6x2048xf32>, %pos: tensor<6xi32>) -> tensor<6x2048xf32> {
  %q2 = transformer.rope %q, %pos {head_dim = 64 : i64, n_rot = 64 : i64, theta = 1.0e+04 : f32, style = "norm"} : (tensor<6x2048xf32>, tensor<6xi32>) -> tensor<6x2048xf32>
  func.return %q2 : tensor<6x2048xf32>
}

// CHECK-LABEL: func.func @rope_norm
// CHECK-SAME:    (%[[Q:[a-z0-9_]+]]: tensor<6x2048xf32>, %[[POS:[a-z0-9_]+]]: tensor<6xi32>) -> tensor<6x2048xf32> {
// CHECK-NEXT:    %[[Q2:[a-z0-9_]+]] = transformer.rope %[[Q]], %[[POS]] {head_dim = 64 : i64, n_rot = 64 : i64, theta = 1.000000e+04 : f32, style = "norm"} : (tensor<6x2048xf32>, tensor<6xi32>) -> tensor<6x2048xf32>
// CHECK-NEXT:    func.return %[[Q2]] : tensor<6x2048xf32>
// CHECK-NEXT:  }

// Partial rotation (n_rot < head_dim) and a static input with dynamic positions.
func.func @rope_partial(%k: tensor<4x256xf32>, %pos: tensor<?xi32>) -> tensor<4x256xf32> {
  %k2 = transformer.rope %k, %pos {head_dim = 128 : i64, n_rot = 32 : i64, theta = 5.0e+05 : f32, style = "neox"} : (tensor<4x256xf32>, tensor<?xi32>) -> tensor<4x256xf32>
  func.return %k2 : tensor<4x256xf32>
}

// CHECK-LABEL: func.func @rope_partial
// CHECK-NEXT:    %[[K2:[a-z0-9_]+]] = transformer.rope %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}} {head_dim = 128 : i64, n_rot = 32 : i64, theta = 5.000000e+05 : f32, style = "neox"} : (tensor<4x256xf32>, tensor<?xi32>) -> tensor<4x256xf32>
// CHECK-NEXT:    func.return %[[K2]] : tensor<4x256xf32>

// Smallest rotation (n_rot = 2); the input's token count is dynamic, so the
// result takes its static count from the positions.
func.func @rope_min_rotation(%k: tensor<?x256xf32>, %pos: tensor<3xi32>) -> tensor<3x256xf32> {
  %k2 = transformer.rope %k, %pos {head_dim = 128 : i64, n_rot = 2 : i64, theta = 1.0e+04 : f32, style = "norm"} : (tensor<?x256xf32>, tensor<3xi32>) -> tensor<3x256xf32>
  func.return %k2 : tensor<3x256xf32>
}

// CHECK-LABEL: func.func @rope_min_rotation
// CHECK-NEXT:    %[[K2:[a-z0-9_]+]] = transformer.rope %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}} {head_dim = 128 : i64, n_rot = 2 : i64, theta = 1.000000e+04 : f32, style = "norm"} : (tensor<?x256xf32>, tensor<3xi32>) -> tensor<3x256xf32>
// CHECK-NEXT:    func.return %[[K2]] : tensor<3x256xf32>
