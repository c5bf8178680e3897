// RUN: ck-opt %s -p dce | filecheck %s

// Value-form kernels have no side effects, so an unused one is dead code;
// destination-passing kernels write their outs and must stay.

func.func @effects(%x: tensor<4x64xf32>, %xm: memref<4x64xf32>, %ym: memref<4x64xf32>) {
  %dead = kernel.add ins(%x, %x : tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  kernel.add ins(%xm, %xm : memref<4x64xf32>, memref<4x64xf32>) outs(%ym : memref<4x64xf32>)
  func.return
}

// CHECK-LABEL: func.func @effects
// CHECK-NEXT:    kernel.add ins(%xm, %xm : memref<4x64xf32>, memref<4x64xf32>) outs(%ym : memref<4x64xf32>)
// CHECK-NEXT:    func.return
