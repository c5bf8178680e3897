// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// GPT-2's kernels and their gradients, in both forms: layernorm (weight and bias), gelu,
// and the column slice of a fused q|k|v projection.

func.func @gpt2(%x: tensor<?x64xf32>, %w: !transformer.weight<64, f32>, %b: !transformer.weight<64, f32>, %u: tensor<?x256xf32>, %qkv: tensor<?x192xf32>) {
  %0 = kernel.layernorm ins(%x, %w, %b : tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) {eps = 1.0e-05 : f32} -> tensor<?x64xf32>
  %1 = kernel.gelu ins(%u : tensor<?x256xf32>) -> tensor<?x256xf32>
  %2 = kernel.slice ins(%qkv : tensor<?x192xf32>) {offset = 64 : i64} -> tensor<?x64xf32>
  func.return
}

// CHECK-LABEL: func.func @gpt2
// CHECK-NEXT:    %0 = kernel.layernorm ins(%x, %w, %b : tensor<?x64xf32>, !transformer.weight<64, f32>, !transformer.weight<64, f32>) {eps = 1.000000e-05 : f32} -> tensor<?x64xf32>
// CHECK-NEXT:    %1 = kernel.gelu ins(%u : tensor<?x256xf32>) -> tensor<?x256xf32>
// CHECK-NEXT:    %2 = kernel.slice ins(%qkv : tensor<?x192xf32>) {offset = 64 : i64} -> tensor<?x64xf32>

func.func @gpt2_bwd(%dy: tensor<?x64xf32>, %x: tensor<?x64xf32>, %w: tensor<64xf32>, %du: tensor<?x256xf32>, %u: tensor<?x256xf32>) {
  %0, %1, %2 = kernel.layernorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) {eps = 1.0e-05 : f32} -> tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>
  %3 = kernel.gelu_bwd ins(%du, %u : tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>
  %4 = kernel.slice_bwd ins(%dy : tensor<?x64xf32>) {offset = 128 : i64} -> tensor<?x192xf32>
  func.return
}

// CHECK-LABEL: func.func @gpt2_bwd
// CHECK-NEXT:    %0, %1, %2 = kernel.layernorm_bwd ins(%dy, %x, %w : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) {eps = 1.000000e-05 : f32} -> tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>
// CHECK-NEXT:    %3 = kernel.gelu_bwd ins(%du, %u : tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>
// CHECK-NEXT:    %4 = kernel.slice_bwd ins(%dy : tensor<?x64xf32>) {offset = 128 : i64} -> tensor<?x192xf32>

func.func @gpt2_dps(%x: memref<4x64xf32>, %w: memref<64xf32>, %b: memref<64xf32>, %y: memref<4x64xf32>, %dw: memref<64xf32>, %db: memref<64xf32>, %qkv: memref<4x192xf32>) {
  kernel.layernorm ins(%x, %w, %b : memref<4x64xf32>, memref<64xf32>, memref<64xf32>) outs(%y : memref<4x64xf32>) {eps = 1.0e-05 : f32}
  kernel.layernorm_bwd ins(%y, %x, %w : memref<4x64xf32>, memref<4x64xf32>, memref<64xf32>) outs(%y, %dw, %db : memref<4x64xf32>, memref<64xf32>, memref<64xf32>) {eps = 1.0e-05 : f32}
  kernel.gelu ins(%x : memref<4x64xf32>) outs(%y : memref<4x64xf32>)
  kernel.gelu_bwd ins(%y, %x : memref<4x64xf32>, memref<4x64xf32>) outs(%y : memref<4x64xf32>)
  kernel.slice ins(%qkv : memref<4x192xf32>) outs(%y : memref<4x64xf32>) {offset = 0 : i64}
  kernel.slice_bwd ins(%y : memref<4x64xf32>) outs(%qkv : memref<4x192xf32>) {offset = 0 : i64}
  func.return
}

// CHECK-LABEL: func.func @gpt2_dps
// CHECK-NEXT:    kernel.layernorm ins(%x, %w, %b : memref<4x64xf32>, memref<64xf32>, memref<64xf32>) outs(%y : memref<4x64xf32>) {eps = 1.000000e-05 : f32}
// CHECK-NEXT:    kernel.layernorm_bwd ins(%y, %x, %w : {{.*}}) outs(%y, %dw, %db : memref<4x64xf32>, memref<64xf32>, memref<64xf32>) {eps = 1.000000e-05 : f32}
// CHECK-NEXT:    kernel.gelu ins(%x : memref<4x64xf32>) outs(%y : memref<4x64xf32>)
// CHECK-NEXT:    kernel.gelu_bwd ins(%y, %x : memref<4x64xf32>, memref<4x64xf32>) outs(%y : memref<4x64xf32>)
// CHECK-NEXT:    kernel.slice ins(%qkv : memref<4x192xf32>) outs(%y : memref<4x64xf32>) {offset = 0 : i64}
// CHECK-NEXT:    kernel.slice_bwd ins(%y : memref<4x64xf32>) outs(%qkv : memref<4x192xf32>) {offset = 0 : i64}
