// RUN: not ck-opt %s -p 'lower-kernel-to-simd' 2>&1 | filecheck %s
// Kernels in value form have no buffers yet: plan-memory must run first (here the
// function already has the thread id and count arguments plan-memory adds; see
// lower_kernel_to_simd_threads_invalid.mlir for a function without them).

func.func @f(%x: tensor<1x16xf32>, %y: tensor<1x16xf32>, %tid: index, %nth: index) -> tensor<1x16xf32> {
  %z = kernel.add ins(%x, %y : tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x16xf32>
  func.return %z : tensor<1x16xf32>
}

// CHECK: lower-kernel-to-simd: kernel.add is not placed in memory: run plan-memory first
