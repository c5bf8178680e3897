// RUN: not ck-opt %s -p 'lower-transformer-to-kernel{isa="sse2"}' 2>&1 | filecheck %s

func.func @f() {
  func.return
}

// CHECK: lower-transformer-to-kernel: unknown isa 'sse2' (choose from avx512, avx2, scalar)
