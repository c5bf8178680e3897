// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// SwiGLU gate and residual add, in both forms.

func.func @mlp(%gate: tensor<?x256xf32>, %up: tensor<?x256xf32>, %x: tensor<?x64xf32>, %r: tensor<?x64xf32>) {
  %0 = kernel.silu_mul ins(%gate, %up : tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>
  %1 = kernel.add ins(%x, %r : tensor<?x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  func.return
}

// CHECK-LABEL: func.func @mlp
// CHECK-NEXT:    %0 = kernel.silu_mul ins(%gate, %up : tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<?x256xf32>
// CHECK-NEXT:    %1 = kernel.add ins(%x, %r : tensor<?x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>

func.func @mlp_dps(%gate: memref<4x256xf32>, %up: memref<4x256xf32>, %h: memref<4x256xf32>, %x: memref<4x64xf32>, %r: memref<4x64xf32>) {
  kernel.silu_mul ins(%gate, %up : memref<4x256xf32>, memref<4x256xf32>) outs(%h : memref<4x256xf32>)
  kernel.add ins(%x, %r : memref<4x64xf32>, memref<4x64xf32>) outs(%x : memref<4x64xf32>)
  func.return
}

// CHECK-LABEL: func.func @mlp_dps
// CHECK-NEXT:    kernel.silu_mul ins(%gate, %up : memref<4x256xf32>, memref<4x256xf32>) outs(%h : memref<4x256xf32>)
// CHECK-NEXT:    kernel.add ins(%x, %r : memref<4x64xf32>, memref<4x64xf32>) outs(%x : memref<4x64xf32>)
