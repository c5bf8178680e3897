// An f32 dot product kernel (scf.for + simd.load/fma/add/reduce) on each ISA,
// compiled with a C driver and checked against a plain C loop. The inputs are
// small integers, so every summation order gives the exact same sum.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/dot_f32_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// CHECK:      n=1024 ref=31
// CHECK-NEXT: avx512 31 ok
// CHECK-NEXT: avx2 31 ok
// CHECK-NEXT: scalar 31 ok
// CHECK-NEXT: n=4096 ref=41
// CHECK-NEXT: avx512 41 ok
// CHECK-NEXT: avx2 41 ok
// CHECK-NEXT: scalar 41 ok
// CHECK-NEXT: fractional: avx512 avx2 scalar within 1e-5 of ref

func.func @dot_avx512(%x: memref<?xf32>, %y: memref<?xf32>) -> f32 attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %zero = arith.constant 0.000000e+00 : f32
  %z = simd.broadcast %zero : f32 -> vector<16xf32>
  %acc:2 = scf.for %k = %c0 to %n step %c32 iter_args(%a0 = %z, %a1 = %z) -> (vector<16xf32>, vector<16xf32>) {
    %k1 = arith.addi %k, %c16 : index
    %x0 = simd.load %x[%k] : memref<?xf32> -> vector<16xf32>
    %y0 = simd.load %y[%k] : memref<?xf32> -> vector<16xf32>
    %x1 = simd.load %x[%k1] : memref<?xf32> -> vector<16xf32>
    %y1 = simd.load %y[%k1] : memref<?xf32> -> vector<16xf32>
    %n0 = simd.fma %x0, %y0, %a0 : vector<16xf32>
    %n1 = simd.fma %x1, %y1, %a1 : vector<16xf32>
    scf.yield %n0, %n1 : vector<16xf32>, vector<16xf32>
  }
  %s = simd.add %acc#0, %acc#1 : vector<16xf32>
  %r = simd.reduce add %s : vector<16xf32> -> f32
  func.return %r : f32
}

func.func @dot_avx2(%x: memref<?xf32>, %y: memref<?xf32>) -> f32 attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %zero = arith.constant 0.000000e+00 : f32
  %z = simd.broadcast %zero : f32 -> vector<8xf32>
  %acc = scf.for %k = %c0 to %n step %c8 iter_args(%a = %z) -> (vector<8xf32>) {
    %xv = simd.load %x[%k] : memref<?xf32> -> vector<8xf32>
    %yv = simd.load %y[%k] : memref<?xf32> -> vector<8xf32>
    %na = simd.fma %xv, %yv, %a : vector<8xf32>
    scf.yield %na : vector<8xf32>
  }
  %r = simd.reduce add %acc : vector<8xf32> -> f32
  func.return %r : f32
}

func.func @dot_scalar(%x: memref<?xf32>, %y: memref<?xf32>) -> f32 attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %zero = arith.constant 0.000000e+00 : f32
  %z = simd.broadcast %zero : f32 -> vector<1xf32>
  %acc = scf.for %k = %c0 to %n step %c1 iter_args(%a = %z) -> (vector<1xf32>) {
    %xv = simd.load %x[%k] : memref<?xf32> -> vector<1xf32>
    %yv = simd.load %y[%k] : memref<?xf32> -> vector<1xf32>
    %na = simd.fma %xv, %yv, %a : vector<1xf32>
    scf.yield %na : vector<1xf32>
  }
  %r = simd.reduce add %acc : vector<1xf32> -> f32
  func.return %r : f32
}
