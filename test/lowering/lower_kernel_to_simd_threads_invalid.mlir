// RUN: not ck-opt %s -p 'lower-kernel-to-simd' 2>&1 | filecheck %s
// Entry functions run on every thread of the pool and take the thread id and
// count as their last two (index) arguments, which plan-memory adds: without
// them there is nothing to split the kernels' work by.

func.func @f(%x: memref<1x16xf32>, %y: memref<1x16xf32>, %z: memref<1x16xf32>) {
  kernel.add ins(%x, %y : memref<1x16xf32>, memref<1x16xf32>) outs(%z : memref<1x16xf32>)
  func.return
}

// CHECK: lower-kernel-to-simd: @f has no thread id and count arguments: run plan-memory first
