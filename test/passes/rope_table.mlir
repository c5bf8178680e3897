// RUN: ck-opt %s -p rope-table | filecheck %s
// Each rope (and rope_bwd) becomes a rope_apply reading a rotation table; a function gets one
// kernel.rope_table per distinct (positions, n_rot, theta), at its start, shared
// by every rope that rotates by the same angles (here q and k).

func.func @decode(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %pos: tensor<1xi32>) -> (tensor<1x128xf32>, tensor<1x64xf32>) {
  %qr = kernel.rope ins(%q, %pos : tensor<1x128xf32>, tensor<1xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<1x128xf32>
  %kr = kernel.rope ins(%k, %pos : tensor<1x64xf32>, tensor<1xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<1x64xf32>
  func.return %qr, %kr : tensor<1x128xf32>, tensor<1x64xf32>
}

// CHECK-LABEL: func.func @decode
// CHECK-NEXT:    %rope_table = kernel.rope_table ins(%pos : tensor<1xi32>) {n_rot = 32 : i64, theta = 1.000000e+06 : f32} -> tensor<1x32xf32>
// CHECK-NEXT:    %qr = kernel.rope_apply ins(%q, %rope_table : tensor<1x128xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x128xf32>
// CHECK-NEXT:    %kr = kernel.rope_apply ins(%k, %rope_table : tensor<1x64xf32>, tensor<1x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<1x64xf32>
// CHECK-NEXT:    func.return %qr, %kr
// CHECK-NOT:     kernel.rope_table
// CHECK-NOT:     kernel.rope ins

// Other angles (n_rot, theta) need a table of their own.
func.func @prefill(%q: tensor<?x128xf32>, %k: tensor<?x64xf32>, %pos: tensor<?xi32>) -> (tensor<?x128xf32>, tensor<?x64xf32>) {
  %qr = kernel.rope ins(%q, %pos : tensor<?x128xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<?x128xf32>
  %kr = kernel.rope ins(%k, %pos : tensor<?x64xf32>, tensor<?xi32>) {head_dim = 32 : i64, n_rot = 16 : i64, theta = 1.0e+04 : f32, style = "norm"} -> tensor<?x64xf32>
  func.return %qr, %kr : tensor<?x128xf32>, tensor<?x64xf32>
}

// CHECK-LABEL: func.func @prefill
// CHECK-DAG:     %[[T32:rope_table[_0-9]*]] = kernel.rope_table ins(%pos : tensor<?xi32>) {n_rot = 32 : i64, theta = 1.000000e+06 : f32} -> tensor<?x32xf32>
// CHECK-DAG:     %[[T16:rope_table[_0-9]*]] = kernel.rope_table ins(%pos : tensor<?xi32>) {n_rot = 16 : i64, theta = 1.000000e+04 : f32} -> tensor<?x16xf32>
// CHECK:         %qr = kernel.rope_apply ins(%q, %[[T32]] : tensor<?x128xf32>, tensor<?x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<?x128xf32>
// CHECK-NEXT:    %kr = kernel.rope_apply ins(%k, %[[T16]] : tensor<?x64xf32>, tensor<?x16xf32>) {head_dim = 32 : i64, n_rot = 16 : i64, style = "norm"} -> tensor<?x64xf32>
// CHECK-NEXT:    func.return %qr, %kr

// Training: rope's gradient (kernel.rope_bwd, the rotation by minus the angle) reads the
// same table as the forward rope, through a rope_apply marked inverse.
func.func @train(%q: tensor<8x128xf32>, %dq: tensor<8x128xf32>, %pos: tensor<8xi32>) -> (tensor<8x128xf32>, tensor<8x128xf32>) {
  %qr = kernel.rope ins(%q, %pos : tensor<8x128xf32>, tensor<8xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<8x128xf32>
  %dqr = kernel.rope_bwd ins(%dq, %pos : tensor<8x128xf32>, tensor<8xi32>) {head_dim = 32 : i64, n_rot = 32 : i64, theta = 1.0e+06 : f32, style = "neox"} -> tensor<8x128xf32>
  func.return %qr, %dqr : tensor<8x128xf32>, tensor<8x128xf32>
}

// CHECK-LABEL: func.func @train
// CHECK-NEXT:    %rope_table = kernel.rope_table ins(%pos : tensor<8xi32>) {n_rot = 32 : i64, theta = 1.000000e+06 : f32} -> tensor<8x32xf32>
// CHECK-NEXT:    %qr = kernel.rope_apply ins(%q, %rope_table : tensor<8x128xf32>, tensor<8x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox"} -> tensor<8x128xf32>
// CHECK-NEXT:    %dqr = kernel.rope_apply ins(%dq, %rope_table : tensor<8x128xf32>, tensor<8x32xf32>) {head_dim = 32 : i64, n_rot = 32 : i64, style = "neox", inverse} -> tensor<8x128xf32>
// CHECK-NEXT:    func.return %qr, %dqr
// CHECK-NOT:     kernel.rope_bwd
